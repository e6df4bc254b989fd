"""终结本次执行程序 (终本).

The SPC's provisions on 终本 (and its 2024 guidance: no 终本 without the necessary work on
record) allow it only when every condition holds:

1. 执行通知书 and (money cases) 报告财产令 served on every debtor;
2. the debtors' asset reports checked — or, where a debtor did not report, the
   non-reporting punished (the officer records how);
3. a consumption restriction ordered and the debtor listed where the grounds exist — the
   credit app tells (it registers a provider below); where it cannot tell, the officer's
   recorded reason is accepted;
4. the asset investigation exhausted: an online inquiry finished on the case and the work
   done written down;
5. more than 3 months since filing (configurable);
6. a debtor whose whereabouts are unknown searched for (the search recorded);
7. the applicant told and heard (signed, or a panel checked — the president approves).

The officer asks (`final_request`): refused listing each unmet condition. The president
decides as themselves (`final_approve`, never the requester): the conditions are checked
again, the 终本 ruling issued through the documents service, the case concluded, its
restrictions left in force, and the periodic checks scheduled (services/final_checks.py).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create, audit_transition
from common.statemachine import TransitionNotAllowed
from deadlines.calendar import add_months

from .. import conf_endings
from ..models import (
    ApprovalStatus,
    CaseStatus,
    EndingKind,
    EnforcementCase,
    EnforcementRole,
    FinalConclusionRequest,
    HeardBy,
    InquiryStatus,
    NoticeKind,
    ServiceMethod,
)
from ..states import case_machine
from .endings import (
    check_approver,
    clean_text,
    ending_record,
    require_named_approver,
    require_staff,
    time_limit_stop,
)

RULING = "enforcement.final_ruling"


@dataclass(frozen=True)
class Condition:
    key: str
    label: str
    met: bool
    detail: str = ""


# --- what credit tells ----------------------------------------------------------------------

# `provider(case) -> (state, detail)`: state "met" (restriction in force and listing made
# for every debtor), "unmet" (a debtor has no restriction), "unknown" (credit cannot tell
# whether a listing ground exists). The credit app registers one (credit/final_condition.py).
_credit_providers: list[Callable] = []


def final_credit_provider_register(provider: Callable) -> None:
    if provider not in _credit_providers:
        _credit_providers.append(provider)


def _credit_condition(case, credit_reason: str) -> Condition:
    label = _("已限制消费，并依法纳入失信被执行人名单")
    states = [provider(case) for provider in _credit_providers]
    if states and all(state == "met" for state, _detail in states):
        return Condition("credit", label, True, "；".join(d for _s, d in states if d))
    unmet = [d for state, d in states if state == "unmet"]
    if unmet:
        return Condition("credit", label, False, "；".join(unmet))
    detail = "；".join(d for _s, d in states if d)
    if credit_reason:
        return Condition("credit", label, True,
                         _("承办人说明：%(r)s") % {"r": credit_reason})  # fmt: skip
    return Condition(
        "credit", label, False,
        (detail + "；" if detail else "")
        + _("信用惩戒情况无法核实，请说明不具备纳入失信名单情形的理由。"),
    )  # fmt: skip


# --- the conditions -------------------------------------------------------------------------


def earliest_final_day(case: EnforcementCase) -> datetime.date | None:
    """The first day 终本 may be concluded: the day after filing + 3 months."""
    if case.filed_at is None:
        return None
    filed_on = timezone.localtime(case.filed_at).date()
    months = conf_endings.get("ENFORCEMENT_FINAL_MIN_MONTHS")
    return add_months(filed_on, months) + datetime.timedelta(days=1)


def final_conditions(
    case: EnforcementCase,
    *,
    work_done: str = "",
    applicant_heard_on=None,
    applicant_heard_by: str = "",
    applicant_opinion: str = "",
    debtor_missing: bool = False,
    debtor_search: str = "",
    credit_reason: str = "",
    report_reason: str = "",
    today: datetime.date | None = None,
) -> list[Condition]:
    """Each condition of 终本 with whether it holds on `case` now, and why not."""
    from ..selectors_notices import asset_report_state, live_notice_state, notice_states

    today = today or timezone.localdate()
    conditions = []
    states = notice_states(case)
    kinds = [NoticeKind.EXECUTION_NOTICE]
    if case.is_money_case:
        kinds.append(NoticeKind.ASSET_REPORT_ORDER)
    missing = []
    for kind in kinds:
        state = live_notice_state(states, kind)
        if state is None:
            missing.append(_("未发出%(k)s") % {"k": NoticeKind(kind).label})
        elif not state.served:
            missing.append(
                _("%(k)s未向%(who)s送达")
                % {"k": NoticeKind(kind).label,
                   "who": "、".join(p.name for p in state.unserved_debtors)}
            )  # fmt: skip
    conditions.append(
        Condition("notices", _("已向被执行人送达执行通知书、报告财产令"), not missing,
                  "；".join(missing))
    )  # fmt: skip

    report = asset_report_state(case)
    if report.code in ("not_required", "checked"):
        conditions.append(Condition("report", _("财产报告已核查"), True, report.label))
    elif report.code == "overdue" and report_reason:
        conditions.append(
            Condition("report", _("财产报告已核查"), True,
                      _("被执行人未报告财产，已依法处理：%(r)s") % {"r": report_reason})
        )  # fmt: skip
    else:
        detail = str(report.label)
        if report.code == "overdue":
            detail += _("：请记录对拒不报告财产的处理（罚款、拘留、纳入失信名单等）。")
        conditions.append(Condition("report", _("财产报告已核查"), False, detail))

    conditions.append(_credit_condition(case, credit_reason))

    finished = case.asset_inquiries.filter(
        status__in=(InquiryStatus.DONE, InquiryStatus.PARTIAL)
    ).exists()
    inquiry_missing = []
    if not finished:
        inquiry_missing.append(_("尚无完成的网络查控"))
    if not work_done:
        inquiry_missing.append(_("未记载已采取的执行措施（必要的执行工作）"))
    conditions.append(
        Condition("inquiry", _("已穷尽财产调查措施，必要的执行工作有记载"), not inquiry_missing,
                  "；".join(inquiry_missing))
    )  # fmt: skip

    first_day = earliest_final_day(case)
    conditions.append(
        Condition(
            "three_months", _("自立案之日起已超过三个月"),
            first_day is not None and today >= first_day,
            _("立案日期 %(f)s，%(d)s 起方可终本")
            % {"f": timezone.localtime(case.filed_at).date().isoformat() if case.filed_at else "—",
               "d": first_day.isoformat() if first_day else "—"},
        )
    )  # fmt: skip

    announced = case.notices.filter(
        services__method=ServiceMethod.PUBLIC, services__recipient__role=EnforcementRole.DEBTOR
    ).exists()
    missing_debtor = debtor_missing or announced
    conditions.append(
        Condition(
            "debtor_search", _("下落不明的被执行人已依法查找"),
            not missing_debtor or bool(debtor_search),
            (_("被执行人下落不明（公告送达），请记录查找情况。") if missing_debtor
             and not debtor_search else ""),
        )
    )  # fmt: skip

    heard = bool(applicant_heard_on) and applicant_heard_by in HeardBy.values
    heard_detail = ""
    if not heard:
        heard_detail = _("请记录告知申请执行人并听取意见的日期和方式。")
    elif applicant_heard_by == HeardBy.PANEL:
        heard_detail = _("申请执行人未签字，经合议庭审查，报院长批准。")
    conditions.append(
        Condition("applicant_heard", _("已告知申请执行人并听取其意见"), heard, heard_detail)
    )
    return conditions


def unmet(conditions: list[Condition]) -> list[Condition]:
    return [c for c in conditions if not c.met]


def refusal_message(conditions: list[Condition]) -> str:
    lines = [f"{c.label}：{c.detail}" if c.detail else str(c.label) for c in unmet(conditions)]
    return _("不符合终结本次执行程序的条件：") + "；".join(lines)


def _request_conditions(request: FinalConclusionRequest, **kwargs) -> list[Condition]:
    return final_conditions(
        request.case,
        work_done=request.work_done,
        applicant_heard_on=request.applicant_heard_on,
        applicant_heard_by=request.applicant_heard_by,
        debtor_missing=request.debtor_missing,
        debtor_search=request.debtor_search,
        credit_reason=request.credit_reason,
        report_reason=request.report_reason,
        **kwargs,
    )


def _as_json(conditions: list[Condition]) -> list[dict]:
    return [{"key": c.key, "label": str(c.label), "met": c.met, "detail": str(c.detail)}
            for c in conditions]  # fmt: skip


def final_terminate_round_refusal(case: EnforcementCase) -> str | None:
    """The transition's guard: only through an approved request (final_approve)."""
    if not case.final_requests.filter(
        status=ApprovalStatus.APPROVED, ruling__isnull=False
    ).exists():
        return _("终结本次执行程序须经院长批准终本申请并出具裁定书。")
    return None


