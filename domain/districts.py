"""Shanghai's 16 districts (区), the closed list every organisation's district must come from.

Codes are the pinyin names used in Shanghai's own English materials; each maps to its Chinese name.
"""

from __future__ import annotations

from types import MappingProxyType

from domain.errors import UnknownDistrict

DISTRICTS = MappingProxyType(
    {
        "huangpu": "黄浦区",
        "xuhui": "徐汇区",
        "changning": "长宁区",
        "jingan": "静安区",
        "putuo": "普陀区",
        "hongkou": "虹口区",
        "yangpu": "杨浦区",
        "minhang": "闵行区",
        "baoshan": "宝山区",
        "jiading": "嘉定区",
        "pudong": "浦东新区",
        "jinshan": "金山区",
        "songjiang": "松江区",
        "qingpu": "青浦区",
        "fengxian": "奉贤区",
        "chongming": "崇明区",
    }
)


def check_district(code: str, *, field: str = "district") -> str:
    if code not in DISTRICTS:
        raise UnknownDistrict(
            f"{field} must be one of Shanghai's 16 districts ({', '.join(DISTRICTS)}), got {code!r}",
            field=field,
        )
    return code
