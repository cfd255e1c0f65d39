"""The Shanghai the demo ledger is set in: the subdistricts (街道/镇/乡) of each of the 16 districts, which
towns count as rural, and the words invented organisation names are made of.

Places are real names, so the pages look like Shanghai; every organisation built from them is invented,
and every person is visibly fictitious (see `demo.generator.fake_person`).
"""

from __future__ import annotations

from types import MappingProxyType

SUBDISTRICTS = MappingProxyType(
    {
        "huangpu": (
            "外滩街道",
            "南京东路街道",
            "半淞园路街道",
            "小东门街道",
            "豫园街道",
            "老西门街道",
            "五里桥街道",
            "打浦桥街道",
            "淮海中路街道",
            "瑞金二路街道",
        ),
        "xuhui": (
            "天平路街道",
            "湖南路街道",
            "斜土路街道",
            "枫林路街道",
            "长桥街道",
            "田林街道",
            "虹梅路街道",
            "康健新村街道",
            "徐家汇街道",
            "凌云路街道",
            "龙华街道",
            "华泾镇",
        ),
        "changning": (
            "华阳路街道",
            "江苏路街道",
            "新华路街道",
            "周家桥街道",
            "天山路街道",
            "仙霞新村街道",
            "虹桥街道",
            "程家桥街道",
            "北新泾街道",
            "新泾镇",
        ),
        "jingan": (
            "江宁路街道",
            "石门二路街道",
            "南京西路街道",
            "静安寺街道",
            "曹家渡街道",
            "天目西路街道",
            "北站街道",
            "芷江西路街道",
            "大宁路街道",
            "彭浦新村街道",
            "临汾路街道",
            "彭浦镇",
        ),
        "putuo": (
            "曹杨新村街道",
            "长风新村街道",
            "长寿路街道",
            "甘泉路街道",
            "石泉路街道",
            "宜川路街道",
            "万里街道",
            "真如镇街道",
            "长征镇",
            "桃浦镇",
        ),
        "hongkou": (
            "欧阳路街道",
            "曲阳路街道",
            "广中路街道",
            "嘉兴路街道",
            "凉城新村街道",
            "四川北路街道",
            "北外滩街道",
            "江湾镇街道",
        ),
        "yangpu": (
            "定海路街道",
            "平凉路街道",
            "江浦路街道",
            "四平路街道",
            "控江路街道",
            "长白新村街道",
            "延吉新村街道",
            "殷行街道",
            "大桥街道",
            "五角场街道",
            "新江湾城街道",
            "长海路街道",
        ),
        "minhang": (
            "江川路街道",
            "古美街道",
            "新虹街道",
            "浦锦街道",
            "莘庄镇",
            "七宝镇",
            "颛桥镇",
            "华漕镇",
            "虹桥镇",
            "梅陇镇",
            "吴泾镇",
            "马桥镇",
            "浦江镇",
        ),
        "baoshan": (
            "友谊路街道",
            "吴淞街道",
            "张庙街道",
            "庙行镇",
            "淞南镇",
            "高境镇",
            "大场镇",
            "杨行镇",
            "顾村镇",
            "罗店镇",
            "罗泾镇",
            "月浦镇",
        ),
        "jiading": (
            "新成路街道",
            "真新街道",
            "嘉定镇街道",
            "南翔镇",
            "安亭镇",
            "马陆镇",
            "徐行镇",
            "华亭镇",
            "外冈镇",
            "江桥镇",
        ),
        "pudong": (
            "潍坊新村街道",
            "陆家嘴街道",
            "周家渡街道",
            "塘桥街道",
            "上钢新村街道",
            "南码头路街道",
            "沪东新村街道",
            "金杨新村街道",
            "洋泾街道",
            "浦兴路街道",
            "东明路街道",
            "花木街道",
            "川沙新镇",
            "高桥镇",
            "北蔡镇",
            "合庆镇",
            "唐镇",
            "曹路镇",
            "金桥镇",
            "高行镇",
            "张江镇",
            "三林镇",
            "惠南镇",
            "周浦镇",
            "新场镇",
            "大团镇",
            "康桥镇",
            "航头镇",
            "祝桥镇",
            "泥城镇",
            "宣桥镇",
            "书院镇",
            "万祥镇",
            "老港镇",
        ),
        "jinshan": (
            "石化街道",
            "朱泾镇",
            "枫泾镇",
            "张堰镇",
            "亭林镇",
            "吕巷镇",
            "廊下镇",
            "金山卫镇",
            "漕泾镇",
            "山阳镇",
        ),
        "songjiang": (
            "岳阳街道",
            "永丰街道",
            "方松街道",
            "中山街道",
            "广富林街道",
            "九里亭街道",
            "泗泾镇",
            "佘山镇",
            "车墩镇",
            "新桥镇",
            "洞泾镇",
            "九亭镇",
            "泖港镇",
            "石湖荡镇",
            "新浜镇",
            "叶榭镇",
            "小昆山镇",
        ),
        "qingpu": (
            "夏阳街道",
            "盈浦街道",
            "香花桥街道",
            "朱家角镇",
            "练塘镇",
            "金泽镇",
            "赵巷镇",
            "徐泾镇",
            "华新镇",
            "重固镇",
            "白鹤镇",
        ),
        "fengxian": (
            "西渡街道",
            "奉浦街道",
            "金海街道",
            "南桥镇",
            "奉城镇",
            "庄行镇",
            "金汇镇",
            "四团镇",
            "青村镇",
            "柘林镇",
            "海湾镇",
        ),
        "chongming": (
            "城桥镇",
            "堡镇",
            "新河镇",
            "庙镇",
            "竖新镇",
            "向化镇",
            "三星镇",
            "港沿镇",
            "中兴镇",
            "陈家镇",
            "绿华镇",
            "港西镇",
            "建设镇",
            "新海镇",
            "东平镇",
            "长兴镇",
            "新村乡",
            "横沙乡",
        ),
    }
)