@transaction.atomic
def final_request(
    *,
    case: EnforcementCase,
    actor,
    approver,
    work_done: str,
    applicant_heard_on=None,
    applicant_heard_by: str = "",
    applicant_opinion: str = "",
    debtor_missing: bool = False,
    debtor_search: str = "",
    credit_reason: str = "",
    report_reason: str = "",
) -> FinalConclusionRequest:
    """The officer asks the president to approve 终本. Refused (409) listing every unmet
    condition; 400 for a missing statement or a wrong approver."""
    case = EnforcementCase.objects.select_for_update().select_related("court").get(pk=case.pk)
    require_staff(case, actor)
    if case.status != CaseStatus.IN_PROGRESS:
        raise TransitionNotAllowed(
            _("案件状态为“%(s)s”，不能申请终结本次执行程序。") % {"s": case.get_status_display()}
        )
    check_approver(case, approver=approver, actor=actor)
    if applicant_heard_by and applicant_heard_by not in HeardBy.values:
        raise ValidationError({"applicant_heard_by": [_("请选择听取意见的方式。")]})
    if applicant_heard_on and applicant_heard_on > timezone.localdate():
        raise ValidationError({"applicant_heard_on": [_("日期不能晚于今天。")]})
    if case.final_requests.filter(status=ApprovalStatus.PENDING).exists():
        raise TransitionNotAllowed(_("本案已有待院长审批的终本申请。"))
    fields = {
        "work_done": (work_done or "").strip(),
        "applicant_heard_on": applicant_heard_on or None,
        "applicant_heard_by": applicant_heard_by or "",
        "applicant_opinion": (applicant_opinion or "").strip(),
        "debtor_missing": bool(debtor_missing),
        "debtor_search": (debtor_search or "").strip(),
        "credit_reason": (credit_reason or "").strip(),
        "report_reason": (report_reason or "").strip(),
    }
    conditions = final_conditions(case, **fields)
    if unmet(conditions):
        raise TransitionNotAllowed(refusal_message(conditions))
    request = FinalConclusionRequest.objects.create(
        case=case, requested_by=actor, approver=approver, conditions=_as_json(conditions),
        **fields,
    )  # fmt: skip
    audit_create(request, actor=actor, note=_("申请终结本次执行程序，报院长审批"))
    from .endings import tell

    tell(approver, actor=actor, title=_("终本申请待审批：%(c)s") % {"c": case},
         body=fields["work_done"][:200], link=request.get_absolute_url(), subject=request)  # fmt: skip
    return request


