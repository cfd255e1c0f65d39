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
from domain.foundations.codes import RELIEF_CATEGORIES, RELIEF_PURPOSES, RELIEF_REASONS
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
        "error.403": ("不能这样做：", "This is not allowed: "),
        # --- the staff console (api/console/, docs/CONSOLE.md) ---
        "console.nav.label": ("工作台导航", "Console navigation"),
        "console.nav.desk": ("工作台", "Desk"),
        "console.nav.public": ("公开网站", "Public site"),
        "console.sign_out": ("退出登录", "Sign out"),
        "console.sign_in.title": ("工作人员登录", "Staff sign-in"),
        "console.sign_in.intro": (
            "用管理员发给您的 API 密钥登录。密钥只在这一次提交，之后浏览器只保存一个会话。",
            "Sign in with the API key your administrator gave you. The key is sent this once; afterwards the browser keeps only a session.",
        ),
        "console.sign_in.key": ("API 密钥", "API key"),
        "console.sign_in.key.hint": ("以 mzk_ 开头", "It starts with mzk_"),
        "console.sign_in.submit": ("登录", "Sign in"),
        "console.sign_in.refused": (
            "密钥不正确、不存在或已被吊销。",
            "The key is wrong, unknown or revoked.",
        ),
        "console.sign_in.ended": (
            "您的会话已结束（已过期，或密钥已被吊销），请重新登录。",
            "Your session has ended (it expired, or its key was revoked); please sign in again.",
        ),
        "console.sign_in.signed_out": ("您已退出登录。", "You have signed out."),
        "console.role.title": ("工作台", "Console"),
        "console.role.text": (
            "{role} 角色在工作台没有需要记录的事项：请在公开网站、/verify 核验页和数据接口（API）查阅与核验。",
            "A {role} key has nothing to record here: read and check on the public site, the /verify page and the JSON API.",
        ),
        "console.desk.title": ("{name} 工作台", "{name}: desk"),
        "console.desk.public_page": ("本基金会的公开页面", "This foundation's public page"),
        "console.desk.forms": ("记录", "Record"),
        "console.desk.funds": ("基金", "Funds"),
        "console.desk.funds.caption": (
            "每个基金的余额、已预留和可用金额",
            "Each fund's balance, reserved and available amounts",
        ),
        "console.desk.no_funds": ("尚未开设基金。", "No fund is open yet."),
        "console.desk.tasks": ("待办事项", "What needs doing"),
        "console.desk.tasks.caption": ("按截止日期排列，最早的在前", "Soonest first"),
        "console.desk.recent": ("最近记录", "Latest entries"),
        "console.desk.recent.caption": (
            "本基金会的基金、资助和救助个案的最新日志记录",
            "The latest log entries of this foundation's funds, grants and relief cases",
        ),
        "console.col.fund": ("基金", "Fund"),
        "console.col.balance": ("余额", "Balance"),
        "console.col.reserved": ("已预留", "Reserved"),
        "console.col.available": ("可用", "Available"),
        "console.col.due": ("截止日期", "Due"),
        "console.col.task": ("事项", "Task"),
        "console.task.overdue": ("已逾期", "overdue"),
        "console.task.ratify": (
            "追认紧急救助付款：{subdistrict}，{count} 笔待追认",
            "Ratify emergency relief paid before approval: {subdistrict}, {count} awaiting",
        ),
        "console.task.pay_instalment": (
            "资助“{title}”（{recipient}）：已付 {paid}，共 {awarded}",
            "Grant “{title}” to {recipient}: {paid} paid of {awarded}",
        ),
        "console.task.report": (
            "已结项资助“{title}”（{recipient}）：成果报告尚未公开",
            "Closed grant “{title}” to {recipient}: its outcome report is not public yet",
        ),
        "console.task.annual_disclosure": (
            "{year} 年度信息公开",
            "Annual disclosure for {year}",
        ),
        "console.annual.title": ("{year} 年度信息公开", "Annual disclosure for {year}"),
        "console.annual.due": (
            "截止 {day}（还有 {days} 天）。年报将显示的数字（目前为止）：",
            "Due by {day} ({days} days left). What the annual figures will show (so far):",
        ),
        "console.annual.received": ("收到捐赠", "Donations received"),
        "console.annual.reversed": ("撤销的捐赠", "Donations reversed"),
        "console.annual.granted": ("资助", "Granted"),
        "console.annual.grants": ("{count} 项", "{count} grants"),
        "console.annual.relief": ("救急难支出", "Relief disbursed"),
        "console.annual.disbursements": ("{count} 笔", "{count} payments"),
        "console.required": ("（必填）", "(required)"),
        "console.choose": ("请选择", "Choose"),
        "console.back_to_desk": ("回到工作台", "Back to the desk"),
        "console.form.submit": ("记录", "Record"),
        "console.form.refused": (
            "账本没有记录这条内容，请按提示更正后再提交：",
            "The ledger did not record this; correct what is marked and send it again:",
        ),
        "console.form.command_id": (
            "本表单的指令编号：{id}。重复提交只会记录一次。",
            "This form's command id: {id}. Sending it again records it once only.",
        ),
        "console.form.duplicate": (
            "这张表单已经以其他内容记录过；要记录另一条，请打开新表单。",
            "This form was already recorded with other values; to record another, open a new form.",
        ),
        "console.form.new": ("打开新表单", "Open a new form"),
        "console.desk.forms.funds": ("基金与捐赠", "Funds and donations"),
        "console.desk.forms.grants": ("资助", "Grants"),
        "console.desk.forms.relief": ("救急难", "Emergency relief"),
        "console.desk.forms.pairings": ("结对与导师", "Pairings and mentors"),
        "console.form.retype": (
            "为保护个人信息，已填写的个人信息不再显示，请重新填写。",
            "To protect personal data, the person's details you typed are not shown again: please type them again.",
        ),
        "console.form.donation": ("收到捐赠", "Receive a donation"),
        "console.form.donation.intro": (
            "捐赠人的个人信息只存入加密的个人信息库，不写入公开日志；只有捐赠人同意，公开页面才显示其姓名。",
            "A donor's personal details go only to the encrypted vault, never to the public log; the public page names the donor only with their consent.",
        ),
        "console.form.grant": ("批准资助", "Award a grant"),
        "console.form.instalment": ("支付资助款项", "Pay a grant instalment"),
        "console.form.report": ("收到受资助方的报告", "Receive the recipient's report"),
        "console.form.closing": ("资助结项", "Close a grant"),
        "console.form.public_text": (
            "这里填写的文字将原样公开，请勿写入任何个人信息。",
            "What is written here is published as it is: write no personal data.",
        ),
        "console.field.summary": ("报告摘要", "Summary of the report"),
        "console.field.outcome": ("项目成果", "Outcome"),
        "console.field.closed_on": ("结项日期", "Closed on"),
        "console.form.disbursement": ("发放救急难款项", "Pay relief"),
        "console.form.disbursement.intro": (
            "紧急个案在批准前也可先行发放（快速通道），之后须在期限内追认。",
            "An emergency case may be paid before approval (the fast path); the payment must then be ratified in time.",
        ),
        "console.form.ratification": ("追认紧急救助付款", "Ratify emergency relief"),
        "console.field.case": ("救助个案", "Relief case"),
        "console.field.approvers": ("决定人编号", "The deciders' ids"),
        "console.field.ratified_on": ("追认日期", "Ratified on"),
        "console.form.transfer": ("基金间划转", "Transfer between funds"),
        "console.field.from_fund": ("转出基金", "From fund"),
        "console.field.to_fund": ("转入基金", "To fund"),
        "console.field.transferred_on": ("划转日期", "Transferred on"),
        "console.field.purpose": ("用途", "Purpose"),
        "console.form.reservation": ("预留基金款项", "Reserve money on a fund"),
        "console.field.reserved_on": ("预留日期", "Reserved on"),
        "console.form.amendment": ("变更资助金额", "Amend a grant"),
        "console.field.new_amount": ("变更后的金额（元）", "New amount (yuan)"),
        "console.field.reason": ("变更理由", "Reason"),
        "console.field.amended_on": ("变更日期", "Amended on"),
        "console.hint.approvers": (
            "每行一个编号，不填姓名",
            "One id per line; no names",
        ),
        "console.group.donor": ("捐赠人", "Donor"),
        "console.donor.person": ("个人", "A person"),
        "console.donor.organization": ("登记的组织", "A registered organisation"),
        "console.donor.anonymous": ("匿名", "Anonymous"),
        "console.field.fund": ("基金", "Fund"),
        "console.field.amount": ("金额（元）", "Amount (yuan)"),
        "console.field.received_on": ("收到日期", "Received on"),
        "console.field.donor_kind": ("捐赠人类型", "Donor is"),
        "console.field.donor_name": ("姓名", "Name"),
        "console.field.id_card": ("居民身份证号", "Resident ID number"),
        "console.field.phone": ("电话", "Phone"),
        "console.field.address": ("地址", "Address"),
        "console.field.donor_organization": (
            "捐赠组织的登记编号",
            "The donor organisation's registry id",
        ),
        "console.field.publish_name": (
            "捐赠人同意在公开页面上署名",
            "The donor consents to be named on the public page",
        ),
        "console.field.recipient": ("受资助组织", "Recipient"),
        "console.field.programme": ("项目类别", "Programme"),
        "console.field.title": ("项目名称", "Title"),
        "console.field.description": ("项目简介", "Description"),
        "console.field.awarded_on": ("批准日期", "Awarded on"),
        "console.field.planned_start": ("计划开始", "Planned start"),
        "console.field.planned_end": ("计划结束", "Planned end"),
        "console.field.grant": ("资助项目", "Grant"),
        "console.field.paid_on": ("支付日期", "Paid on"),
        "console.hint.amount": ("如 1200.50", "Such as 1200.50"),
        "console.hint.person": (
            "仅个人捐赠人填写；存入个人信息库",
            "For a person donor only; kept in the vault",
        ),
        "console.hint.organization": (
            "仅组织捐赠人填写（见该组织公开页面）",
            "For an organisation donor only (see its public page)",
        ),
        "console.recorded.title": ("已记录", "Recorded"),
        "console.repeated.title": ("此前已记录", "Already recorded"),
        "console.recorded.text": (
            "“{form}”已写入日志，位置 {position}。",
            "“{form}” was written to the log at position {position}.",
        ),
        "console.repeated.text": (
            "这张表单此前已提交过；账本没有重复记录。它在日志中的位置是 {position}。",
            "This form was sent before; the ledger did not record it twice. Its log position is {position}.",
        ),
        "console.recorded.personal": ("已存入个人信息库", "Kept in the vault"),
        "console.recorded.entry": ("日志第 {position} 条记录", "Log entry at position {position}"),
        "console.recorded.public": ("公开页面", "The public page"),
        "console.recorded.another": ("再记录一条", "Record another"),
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
        "home.organizations": ("社会组织", "Organisations"),
        "home.organizations.intro": (
            "接受资助或参与结对的服务中心、社会组织和农村组织。",
            "The service centres, social and rural organisations that receive grants or are paired.",
        ),
        "district.organizations": ("{name}的社会组织", "Organisations in {name}"),
        # --- an organisation's page (/organizations/{id}) ---
        "organization.about": (
            "登记在册的组织：它获得的资助、参与的结对和导师带教。",
            "A registered organisation: the grants it received, the pairings it is in, its mentor links.",
        ),
        "organization.section.grants": ("获得的资助", "Grants received"),
        "organization.about.grants": (
            "各基金会资助本组织的项目，按资助日期排列。",
            "The grants foundations awarded to this organisation, by award date.",
        ),
        "organization.section.pairings": ("参与的结对", "Pairings it is in"),
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
        "foundation.about.mentor_links": (
            "个人导师仅在本人同意时显示姓名，否则以其角色代称。",
            "A person mentor is named only with their consent; otherwise their role stands for them.",
        ),
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
        "col.corrects": ("被更正记录", "Corrects"),
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
        # --- entries, /verify and the record histories (api/pages/describe.py, routes/entries.py) ---
        "yes": ("是", "yes"),
        "no": ("否", "no"),
        "entry.title": ("日志第 {index} 条记录", "Log entry {index}"),
        "entry.says": ("这条记录说了什么", "What this entry says"),
        "entry.facts": ("公开字段", "Its public fields"),
        "entry.withheld": (
            "只显示公开字段：金额、日期、代码与机构。个人信息从不写入日志；个人对应的保管库引用和承诺值虽在公开日志里，本页不予显示。",
            "Only public fields are shown: amounts, dates, codes and organisations. No personal data is ever in the log; the vault references and commitments that stand for people are in the public log, but this page does not show them.",
        ),
        "entry.record": ("所属记录的完整历史", "The full history of the record it belongs to"),
        "entry.about": ("记录信息", "About this entry"),
        "entry.topic": ("主题", "Topic"),
        "entry.aggregate": ("所属对象", "Record (aggregate)"),
        "entry.version": ("对象版本", "Version of the record"),
        "entry.position": ("日志位置", "Log position"),
        "entry.recorded_at": ("记录时间（上海）", "Recorded at (Shanghai)"),
        "entry.business_date": ("业务日期", "Business date"),
        "entry.actor": ("写入所用密钥", "Written with API key"),
        "entry.actor.none": ("运营方自有工具（无密钥）", "the operator's own tools (no key)"),
        "entry.actor.why": (
            "密钥编号本就在公开日志里：它说明是哪把密钥（哪家机构的工作人员，或运营方）写入了这条记录，但不指向任何个人。",
            "The key's id is in the public log already: it says which key (a foundation's staff, or the operator) wrote the entry, and names no person.",
        ),
        "entry.proof": ("包含证明", "Inclusion proof"),
        "entry.proof.intro": (
            "叶哈希是 SHA-256(0x00 ‖ 叶数据)（RFC 6962）。下列哈希自下而上，与叶哈希逐层合并（RFC 9162 §2.1.3.2），应得出签名检查点中的根哈希。",
            "The leaf hash is SHA-256(0x00 ‖ leaf data) (RFC 6962). The hashes below, from the bottom up, are combined with it level by level (RFC 9162 §2.1.3.2) and must give the root hash in the signed checkpoint.",
        ),
        "entry.leaf_hash": ("叶哈希", "Leaf hash"),
        "entry.leaf_data": ("叶数据", "Leaf data"),
        "entry.path": ("证明路径", "Proof path"),
        "entry.path.empty": (
            "（树只有这一片叶子，无需路径）",
            "(the tree has this one leaf: no path)",
        ),
        "entry.tree_size": ("树的大小", "Tree size"),
        "entry.root": ("根哈希", "Root hash"),
        "entry.checkpoint": ("签名检查点", "Signed checkpoint"),
        "entry.not_covered": (
            "这条记录还没有被签名检查点覆盖；下一个检查点签名后即可核验。",
            "No signed checkpoint covers this entry yet; it can be checked once the next one is signed.",
        ),
        "entry.check": ("在浏览器中核验", "Checked in your browser"),
        "entry.check.nojs": (
            "启用 JavaScript 后，本页会在您的浏览器里用 Web Crypto 重新计算叶哈希和根哈希，并核验检查点的签名。",
            "With JavaScript on, this page recomputes the leaf hash and the root in your browser with Web Crypto, and checks the checkpoint's signature.",
        ),
        "entry.check.running": ("正在核验……", "Checking…"),
        "entry.check.valid": (
            "有效：叶数据的哈希经证明路径得出检查点的根哈希。",
            "Valid: the leaf data's hash, through the proof path, gives the checkpoint's root.",
        ),
        "entry.check.invalid": (
            "无效：叶数据与证明得不出检查点的根哈希。",
            "Not valid: the leaf data and the proof do not give the checkpoint's root.",
        ),
        "entry.check.failed": (
            "无法核验：取不到叶数据或日志的瓦片。",
            "Could not check: the leaf data or the log's tiles could not be fetched.",
        ),
        "entry.check.insecure": (
            "此处无法核验：浏览器只在 HTTPS（或本机）页面上提供 Web Crypto。",
            "Cannot check here: browsers offer Web Crypto only on HTTPS (or local) pages.",
        ),
        "entry.signature.valid": (
            "签名有效：检查点由下方验证密钥签名。",
            "Signature valid: the checkpoint was signed by the verifier key below.",
        ),
        "entry.signature.invalid": ("签名无效。", "Signature not valid."),
        "entry.signature.unsupported": (
            "此浏览器不支持 Ed25519，无法在此核验签名。",
            "Ed25519 is not supported here: the signature cannot be checked in this browser.",
        ),
        "entry.verifier_key": ("验证密钥", "Verifier key"),
        "event.unknown": ("本站不认识的记录类型。", "A kind of entry this site does not know."),
        "event.Organization.Registered": (
            "{name}登记入册（{registered_on}）。",
            "{name} was entered into the registry ({registered_on}).",
        ),
        "event.Organization.Reclassified": (
            "机构重新归类为{type}、{tier}（{reclassified_on}）。",
            "The organisation was reclassified as {type}, {tier} ({reclassified_on}).",
        ),
        "event.Organization.Evaluated": (
            "机构评估等级为 {grade}（{evaluated_on}）。",
            "The organisation was graded {grade} ({evaluated_on}).",
        ),
        "event.Organization.Deregistered": (
            "机构注销（{deregistered_on}）。",
            "The organisation left the registry ({deregistered_on}).",
        ),
        "event.UsccClaim.Claimed": (
            "统一社会信用代码 {uscc} 归属{organization_id}。",
            "The USCC {uscc} names {organization_id}.",
        ),
        "event.AddedSubdistrict.SubdistrictAdded": (
            "{district}新增街镇{name}（{added_on}）。",
            "The subdistrict {name} was added to {district} ({added_on}).",
        ),
        "event.Fund.Opened": (
            "{foundation_id}设立基金“{name}”（{opened_on}）。",
            "{foundation_id} opened the fund “{name}” ({opened_on}).",
        ),
        "event.Fund.DonationReceived": (
            "收到捐赠 {amount_fen}（{received_on}）。",
            "A donation of {amount_fen} was received ({received_on}).",
        ),
        "event.Fund.NameConsentWithdrawn": (
            "一位捐赠人撤回了公开署名的同意（{withdrawn_on}）。",
            "A donor withdrew consent to be named ({withdrawn_on}).",
        ),
        "event.Fund.TransferredOut": (
            "转出 {amount_fen} 至另一基金（{transferred_on}）。",
            "{amount_fen} was transferred out to another fund ({transferred_on}).",
        ),
        "event.Fund.TransferredIn": (
            "自另一基金转入 {amount_fen}（{transferred_on}）。",
            "{amount_fen} was transferred in from another fund ({transferred_on}).",
        ),
        "event.Fund.Reserved": (
            "预留 {amount_fen}（{reserved_on}）。",
            "{amount_fen} was set aside ({reserved_on}).",
        ),
        "event.Fund.ReservationReleased": (
            "预留款中 {amount_fen} 退回可用余额（{released_on}）。",
            "{amount_fen} of a reservation returned to the available balance ({released_on}).",
        ),
        "event.Fund.ReservationAdjusted": (
            "预留款调整 {delta_fen}（{adjusted_on}）。",
            "A reservation changed by {delta_fen} ({adjusted_on}).",
        ),
        "event.Fund.PaymentMade": (
            "支出 {amount_fen}（{paid_on}）。",
            "{amount_fen} was paid out ({paid_on}).",
        ),
        "event.Fund.DonationReversed": (
            "更正说明：撤销一笔 {amount_fen} 的捐赠（{reversed_on}）。",
            "Correction: a donation of {amount_fen} was undone ({reversed_on}).",
        ),
        "event.Fund.PaymentReversed": (
            "更正说明：一笔 {amount_fen} 的支出退回（{reversed_on}）。",
            "Correction: a payment of {amount_fen} came back ({reversed_on}).",
        ),
        "event.Fund.ReservationRestored": (
            "退回的 {amount_fen} 重新预留（{restored_on}）。",
            "The {amount_fen} that came back was reserved again ({restored_on}).",
        ),
        "event.Fund.TransferReversed": (
            "更正说明：撤销一笔 {amount_fen} 的转账（{reversed_on}）。",
            "Correction: a transfer of {amount_fen} was undone ({reversed_on}).",
        ),
        "event.Fund.Closed": ("基金关闭（{closed_on}）。", "The fund was closed ({closed_on})."),
        "event.Grant.Awarded": (
            "向{recipient_id}资助 {amount_fen}：“{title}”（{awarded_on}）。",
            "A grant of {amount_fen} to {recipient_id}: “{title}” ({awarded_on}).",
        ),
        "event.Grant.InstalmentPaid": (
            "支付资助款 {amount_fen}（{paid_on}）。",
            "An instalment of {amount_fen} was paid ({paid_on}).",
        ),
        "event.Grant.AmountAmended": (
            "资助金额改为 {new_amount_fen}（{amended_on}）。",
            "The award was changed to {new_amount_fen} ({amended_on}).",
        ),
        "event.Grant.FeedbackRecorded": (
            "记录社区反馈评估：{rating} 分（{recorded_on}）。",
            "Community feedback recorded: {rating} of 5 ({recorded_on}).",
        ),
        "event.Grant.ReportReceived": (
            "收到受资助方报告（{received_on}）。",
            "The recipient's report was received ({received_on}).",
        ),
        "event.Grant.Closed": (
            "资助结项，未付的 {released_fen} 退回基金（{closed_on}）。",
            "The grant was closed; the unpaid {released_fen} went back to the fund ({closed_on}).",
        ),
        "event.Grant.Cancelled": (
            "资助取消，未付的 {released_fen} 退回基金（{cancelled_on}）。",
            "The grant was cancelled; the unpaid {released_fen} went back to the fund ({cancelled_on}).",
        ),
        "event.Grant.InstalmentReversed": (
            "更正说明：一笔 {amount_fen} 的资助款退回（{reversed_on}）。",
            "Correction: an instalment of {amount_fen} came back ({reversed_on}).",
        ),
        "event.Grant.AwardRestored": (
            "退回的 {amount_fen} 重新计入资助，可再次支付（{restored_on}）。",
            "The {amount_fen} that came back returned to the award and may be paid again ({restored_on}).",
        ),
        "event.ReliefCase.Opened": (
            "在{subdistrict}立案救助，类别：{reason_category}，申请 {requested_fen}（{opened_on}）。",
            "A relief case was opened in {subdistrict}, category {reason_category}, {requested_fen} requested ({opened_on}).",
        ),
        "event.ReliefCase.Approved": (
            "救助获批 {amount_fen}（{approved_on}）。",
            "The case was approved for {amount_fen} ({approved_on}).",
        ),
        "event.ReliefCase.Rejected": (
            "救助申请未获批准（{rejected_on}）。",
            "The case was rejected ({rejected_on}).",
        ),
        "event.ReliefCase.Disbursed": (
            "发放救助款 {amount_fen}（{paid_on}）。",
            "{amount_fen} of relief was paid ({paid_on}).",
        ),
        "event.ReliefCase.Ratified": (
            "先行发放的救助款获追认（{ratified_on}）。",
            "The payments made before approval were ratified ({ratified_on}).",
        ),
        "event.ReliefCase.DisbursementReversed": (
            "更正说明：一笔 {amount_fen} 的救助款撤销（{reversed_on}）。",
            "Correction: a relief payment of {amount_fen} was undone ({reversed_on}).",
        ),
        "event.ReliefStatistics.Published": (
            "公布{year}年救助统计表（{published_on}）。",
            "The relief statistics of {year} were published ({published_on}).",
        ),
        "event.Pairing.Proposed": (
            "{lead_id}与{partner_id}提议结对：{kind}（{proposed_on}）。",
            "{lead_id} and {partner_id} proposed a pairing: {kind} ({proposed_on}).",
        ),
        "event.Pairing.Confirmed": (
            "{party_id}确认结对（{confirmed_on}）。",
            "{party_id} confirmed the pairing ({confirmed_on}).",
        ),
        "event.Pairing.ActivityRecorded": (
            "结对活动：{kind}（{held_on}）。",
            "A pairing activity: {kind} ({held_on}).",
        ),
        "event.Pairing.Evaluated": (
            "结对评估（{evaluated_on}）。",
            "The pairing was evaluated ({evaluated_on}).",
        ),
        "event.Pairing.Concluded": (
            "结对完成（{concluded_on}）。",
            "The pairing was concluded ({concluded_on}).",
        ),
        "event.Pairing.Terminated": (
            "结对提前终止（{terminated_on}）。",
            "The pairing was ended early ({terminated_on}).",
        ),
        "event.PairingSlot.Opened": (
            "为两家机构之间的一类结对设立名额。",
            "A place was opened for one pairing of a kind between two organisations.",
        ),
        "event.PairingSlot.Taken": ("一项结对占用了该名额。", "A pairing took the place."),
        "event.PairingSlot.Freed": (
            "结对结束，名额释放。",
            "The pairing ended and freed the place.",
        ),
        "event.MentorLink.Started": (
            "导师带教开始，带教对象：{mentee_id}（{started_on}）。",
            "Mentoring of {mentee_id} began ({started_on}).",
        ),
        "event.MentorLink.SessionHeld": (
            "带教 {minutes} 分钟（{held_on}）。",
            "A mentoring session of {minutes} minutes ({held_on}).",
        ),
        "event.MentorLink.NameConsentWithdrawn": (
            "导师撤回了公开署名的同意（{withdrawn_on}）。",
            "The mentor withdrew consent to be named ({withdrawn_on}).",
        ),
        "event.MentorLink.Ended": ("导师带教结束（{ended_on}）。", "Mentoring ended ({ended_on})."),
        "event.Designation.Nominated": (
            "{year}年{kind}提名（{nominated_on}）。",
            "A nomination as {kind} for {year} ({nominated_on}).",
        ),
        "event.Designation.Selected": (
            "提名获选（{selected_on}）。",
            "The nominee was selected ({selected_on}).",
        ),
        "event.Designation.Revoked": (
            "认定撤销（{revoked_on}）。",
            "The designation was revoked ({revoked_on}).",
        ),
        "event.DesignationYear.Opened": (
            "开始计数{year}年的{kind}认定。",
            "Counting of {year}'s {kind} designations began.",
        ),
        "event.DesignationYear.Counted": (
            "一项认定计入当年名额。",
            "A selection was counted in the year's places.",
        ),
        "event.DesignationYear.Uncounted": (
            "一项撤销的认定不再计入名额。",
            "A revoked selection no longer counts.",
        ),
        "field.added_on": ("新增日期", "Added on"),
        "field.adjusted_on": ("调整日期", "Adjusted on"),
        "field.amended_on": ("变更日期", "Amended on"),
        "field.amount_fen": ("金额", "Amount"),
        "field.approved_on": ("批准日期", "Approved on"),
        "field.awarded_on": ("资助日期", "Awarded on"),
        "field.before_approval": ("批准前先行发放", "Paid before approval"),
        "field.cancelled_on": ("取消日期", "Cancelled on"),
        "field.closed_on": ("关闭日期", "Closed on"),
        "field.concluded_on": ("完成日期", "Concluded on"),
        "field.confirmed_on": ("确认日期", "Confirmed on"),
        "field.delta_fen": ("变动金额", "Change"),
        "field.deregistered_on": ("注销日期", "Deregistered on"),
        "field.description": ("说明", "Description"),
        "field.district": ("区", "District"),
        "field.donor_kind": ("捐赠人类型", "Donor"),
        "field.donor_ref": ("捐赠机构", "Donor organisation"),
        "field.emergency": ("紧急", "Emergency"),
        "field.ended_on": ("结束日期", "Ended on"),
        "field.evaluated_on": ("评估日期", "Evaluated on"),
        "field.evaluator": ("评估机构", "Evaluator"),
        "field.focus": ("带教重点", "Focus"),
        "field.foundation_id": ("基金会", "Foundation"),
        "field.from_fund_id": ("转出基金", "From fund"),
        "field.fund_id": ("基金", "Fund"),
        "field.grade": ("等级", "Grade"),
        "field.grade_after": ("评估后等级", "Grade after"),
        "field.grade_before": ("评估前等级", "Grade before"),
        "field.held_on": ("日期", "Held on"),
        "field.kind": ("类别", "Kind"),
        "field.lead_id": ("牵头方", "Lead"),
        "field.mentee_id": ("带教对象", "Mentee"),
        "field.mentor_kind": ("导师类型", "Mentor"),
        "field.mentor_ref": ("导师机构", "Mentoring organisation"),
        "field.minutes": ("时长（分钟）", "Minutes"),
        "field.mode": ("结对方式", "Mode"),
        "field.name": ("名称", "Name"),
        "field.new_amount_fen": ("新资助金额", "New amount"),
        "field.nominated_on": ("提名日期", "Nominated on"),
        "field.nominating_body": ("提名单位", "Nominated by"),
        "field.nominee_kind": ("被提名方类型", "Nominee"),
        "field.nominee_ref": ("被提名机构", "Nominated organisation"),
        "field.opened_on": ("设立日期", "Opened on"),
        "field.organization_id": ("机构", "Organisation"),
        "field.outcome": ("结果", "Outcome"),
        "field.paid_on": ("支付日期", "Paid on"),
        "field.pairing_id": ("结对", "Pairing"),
        "field.partner_id": ("结对方", "Partner"),
        "field.party_id": ("确认方", "Confirming party"),
        "field.planned_end": ("计划结束", "Planned end"),
        "field.planned_start": ("计划开始", "Planned start"),
        "field.programme": ("项目", "Programme"),
        "field.proposed_on": ("提议日期", "Proposed on"),
        "field.published_on": ("公布日期", "Published on"),
        "field.purpose": ("用途", "Purpose"),
        "field.purpose_code": ("救助用途", "Purpose"),
        "field.ratified_on": ("追认日期", "Ratified on"),
        "field.ratify_by": ("追认期限", "To be ratified by"),
        "field.rating": ("评分（1–5）", "Rating (1–5)"),
        "field.rationale": ("提名理由", "Rationale"),
        "field.reason": ("原因", "Reason"),
        "field.reason_category": ("救助类别", "Category"),
        "field.received_on": ("收到日期", "Received on"),
        "field.recipient_id": ("受资助方", "Recipient"),
        "field.reclassified_on": ("归类日期", "Reclassified on"),
        "field.recorded_on": ("记录日期", "Recorded on"),
        "field.registered_on": ("登记日期", "Registered on"),
        "field.rejected_on": ("决定日期", "Decided on"),
        "field.released_fen": ("退回基金", "Returned to the fund"),
        "field.released_on": ("退回日期", "Released on"),
        "field.requested_fen": ("申请金额", "Requested"),
        "field.reserved_on": ("预留日期", "Reserved on"),
        "field.restored_on": ("重新预留日期", "Restored on"),
        "field.reversed_on": ("更正日期", "Corrected on"),
        "field.revoked_on": ("撤销日期", "Revoked on"),
        "field.role_label": ("导师身份", "Mentor's role"),
        "field.roles": ("角色", "Roles"),
        "field.rural": ("农村地区", "Rural"),
        "field.selected_on": ("认定日期", "Selected on"),
        "field.selecting_body": ("认定单位", "Selected by"),
        "field.started_on": ("开始日期", "Started on"),
        "field.subdistrict": ("街镇", "Subdistrict"),
        "field.summary": ("摘要", "Summary"),
        "field.terminated_on": ("终止日期", "Ended on"),
        "field.tier": ("层级", "Tier"),
        "field.title": ("标题", "Title"),
        "field.to_fund_id": ("转入基金", "To fund"),
        "field.topic": ("主题", "Topic"),
        "field.transferred_on": ("转账日期", "Transferred on"),
        "field.type": ("类型", "Type"),
        "field.uscc": ("统一社会信用代码", "USCC"),
        "field.withdrawn_on": ("撤回日期", "Withdrawn on"),
        "field.year": ("年份", "Year"),
        # /verify
        "verify.title": ("如何核验这本账", "How to check this ledger"),
        "verify.checkpoint": ("当前签名检查点", "The current signed checkpoint"),
        "verify.checkpoint.means": (
            "检查点是一段签了名的短文：第一行是日志的名称（origin），第二行是日志的记录条数，第三行是默克尔树根哈希（base64）。根哈希概括了这些记录的每一个字节：改动、删除、插入或调换任何一条，根哈希都会变。签名行由运营方的私钥签出；只要验证密钥相同，任何人都可以检验签名，而任何人（包括运营方）都无法在不留下痕迹的情况下改写已签名的历史。",
            "A checkpoint is a short signed text: its first line names the log (its origin), the second says how many entries the log holds, the third is the root hash of the Merkle tree over them (base64). The root sums up every byte of those entries: change, delete, insert or swap any one and the root changes. The signature line is made with the operator's private key; anyone with the verifier key can check it, and no one, the operator included, can rewrite signed history without it showing.",
        ),
        "verify.none": ("尚无签名检查点。", "No checkpoint has been signed yet."),
        "verify.key": ("验证密钥", "The verifier key"),
        "verify.key.means": (
            "这是检验签名所用的公钥（名称+密钥编号+base64 公钥）。请与运营方在别处公布的密钥比对：若两者一致，本站就无法伪造检查点。",
            "This is the public key that checks the signatures (name+key id+base64 public key). Compare it with the key the operator publishes elsewhere: if they match, this site cannot forge a checkpoint.",
        ),
        "verify.witnesses": ("见证方", "Witnesses"),
        "verify.witnesses.means": (
            "见证方是独立于运营方的机构（例如区民政局、市民政局或独立审计机构）。每个见证方记住它上次联署的检查点，只有新检查点与之前的一致（同一本账只增不改）时才联署，所以运营方无法向公众和审计方展示两本不同的账。核验时可以要求检查点带有若干见证方的有效联署（下面的命令已列出它们的密钥）。",
            "Witnesses are bodies independent of the operator (a district civil affairs bureau, the city bureau, an independent auditor). Each remembers the last checkpoint it cosigned and cosigns a new one only if it extends that one (the same ledger, only added to), so the operator cannot show the public one ledger and an auditor another. A check can demand valid cosignatures from some number of them (the command below lists their keys).",
        ),
        "verify.witnesses.caption": ("各见证方最近一次联署", "What each witness last cosigned"),
        "verify.witnesses.none": (
            "本站尚未配置见证方：检查点只有运营方自己的签名。",
            "This site has no witnesses configured: its checkpoints carry the operator's signature only.",
        ),
        "verify.witness": ("见证方", "Witness"),
        "verify.witness.key": ("联署验证密钥", "Cosignature verifier key"),
        "verify.witness.size": ("联署时的记录条数", "Entries when cosigned"),
        "verify.witness.at": ("联署时间（上海）", "Cosigned at (Shanghai)"),
        "verify.witness.never": ("尚未联署", "Not yet cosigned"),
        "verify.whole": ("核验整本账", "Check the whole ledger"),
        "verify.whole.means": (
            "在装有本项目的电脑上运行下面的命令。它会下载全部记录，重算每一片叶子和每一个检查点的根哈希，检验每个签名和相邻检查点的一致性，再从这些记录重新推导出本站公开的每个数字并逐一比对。全部一致时退出码为 0。",
            "Run the command below on a computer with this project installed. It downloads every entry, recomputes every leaf and every checkpoint's root, checks every signature and that each checkpoint extends the one before, then derives every figure this site publishes from those entries and compares them one by one. It exits 0 only if all of it holds.",
        ),
        "verify.one": ("核验一条记录", "Check one entry"),
        "verify.one.means": (
            "每一行来自日志的数据都链接到它的记录页（例如 {example}）：那里有这条记录的叶哈希、包含证明和签名检查点，启用 JavaScript 时会在浏览器里直接核验。",
            "Every row that comes from the log links to its entry's page (for example {example}): it shows the entry's leaf hash, its inclusion proof and the signed checkpoint, and with JavaScript on checks them in your browser.",
        ),
        "verify.api": ("公开接口", "The public endpoints"),
        # the record histories: /grants/{id}, /pairings/{id}, /relief-cases/{id}
        "history.title": ("完整公开历史", "Full public history"),
        "history.caption": ("每一步，最早的在前", "Every step, oldest first"),
        "history.intro": (
            "以下是这条记录在日志中的每一步（其自身的事件；基金一方同时记下的对应分录见基金对账单）。",
            "Every step of this record in the log, oldest first (its own events; the fund's side of each, recorded in the same commit, is on the fund's statement).",
        ),
        "col.step": ("发生了什么", "What happened"),
        "col.business_date": ("业务日期", "Business date"),
        "col.recorded_at": ("记录时间（上海）", "Recorded at (Shanghai)"),
        "col.position": ("日志位置", "Log position"),
        "grant.title": ("资助：{title}", "Grant: {title}"),
        "grant.summary": ("资助概况", "The grant"),
        "grant.funder": ("资助基金会", "Funder"),
        "grant.recipient": ("受资助方", "Recipient"),
        "grant.programme": ("项目", "Programme"),
        "grant.awarded": ("资助金额", "Awarded"),
        "grant.paid": ("已支付", "Paid"),
        "grant.awarded_on": ("资助日期", "Awarded on"),
        "grant.planned": ("计划周期", "Planned"),
        "grant.status": ("状态", "Status"),
        "grant.rating": ("社区反馈评分", "Community rating"),
        "grant.outcome": ("结果", "Outcome"),
        "pairing.title": ("结对：{lead} 与 {partner}", "Pairing: {lead} and {partner}"),
        "pairing.summary": ("结对概况", "The pairing"),
        "pairing.kind": ("结对类别", "Kind"),
        "pairing.mode": ("结对方式", "Mode"),
        "pairing.lead": ("牵头方", "Lead"),
        "pairing.partner": ("结对方", "Partner"),
        "pairing.goals": ("目标", "Goals"),
        "pairing.status": ("状态", "Status"),
        "pairing.proposed_on": ("提议日期", "Proposed on"),
        "pairing.ended_on": ("结束日期", "Ended on"),
        "relief.title": ("救助个案（{subdistrict}）", "Relief case ({subdistrict})"),
        "relief.summary": ("个案概况", "The case"),
        "relief.privacy": (
            "本页只显示公开字段：街镇、救助类别与用途、金额和日期。受助人的任何信息都不在日志里，也不在本页。",
            "This page shows public fields only: subdistrict, category and purpose, amounts and dates. Nothing about the person helped is in the log or on this page.",
        ),
        "relief.subdistrict": ("街镇", "Subdistrict"),
        "relief.category": ("救助类别", "Category"),
        "relief.purpose": ("用途", "Purpose"),
        "relief.emergency": ("紧急救助", "Emergency"),
        "relief.opened_on": ("立案日期", "Opened on"),
        "relief.status": ("状态", "Status"),
        "relief.paid": ("已发放（扣除更正）", "Paid (net of corrections)"),
        "relief.ratify_by": ("追认期限", "To be ratified by"),
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
        "search.showing": (
            "名称包含“{q}”的基金会和社会组织。",
            "Foundations and organisations whose name contains “{q}”.",
        ),
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
        # --- console: the remaining staff forms ---
        "console.form.relief_case": ("开立救急难个案", "Open a relief case"),
        "console.form.relief_case.intro": (
            "受助人的个人信息只存入个人信息库，不进入日志、公开页面或网址；公开的只有街道、原因类别和用途。",
            "The beneficiary's details go to the vault only, never to the log, a public page or an "
            "address; the public sees only the subdistrict, the reason's category and the purpose.",
        ),
        "console.group.beneficiary": ("受助人", "Beneficiary"),
        "console.hint.beneficiary": (
            "姓名必填；身份证号、电话、地址选填。仅存入个人信息库。",
            "The name is required; ID number, phone and address are optional. Kept in the vault only.",
        ),
        "console.field.relief_fund": ("救急难基金", "Emergency-relief fund"),
        "console.field.reason_code": (
            "救助原因（仅存入个人信息库）",
            "Reason (kept in the vault only)",
        ),
        "console.field.purpose_code": ("款项用途", "What the money is for"),
        "console.field.subdistrict": ("街道 / 镇", "Subdistrict (街道 / 镇)"),
        "console.hint.subdistrict": (
            "本基金会所在区的街道或镇，如 陆家嘴街道",
            "A 街道 or 镇 of the foundation's district, such as 陆家嘴街道",
        ),
        "console.field.requested_amount": ("申请金额（元）", "Amount requested (yuan)"),
        "console.field.emergency": (
            "紧急个案：可在批准前先行发放，事后追认",
            "Emergency: may be paid before approval, then ratified",
        ),
        "console.field.opened_on": ("开立日期", "Opened on"),
        "console.form.relief_approval": ("批准救急难个案", "Approve a relief case"),
        "console.form.relief_approval.intro": (
            "批准金额中尚未发放的部分将在基金中预留。",
            "What the approved amount has not yet paid is reserved on the fund.",
        ),
        "console.field.approved_amount": ("批准金额（元）", "Approved amount (yuan)"),
        "console.field.approved_on": ("批准日期", "Approved on"),
        "console.form.relief_rejection": ("不予救助", "Reject a relief case"),
        "console.field.rejection_reason": ("不予救助的理由", "Why it is rejected"),
        "console.field.rejected_on": ("决定日期", "Rejected on"),
        "console.form.relief_reversal": ("撤销救急难发放", "Reverse a relief payment"),
        "console.form.relief_reversal.intro": (
            "更正说明将公开。已批准的个案，款项回到批准额度，可再次发放；尚未批准的，回到基金。",
            "The correction is public. On an approved case the money returns to the approval and may "
            "be paid again; before approval it returns to the fund.",
        ),
        "console.field.disbursement": ("发放记录", "Payment"),
        "console.field.correction": ("更正说明（公开）", "Correction (public)"),
        "console.field.reversed_on": ("更正日期", "Reversed on"),
        "console.option.entry": (
            "{name} · {amount} 元 · {on} · {id}",
            "{name} · {amount} yuan · {on} · {id}",
        ),
        "console.form.grant_feedback": ("记录社区反馈评估", "Record the community's feedback"),
        "console.field.rating": ("评分", "Rating"),
        "console.rating.1": ("1 差", "1 poor"),
        "console.rating.2": ("2 较差", "2 fair"),
        "console.rating.3": ("3 一般", "3 good"),
        "console.rating.4": ("4 较好", "4 very good"),
        "console.rating.5": ("5 优秀", "5 excellent"),
        "console.field.feedback": ("反馈摘要", "Summary of the feedback"),
        "console.field.recorded_on": ("记录日期", "Recorded on"),
        "console.form.grant_cancellation": ("撤销资助", "Cancel a grant"),
        "console.form.grant_cancellation.intro": (
            "理由将公开；未支付的部分回到基金。",
            "The reason is public; what is unpaid goes back to the fund.",
        ),
        "console.field.cancellation_reason": ("撤销理由（公开）", "Why it is cancelled (public)"),
        "console.field.cancelled_on": ("撤销日期", "Cancelled on"),
        "console.form.instalment_reversal": ("撤销资助款项", "Reverse a grant instalment"),
        "console.form.instalment_reversal.intro": (
            "款项已退回时使用。更正说明将公开；资助仍在执行的，款项回到资助额度，可再次支付。",
            "For an instalment whose money came back. The correction is public; while the grant is "
            "active the money returns to the award and may be paid again.",
        ),
        "console.field.instalment": ("支付记录", "Instalment"),
        "console.form.fund": ("开设基金", "Open a fund"),
        "console.field.fund_kind": ("基金类型", "Kind of fund"),
        "console.field.fund_name": ("基金名称", "Name of the fund"),
        "console.form.fund_reversal": ("撤销捐赠或划转", "Reverse a donation or a transfer"),
        "console.form.fund_reversal.intro": (
            "选择基金及其一笔捐赠或划转（划转可在转出或转入基金下撤销）。更正说明将公开。",
            "Choose the fund and one of its donations or transfers (a transfer may be reversed from "
            "either of its funds). The correction is public.",
        ),
        "console.field.reversal_target": ("撤销哪一笔", "What is reversed"),
        "console.form.fund_closing": ("关闭基金", "Close a fund"),
        "console.form.fund_closing.intro": (
            "只能关闭余额为零且没有预留的基金。理由将公开。",
            "Only a fund with nothing left and nothing reserved can be closed. The reason is public.",
        ),
        "console.field.closing_reason": ("关闭理由（公开）", "Why it is closed (public)"),
        "console.field.fund_closed_on": ("关闭日期", "Closed on"),
        "console.form.consent_withdrawal": (
            "撤回捐赠人的署名同意",
            "Withdraw a donor's consent to be named",
        ),
        "console.form.consent_withdrawal.intro": (
            "捐赠仍然有效，公开页面从此不再显示捐赠人的名称。",
            "The donation stands; the public pages stop naming the donor.",
        ),
        "console.field.named_donation": ("署名公开的捐赠", "Donation named in public"),
        "console.field.withdrawn_on": ("撤回日期", "Withdrawn on"),
        "console.form.release": ("释放预留款项", "Release a reservation"),
        "console.form.release.intro": (
            "预留的剩余部分回到基金的可用余额。资助和已批准个案的预留随其结项或决定释放，不在此列。",
            "What is left of the reservation returns to the fund's available balance. A grant's or "
            "an approved case's reservation is released with it, and is not listed here.",
        ),
        "console.field.reservation": ("预留", "Reservation"),
        "console.field.released_on": ("释放日期", "Released on"),
        "console.form.pairing": ("发起结对", "Propose a pairing"),
        "console.form.pairing.intro": (
            "本基金会须是结对的一方（牵头方或合作方）；双方确认后结对生效。目标将公开。",
            "The foundation must be a party (lead or partner); the pairing is active once both "
            "confirm. The goals are public.",
        ),
        "console.field.pairing_kind": ("结对类型", "Kind of pairing"),
        "console.field.pairing_mode": ("结对方式", "Mode"),
        "console.hint.pairing_mode": ("仅用于牵手计划", "For a service-centre partnership only"),
        "console.field.lead": ("牵头方", "Lead"),
        "console.field.partner": ("合作方", "Partner"),
        "console.field.goals": ("目标", "Goals"),
        "console.hint.goals": ("每行一个目标，最多 10 个", "One goal a line, at most 10"),
        "console.field.proposed_on": ("发起日期", "Proposed on"),
        "console.form.pairing_confirmation": ("确认结对", "Confirm a pairing"),
        "console.form.pairing_confirmation.intro": (
            "以本基金会的名义确认；另一方须自行确认。",
            "Confirms for this foundation; the other party confirms for itself.",
        ),
        "console.field.pairing": ("结对", "Pairing"),
        "console.field.confirmed_on": ("确认日期", "Confirmed on"),
        "console.form.pairing_activity": ("记录结对活动", "Record a pairing activity"),
        "console.field.activity_kind": ("活动类型", "Kind of activity"),
        "console.field.held_on": ("活动日期", "Held on"),
        "console.field.activity_summary": ("活动摘要", "Summary"),
        "console.field.activity_transfer": ("资金划转", "Fund transfer"),
        "console.hint.activity_transfer": (
            "仅用于资金支持活动：运送这笔资金的划转",
            "For a funding activity only: the transfer that carried the money",
        ),
        "console.form.pairing_evaluation": ("评估结对", "Evaluate a pairing"),
        "console.field.goal_results": ("各目标的结果", "Each goal's result"),
        "console.hint.results": (
            "每行一个目标：编号、结果（met 达成、partly 部分达成、not_met 未达成）、说明，以空格分隔，如 1 met 制度已建立",
            "One goal a line: its number, its result (met, partly, not_met) and a note, separated "
            "by spaces, such as 1 met 制度已建立",
        ),
        "console.field.grade_before": ("评估前等级", "Grade before"),
        "console.field.grade_after": ("评估后等级", "Grade after"),
        "console.hint.grades": (
            "牵手计划的服务中心等级，两项同填或同空",
            "A service-centre partnership's grades: both or neither",
        ),
        "console.field.evaluated_on": ("评估日期", "Evaluated on"),
        "console.form.pairing_conclusion": ("结对结项", "Conclude a pairing"),
        "console.field.conclusion": ("结项总结", "Summary"),
        "console.field.concluded_on": ("结项日期", "Concluded on"),
        "console.form.pairing_termination": ("提前终止结对", "End a pairing early"),
        "console.field.termination_reason": ("终止理由（公开）", "Why it ends (public)"),
        "console.field.terminated_on": ("终止日期", "Terminated on"),
        "console.form.mentor_link": ("开始带教", "Start a mentor link"),
        "console.form.mentor_link.intro": (
            "受带教机构或带教机构须是本基金会。个人导师的个人信息只存入个人信息库；公开页面只显示其身份标签，除非其同意署名。",
            "The mentee or the mentoring organisation must be this foundation. A person mentor's "
            "details go to the vault only; the public pages show their role label unless they "
            "consent to be named.",
        ),
        "console.group.mentor": ("导师", "Mentor"),
        "console.mentor.person": ("个人", "A person"),
        "console.mentor.organization": ("登记的组织", "A registered organisation"),
        "console.field.mentee": ("受带教机构", "Mentee"),
        "console.field.focus": ("带教重点", "Focus"),
        "console.field.started_on": ("开始日期", "Started on"),
        "console.field.mentor_kind": ("导师类型", "Mentor is"),
        "console.field.mentor_org": (
            "带教机构（组织导师）",
            "Mentoring organisation (an organisation mentor)",
        ),
        "console.hint.mentor_person": (
            "仅个人导师：姓名必填，其余选填。仅存入个人信息库。",
            "A person mentor only: the name is required, the rest optional. Kept in the vault only.",
        ),
        "console.field.role_label": ("公开的身份标签", "Role label shown in public"),
        "console.hint.role_label": (
            "仅个人导师，如 资深社工",
            "A person mentor only, such as 资深社工",
        ),
        "console.field.mentor_publish_name": (
            "导师同意在公开页面署名",
            "The mentor consents to be named on the public pages",
        ),
        "console.form.mentor_session": ("记录带教活动", "Record a mentoring session"),
        "console.field.mentor_link": ("带教关系", "Mentor link"),
        "console.field.hours": ("时长（小时）", "Hours"),
        "console.hint.hours": (
            "如 1.5，整分钟，最多 24",
            "Such as 1.5, in whole minutes, at most 24",
        ),
        "console.field.topic": ("主题", "Topic"),
        "console.form.mentor_consent_withdrawal": (
            "撤回导师的署名同意",
            "Withdraw a mentor's consent to be named",
        ),
        "console.form.mentor_consent_withdrawal.intro": (
            "带教关系不变，公开页面从此只显示导师的身份标签。",
            "The link stands; the public pages show the mentor's role label from now on.",
        ),
        "console.form.mentor_link_end": ("结束带教", "End a mentor link"),
        "console.field.mentoring_outcome": ("带教成效", "Outcome"),
        "console.field.ended_on": ("结束日期", "Ended on"),
        # The 360Giving codelist's titles (grantToIndividualsReason, v1.4.3) and our Chinese names.
        **{
            f"console.reason.{code}": (RELIEF_REASONS[code], english)
            for code, english in {
                "GTIR010": "Financial hardship",
                "GTIR020": "Disability",
                "GTIR030": "Health or condition",
                "GTIR040": "Mental health",
                "GTIR050": "Family breakup",
                "GTIR060": "Violence or abuse",
                "GTIR070": "Livelihood",
                "GTIR080": "Homelessness",
                "GTIR090": "Marginalised",
                "GTIR100": "Emergency or crisis event",
                "GTIR110": "Development opportunity",
                "GTIR120": "Social action",
            }.items()
        },
        # --- console: spreadsheet import ---
        "console.desk.imports": ("表格导入", "Spreadsheet import"),
        "console.import.donations.title": ("从表格导入捐赠", "Import donations from a spreadsheet"),
        "console.import.grants.title": ("从表格导入资助", "Import grants from a spreadsheet"),
        "console.import.intro": (
            "下载模板，每行填一笔，上传后先预览：每行将如何记录、哪些行被拒绝及原因；确认后才记录。每行的命令编号由文件内容和行号决定，同一文件导入两次不会重复记录。",
            "Download a template, fill in one row per record, and upload it to see a preview first: each row as it will be recorded, and each refused row with its reason; nothing is recorded until you confirm. Each row's command id comes from the file's contents and the row number, so importing the same file twice records nothing new.",
        ),
        "console.import.no_persons": (
            "个人捐赠者不经表格导入：一份姓名表本身就是隐私风险。个人的捐赠（含其身份信息和署名同意）请用捐赠表单逐笔记录。",
            "Donations from named persons are not imported from spreadsheets: a list of names is itself a privacy risk. Record a person's donation (with their details and consent) through the donation form.",
        ),
        "console.import.templates": ("模板", "Templates"),
        "console.import.template.xlsx": (
            "下载 Excel 模板（XLSX，第二页列出本基金会的基金及编号）",
            "Download the Excel template (XLSX; its second sheet lists the foundation's funds and their ids)",
        ),
        "console.import.template.csv": (
            "下载 CSV 模板（UTF-8）",
            "Download the CSV template (UTF-8)",
        ),
        "console.import.columns": ("各列", "The columns"),
        "console.import.columns.caption": (
            "各列：第一行为表头，写中文和字段名（只认最后的字段名）",
            "The columns: the first row is the header, in Chinese and then the field's name (only the name counts)",
        ),
        "console.import.col.header": ("表头", "Header"),
        "console.import.col.meaning": ("填写", "What to write"),
        "console.import.col.id": ("编号", "Id"),
        "console.import.col.row": ("行号", "Row"),
        "console.import.col.column": ("列", "Column"),
        "console.import.col.reason": ("原因", "Reason"),
        "console.import.optional": ("（可省略此列）", "(this column may be left out)"),
        "console.import.column.fund": (
            "基金编号（见下表），须为本基金会开放中的基金",
            "The fund's id (see the table below): one of the foundation's open funds",
        ),
        "console.import.column.amount": (
            "金额，单位元，最多两位小数，如 1200.50",
            "The amount in yuan, at most 2 decimals, e.g. 1200.50",
        ),
        "console.import.column.received_on": (
            "收到日期，YYYY-MM-DD",
            "The day received, YYYY-MM-DD",
        ),
        "console.import.column.donor_kind": (
            "anonymous（匿名）或 organization（组织）；不接受个人",
            "anonymous or organization; never a person",
        ),
        "console.import.column.donor_organization_id": (
            "捐赠组织的登记编号（仅 organization 填）",
            "The donor organisation's id (for organization only)",
        ),
        "console.import.column.publish_name": (
            "是否公开组织名称：是/否（yes/no），空为否",
            "Whether to name the organisation in public: 是/否 (yes/no); empty is no",
        ),
        "console.import.column.recipient_id": (
            "受资助组织编号（XLSX 模板第三页列出）",
            "The recipient organisation's id (the XLSX template's third sheet lists them)",
        ),
        "console.import.column.programme": ("项目类别（公开）", "The programme (public)"),
        "console.import.column.title": ("项目名称（公开）", "The title (public)"),
        "console.import.column.description": ("项目说明（公开）", "The description (public)"),
        "console.import.column.awarded_on": ("批准日期，YYYY-MM-DD", "The day awarded, YYYY-MM-DD"),
        "console.import.column.planned_start": (
            "计划开始日期，YYYY-MM-DD",
            "The planned start, YYYY-MM-DD",
        ),
        "console.import.column.planned_end": (
            "计划结束日期，YYYY-MM-DD",
            "The planned end, YYYY-MM-DD",
        ),
        "console.import.funds": ("本基金会的基金", "The foundation's funds"),
        "console.import.funds.caption": ("开放中的基金及其编号", "Open funds and their ids"),
        "console.import.upload": ("上传", "Upload"),
        "console.import.refused": (
            "文件未被接受，原因见文件栏下方。",
            "The file was not accepted; the reason is below the file input.",
        ),
        "console.import.file": ("表格文件（XLSX 或 CSV）", "Spreadsheet file (XLSX or CSV)"),
        "console.import.file.hint": (
            "最多 {size} MiB、10,000 行；CSV 可为 UTF-8 或 GBK（Excel 另存为“CSV UTF-8”或“CSV”均可）。",
            "At most {size} MiB and 10,000 rows; a CSV file may be UTF-8 or GBK (Excel's “CSV UTF-8” or plain “CSV”).",
        ),
        "console.import.preview": ("上传并预览", "Upload and preview"),
        "console.import.preview.title": ("导入预览", "Import preview"),
        "console.import.preview.counts": (
            "共 {rows} 行：{planned} 行将被记录，{refused} 行被拒绝。",
            "{rows} rows: {planned} will be recorded, {refused} are refused.",
        ),
        "console.import.preview.already": (
            "其中 {already} 行此前已从同一文件记录过，不会重复记录。",
            "{already} of them were recorded from this same file before: they will not be recorded again.",
        ),
        "console.import.preview.file": (
            "文件 SHA-256 开头：{sha}",
            "The file's SHA-256 begins {sha}",
        ),
        "console.import.refusals": ("被拒绝的行", "Refused rows"),
        "console.import.refusals.intro": (
            "被拒绝的行不会被记录，其余行照常记录。可改正后把这些行另存为新文件再导入。",
            "Refused rows are not recorded; the others are. Correct them and import them as a new file.",
        ),
        "console.import.refusals.caption": (
            "被拒绝的行（显示 {shown} 行，共 {refused} 行）",
            "Refused rows ({shown} shown of {refused})",
        ),
        "console.import.planned": ("将被记录的行", "Rows to be recorded"),
        "console.import.planned.caption": (
            "将被记录的行（显示前 {shown} 行，共 {planned} 行）",
            "Rows to be recorded (the first {shown} of {planned})",
        ),
        "console.import.record.intro": (
            "记录时每行单独执行，被拒绝的行不影响其他行。",
            "Each row is recorded as its own command; a refused row never stops the others.",
        ),
        "console.import.record": ("记录这 {planned} 行", "Record these {planned} rows"),
        "console.import.nothing": ("没有可记录的行。", "There is no row to record."),
        "console.import.again": ("导入另一个文件", "Import another file"),
        "console.import.progress.title": ("正在记录", "Recording"),
        "console.import.done.title": ("导入完成", "Import finished"),
        "console.import.stopped.title": ("导入已停止", "Import stopped"),
        "console.import.progress.label": ("进度", "Progress"),
        "console.import.progress.done": ("已处理 {done} / {rows} 行", "{done} of {rows} rows done"),
        "console.import.progress.live": (
            "进度条随记录自动前进，本页不会自行刷新；完成后显示结果的链接。",
            "The bar moves on as rows are recorded; the page does not reload itself. When it is done, a link to the result appears.",
        ),
        "console.import.progress.show": ("查看最新进度", "Show the latest progress"),
        "console.import.progress.finished": ("已完成：查看结果", "Done: see the result"),
        "console.import.stopped.failed": (
            "导入中途出错而停止；已记录的行保留。再导入同一文件只会记录尚未记录的行。",
            "The import stopped on an error; the rows recorded stay recorded. Importing the same file again records only the rows not yet recorded.",
        ),
        "console.import.stopped.revoked": (
            "本密钥已被吊销，导入随之停止。",
            "This key was revoked, so the import stopped.",
        ),
        "console.import.count.recorded": ("新记录", "Recorded"),
        "console.import.count.already": ("此前已记录", "Already recorded"),
        "console.import.count.refused": ("被拒绝", "Refused"),
        # --- console: the admin's desk ---
        "console.admin.title": ("管理员工作台", "The admin's desk"),
        "console.admin.registry": ("社会组织名录", "The registry of organisations"),
        "console.admin.organizations": ("社会组织列表", "Organisations"),
        "console.admin.organizations.caption": (
            "按区和名称排列；含已注销的组织",
            "By district and name; deregistered organisations too",
        ),
        "console.admin.no_organizations": ("没有符合条件的组织。", "No organisation matches."),
        "console.admin.filter": ("筛选", "Filter"),
        "console.admin.next_page": ("下一页", "Next page"),
        "console.admin.deregistered": ("{day} 注销", "deregistered {day}"),
        "console.admin.col.kind": ("角色、类型和层级", "Roles, type and tier"),
        "console.admin.col.actions": ("操作", "Actions"),
        "console.admin.col.nominee": ("被提名者", "Nominee"),
        "console.admin.col.key": ("密钥编号", "Key id"),
        "console.admin.col.created": ("创建时间", "Created"),
        "console.admin.col.revoked": ("吊销", "Revoked"),
        "console.admin.action.reclassify": ("重新分类：{name}", "Reclassify {name}"),
        "console.admin.action.grade": ("等级评估：{name}", "Grade {name}"),
        "console.admin.action.select": ("选定（{year} 年）", "Select (for {year})"),
        "console.admin.form.organization": ("登记社会组织", "Register an organisation"),
        "console.admin.form.organization.intro": (
            "登记的名称、统一社会信用代码、区和街道镇都会公开。",
            "The name, credit code, district and subdistrict registered are public.",
        ),
        "console.admin.form.reclassification": ("重新分类", "Reclassify an organisation"),
        "console.admin.form.evaluation": ("服务中心等级评估", "Grade a service centre"),
        "console.admin.form.evaluation.intro": (
            "只有社区社会组织服务中心可以评级（1A 至 5A）；评级会公开。",
            "Only community social organisation service centres are graded (1A to 5A); the grade is public.",
        ),
        "console.admin.form.nomination": (
            "提名带头人或观察点",
            "Nominate a leader or an observation point",
        ),
        "console.admin.form.nomination.intro": (
            "观察点是基金会；带头人可以是基金会或个人。个人的信息只存入个人信息库，不写入日志。",
            "An observation point is a foundation; a leader is a foundation or a person. A person's details go to the vault only, never to the log.",
        ),
        "console.admin.form.selection": ("选定提名", "Select a nomination"),
        "console.admin.form.selection.intro": (
            "每年每类选定的数量有上限；超出上限的选定会被拒绝。",
            "Each kind has a yearly maximum of selections; a selection beyond it is refused.",
        ),
        "console.admin.form.key": ("签发 API 密钥", "Issue an API key"),
        "console.admin.form.key.intro": (
            "新密钥只在签发后的页面上显示一次。工作人员（staff）密钥必须属于一个基金会，其他角色不属于任何基金会。",
            "The new key is shown once, on the page after it is issued. A staff key belongs to one foundation; other roles to none.",
        ),
        "console.admin.field.name": ("名称", "Name"),
        "console.admin.field.uscc": ("统一社会信用代码", "Unified social credit code"),
        "console.admin.field.type": ("类型", "Type"),
        "console.admin.field.tier": ("层级", "Tier"),
        "console.admin.field.district": ("区", "District"),
        "console.admin.field.subdistrict": ("街道、镇或乡", "Subdistrict"),
        "console.admin.field.rural": ("涉农", "Rural (涉农)"),
        "console.admin.field.registered_on": ("登记日期", "Registered on"),
        "console.admin.field.organization": ("组织编号", "Organisation id"),
        "console.admin.field.centre": ("服务中心编号", "Service centre's id"),
        "console.admin.field.reason": ("理由", "Reason"),
        "console.admin.field.reclassified_on": ("重新分类日期", "Reclassified on"),
        "console.admin.field.grade": ("等级", "Grade"),
        "console.admin.field.evaluated_on": ("评估日期", "Evaluated on"),
        "console.admin.field.evaluator": ("评估机关", "Evaluated by"),
        "console.admin.field.kind": ("类别", "Kind"),
        "console.admin.field.year": ("年度", "Year"),
        "console.admin.field.nominee_kind": ("被提名者类别", "Kind of nominee"),
        "console.admin.field.nominee_org": ("被提名的基金会", "Nominated foundation"),
        "console.admin.field.nominee_name": ("被提名人姓名", "Nominated person's name"),
        "console.admin.field.nominating_body": ("提名机关", "Nominated by"),
        "console.admin.field.rationale": ("提名理由", "Rationale"),
        "console.admin.field.nominated_on": ("提名日期", "Nominated on"),
        "console.admin.field.designation": ("提名", "Nomination"),
        "console.admin.field.selected_on": ("选定日期", "Selected on"),
        "console.admin.field.selecting_body": ("选定机关", "Selected by"),
        "console.admin.field.key_role": ("角色", "Role"),
        "console.admin.field.key_foundation": ("基金会", "Foundation"),
        "console.admin.group.roles": ("角色", "Roles"),
        "console.admin.group.nominee": ("被提名者", "Nominee"),
        "console.admin.role.community_foundation": ("社区基金会", "Community foundation"),
        "console.admin.role.foundation": ("基金会", "Foundation"),
        "console.admin.role.service_center": ("社区社会组织服务中心", "Service centre"),
        "console.admin.hint.uscc": ("18 位，可不填", "18 characters; may be left empty"),
        "console.admin.hint.subdistrict": (
            "所选区的街道、镇或乡，按官方名录填写",
            "A subdistrict of the chosen district, as the official list names it",
        ),
        "console.admin.hint.organization": (
            "从组织列表中的链接打开本表时已填好",
            "Filled in when this form is opened from the organisations list",
        ),
        "console.admin.hint.year": ("例如 2026", "Such as 2026"),
        "console.admin.hint.nominee_person": (
            "只用于个人被提名者；只存入个人信息库",
            "For a person nominee only; kept in the vault only",
        ),
        "console.admin.hint.key_foundation": ("只用于工作人员密钥", "For a staff key only"),
        "console.admin.nominee.person": ("个人", "A person"),
        "console.admin.nominee.foundation": ("基金会", "A foundation"),
        "console.admin.maximum": (
            "每类每年最多选定 {maximum} 个。",
            "At most {maximum} of each kind are selected in a year.",
        ),
        "console.admin.selected": (
            "{year} 年{kind}：已选定 {used} 个，上限 {maximum} 个",
            "{kind}, {year}: {used} of {maximum} selected",
        ),
        "console.admin.designations": ("带头人和观察点", "Leaders and observation points"),
        "console.admin.designations.list": ("全部提名和选定", "Every nomination and selection"),
        "console.admin.designations.caption": (
            "按年度排列；个人被提名者不显示姓名",
            "By year; a person nominee is never named",
        ),
        "console.admin.no_designations": ("尚无提名。", "No nomination yet."),
        "console.admin.keys": ("API 密钥", "API keys"),
        "console.admin.keys.list": ("全部密钥", "Every key"),
        "console.admin.keys.caption": (
            "全部密钥，含已吊销的；从不显示密钥本身",
            "Every key, revoked ones too; the secret itself is never shown",
        ),
        "console.admin.keys.back": ("回到密钥列表", "Back to the keys"),
        "console.admin.key.own": ("（您正在使用）", "(yours, in use)"),
        "console.admin.key.revoke": ("吊销 {id}…", "Revoke {id}…"),
        "console.admin.key.revoked": (
            "密钥 {id} 已吊销；使用它的会话在下一次请求时结束。",
            "Key {id} is revoked; the sessions using it end at their next request.",
        ),
        "console.admin.key_role.admin": ("管理员", "Admin"),
        "console.admin.key_role.staff": ("基金会工作人员", "Foundation staff"),
        "console.admin.key_role.auditor": ("审计", "Auditor"),
        "console.admin.key_role.privacy_officer": ("个人信息保护负责人", "Privacy officer"),
        "console.admin.revoke.title": ("吊销密钥", "Revoke a key"),
        "console.admin.revoke.consequences": (
            "吊销后立即生效，无法撤回：用这个密钥的 API 调用都会被拒绝，用它登录的工作台会话在下一次请求时结束。密钥仍会列出，日志中以它为操作者的记录不变。",
            "Revoking takes effect at once and cannot be undone: every API call with this key is refused, and the console sessions signed in with it end at their next request. The key stays listed, and the log's entries it made keep naming it.",
        ),
        "console.admin.revoke.own": (
            "这是您现在使用的密钥：吊销后您会被登出。",
            "This is the key you are using: revoking it signs you out.",
        ),
        "console.admin.revoke.confirm": ("确认吊销", "Revoke this key"),
        "console.admin.revoke.already": (
            "这个密钥已于 {day} 吊销。",
            "This key was revoked at {day}.",
        ),
        "console.admin.issued.title": ("已签发新密钥", "A new key is issued"),
        "console.admin.issued.warning": (
            "请现在复制这个密钥并交给它的使用者：它只显示这一次，系统只保存它的散列值，以后无法再显示。",
            "Copy this key now and give it to whoever will use it: it is shown this once; only its hash is kept, and it cannot be shown again.",
        ),
        "console.admin.issued.secret": ("新密钥：", "The new key:"),
        "console.admin.issued.another": ("再签发一个密钥", "Issue another key"),
        "console.admin.reissued.title": ("这个密钥已经签发", "This key was already issued"),
        "console.admin.reissued.text": (
            "这张表单已经签发过密钥（重复提交不会再签发）。密钥只在第一次显示；如果没有复制下来，请吊销它并签发新的。",
            "This form already issued its key (sending it again issues none). The key was shown that first time only; if it was not copied, revoke it and issue another.",
        ),
        # --- console: the privacy officer's desk ---
        "console.privacy.title": ("隐私专员工作台", "The privacy officer's desk"),
        "console.privacy.intro": (
            "这是控制台中唯一显示个人信息的地方。按公开记录中的引用号或按身份证号查找一个人；身份证号只在表单中提交，不出现在任何网址或日志中。",
            "This is the one place in the console that shows personal data. Find a person by the reference a public record carries, or by ID number; the ID number is only sent in the form, never in an address or a log.",
        ),
        "console.privacy.find.by_reference": ("按引用号查找", "Find by reference"),
        "console.privacy.find.by_id_card": ("按身份证号查找", "Find by ID number"),
        "console.privacy.find.reference": ("引用号", "Reference"),
        "console.privacy.find.reference.hint": (
            "公开日志中记录所带的引用号（如捐赠的 donor_ref），格式为 UUID。",
            "The reference a record in the public log carries (a donation's donor_ref, for instance): a UUID.",
        ),
        "console.privacy.find.id_card": ("身份证号", "ID number (身份证号)"),
        "console.privacy.find.id_card.hint": (
            "18 位居民身份证号；末位 x 大小写均可。",
            "The 18-character resident ID number; a final x may be lower case.",
        ),
        "console.privacy.find.submit": ("查找", "Find"),
        "console.privacy.none_found": ("保险库中没有这个人。", "The vault holds no one with this."),
        "console.privacy.found": (
            "找到 {count} 人（各由不同的基金会录入）：",
            "{count} people found (each entered by a different foundation):",
        ),
        "console.privacy.open": ("查看 {name}", "Open {name}"),
        "console.privacy.subject": ("主体编号 {id}", "Subject {id}"),
        "console.privacy.back": ("返回隐私专员工作台", "Back to the privacy officer's desk"),
        "console.privacy.person.title": ("个人信息", "A person's data"),
        "console.privacy.data.name": ("姓名", "Name"),
        "console.privacy.data.id_card": ("身份证号", "ID number"),
        "console.privacy.data.phone": ("电话", "Phone"),
        "console.privacy.data.address": ("地址", "Address"),
        "console.privacy.data.neighbourhood_committee": (
            "居委会 / 村委会",
            "Neighbourhood committee",
        ),
        "console.privacy.data.none": ("（未记录）", "(not recorded)"),
        "console.privacy.uses": ("此人的记录", "This person's records"),
        "console.privacy.uses.intro": (
            "公开日志中每条涉及此人的记录各带一个只用于该记录的引用号；只有保险库能把它们联系起来。",
            "Each record of the public log that concerns this person carries a reference used for that record only; only the vault links them.",
        ),
        "console.privacy.use.none": (
            "日志中没有涉及此人的记录。",
            "No record in the log concerns this person.",
        ),
        "console.privacy.use.unrecorded": (
            "尚未写入日志的引用号：",
            "A reference not (yet) in the log:",
        ),
        "console.privacy.use.reference": ("引用号", "Reference"),
        "console.privacy.use.entry": ("日志第 {position} 条", "Log entry {position}"),
        "console.privacy.use.record": ("该记录的公开页面", "The record's public page"),
        "console.privacy.use.proof": ("打印此记录的证明", "Print the proof of this record"),
        "console.privacy.erase.heading": ("删除此人", "Erase this person"),
        "console.privacy.erase.start": ("删除此人……", "Erase this person…"),
        "console.privacy.erase.title": ("确认删除个人信息", "Confirm the erasure"),
        "console.privacy.erase.who": (
            "您将删除 {name} 在保险库中的个人信息。",
            "You are about to erase {name}'s personal data from the vault.",
        ),
        "console.privacy.erase.gone.heading": ("将被删除的内容", "What disappears"),
        "console.privacy.erase.gone.data": (
            "姓名、身份证号、电话、地址和居委会，以及加密它们的密钥（随后更换纪元密钥，删除之前的数据库备份也无法再打开）。",
            "The name, ID number, phone, address and neighbourhood committee, and the key they were encrypted under (the epoch key is then rotated, so no database backup from before opens them either).",
        ),
        "console.privacy.erase.gone.links": (
            "此人各条记录（日志中共 {count} 条）之间的联系：此后谁也无法知道这些记录涉及同一个人。",
            "The links between this person's records ({count} in the log): no one can tell afterwards that they concern the same person.",
        ),
        "console.privacy.erase.gone.names": (
            "公开页面上此人同意公开的署名。",
            "Their name on the public pages, where they had consented to be named.",
        ),
        "console.privacy.erase.gone.reasons": (
            "此人救助个案的具体原因（此后不再计入按原因的统计）。",
            "The detailed reasons of their relief cases (no longer counted in statistics by reason).",
        ),
        "console.privacy.erase.gone.proofs": (
            "证明这些记录属于此人的盐值：此后无法再为其出具证明。",
            "The salts that prove these records are theirs: no proof can be given to them afterwards.",
        ),
        "console.privacy.erase.stays.heading": ("保留的内容", "What stays"),
        "console.privacy.erase.stays.log": (
            "公开日志不变：每条记录的金额、日期、引用号和承诺值保持原样，余额和默克尔树也不变。",
            "The public log, unchanged: each record's amounts, dates, reference and commitment stay exactly as they are, and so do the balances and the Merkle tree.",
        ),
        "console.privacy.erase.stays.row": (
            "保险库中此主体编号的记录及删除日期，使重复删除或之后的使用被拒绝。",
            "The vault's record of this subject id with the erasure date, so that a repeat or a later use is refused.",
        ),
        "console.privacy.erase.stays.outside": (
            "系统之外的副本：导出文件、截图、纸质档案，以及删除前备份的纪元密钥文件。",
            "Copies outside the system: exports, screenshots, paper files, and an epoch-key file backed up before the erasure.",
        ),
        "console.privacy.erase.uses": ("受影响的记录", "The records affected"),
        "console.privacy.erase.final": ("删除不可撤销。", "An erasure cannot be undone."),
        "console.privacy.erase.confirm": ("删除，不可撤销", "Erase, for good"),
        "console.privacy.erase.cancel": ("不删除，返回此人", "Do not erase; back to the person"),
        "console.privacy.erased.title": ("已删除", "Erased"),
        "console.privacy.erased.text": (
            "此人的个人信息已于 {day} 删除；公开日志未变。",
            "This person's personal data was erased on {day}; the public log is unchanged.",
        ),
        "console.privacy.erased.again": ("此前已删除", "Already erased"),
        "console.privacy.erased.again.text": (
            "此人的个人信息已于 {day} 删除；这次没有再删除任何内容。",
            "This person's personal data had already been erased on {day}; nothing more was erased this time.",
        ),
        "console.privacy.proof.title": (
            "公开账本记录证明",
            "Proof of a record in the public ledger",
        ),
        "console.privacy.proof.intro": (
            "这份证明让您自己核对：公开日志中的这条记录是关于您的，且记录的内容没有被改写。",
            "This proof lets you check for yourself that this record of the public log is about you, and that it was not rewritten.",
        ),
        "console.privacy.proof.what": ("记录内容", "What was recorded"),
        "console.privacy.proof.position": ("日志位置", "Log position"),
        "console.privacy.proof.position.value": (
            "第 {position} 条（条目索引 {index}）",
            "Entry {position} (entry index {index})",
        ),
        "console.privacy.proof.entries": (
            "该记录的全部条目（如救助款的发放）",
            "The record's entries (a relief case's payments, for instance)",
        ),
        "console.privacy.proof.name": ("承诺所含的姓名", "The name the commitment holds"),
        "console.privacy.proof.reference": ("引用号", "Reference"),
        "console.privacy.proof.commitment": (
            "承诺值（HMAC-SHA-256，十六进制）",
            "Commitment (HMAC-SHA-256, hex)",
        ),
        "console.privacy.proof.salt": ("盐值（十六进制，32 字节）", "Salt (hex, 32 bytes)"),
        "console.privacy.proof.data": (
            "所承诺的数据（UTF-8 JSON）",
            "The data committed to (UTF-8 JSON)",
        ),
        "console.privacy.proof.printed": ("出具日期", "Issued on"),
        "console.privacy.proof.check": ("如何核对", "How to check it"),
        "console.privacy.proof.step.entry": (
            "在公开网站上打开这条记录，它附有该记录在已签名日志中的包含证明：",
            "Open the record on the public site, with its proof of inclusion in the signed log:",
        ),
        "console.privacy.proof.step.leaf": (
            "该记录的原始数据（base64 编码的事件 JSON）中，字段 {field} 的值就是上面的承诺值：",
            "In the record's raw data (the event's JSON, base64-encoded), the field {field} holds the commitment above:",
        ),
        "console.privacy.proof.step.record": (
            "该记录的公开页面（如救助个案的每笔发放）：",
            "The record's own public page (a relief case's payments, for instance):",
        ),
        "console.privacy.proof.step.hmac": (
            "以盐值（十六进制解码后的字节）为密钥，对所承诺的数据（UTF-8 字节）计算 HMAC-SHA-256，结果应等于承诺值：",
            "Compute HMAC-SHA-256 keyed with the salt (the bytes of its hex) over the data committed to (its UTF-8 bytes); the result must equal the commitment:",
        ),
        "console.privacy.proof.step.log": (
            "整个日志的签名检查点及核对方法见：",
            "The whole log's signed checkpoint, and how to check it, are at:",
        ),
        "console.privacy.proof.keep": (
            "这张纸载有您的个人信息和盐值：持有者可以证明这条记录与您有关。请妥善保管。",
            "This sheet holds your personal data and the salt: whoever holds it can show that this record concerns you. Keep it safe.",
        ),
        "console.privacy.proof.print": (
            "用浏览器的“打印”打印本页（打印时不含网站的页眉和页脚）。",
            "Print this page with the browser's Print (it prints without the site's header and footer).",
        ),
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
        # --- the foundation page's vocabularies ---
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
        # --- entries and the record histories (api/pages/describe.py) ---
        "party_kind": MappingProxyType(
            {
                "person": ("个人", "A person"),
                "organization": ("机构", "An organisation"),
                "foundation": ("基金会", "A foundation"),
                "anonymous": ("匿名", "Anonymous"),
            }
        ),
        "relief_category": MappingProxyType(
            {
                code: (RELIEF_CATEGORIES[code], english)
                for code, english in {
                    "hardship": "Hardship",
                    "emergency": "Emergency or crisis",
                    "other": "Other",
                }.items()
            }
        ),
        # The 360Giving codelist's own titles (grantToIndividualsPurpose, v1.4.3) in English.
        "relief_purpose": MappingProxyType(
            {
                code: (RELIEF_PURPOSES[code], english)
                for code, english in {
                    "GTIP010": "Unrestricted",
                    "GTIP020": "Furniture and appliances",
                    "GTIP030": "Equipment and home adaptations",
                    "GTIP040": "Devices and digital access",
                    "GTIP050": "Utilities",
                    "GTIP060": "Other housing related costs",
                    "GTIP070": "Food and essential items",
                    "GTIP080": "Clothing",
                    "GTIP090": "Debt",
                    "GTIP100": "Travel and transport",
                    "GTIP110": "Holiday and activity costs",
                    "GTIP120": "Health, care and wellbeing services",
                    "GTIP130": "Education and training",
                    "GTIP140": "Employment and work",
                    "GTIP150": "Creative activities",
                    "GTIP160": "Community projects",
                    "GTIP170": "Exceptional costs",
                }.items()
            }
        ),
        "activity_kind": MappingProxyType(
            {
                "training": ("培训", "Training"),
                "visit": ("走访交流", "Visit"),
                "resource_sharing": ("资源共享", "Resource sharing"),
                "joint_project": ("联合项目", "Joint project"),
                "funding": ("资金支持", "Funding"),
            }
        ),
        "grant_status": MappingProxyType(
            {
                "active": ("执行中", "Active"),
                "closed": ("已结项", "Closed"),
                "cancelled": ("已取消", "Cancelled"),
            }
        ),
        "pairing_status": MappingProxyType(
            {
                "proposed": ("已提议", "Proposed"),
                "active": ("进行中", "Active"),
                "concluded": ("已完成", "Concluded"),
                "terminated": ("已终止", "Ended early"),
            }
        ),
        "relief_status": MappingProxyType(
            {
                "open": ("审核中", "Open"),
                "approved": ("已批准", "Approved"),
                "rejected": ("未批准", "Rejected"),
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
