"""The case's other endings (enf-endings): fully performed (执行完毕: every control lifted;
credit starts its removals on the transition), termination (终结执行) on a statutory ground,
transfer to bankruptcy review (执转破). Each ending leaves a CaseEnding row, stops the
6-month limit and, after 终本, closes the periodic checks.

Helpers shared by the settlement and 终本 services live here too.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create
from deadlines.models import Deadline
from deadlines.services import deadline_meet
from documents.services import document_issue
from organisations.roles import Role

from ..document_kinds_endings import TERMINATION_RULING
from ..models import (
    AssetControl,
    CaseEnding,
    ControlStatus,
    EndingKind,
    EnforcementCase,
    FinalCheckSchedule,
    ScheduleStatus,
    TerminationGround,
)
from ..selectors import acting_roles
from ..selectors_filing import TIME_LIMIT, case_clock
from ..states import COURT_STAFF, case_machine


def require_staff(case: EnforcementCase, actor) -> None:
    if not getattr(actor, "is_authenticated", False) or not (
        acting_roles(actor, case.court) & COURT_STAFF
    ):
        raise PermissionDenied(_("只有执行法院的工作人员可以办理。"))


def is_president(user, court) -> bool:
    """院长/副院长: a supervisor of the court itself."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(
        m.role == Role.SUPERVISOR and m.organisation_id == court.pk for m in user.active_memberships
    )


def check_approver(case: EnforcementCase, *, approver, actor, field: str = "approver") -> None:
    """The approver named in a request: the court's president, never the requester."""
    if approver is None or not is_president(approver, case.court):
        raise ValidationError({field: [_("请选择本院院长（副院长）作为审批人。")]})
    if approver.pk == actor.pk:
        raise ValidationError({field: [_("申请人不能审批自己的申请。")]})


def require_named_approver(record, actor) -> None:
    """Only the approver named in the request decides, as themselves."""
    if not getattr(actor, "is_authenticated", False) or actor.pk != record.approver_id:
        raise PermissionDenied(_("只有申请中指定的审批人本人可以审批。"))
    if actor.pk == record.requested_by_id:
        raise PermissionDenied(_("申请人不能审批自己的申请。"))


def clean_text(value, field: str, message: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [message]})
    return value


def time_limit_stop(case: EnforcementCase, *, actor) -> None:
    """The case ended: its 6-month limit is met (a paused one too)."""
    limit = case_clock(case, TIME_LIMIT)
    if limit is not None and limit.state in (Deadline.State.PENDING, Deadline.State.PAUSED):
        deadline_meet(limit, actor=actor)


def controls_lift_all(case: EnforcementCase, *, actor, reason: str) -> int:
    """Lift every control still in force on the case (冻结、查封、扣押)."""
    from .controls import control_lift

    lifted = 0
    for control in AssetControl.objects.filter(case=case, status=ControlStatus.ACTIVE).order_by(
        "pk"
    ):
        control_lift(control=control, actor=actor, reason=reason)
        lifted += 1
    return lifted


def schedule_close(case: EnforcementCase, *, status=ScheduleStatus.CLOSED) -> None:
    FinalCheckSchedule.objects.filter(case=case, status=ScheduleStatus.ACTIVE).update(status=status)


def ending_record(case, *, kind, actor, reason: str = "", **fields) -> CaseEnding:
    ending = CaseEnding.objects.create(
        case=case, kind=kind, reason=reason, recorded_by=actor, ended_at=timezone.now(), **fields
    )
    audit_create(ending, actor=actor, note=str(ending.get_kind_display()))
    return ending


def case_performed(*, case: EnforcementCase, actor, note: str = "") -> EnforcementCase:
    """执行完毕: refused while money is owed (the funds guard); every control lifted, the
    limit met; credit starts the removals of the case's listings and restrictions (it
    listens to the transition)."""
    require_staff(case, actor)
    note = (note or "").strip()

    def after(done):
        lifted = controls_lift_all(done, actor=actor, reason=_("执行完毕，解除控制措施"))
        ending_record(done, kind=EndingKind.PERFORMED, actor=actor, reason=note,
                      controls_lifted=lifted)  # fmt: skip
        time_limit_stop(done, actor=actor)
        schedule_close(done)

    return case_machine.apply(
        case, "performed", actor=actor, note=note[:200],
        changes={"concluded_at": timezone.now(), "conclusion_note": note}, after=after,
    )  # fmt: skip