def _ruling_data(request: FinalConclusionRequest) -> dict:
    from .notices import _applicant_names, _basis_text, _debtor_rows

    case = request.case
    officer = case.officer or request.requested_by
    return {
        "court": case.court.name,
        "case_number": case.case_number,
        "debtors": _debtor_rows(case),
        "applicants": _applicant_names(case),
        "basis": _basis_text(case),
        "filed_on": timezone.localtime(case.filed_at).date() if case.filed_at else None,
        "amount": case.amount_ordered if case.is_money_case else None,
        "work_done": request.work_done,
        "applicant_opinion": request.applicant_opinion or _("申请执行人已知悉，无异议。"),
        "officer": officer.full_name or officer.username,
    }


@transaction.atomic
def final_approve(*, request: FinalConclusionRequest, actor, note: str = "") -> EnforcementCase:
    """The president approves, as themselves: the conditions are checked again (any unmet
    refuses, listed), the 终本 ruling issued, the case concluded, the checks scheduled."""
    from documents.services import document_issue

    from .final_checks import schedule_start

    # the case first (a case transition locks it before its requests): the ruling is
    # numbered in the case's series, which its row lock keeps in order
    case = (
        EnforcementCase.objects.select_for_update(of=("self",))
        .select_related("court")
        .get(pk=request.case_id)
    )
    request = FinalConclusionRequest.objects.select_for_update().get(pk=request.pk)
    request.case = case
    require_named_approver(request, actor)
    if request.status != ApprovalStatus.PENDING:
        raise TransitionNotAllowed(_("该终本申请已经审批。"))
    conditions = _request_conditions(request)
    if unmet(conditions):
        raise TransitionNotAllowed(refusal_message(conditions))
    before = {"status": request.status}
    request.status = ApprovalStatus.APPROVED
    request.decided_at = timezone.now()
    request.decision_note = (note or "").strip()[:300]
    request.conditions = _as_json(conditions)
    request.ruling = document_issue(
        kind=RULING, subject=request, organisation=case.court, data=_ruling_data(request),
        actor=actor, case_number=case.case_number,
    )  # fmt: skip
    request.save()
    audit_transition(
        request, actor=actor, transition="approve", transition_label="批准",
        before=before, after={"status": request.status}, note=request.decision_note,
    )  # fmt: skip
    concluded_on = timezone.localdate()

    def after(done):
        ending_record(done, kind=EndingKind.TERMINATED_ROUND, actor=actor,
                      reason=request.work_done, document=request.ruling)  # fmt: skip
        time_limit_stop(done, actor=actor)
        schedule_start(done, concluded_on=concluded_on, actor=actor)

    return case_machine.apply(
        case, "terminate_round", actor=actor, note=request.decision_note,
        changes={"concluded_at": timezone.now(), "conclusion_note": request.work_done},
        after=after,
    )  # fmt: skip


@transaction.atomic
def final_refuse(*, request: FinalConclusionRequest, actor, note: str) -> FinalConclusionRequest:
    request = FinalConclusionRequest.objects.select_for_update().get(pk=request.pk)
    require_named_approver(request, actor)
    note = clean_text(note, "note", _("请写明不予批准的理由。"))
    if request.status != ApprovalStatus.PENDING:
        raise TransitionNotAllowed(_("该终本申请已经审批。"))
    before = {"status": request.status}
    request.status = ApprovalStatus.REFUSED
    request.decided_at = timezone.now()
    request.decision_note = note[:300]
    request.save(update_fields=["status", "decided_at", "decision_note"])
    audit_transition(
        request, actor=actor, transition="refuse", transition_label="不予批准",
        before=before, after={"status": request.status}, note=note[:300],
    )  # fmt: skip
    return request
