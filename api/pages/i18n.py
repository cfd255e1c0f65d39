"""Every string the public pages show, in Chinese (first) and English, and the labels of the
ledger's closed vocabularies (districts, fund kinds, statuses…) in both.

A template asks `t("key")` for a string and `label("vocabulary", code)` for a code's name; a key
missing from `MESSAGES` is an error at render time (and a test renders every template in both
languages and reads every key the templates name), so no page can show half a translation.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from types import MappingProxyType

from domain.districts import DISTRICTS
from domain.foundations.codes import RELIEF_CATEGORIES, RELIEF_PURPOSES
from domain.foundations.entries import FUND_KINDS
from domain.organizations import ORGANIZATION_TYPES, ROLES, TIERS
from domain.pairing.designation import DESIGNATION_KINDS
from domain.pairing.pairing import MODES, PAIRING_KINDS
from domain.standards import CODELISTS

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
        # --- the foundation page (/foundations/{id}) ---
        "list.separator": ("、", ", "),
        "foundation.profile": ("基本信息", "Profile"),
        "foundation.type": ("类型", "Type"),
        "foundation.tier": ("层级", "Tier"),
        "foundation.roles": ("角色", "Roles"),
        "foundation.rural": ("农村", "rural"),
        "foundation.uscc": ("统一社会信用代码", "Unified social credit code"),
        "foundation.no_uscc": ("无（未登记）", "None (not registered)"),
        "foundation.org_id": ("机构标识（360Giving）", "Organisation id (360Giving)"),
        "foundation.registered_on": ("登记日期", "Registered on"),
        "foundation.grade": ("评估等级", "Grade"),
        "foundation.no_grade": ("未评级", "Not graded"),
        "foundation.deregistered_on": ("注销日期", "Deregistered on"),
        "foundation.registration_entry": ("登记记录", "Registration entry"),
        "foundation.figures": ("资金概况（各基金合计）", "Figures (all its funds together)"),
        "foundation.section.income": ("按月捐赠收入", "Donations received by month"),
        "foundation.about.income": (
            "各基金合计，按捐赠日期；冲正计入冲正当月，故某月可能为负。",
            "All its funds together, by the date of each gift; a reversal counts in its own month, so a month can be negative.",
        ),
        "foundation.income.chart": (
            "按月捐赠收入柱状图，{first}至{last}；数字见下表。",
            "Bar chart of donations received by month, {first} to {last}; the figures are in the table below.",
        ),
        "foundation.income.table_below": (
            "图中数字与下表相同。",
            "The table below holds the same figures.",
        ),
        "col.donations": ("捐赠笔数", "Donations"),
        "col.reversals": ("冲正笔数", "Reversals"),
        "col.received_net": ("净收入", "Received (net)"),
        "foundation.section.funds": ("基金", "Funds"),
        "foundation.section.grants": ("资助项目", "Grants"),
        "foundation.section.feedback": ("社区反馈", "Community feedback"),
        "foundation.section.relief_monthly": (
            "救助（按月、街镇与类别）",
            "Relief by month, subdistrict and category",
        ),
        "foundation.section.relief": ("救助发放", "Relief disbursements"),
        "foundation.section.pairings": ("结对", "Pairings"),
        "foundation.section.mentor_links": ("导师带教", "Mentor links"),
        "foundation.section.designations": ("品牌与示范评选", "Designations"),
        "foundation.section.corrections": ("更正说明", "Corrections"),
        "foundation.section.named_donations": ("具名捐赠", "Named donations"),
        "foundation.about.funds": (
            "点击基金名称查看其对账单。",
            "Open a fund's name for its statement.",
        ),
        "foundation.about.grants": ("", ""),
        "foundation.about.feedback": (
            "每个项目最新一次的社区评分（1–5）与反馈摘要；反馈的日志记录见项目页面。",
            "Each grant's latest community rating (1–5) and summary; the feedback's log entry is on the grant's page.",
        ),
        "foundation.about.relief_monthly": (
            "已扣除冲正；不涉及任何个人。",
            "Reversals deducted; nothing about any person.",
        ),
        "foundation.about.relief": (
            "只公开到街镇与类别，不公开受助人。",
            "Published to the subdistrict and category only, never the person helped.",
        ),
        "foundation.about.pairings": ("", ""),
        "foundation.about.mentor_links": (
            "个人导师仅在本人同意时显示姓名，否则以其角色代称。",
            "A person mentor is named only with their consent; otherwise their role stands for them.",
        ),
        "foundation.about.designations": ("", ""),
        "foundation.about.corrections": (
            "被更正的记录仍保留在日志中。",
            "The entry corrected stays in the log.",
        ),
        "foundation.about.named_donations": (
            "只列出同意具名的捐赠人；匿名捐赠计入总额。",
            "Only donors who agreed to be named; anonymous gifts are in the totals.",
        ),
        "fig.anonymous": ("其中匿名捐赠", "of which anonymous"),
        "fig.transferred_in": ("转入", "Transferred in"),
        "fig.transferred_out": ("转出", "Transferred out"),
        "fig.reversed_in": ("冲正（收入）", "Reversed (money in)"),
        "fig.reversed_out": ("冲正（支出退回）", "Reversed (money out returned)"),
        "col.fund": ("基金", "Fund"),
        "col.fund_kind": ("基金类别", "Kind"),
        "col.opened_on": ("设立日期", "Opened on"),
        "col.closed_on": ("关闭日期", "Closed on"),
        "col.paid": ("已拨付", "Paid"),
        "col.title": ("项目", "Grant"),
        "col.programme": ("领域", "Programme"),
        "col.recipient": ("受资助方", "Recipient"),
        "col.awarded_on": ("资助日期", "Awarded on"),
        "col.planned_start": ("计划开始", "Planned start"),
        "col.planned_end": ("计划结束", "Planned end"),
        "col.awarded": ("资助金额", "Awarded"),
        "col.status": ("状态", "Status"),
        "col.ended_on": ("结束日期", "Ended on"),
        "col.rating": ("评分", "Rating"),
        "col.feedback": ("反馈", "Feedback"),
        "col.feedback_on": ("反馈日期", "Feedback on"),
        "col.month": ("月份", "Month"),
        "col.reason_category": ("类别", "Category"),
        "col.disbursements": ("笔数", "Payments"),
        "col.relief_total": ("金额", "Amount"),
        "col.case": ("救助个案", "Relief case"),
        "col.paid_on": ("发放日期", "Paid on"),
        "col.purpose": ("用途", "Purpose"),
        "col.amount": ("金额", "Amount"),
        "col.emergency": ("救急", "Emergency"),
        "col.before_approval": ("先行发放", "Paid before approval"),
        "col.reversed": ("已冲正", "Reversed"),
        "col.ratify_by": ("追认期限", "Ratify by"),
        "col.ratification": ("追认", "Ratification"),
        "col.pairing_kind": ("结对类型", "Kind"),
        "col.mode": ("方式", "Mode"),
        "col.lead": ("牵头方", "Lead"),
        "col.partner": ("结对方", "Partner"),
        "col.proposed_on": ("提出日期", "Proposed on"),
        "col.mentor_kind": ("导师类型", "Mentor kind"),
        "col.mentor": ("导师", "Mentor"),
        "col.role_label": ("导师角色", "Mentor's role"),
        "col.mentee": ("带教对象", "Mentee"),
        "col.focus": ("带教重点", "Focus"),
        "col.started_on": ("开始日期", "Started on"),
        "col.minutes": ("累计分钟", "Minutes"),
        "col.year": ("年度", "Year"),
        "col.designation_kind": ("评选类型", "Kind"),
        "col.nominee": ("被提名方", "Nominee"),
        "col.nominated_on": ("提名日期", "Nominated on"),
        "col.decided_on": ("决定日期", "Decided on"),
        "col.corrected_on": ("更正日期", "Corrected on"),
        "col.correction_kind": ("更正类型", "Kind"),
        "col.corrects": ("被更正记录", "Corrects"),
        "col.reason": ("原因", "Reason"),
        "col.position": ("日志位置", "Log position"),
        "col.received_on": ("捐赠日期", "Received on"),
        "col.donor_kind": ("捐赠方类型", "Donor kind"),
        "col.donor": ("捐赠方", "Donor"),
        # --- end of the foundation page ---
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

# The standard's own English titles of the purposes a relief case names (our Chinese names are the
# domain's), read from the codelist the package carries.
with (CODELISTS / "grantToIndividualsPurpose.csv").open(encoding="utf-8", newline="") as _codelist:
    PURPOSE_TITLES = MappingProxyType({r["Code"]: r["Title"] for r in csv.DictReader(_codelist)})

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
        # --- the foundation page's vocabularies ---
        "grant_status": MappingProxyType(
            {
                "active": ("执行中", "Active"),
                "closed": ("已结项", "Closed"),
                "cancelled": ("已取消", "Cancelled"),
            }
        ),
        "pairing_status": MappingProxyType(
            {
                "proposed": ("已提出", "Proposed"),
                "active": ("进行中", "Active"),
                "concluded": ("已完成", "Concluded"),
                "terminated": ("已终止", "Terminated"),
            }
        ),
        "designation_status": MappingProxyType(
            {
                "nominated": ("已提名", "Nominated"),
                "selected": ("已入选", "Selected"),
                "revoked": ("已撤销", "Revoked"),
            }
        ),
        "ratification": MappingProxyType(
            {
                "not_required": ("无需追认", "Not required"),
                "pending": ("待追认", "Awaiting ratification"),
                "overdue": ("逾期未追认", "Overdue"),
                "ratified": ("已追认", "Ratified"),
                "reversed": ("已冲正", "Reversed"),
            }
        ),
        "relief_category": MappingProxyType(
            {
                code: (RELIEF_CATEGORIES[code], english)
                for code, english in {
                    "hardship": "Hardship",
                    "emergency": "Emergency",
                    "other": "Other",
                }.items()
            }
        ),
        "relief_purpose": MappingProxyType(
            {code: (name, PURPOSE_TITLES[code]) for code, name in RELIEF_PURPOSES.items()}
        ),
        "correction_kind": MappingProxyType(
            {
                "reclassification": ("重新分类", "Reclassified"),
                "donation_reversed": ("捐赠冲正", "Donation reversed"),
                "transfer_reversed": ("划转冲正", "Transfer reversed"),
                "instalment_reversed": ("拨付冲正", "Instalment reversed"),
                "grant_amended": ("资助金额调整", "Grant amended"),
                "grant_cancelled": ("资助取消", "Grant cancelled"),
                "disbursement_reversed": ("救助发放冲正", "Relief payment reversed"),
                "pairing_terminated": ("结对终止", "Pairing terminated"),
                "designation_revoked": ("评选撤销", "Designation revoked"),
            }
        ),
        "donor_kind": MappingProxyType(
            {"person": ("个人", "Person"), "organization": ("机构", "Organisation")}
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