# The outer districts' towns (镇/乡) are flagged rural, as are the far south-east towns of Pudong; a town
# in a built-up district (七宝镇, 彭浦镇) is not, nor is any 街道.
OUTER_DISTRICTS = frozenset({"jinshan", "songjiang", "qingpu", "fengxian", "chongming"})
RURAL_PUDONG = frozenset({"大团镇", "泥城镇", "宣桥镇", "书院镇", "万祥镇", "老港镇"})

# Administrative-division codes (GB/T 2260) of the districts, for the invented USCCs' area segment.
AREA_CODES = MappingProxyType(
    {
        "huangpu": "310101",
        "xuhui": "310104",
        "changning": "310105",
        "jingan": "310106",
        "putuo": "310107",
        "hongkou": "310109",
        "yangpu": "310110",
        "minhang": "310112",
        "baoshan": "310113",
        "jiading": "310114",
        "pudong": "310115",
        "jinshan": "310116",
        "songjiang": "310117",
        "qingpu": "310118",
        "fengxian": "310120",
        "chongming": "310151",
    }
)


def is_rural(district: str, subdistrict: str) -> bool:
    town = subdistrict.endswith(("镇", "乡")) and not subdistrict.endswith("街道")
    return town and (district in OUTER_DISTRICTS or subdistrict in RURAL_PUDONG)


def place(subdistrict: str) -> str:
    """The short name of a subdistrict for an organisation's name: 陆家嘴街道 → 陆家嘴, 朱家角镇 → 朱家角."""
    for suffix in ("新村街道", "街道", "新镇", "镇", "乡"):
        if subdistrict.endswith(suffix) and len(subdistrict) > len(suffix) + 1:
            return subdistrict.removesuffix(suffix)
    return subdistrict


LARGE_FOUNDATIONS = (
    ("上海申城公益基金会", "huangpu", "外滩街道"),
    ("上海浦江社区发展基金会", "pudong", "陆家嘴街道"),
    ("上海海上邻里慈善基金会", "xuhui", "徐家汇街道"),
    ("上海长三角乡村振兴基金会", "jingan", "南京西路街道"),
)

