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
        # --- the city's pages: home, a district, a fund's statement (helper `city`) ---
        "district.title": ("{name}社区基金会公开账本", "{name}: community foundations in the open"),
        "district.city": ("← 全市", "← The whole city"),
        "district.totals": ("本区合计", "District totals"),
        "district.foundations": ("{name}的基金会", "Foundations in {name}"),
        "totals.figure": ("项目", "Figure"),
        "totals.year": ("{year}年", "In {year}"),
        "totals.all_time": ("累计", "All time"),
        "totals.received": ("收到捐赠", "Donations received"),
        "totals.donations_reversed": ("捐赠冲销", "Donations reversed"),
        "totals.granted": ("资助承诺", "Grants awarded"),
        "totals.relief": ("救急难支出", "Relief disbursed"),
        "totals.grants": ("资助项目数", "Grants"),
        "totals.disbursements": ("救助发放笔数", "Relief disbursements"),
        "totals.foundations": ("基金会数（截至期末）", "Foundations (by the period's end)"),
        "totals.note": (
            "按业务日期计：捐赠按收到日，资助按批准日，救助按发放日（已冲销的不计）。",
            "By business date: donations by the day received, grants by the day awarded, relief by the day paid (reversed payments left out).",
        ),
        "grid.heading": (
            "规划指标（沪民社管发〔2021〕3号）",
            "The plan's indicators (沪民社管发〔2021〕3号)",
        ),
        "grid.intro": (
            "各区对照目标的进度：条形的全长是目标，填充部分是已达到的。",
            "Each district against the targets: a bar's full length is the target, its filled part what has been reached.",
        ),
        "grid.alt": (
            "16 个区的规划指标网格图；同样的数字见下表。",
            "A grid of the plan's indicators for the 16 districts; the same figures are in the table below.",
        ),
        "grid.coverage": ("覆盖街镇", "Coverage"),
        "grid.relief_fund": ("救急难基金", "Relief fund"),
        "grid.pairings": ("结对", "Pairings"),
        "grid.rural": ("农村组织", "Rural orgs"),
        "grid.centres": ("3A+中心", "3A+ centres"),
        "grid.legend.reached": ("已达到（未达目标）", "Reached (target not met)"),
        "grid.legend.met": ("已达目标", "Target met"),
        "grid.explain": (
            "覆盖街镇：有社区基金会的街镇／已知街镇；救急难基金：设有救急难（暖心）基金的社区基金会／全部社区基金会；"
            "结对：已建立（进行中或已完成）的结对，按类型，相对结对最多的区；农村组织：现有登记的农村社会组织／目标（2020年底数量的两倍）；"
            "3A+中心：评估等级 3A 及以上的服务中心／全部服务中心。",
            "Coverage: subdistricts with a community foundation / subdistricts known; relief fund: community foundations with an emergency-relief (暖心) fund / all community foundations; "
            "pairings: established pairings (active or concluded) by kind, against the district with the most; rural orgs: registered rural organisations now / the target (twice the count at the end of 2020); "
            "3A+ centres: service centres graded 3A or above / all service centres.",
        ),
        "grid.table": ("各区规划指标", "The plan's indicators by district"),
        "home.corrections": ("最新更正说明", "Latest corrections"),
        "home.corrections.intro": (
            "账本从不改写记录：更正是一条新记录，并写明原因。",
            "The ledger never rewrites a record: a correction is a new record, with its reason.",
        ),
        "search.label": ("按名称搜索", "Search by name"),
        "search.submit": ("搜索", "Search"),
        "search.showing": ("名称包含“{q}”的基金会。", "Foundations whose name contains “{q}”."),
        "search.clear": ("清除搜索", "Clear the search"),
        "statement.title": ("{name} 对账单", "{name}: statement"),
        "statement.foundation": ("基金会", "Foundation"),
        "statement.fund_kind": ("基金类型", "Kind of fund"),
        "statement.opened": ("设立", "Opened"),
        "statement.closed": ("{day}关闭", "closed {day}"),
        "statement.period": ("期间", "Period"),
        "statement.period.value": ("{start}至{end}", "{start} to {end}"),
        "statement.fund_entry": ("设立记录", "Opening entry"),
        "statement.from": ("起始日", "From"),
        "statement.to": ("截止日", "To"),
        "statement.balances": ("余额", "Balances"),
        "statement.opening": ("期初余额（{day}之前）", "Opening balance (before {day})"),
        "statement.in": ("本期收入", "In"),
        "statement.out": ("本期支出", "Out"),
        "statement.closing": ("期末余额（{day}日终）", "Closing balance (end of {day})"),
        "statement.count": ("本期流水笔数", "Movements in the period"),
        "statement.explain": (
            "期末余额 = 期初余额 + 本期收入 − 本期支出；冲销按其发生日记为反向流水。个人捐赠者不显示姓名。",
            "Closing = opening + in − out; a reversal is a movement the other way, on its own date. A person donor is never named here.",
        ),
        "statement.movements": ("本期流水", "Movements"),
        "statement.first_page": ("回到第一页", "Back to the first page"),
        "col.subdistricts_covered": (
            "有社区基金会的街镇",
            "Subdistricts with a community foundation",
        ),
        "col.subdistricts": ("已知街镇", "Subdistricts known"),
        "col.coverage": ("街镇覆盖率", "Subdistrict coverage"),
        "col.with_relief_fund": (
            "设有救急难基金的社区基金会",
            "Community foundations with a relief fund",
        ),
        "col.community_foundations": ("社区基金会", "Community foundations"),
        "col.relief_fund": ("救急难基金覆盖率", "Relief-fund coverage"),
        "col.pairings.foundation_twinning": ("大小牵小手", "Big-and-small twinning"),
        "col.pairings.service_center_partnership": ("牵手计划", "Hand-in-hand plan"),
        "col.pairings.urban_rural": ("品牌组织到郊区", "Urban brands in rural towns"),
        "col.pairings": ("已建立结对", "Established pairings"),
        "col.rural_baseline": ("2020年底农村组织", "Rural organisations, end of 2020"),
        "col.rural_2023": ("2023年底农村组织", "Rural organisations, end of 2023"),
        "col.rural_now": ("现有农村组织", "Rural organisations now"),
        "col.rural_target": ("农村组织目标", "Rural target"),
        "col.rural_met": ("2023年底达标", "Met by the end of 2023"),
        "col.centres_graded": ("3A及以上服务中心", "Service centres at 3A or above"),
        "col.centres": ("服务中心", "Service centres"),
        "col.centres_percent": ("3A及以上比例", "Share at 3A or above"),
        "col.corrected_on": ("更正日期", "Corrected on"),
        "col.correction_kind": ("更正类型", "Correction"),
        "col.reason": ("原因", "Reason"),
        "col.amount": ("金额", "Amount"),
        "col.date": ("日期", "Date"),
        "col.movement": ("摘要", "Movement"),
        "col.counterparty_kind": ("对方类型", "Counterparty kind"),
        "col.counterparty": ("对方", "Counterparty"),
        "col.counterparty_foundation": ("对方基金会", "Counterparty's foundation"),
        "col.position": ("日志位置", "Log position"),
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
        # --- the city's pages (helper `city`): a statement's movements, corrections ---
        "movement_kind": MappingProxyType(
            {
                "donation": ("捐赠收入", "Donation"),
                "donation_reversed": ("捐赠冲销", "Donation reversed"),
                "transfer_in": ("转入", "Transfer in"),
                "transfer_in_reversed": ("转入冲销", "Transfer in reversed"),
                "transfer_out": ("转出", "Transfer out"),
                "transfer_out_reversed": ("转出冲销", "Transfer out reversed"),
                "grant_payment": ("资助拨付", "Grant payment"),
                "grant_payment_reversed": ("资助拨付冲销", "Grant payment reversed"),
                "relief_payment": ("救助发放", "Relief payment"),
                "relief_payment_reversed": ("救助发放冲销", "Relief payment reversed"),
                "payment": ("支出", "Payment"),
                "payment_reversed": ("支出冲销", "Payment reversed"),
            }
        ),
        "counterparty_kind": MappingProxyType(
            {
                "anonymous": ("匿名", "Anonymous"),
                "person": ("个人", "A person"),
                "organization": ("组织", "Organisation"),
                "fund": ("基金", "Fund"),
                "relief": ("救助对象（街镇）", "Relief (subdistrict)"),
            }
        ),
        "correction_kind": MappingProxyType(
            {
                "reclassification": ("类别调整", "Reclassified"),
                "donation_reversed": ("捐赠冲销", "Donation reversed"),
                "transfer_reversed": ("转账冲销", "Transfer reversed"),
                "instalment_reversed": ("拨付冲销", "Instalment reversed"),
                "grant_cancelled": ("资助取消", "Grant cancelled"),
                "grant_amended": ("资助金额调整", "Grant amended"),
                "disbursement_reversed": ("救助发放冲销", "Disbursement reversed"),
                "pairing_terminated": ("结对终止", "Pairing terminated"),
                "designation_revoked": ("认定撤销", "Designation revoked"),
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
