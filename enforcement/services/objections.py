"""Objections (执行异议) and reviews (复议), with their clocks in the deadlines engine.

DOMAIN.md, "Legal rules": an objection is registered within 3 days of receipt and decided
within 15 days; a review (复议) is applied for within 10 days of the ruling's service and
decided within 30 days, extendable by 30 with the president's approval (the deadlines
engine's extension request, approved by the court's supervisor as themselves). A review of
a fine or detention decision is applied for within 3 days and decided within 5.

- `objection_receive`: records the application and starts the registration clock (for a
  review of a fine or detention, the decision clock at once). A review applied for after
  its period is refused on `received_on`, with the dates.
- `objection_register` / `objection_not_accept`: meets the registration clock; registering
  starts the decision clock (15 days, 30 for a review).
- `objection_decide`: upheld or rejected with reasons; meets the decision clock.
- `objection_serve`: the ruling's service date, from which a review may be asked within 10 days.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_create, snapshot
from deadlines import services as deadline_services
from deadlines.models import Deadline
from enforcement.clocks_assets import day_start
from enforcement.models import (
    CaseParty,
    CoerciveMeasure,
    EnforcementCase,
    MeasureKind,
    MeasureStatus,
    Objection,
    ObjectionKind,
    ObjectionStatus,
)
from enforcement.states_measures import OBJECTION_MACHINE

from .notices import require_staff

REGISTER_CLOCK = "enforcement.objection_register"
DECIDE_CLOCK = "enforcement.objection_decide"
REVIEW_DECIDE_CLOCK = "enforcement.review_decide"
MEASURE_REVIEW_CLOCK = "enforcement.measure_review_decide"
REVIEW_APPLY_DAYS = 10
MEASURE_REVIEW_APPLY_DAYS = 3

DECIDE_CLOCK_OF = {
    ObjectionKind.OBJECTION: DECIDE_CLOCK,
    ObjectionKind.REVIEW: REVIEW_DECIDE_CLOCK,
    ObjectionKind.MEASURE_REVIEW: MEASURE_REVIEW_CLOCK,
}


def clock_of(objection: Objection, kind: str, *, open_only: bool = True) -> Deadline | None:
    rows = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Objection),
        object_id=objection.pk,
        kind=kind,
    )
    if open_only:
        rows = rows.filter(state__in=Deadline.OPEN_STATES)
    return rows.order_by("-pk").first()


def _start(objection: Objection, kind: str, on: datetime.date, *, actor) -> Deadline:
    case = objection.case
    return deadline_services.deadline_start(
        subject=objection, kind=kind, organisation=case.court, owner=case.officer,
        actor=actor, start=day_start(on),
    )  # fmt: skip


def _meet(objection: Objection, kind: str, *, actor) -> None:
    clock = clock_of(objection, kind)
    if clock is not None:
        deadline_services.deadline_meet(clock, actor=actor)


@transaction.atomic
def objection_receive(
    *, case: EnforcementCase, kind: str, applicant_name: str, matter: str,
    received_on: datetime.date, actor, applicant_party: CaseParty | None = None,
    parent: Objection | None = None, measure: CoerciveMeasure | None = None,
) -> Objection:  # fmt: skip
    require_staff(case, actor)
    errors: dict[str, list[str]] = {}
    if kind not in ObjectionKind.values:
        raise ValidationError({"kind": [_("未知的类型。")]})
    if not (applicant_name or "").strip():
        errors["applicant_name"] = [_("请填写申请人。")]
    if not (matter or "").strip():
        errors["matter"] = [_("请填写事项和理由。")]
    if received_on > timezone.localdate():
        errors["received_on"] = [_("收到日期不能晚于今天。")]
    if applicant_party is not None and applicant_party.case_id != case.pk:
        errors["applicant_party"] = [_("不是本案当事人。")]
    if parent is not None:
        parent = Objection.objects.filter(pk=parent.pk).first()
    if measure is not None:
        measure = CoerciveMeasure.objects.filter(pk=measure.pk).first()
    if kind == ObjectionKind.REVIEW:
        if parent is None or parent.case_id != case.pk or parent.kind != ObjectionKind.OBJECTION:
            errors["parent"] = [_("请选择本案被复议的执行异议。")]
        elif parent.status not in (ObjectionStatus.UPHELD, ObjectionStatus.REJECTED):
            errors["parent"] = [_("该执行异议尚未裁定，不能申请复议。")]
        elif parent.served_on is None:
            errors["parent"] = [_("异议裁定尚未送达，请先记录送达日期。")]
        elif received_on > parent.served_on + datetime.timedelta(days=REVIEW_APPLY_DAYS):
            errors["received_on"] = [
                _("复议应在裁定送达之日（%(s)s）起十日内申请，期限已于%(e)s届满。")
                % {"s": parent.served_on,
                   "e": parent.served_on + datetime.timedelta(days=REVIEW_APPLY_DAYS)}
            ]  # fmt: skip
    if kind == ObjectionKind.MEASURE_REVIEW:
        if (
            measure is None
            or measure.case_id != case.pk
            or measure.kind not in (MeasureKind.FINE, MeasureKind.DETENTION)
            or measure.status not in (MeasureStatus.APPROVED, MeasureStatus.EXECUTED,
                                      MeasureStatus.ENDED)
        ):  # fmt: skip
            errors["measure"] = [_("请选择本案已作出的罚款或拘留决定。")]
        else:
            decided_on = timezone.localtime(measure.decided_at).date()
            last = decided_on + datetime.timedelta(days=MEASURE_REVIEW_APPLY_DAYS)
            if received_on > last:
                errors["received_on"] = [
                    _("对罚款、拘留决定不服的，应在收到决定书之日起三日内申请复议，期限已于%(e)s届满。")
                    % {"e": last}
                ]  # fmt: skip
    if errors:
        raise ValidationError(errors)
    objection = Objection.objects.create(
        case=case, kind=kind, applicant_name=applicant_name.strip()[:120],
        applicant_party=applicant_party, matter=matter.strip(), received_on=received_on,
        parent=parent if kind == ObjectionKind.REVIEW else None,
        measure=measure if kind == ObjectionKind.MEASURE_REVIEW else None, recorded_by=actor,
    )  # fmt: skip
    audit_create(objection, actor=actor, note=_("收到%(k)s") % {"k": objection.get_kind_display()})
    if kind == ObjectionKind.MEASURE_REVIEW:
        _start(objection, MEASURE_REVIEW_CLOCK, received_on, actor=actor)
    else:
        _start(objection, REGISTER_CLOCK, received_on, actor=actor)
    return objection


def _lock(objection: Objection) -> Objection:
    return (
        Objection.objects.select_for_update(of=("self",))
        .select_related("case", "case__court", "case__officer")
        .get(pk=objection.pk)
    )


@transaction.atomic
def objection_register(*, objection: Objection, actor, registered_on=None) -> Objection:
    """立案审查: meets the 3-day clock and starts the decision clock (15 days; a review 30)."""
    require_staff(objection.case, actor)
    registered_on = registered_on or timezone.localdate()
    if registered_on < objection.received_on or registered_on > timezone.localdate():
        raise ValidationError({"registered_on": [_("立案日期应在收到申请之日与今天之间。")]})
    locked = _lock(objection)
    registered = OBJECTION_MACHINE.apply(
        locked, "register", actor=actor, changes={"registered_on": registered_on}
    )
    _meet(registered, REGISTER_CLOCK, actor=actor)
    if registered.kind != ObjectionKind.MEASURE_REVIEW:
        _start(registered, DECIDE_CLOCK_OF[registered.kind], registered_on, actor=actor)
    return registered


@transaction.atomic
def objection_not_accept(*, objection: Objection, actor, reason: str) -> Objection:
    require_staff(objection.case, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写不予受理的理由。")]})
    locked = _lock(objection)
    done = OBJECTION_MACHINE.apply(
        locked, "not_accept", actor=actor, note=reason,
        changes={"decision": reason, "decided_on": timezone.localdate()},
    )  # fmt: skip
    for kind in (REGISTER_CLOCK, DECIDE_CLOCK_OF[done.kind]):
        _meet(done, kind, actor=actor)
    return done


@transaction.atomic
def objection_decide(
    *, objection: Objection, actor, upheld: bool, decision: str, decided_on=None
) -> Objection:
    """The ruling: upheld or rejected, with reasons; meets the decision clock (late → the
    clock records it as missed)."""
    require_staff(objection.case, actor)
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": [_("请填写裁决理由。")]})
    decided_on = decided_on or timezone.localdate()
    if decided_on < objection.received_on or decided_on > timezone.localdate():
        raise ValidationError({"decided_on": [_("裁决日期应在收到申请之日与今天之间。")]})
    locked = _lock(objection)
    if locked.kind == ObjectionKind.MEASURE_REVIEW and locked.status == ObjectionStatus.RECEIVED:
        # a measure's review is decided on the papers: registered and decided in one step
        locked = OBJECTION_MACHINE.apply(
            locked, "register", actor=actor, changes={"registered_on": decided_on}
        )
    done = OBJECTION_MACHINE.apply(
        locked, "uphold" if upheld else "reject", actor=actor, note=decision,
        changes={"decision": decision, "decided_on": decided_on},
    )  # fmt: skip
    _meet(done, DECIDE_CLOCK_OF[done.kind], actor=actor)
    return done


@transaction.atomic
def objection_serve(*, objection: Objection, actor, served_on: datetime.date) -> Objection:
    """The ruling's service date (the review period runs from it)."""
    require_staff(objection.case, actor)
    locked = _lock(objection)
    if locked.status not in (ObjectionStatus.UPHELD, ObjectionStatus.REJECTED,
                             ObjectionStatus.NOT_ACCEPTED):  # fmt: skip
        raise ValidationError({"served_on": [_("尚未裁定，无从送达。")]})
    if served_on < (locked.decided_on or locked.received_on) or served_on > timezone.localdate():
        raise ValidationError({"served_on": [_("送达日期应在裁定之日与今天之间。")]})
    before = snapshot(locked)
    locked.served_on = served_on
    locked.save(update_fields=["served_on"])
    audit_change(locked, actor=actor, before=before, note=_("裁定送达"))
    return locked