def case_terminate(*, case: EnforcementCase, actor, ground: str, reason: str) -> EnforcementCase:
    """终结执行 on one of the statutory grounds, with the reason; the ruling (执行裁定书, in
    the case number's form) issued and kept on the ending; controls lifted; credit removes
    the listings (it listens); periodic checks after 终本 stop."""
    require_staff(case, actor)
    if ground not in TerminationGround.values:
        raise ValidationError({"ground": [_("请选择终结执行的法定情形。")]})
    reason = clean_text(reason, "reason", _("请写明终结执行的事实和理由。"))

    def after(done):
        ruling = document_issue(
            kind=TERMINATION_RULING, subject=done, organisation=done.court,
            data=_termination_data(done, ground=ground, reason=reason, actor=actor),
            actor=actor, case_number=done.case_number,
        )  # fmt: skip
        lifted = controls_lift_all(done, actor=actor, reason=_("终结执行，解除控制措施"))
        ending_record(done, kind=EndingKind.TERMINATED, actor=actor, reason=reason,
                      ground=ground, controls_lifted=lifted, document=ruling)  # fmt: skip
        time_limit_stop(done, actor=actor)
        schedule_close(done)
        done.settlements.filter(status="performing").update(
            status="broken", ended_at=timezone.now()
        )

    return case_machine.apply(
        case, "terminate", actor=actor, note=reason[:200],
        changes={"concluded_at": timezone.now(), "conclusion_note": reason}, after=after,
    )  # fmt: skip


def _termination_data(case: EnforcementCase, *, ground: str, reason: str, actor) -> dict:
    from .notices import _applicant_names, _basis_text, _debtor_rows

    officer = case.officer or actor
    return {
        "court": case.court.name,
        "case_number": case.case_number,
        "debtors": _debtor_rows(case),
        "applicants": _applicant_names(case),
        "basis": _basis_text(case),
        "filed_on": timezone.localtime(case.filed_at).date() if case.filed_at else None,
        "amount": case.amount_ordered if case.is_money_case else None,
        "ground": str(TerminationGround(ground).label),
        "reason": reason,
        "officer": officer.full_name or officer.username,
    }


def case_bankruptcy_transfer(
    *, case: EnforcementCase, actor, receiving_court: str, consent: str, reason: str
) -> EnforcementCase:
    """执转破: a company debtor unable to pay, a party's written consent, sent to the court
    with jurisdiction for bankruptcy review. The controls stay until that court accepts
    the case (they then pass to the administrator)."""
    require_staff(case, actor)
    errors = {}
    if not (receiving_court or "").strip():
        errors["receiving_court"] = [_("请填写受移送的法院。")]
    if not (consent or "").strip():
        errors["consent"] = [_("执转破须经申请执行人之一或被执行人书面同意，请记录同意情况。")]
    if not (reason or "").strip():
        errors["reason"] = [_("请写明被执行人不能清偿债务的情况。")]
    if errors:
        raise ValidationError(errors)

    def after(done):
        ending_record(done, kind=EndingKind.BANKRUPTCY, actor=actor, reason=reason.strip(),
                      bankruptcy_court=receiving_court.strip()[:120],
                      debtor_consent=consent.strip()[:300])  # fmt: skip
        time_limit_stop(done, actor=actor)
        schedule_close(done)

    return case_machine.apply(
        case, "bankruptcy", actor=actor, note=reason.strip()[:200],
        changes={"concluded_at": timezone.now(), "conclusion_note": reason.strip()}, after=after,
    )  # fmt: skip


def tell(
    user,
    *,
    actor,
    title: str,
    body: str = "",
    link: str = "",
    subject=None,
    kind: str = "enforcement.endings",
    dedupe_key: str = "",
) -> None:
    """Notify one user (never the actor), written with the step."""
    from notifications.services import notify

    if user is None or user.pk == getattr(actor, "pk", None):
        return
    notify(recipient=user, kind=kind, title=str(title)[:200], body=str(body), link=link,
           subject=subject, dedupe_key=dedupe_key)  # fmt: skip
