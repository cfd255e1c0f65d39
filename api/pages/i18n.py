"""Every string the public pages show, in Chinese (first) and English, and the labels of the
ledger's closed vocabularies (districts, fund kinds, statuses…) in both.

A template asks `t("key")` for a string and `label("vocabulary", code)` for a code's name; a key
missing from `MESSAGES` is an error at render time (and a test renders every template in both
languages and reads every key the templates name), so no page can show half a translation.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from domain.districts import DISTRICTS
from domain.foundations.entries import FUND_KINDS
from domain.organizations import ORGANIZATION_TYPES, ROLES, TIERS
from domain.pairing.designation import DESIGNATION_KINDS
from domain.pairing.pairing import MODES, PAIRING_KINDS

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
HTML_LANG = MappingProxyType({"zh": "zh-Hans", "en": "en"})

# key → (Chinese, English). Placeholders are `{name}`, filled by `t("key", name=...)`.
MESSAGES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # --- the frame of every page ---
        "site.name": ("明账", "Mingzhang"),
        "site.tagline": (
            "上海社区基金会公开账本：每一笔都可下载、可核验",
            "The public ledger of Shanghai's community foundations: every figure downloadable and verifiable",
        ),
        "nav.label": ("网站导航", "Site navigation"),
        "nav.home": ("首页", "Home"),
        "nav.verify": ("核验", "Verify"),
        "nav.export": ("360Giving 数据", "360Giving data"),
        "lang.switch": ("English", "中文"),
        "lang.switch.label": ("Switch to English", "切换到中文"),
        "skip": ("跳到正文", "Skip to content"),
        "asof.picker": ("查看某日的账本", "See the ledger as it stood on"),
        "asof.date": ("日期", "Date"),
        "asof.show": ("查看", "Show"),
        "asof.now": ("回到当前", "Back to now"),
        "asof.banner": (
            "您看到的是截至 {day} 日终（上海时间）的账本，即日志前 {size} 条记录。",
            "You are seeing the ledger as it stood at the end of {day} (Shanghai time): the first {size} entries of the log.",
        ),
        "asof.checkpoint": ("那时的签名检查点", "The signed checkpoint of that moment"),
        "asof.no_checkpoint": (
            "那时尚无签名检查点。",
            "No checkpoint had been signed by then.",
        ),
        "footer.checkpoint": (
            "本页依据日志前 {size} 条记录，根哈希 {root}。",
            "This page reflects the first {size} entries of the log, root {root}.",
        ),
        "footer.unsigned": ("日志尚未签名。", "The log is not signed yet."),
        "footer.howto": ("如何核验", "How to verify"),
        "footer.api": ("数据接口（API）", "Data API"),
        "download.csv": ("下载 CSV", "Download CSV"),
        "download.json": ("下载 JSON", "Download JSON"),
        "download.label": ("下载本表全部行", "Download every row of this table"),
        "entry.link": ("日志 #{index}", "log #{index}"),
        "entry.link.label": ("日志第 {index} 条记录", "Log entry {index}"),
        "more": ("更多", "More"),
        "next_page": ("下一页", "Next page"),
        "none": ("暂无", "None yet"),
        # --- errors ---
        "error.title": ("出错了", "Something is wrong"),
        "error.404": ("找不到这个页面或记录。", "There is no such page or record."),
        "error.422": ("请求有误：", "The request is not valid: "),
        "error.503": (
            "暂时无法回答，请稍后再试。",
            "The ledger cannot answer right now; please try again shortly.",
        ),
        "error.500": ("出现意外错误，已记录。", "An unexpected error; it has been logged."),
        "error.home": ("返回首页", "Back to the home page"),
        # --- the empty ledger ---
        "empty.title": ("账本还是空的", "The ledger is empty"),
        "empty.body": (
            "这个账本还没有任何记录。要看演示数据，请在项目目录运行：",
            "Nothing has been recorded in this ledger yet. To see the demo data, run this in the project folder:",
        ),
        "empty.after": (
            "然后刷新本页。演示数据全部是虚构的。",
            "and reload this page. Every record in the demo is invented.",
        ),
        # --- home ---
        "home.title": ("上海社区基金会公开账本", "Shanghai's community foundations, in the open"),
        "home.totals": ("全市合计", "Citywide totals"),
        "home.foundations": ("基金会", "Foundations"),
        "home.all_districts": ("全部区", "All districts"),
        # --- column headings ---
        "col.id": ("编号", "Id"),
        "col.name": ("名称", "Name"),
        "col.district": ("区", "District"),
        "col.subdistrict": ("街镇", "Subdistrict"),
        "col.funds": ("基金数", "Funds"),
        "col.received": ("收到捐赠", "Received"),
        "col.granted": ("资助承诺", "Granted"),
        "col.balance": ("余额", "Balance"),
        "col.entry": ("日志", "Log entry"),
    }
)

# vocabulary → code → (Chinese, English)
LABELS: Mapping[str, Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "district": MappingProxyType(
            {
                code: (name, english)
                for (code, name), english in zip(
                    DISTRICTS.items(),
                    (
                        "Huangpu",
                        "Xuhui",
                        "Changning",
                        "Jing'an",
                        "Putuo",
                        "Hongkou",
                        "Yangpu",
                        "Minhang",
                        "Baoshan",
                        "Jiading",
                        "Pudong New Area",
                        "Jinshan",
                        "Songjiang",
                        "Qingpu",
                        "Fengxian",
                        "Chongming",
                    ),
                    strict=True,
                )
            }
        ),
        "organization_type": MappingProxyType(
            {
                code: (ORGANIZATION_TYPES[code], english)
                for code, english in {
                    "charity": "Charity",
                    "life_services": "Life services",
                    "community_affairs": "Community affairs",
                    "culture_sports": "Culture and sports",
                }.items()
            }
        ),
        "tier": MappingProxyType(
            {
                code: (TIERS[code], english)
                for code, english in {
                    "registered": "Registered social organisation",
                    "activity_team": "Activity team",
                    "activity_group": "Activity group",
                }.items()
            }
        ),
        "role": MappingProxyType(
            {
                code: (ROLES[code], english)
                for code, english in {
                    "community_foundation": "Community foundation",
                    "foundation": "Foundation",
                    "service_center": "Service centre",
                }.items()
            }
        ),
        "fund_kind": MappingProxyType(
            {
                code: (FUND_KINDS[code], english)
                for code, english in {
                    "general": "Unrestricted fund",
                    "special": "Special fund",
                    "emergency_relief": "Emergency relief fund (救急难)",
                }.items()
            }
        ),
        "pairing_kind": MappingProxyType(
            {
                code: (PAIRING_KINDS[code], english)
                for code, english in {
                    "foundation_twinning": "Big-and-small twinning (大小牵小手)",
                    "service_center_partnership": "Hand-in-hand plan (牵手计划)",
                    "urban_rural": "Urban brands in rural towns",
                }.items()
            }
        ),
        "pairing_mode": MappingProxyType(
            {
                code: (MODES[code], english)
                for code, english in {
                    "strong_weak": "Strong with weak",
                    "old_new": "Old with new",
                    "large_small": "Large with small",
                }.items()
            }
        ),
        "designation_kind": MappingProxyType(
            {
                code: (DESIGNATION_KINDS[code], english)
                for code, english in {
                    "leader": "Leader",
                    "observation_point": "Observation point",
                }.items()
            }
        ),
    }
)


def translate(lang: str, key: str, **values: object) -> str:
    """The string `key` in `lang`, its `{placeholders}` filled. An unknown key raises KeyError."""
    zh, en = MESSAGES[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def label(lang: str, vocabulary: str, code: str | None) -> str:
    """A code's name in `lang`; a code the vocabulary does not list is shown as it is."""
    if code is None:
        return ""
    names = LABELS[vocabulary].get(code)
    if names is None:
        return code
    return names[0] if lang == "zh" else names[1]