@transaction.atomic
def objection_withdraw(*, objection: Objection, actor, note: str = "") -> Objection:
    require_staff(objection.case, actor)
    locked = _lock(objection)
    done = OBJECTION_MACHINE.apply(locked, "withdraw", actor=actor, note=note)
    for kind in (REGISTER_CLOCK, DECIDE_CLOCK_OF[done.kind]):
        clock = clock_of(done, kind)
        if clock is not None:
            deadline_services.deadline_cancel(clock, actor=actor, reason=_("申请人撤回"))
    return done


def review_extension_request(*, objection: Objection, actor, approver, reason: str):
    """Ask the court's president to extend a review's 30 days by 30 (the deadlines engine's
    request; the president approves or refuses as themselves on the deadlines page/API)."""
    require_staff(objection.case, actor)
    if objection.kind != ObjectionKind.REVIEW:
        raise ValidationError({"objection": [_("只有执行复议的审查期限可以申请延长。")]})
    clock = clock_of(objection, REVIEW_DECIDE_CLOCK)
    if clock is None:
        raise ValidationError({"objection": [_("该复议没有进行中的审查期限。")]})
    if clock.extensions.exists() or clock.extension_requests.filter(status="pending").exists():
        raise ValidationError({"objection": [_("复议审查期限只能延长一次（三十日）。")]})
    if approver is not None and approver.pk == actor.pk:
        raise ValidationError({"approver": [_("申请人不能审批自己的申请。")]})
    return deadline_services.deadline_extension_request(
        clock, actor=actor, approver=approver, reason=reason, amount=30, unit="calendar_days"
    )