# Name endings by organisation type and tier: registered organisations, mass activity teams, and the
# small community activity groups.
ORGANIZATION_NAMES = MappingProxyType(
    {
        ("charity", "registered"): ("志愿者协会", "慈善帮扶服务社", "助残服务社"),
        ("charity", "activity_team"): ("爱心志愿服务队", "邻里互助队"),
        ("charity", "activity_group"): ("爱心编织小组", "助老结对小组"),
        ("life_services", "registered"): ("为老服务社", "社区食堂服务中心", "家庭服务社"),
        ("life_services", "activity_team"): ("便民维修服务队", "老伙伴互助队"),
        ("life_services", "activity_group"): ("睦邻厨房小组", "养老顾问小组"),
        ("community_affairs", "registered"): ("社区治理促进会", "物业纠纷调解中心"),
        ("community_affairs", "activity_team"): ("楼组长联谊队", "平安巡逻队"),
        ("community_affairs", "activity_group"): ("居民议事小组", "垃圾分类督导小组"),
        ("culture_sports", "registered"): ("文化体育促进会", "书画研究会"),
        ("culture_sports", "activity_team"): ("太极拳队", "广场舞队", "沪剧沙龙"),
        ("culture_sports", "activity_group"): ("读书小组", "合唱小组", "摄影小组"),
    }
)

SERVICE_CENTER_NAMES = ("社区社会组织服务中心", "睦邻中心", "社区公益服务中心")

FUND_NAMES = MappingProxyType(
    {
        "general": ("社区发展基金", "社区公益基金"),
        "special": (
            "为老服务专项基金",
            "青少年成长专项基金",
            "社区更新专项基金",
            "睦邻互助专项基金",
        ),
        "emergency_relief": ("救急难基金",),
    }
)

PROGRAMMES = (
    ("社区营造", "楼组自治项目", "支持居民楼组开展自治议事和环境改善"),
    ("为老服务", "独居老人关爱项目", "为独居老人提供探访、助餐和应急呼叫服务"),
    ("儿童友好", "四点半课堂", "为双职工家庭的孩子提供放学后的看护与课业辅导"),
    ("社区更新", "口袋公园微更新", "居民参与设计和维护社区口袋公园"),
    ("助残帮扶", "阳光之家康复项目", "为残障人士提供康复训练和就业指导"),
    ("乡村振兴", "城乡结对农产品展销", "帮助郊区合作社在市区社区开展展销"),
    ("文化体育", "社区文化节", "组织居民开展文艺演出和体育比赛"),
    ("垃圾分类", "绿色账户推广", "推动居民垃圾分类和资源回收"),
)

PAIRING_GOALS = (
    "建立规范的财务管理制度",
    "完成一个联合公益项目",
    "培养两名项目骨干",
    "提升社会组织等级评估结果",
    "引入新的捐赠渠道",
    "建立志愿者管理制度",
    "开展居民需求调研",
)

ACTIVITY_SUMMARIES = MappingProxyType(
    {
        "training": ("项目管理培训", "财务规范培训", "志愿者管理工作坊"),
        "visit": ("实地走访交流", "参观睦邻中心运营", "到郊区合作社调研"),
        "resource_sharing": ("共享场地和活动器材", "共享志愿者资源", "共享捐赠渠道"),
        "joint_project": ("联合举办社区公益集市", "共同开展为老助餐项目", "联合开展亲子活动"),
        "funding": ("结对资金支持社区项目", "资助合作伙伴开展公益服务"),
    }
)

MENTOR_ROLES = ("资深社工", "退休教师", "社区规划师", "公益项目督导", "财务顾问")
MENTOR_FOCUS = (
    "项目设计与评估",
    "财务与信息公开",
    "志愿者招募与管理",
    "社区需求调研",
    "筹款能力建设",
)
