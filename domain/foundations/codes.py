"""Why and for what an individual is helped: the 360Giving grant-to-individuals codelists (v1.4.3).

Relief cases use the standard's codes (GTIR… reasons, GTIP… purposes) so that an export validates
against the 360Giving standard; labels here are our Chinese names for them. A test checks the codes
against the codelists the package carries (`domain/standards/360giving/codelists/`).
"""

from __future__ import annotations

from types import MappingProxyType

RELIEF_REASONS = MappingProxyType(
    {
        "GTIR010": "经济困难",
        "GTIR020": "残疾",
        "GTIR030": "疾病或健康状况",
        "GTIR040": "心理健康",
        "GTIR050": "家庭破裂",
        "GTIR060": "暴力或虐待",
        "GTIR070": "生计",
        "GTIR080": "无家可归",
        "GTIR090": "边缘化群体",
        "GTIR100": "突发事件或危机",
        "GTIR110": "发展机会",
        "GTIR120": "社会行动",
    }
)

RELIEF_PURPOSES = MappingProxyType(
    {
        "GTIP010": "不限定用途",
        "GTIP020": "家具和家电",
        "GTIP030": "设备和居家改造",
        "GTIP040": "设备与数字接入",
        "GTIP050": "水电煤等公用事业费",
        "GTIP060": "其他住房相关费用",
        "GTIP070": "食品和生活必需品",
        "GTIP080": "衣物",
        "GTIP090": "债务",
        "GTIP100": "交通出行",
        "GTIP110": "假期与活动费用",
        "GTIP120": "医疗、照护与身心健康服务",
        "GTIP130": "教育与培训",
        "GTIP140": "就业与工作",
        "GTIP150": "创意活动",
        "GTIP160": "社区项目",
        "GTIP170": "特殊费用",
    }
)

# The reasons that say something about a person's health or vulnerability (敏感个人信息 under PIPL
# art. 28): never in a public event, only in the vault, and published only as suppressed aggregates.
SENSITIVE_REASONS = frozenset({"GTIR020", "GTIR030", "GTIR040", "GTIR060", "GTIR090"})

# What the public log says about why a case was opened: one of three categories. Every new case
# carries its category, whatever its reason, so a category never tells a sensitive reason from a
# plain one; each category holds several reasons (so its public count by district and year is never
# the count of one reason, and a statistics table can always suppress a second cell within it).
RELIEF_CATEGORIES = MappingProxyType(
    {"hardship": "生活困难", "emergency": "突发事件", "other": "其他"}
)

RELIEF_CATEGORY_OF = MappingProxyType(
    {
        "GTIR010": "hardship",
        "GTIR020": "hardship",
        "GTIR030": "hardship",
        "GTIR040": "hardship",
        "GTIR050": "emergency",
        "GTIR060": "emergency",
        "GTIR070": "hardship",
        "GTIR080": "hardship",
        "GTIR090": "hardship",
        "GTIR100": "emergency",
        "GTIR110": "other",
        "GTIR120": "other",
    }
)
