"""The statutory clocks from DOMAIN.md "Legal rules" that the portal knows out of the box.

Registered by DeadlinesConfig.ready(). Cite the rule, not the article (article numbers
shift between the 2017 and 2023 Civil Procedure Law).
"""

from django.utils.translation import gettext_lazy as _

from .registry import register_kind

# (kind, label, unit, amount, basis, lead times in days)
STATUTORY_KINDS = [
    # --- enforcement clocks
    ("enforcement.application_period", _("申请执行期间"), "months", 24,
     _("申请执行的期间为二年，从法律文书规定履行期间的最后一日起计算；分期履行的，从每次履行期间的最后一日起计算。"), (30, 7)),
    ("enforcement.time_limit", _("执行期限"), "months", 6,
     _("执行案件应当自立案之日起六个月内执结；中止期间不计入；延长须经院长或副院长批准，并应在期限届满五日前提出。"), (30, 7, 1)),
    ("enforcement.officer_assignment", _("确定承办人"), "calendar_days", 7,
     _("立案后七日内确定承办人。"), (1,)),
    ("enforcement.notice_issue", _("发出执行通知书及报告财产令"), "calendar_days", 3,
     _("案件移交承办人后三日内发出执行通知书，金钱给付案件同时发出报告财产令（最长不超过十日）。"), (1,)),
    ("enforcement.clue_check", _("核查财产线索"), "calendar_days", 7,
     _("申请执行人提供明确财产线索的，应在七日内调查核实；情况紧急的，三日内。"), (1,)),
    ("enforcement.asset_change_report", _("财产变动报告"), "calendar_days", 10,
     _("被执行人财产情况发生变动的，应当自变动之日起十日内报告。"), (3, 1)),
    ("enforcement.freeze_bank", _("冻结银行存款期限"), "months", 12,
     _("人民法院冻结被执行人的银行存款的期限不得超过一年；续行冻结期限不得超过原期限。"), (30, 7, 1)),
    ("enforcement.seize_movables", _("查封、扣押动产期限"), "months", 24,
     _("查封、扣押动产的期限不得超过二年；续行期限不得超过原期限。"), (30, 7, 1)),
    ("enforcement.seal_real_estate", _("查封不动产及其他财产权期限"), "months", 36,
     _("查封不动产、冻结其他财产权的期限不得超过三年；续行期限不得超过原期限。"), (60, 30, 7)),
    ("enforcement.freeze_to_deduct", _("冻结后扣划等待期"), "calendar_days", 15,
     _("冻结后等待被执行人履行、提出异议的期间（地方做法，可配置）。"), (3, 1)),
    ("enforcement.commission_filing", _("受托法院立案"), "calendar_days", 7,
     _("受托法院收到委托执行函后，应当在七日内予以立案，并及时将立案情况告知委托法院。"), (2, 1)),
    ("enforcement.commission_start", _("受托法院立案执行"), "calendar_days", 15,
     _("受托法院应当在收到委托函件后十五日内开始执行。"), (3, 1)),
    ("enforcement.commission_report", _("受托执行情况报告"), "calendar_days", 30,
     _("受托法院三十日内未执行完毕的，应将执行情况函告委托法院。"), (7, 1)),
    ("enforcement.objection_register", _("执行异议立案审查"), "calendar_days", 3,
     _("执行异议应当在三日内立案。"), (1,)),
    ("enforcement.objection_decide", _("执行异议审查"), "calendar_days", 15,
     _("执行异议应当自收到书面异议之日起十五日内审查并作出裁定。"), (3, 1)),
    ("enforcement.review_apply", _("申请复议期间"), "calendar_days", 10,
     _("当事人可以自裁定送达之日起十日内向上一级人民法院申请复议。"), (3, 1)),
    ("enforcement.guarantee_suspension", _("执行担保暂缓期限"), "months", 12,
     _("执行担保的暂缓执行期限不得超过一年。"), (30, 7)),
    ("enforcement.funds_disbursement", _("案款发放"), "calendar_days", 30,
     _("执行款应当在到账后三十日内发放（许多法院规定五个或十个工作日，可配置）。"), (7, 1)),
    ("enforcement.terminated_check", _("终本后定期查控"), "months", 6,
     _("终结本次执行程序后五年内，每六个月通过网络执行查控系统查询一次被执行人财产。"), (14, 1)),
    # --- credit
    ("credit.removal", _("删除失信信息"), "working_days", 3,
     _("具有法定删除情形的，人民法院应当在三个工作日内删除失信信息。"), (1,)),
    ("credit.listing_period", _("失信名单期限"), "months", 24,
     _("纳入失信名单的期限为二年；情节严重的可延长一至三年。"), (30, 7)),
    ("credit.correction_review", _("纠正申请审查"), "calendar_days", 15,
     _("对纳入失信名单申请纠正的，人民法院应当在十五日内审查。"), (3, 1)),
    ("credit.correction_fix", _("纠正失信信息"), "working_days", 3,
     _("理由成立的，应当在三个工作日内纠正。"), (1,)),
    ("credit.review_decide", _("复议决定"), "calendar_days", 15,
     _("上一级人民法院应当自收到复议申请之日起十五日内作出决定。"), (3, 1)),
    # --- mediation
    ("mediation.confirmation_window", _("司法确认申请期间"), "calendar_days", 30,
     _("经人民调解委员会调解达成调解协议后，双方当事人可以自调解协议生效之日起三十日内共同向人民法院申请司法确认。"), (7, 1)),
    ("mediation.pre_litigation", _("诉前调解期限"), "calendar_days", 30,
     _("诉前调解应当在三十日内完成，经双方当事人同意并记录方可延长。"), (7, 1)),
    ("mediation.people_mediation", _("人民调解期限"), "months", 1,
     _("人民调解一般应在一个月内调结。"), (7, 1)),
]  # fmt: skip


# Kinds whose extension only the president (院长/副院长: a supervisor of the court that
# runs the clock) may approve; see DOMAIN.md "Legal rules".
PRESIDENT_APPROVES = {"enforcement.time_limit"}


# Kinds whose pause, resumption and extension belong to their record's own workflow (the
# case's suspension, its end and the president's extension), never the generic page/API.
HANDLED_ON_RECORD = {
    "enforcement.time_limit": _(
        "执行期限随执行案件中止、恢复，延长须经院长批准：请在执行案件页办理。"
    ),
}


def _the_court(deadline):
    return deadline.organisation


def register_statutory_kinds() -> None:
    for kind, label, unit, amount, basis, lead_times in STATUTORY_KINDS:
        register_kind(
            kind,
            label=label,
            unit=unit,
            amount=amount,
            basis=basis,
            lead_times=lead_times,
            approving_unit=_the_court if kind in PRESIDENT_APPROVES else None,
            handled_on_record=HANDLED_ON_RECORD.get(kind),
        )
