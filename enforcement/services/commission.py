"""Commission (委托执行) and cross-enforcement (交叉执行 / 指定执行 / 提级执行), enf-commission.

Commission. The enforcing court sends another court a request naming what is to be done
there. Two legal clocks start at once on the commission, owned by the receiving court, from
the deadlines engine: `enforcement.commission_filing` (file it within 7 days of receipt),
`enforcement.commission_start` (start enforcing within 15 days of receipt) — both met when
it registers the commission (受托立案 with its officer: the registration is also the start,
the portal has no separate "started" step) — and `enforcement.commission_report` (not
done in 30 days → report to the sending court — met by its first progress report or by
finishing/returning it). A refusal or a withdrawal cancels the clocks that are still open.
The commission letter (委托执行函) is issued with the request, numbered in the case
number's form, with its verification code; the receiving court reads it while the
commission is open.
The receiving court acts only on the commission; the case, its measures and its money stay
the sending court's.

Cross-enforcement. A higher court's supervisor (a supervisor of a court whose region
contains both courts) moves an open case to another court (交叉执行 / 指定执行) or to their
own court (提级执行), with the officer who will carry it. The case keeps its number (the
number stays in its original court's sequence: `number_court`); the new court becomes the
enforcing court; the original court keeps read access. Each move is a `CaseTransfer` row
and an audit entry on the case. The case's open clocks move with it; apps above this one
(credit) move theirs through `case_transfer_listen`, in the same transaction.
"""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_create, snapshot
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from deadlines.services import (
    deadline_cancel,
    deadline_meet,
    deadline_organisation_set,
    deadline_owner_set,
    deadline_start,
)
from documents.services import document_issue
from organisations.models import Organisation, User
from organisations.roles import Role

from ..document_kinds_commission import COMMISSION_LETTER
from ..models import (
    OPEN_STATUSES,
    CaseStatus,
    CaseTransfer,
    Commission,
    CommissionReport,
    CommissionStatus,
    EnforcementCase,
    TransferKind,
)
from ..selectors import acting_roles
from ..states import COURT_STAFF
from ..states_commission import RECEIVER, SENDER, commission_machine, commission_roles

FILING_CLOCK = "enforcement.commission_filing"
START_CLOCK = "enforcement.commission_start"
REPORT_CLOCK = "enforcement.commission_report"
COMMISSION_CLOCKS = (FILING_CLOCK, START_CLOCK, REPORT_CLOCK)
COMMISSIONABLE = (CaseStatus.FILED, CaseStatus.IN_PROGRESS)
OFFICER_ROLES = (Role.ENFORCEMENT_OFFICER, Role.SUPERVISOR)


def _text(value, field: str, message: str, *, required: bool = True, limit: int = 4000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [message]})
    if len(value) > limit:
        raise ValidationError({field: [_("内容过长（最多 %(n)d 字）。") % {"n": limit}]})
    return value


MAX_PK = 2**63 - 1


def clean_pk(value) -> int | None:
    """A primary key from a form or an API field; None for anything else (never a DB error)."""
    value = getattr(value, "pk", value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_PK else None
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 19 or not 0 < int(text) <= MAX_PK:
        return None
    return int(text)


def _court_member(court, pk, field: str, roles=OFFICER_ROLES) -> User:
    user = None
    if clean_pk(pk) is not None:
        try:
            user = (
                User.objects.filter(
                    pk=clean_pk(pk), memberships__organisation=court,
                    memberships__role__in=roles, memberships__is_active=True, is_active=True,
                )
                .distinct()
                .first()
            )  # fmt: skip
        except (TypeError, ValueError):
            user = None
    if user is None:
        raise ValidationError({field: [_("请选择%(court)s的执行人员。") % {"court": court.name}]})
    return user


def officers_of(court):
    """The people a commission or a moved case can be given to in `court`."""
    return (
        User.objects.filter(
            memberships__organisation=court, memberships__role__in=OFFICER_ROLES,
            memberships__is_active=True, is_active=True,
        )
        .distinct()
        .order_by("pk")
    )  # fmt: skip


def commission_clocks(commission: Commission, *, open_only: bool = True) -> dict[str, Deadline]:
    queryset = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Commission),
        object_id=commission.pk,
        kind__in=COMMISSION_CLOCKS,
    )
    if open_only:
        queryset = queryset.filter(state__in=Deadline.OPEN_STATES)
    return {d.kind: d for d in queryset.order_by("pk")}


def _require(commission, actor, side: str) -> None:
    """The side's own staff only; the other side (and a higher court) is refused (403)."""
    if side not in commission_roles(commission, actor):
        if side == RECEIVER:
            raise PermissionDenied(_("只有受托法院的工作人员可以办理受托事项。"))
        raise PermissionDenied(_("只有委托法院的工作人员可以撤回委托。"))


def _meet(commission, kind, *, actor) -> None:
    clock = commission_clocks(commission).get(kind)
    if clock is not None:
        deadline_meet(clock, actor=actor)


def _cancel_all(commission, *, actor, reason: str) -> None:
    for clock in commission_clocks(commission).values():
        deadline_cancel(clock, actor=actor, reason=reason)


# --- commission --------------------------------------------------------------------------


@transaction.atomic
def commission_request(
    *, case: EnforcementCase, actor, receiving_court, matters: str, assets_note: str = ""
) -> Commission:
    """The sending court's request: which court, what is to be done there. Issues the
    commission letter (委托执行函) and starts the receiving court's three clocks."""
    if not (acting_roles(actor, case.court) & COURT_STAFF):
        raise PermissionDenied(_("只有执行法院的工作人员可以委托执行。"))
    case = EnforcementCase.objects.select_for_update().select_related("court").get(pk=case.pk)
    if case.status not in COMMISSIONABLE:
        raise TransitionNotAllowed(
            _("案件当前状态为“%(state)s”，不能委托执行。") % {"state": case.get_status_display()}
        )
    court = receiving_court
    if not isinstance(court, Organisation):
        pk = clean_pk(receiving_court)
        court = Organisation.objects.filter(pk=pk).first() if pk else None
    if court is None or court.kind != Organisation.Kind.COURT:
        raise ValidationError({"receiving_court": [_("请选择受托法院。")]})
    if court.path.startswith(case.court.path):
        raise ValidationError({"receiving_court": [_("不能委托本院或本院的派出法庭。")]})
    matters = _text(matters, "matters", _("请写明委托事项。"))
    assets_note = _text(assets_note, "assets_note", "", required=False)
    commission = Commission(
        case=case, sending_court=case.court, receiving_court=court, matters=matters,
        assets_note=assets_note, requested_by=actor,
    )  # fmt: skip
    try:
        with transaction.atomic():
            commission.save()
    except IntegrityError:
        raise TransitionNotAllowed(
            _("本案已有委托%(court)s执行且尚未办结。") % {"court": court.name}
        ) from None
    audit_create(commission, actor=actor, note=_("委托%(court)s执行") % {"court": court.name})
    commission.letter = document_issue(
        kind=COMMISSION_LETTER, subject=commission, organisation=case.court,
        data=_letter_data(commission), actor=actor, case_number=case.case_number,
    )  # fmt: skip
    commission.save(update_fields=["letter"])
    for kind in COMMISSION_CLOCKS:
        deadline_start(
            subject=commission, kind=kind, start=commission.requested_at,
            organisation=court, actor=actor,
        )  # fmt: skip
    return commission


def _letter_data(commission: Commission) -> dict:
    from .notices import _applicant_names, _basis_text, _debtor_rows

    case = commission.case
    officer = case.officer or commission.requested_by
    return {
        "court": commission.sending_court.name,
        "receiving_court": commission.receiving_court.name,
        "case_number": case.case_number,
        "debtors": _debtor_rows(case),
        "applicants": _applicant_names(case),
        "basis": _basis_text(case),
        "amount": case.amount_ordered if case.is_money_case else None,
        "matters": commission.matters,
        "assets_note": commission.assets_note,
        "officer": officer.full_name or officer.username,
    }


@transaction.atomic
def commission_register(
    *, commission: Commission, actor, officer=None, receiving_number: str = ""
) -> Commission:
    """The receiving court files the commission and names its officer (meets the 7-day
    filing clock and the 15-day start clock; late is recorded as late by the engine)."""
    _require(commission, actor, RECEIVER)
    officer = _court_member(commission.receiving_court, officer, "officer")
    number = _text(receiving_number, "receiving_number", "", required=False, limit=60)
    commission = commission_machine.apply(
        commission, "register", actor=actor,
        changes={"registered_by": actor, "registered_at": timezone.now(),
                 "receiving_officer": officer, "receiving_number": number},
    )  # fmt: skip
    clock = commission_clocks(commission).get(REPORT_CLOCK)
    if clock is not None:
        deadline_owner_set(clock, owner=officer, actor=actor, note=_("受托承办人"))
    _meet(commission, FILING_CLOCK, actor=actor)
    _meet(commission, START_CLOCK, actor=actor)
    return commission


@transaction.atomic
def commission_refuse(*, commission: Commission, actor, reason: str) -> Commission:
    _require(commission, actor, RECEIVER)
    reason = _text(reason, "reason", _("请写明不予受理的理由。"))
    commission = commission_machine.apply(
        commission, "refuse", actor=actor, note=reason,
        changes={"ended_by": actor, "ended_at": timezone.now(), "end_reason": reason},
    )  # fmt: skip
    _cancel_all(commission, actor=actor, reason=_("受托法院不予受理"))
    return commission


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, float):
        raise ValidationError({"amount_recovered": [_("金额请以字符串填写（元，两位小数）。")]})
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"amount_recovered": [_("请填写正确的金额。")]}) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount_recovered": [_("金额须为不小于 0 的数，最多两位小数。")]})
    if amount >= Decimal("1e12"):
        raise ValidationError({"amount_recovered": [_("金额过大。")]})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def commission_report(
    *, commission: Commission, actor, text: str, amount_recovered=None
) -> CommissionReport:
    """The receiving court's progress report (函告执行情况); the first meets the 30-day clock.
    The sending court sees it on its case."""
    locked = (
        Commission.objects.select_for_update()
        .select_related("receiving_court")
        .get(pk=commission.pk)
    )
    _require(locked, actor, RECEIVER)
    if locked.status != CommissionStatus.REGISTERED:
        raise TransitionNotAllowed(_("受托立案后、办结前才能报告执行情况。"))
    text = _text(text, "text", _("请写明执行情况。"))
    report = CommissionReport.objects.create(
        commission=locked, text=text, amount_recovered=_amount(amount_recovered),
        reported_by=actor,
    )  # fmt: skip
    audit_create(report, actor=actor, note=_("受托法院报告执行情况"))
    _meet(locked, REPORT_CLOCK, actor=actor)
    return report


@transaction.atomic
def commission_finish(
    *, commission: Commission, actor, result: str, amount_recovered=None, returned: bool = False
) -> Commission:
    """The receiving court ends its work: done (办结) or sent back (退回, with reasons). Its
    closing letter is recorded as a report; the clocks still open are met."""
    _require(commission, actor, RECEIVER)
    transition = "return" if returned else "finish"
    result = _text(result, "result", _("请写明退回的理由。") if returned else _("请写明办理结果。"))
    amount = _amount(amount_recovered)
    commission = commission_machine.apply(
        commission, transition, actor=actor, note=result,
        changes={"ended_by": actor, "ended_at": timezone.now(), "end_reason": result},
    )  # fmt: skip
    report = CommissionReport.objects.create(
        commission=commission, text=result, amount_recovered=amount, reported_by=actor
    )
    audit_create(report, actor=actor, note=_("受托法院函告办理结果"))
    _meet(commission, REPORT_CLOCK, actor=actor)
    return commission


@transaction.atomic
def commission_withdraw(*, commission: Commission, actor, reason: str) -> Commission:
    _require(commission, actor, SENDER)
    reason = _text(reason, "reason", _("请写明撤回委托的理由。"))
    commission = commission_machine.apply(
        commission, "withdraw", actor=actor, note=reason,
        changes={"ended_by": actor, "ended_at": timezone.now(), "end_reason": reason},
    )  # fmt: skip
    _cancel_all(commission, actor=actor, reason=_("委托法院撤回委托"))
    return commission


# --- cross-enforcement -------------------------------------------------------------------


def supervising_courts(user, case_court, to_court=None) -> list[Organisation]:
    """Courts where `user` is a supervisor and which are above `case_court` (their region
    strictly contains its region) and, if given, contain `to_court` (or are it)."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = []
    for membership in user.active_memberships:
        own = membership.organisation
        if membership.role != Role.SUPERVISOR or own.kind != Organisation.Kind.COURT:
            continue
        below = case_court.region.path
        if own.pk == case_court.pk or below == own.region.path:
            continue
        if not below.startswith(own.region.path):
            continue
        if to_court is not None and not (
            to_court.pk == own.pk or to_court.region.path.startswith(own.region.path)
        ):
            continue
        found.append(own)
    return found


def transfer_refusal(case: EnforcementCase, user) -> str | None:
    """Why `user` may not move `case` (None if they may, to some court)."""
    if not supervising_courts(user, case.court):
        return _("只有上级法院的院长或执行局长可以指定执行或交叉执行。")
    if case.status not in OPEN_STATUSES:
        return _("案件当前状态为“%(state)s”，不能指定执行或交叉执行。") % {
            "state": case.get_status_display()
        }
    if case.commissions.filter(status__in=(CommissionStatus.REQUESTED,
                                          CommissionStatus.REGISTERED)).exists():  # fmt: skip
        return _("本案有尚未办结的委托执行，请先由委托法院撤回或待其办结。")
    return None


# apps above enforcement (credit) that keep work of their own for a case: told of each
# move in its transaction (enforcement never imports them; they register at start-up)
_transfer_listeners: list[Callable] = []


def case_transfer_listen(listener: Callable) -> None:
    """`listener(case=…, transfer=…, actor=…)` runs inside `case_transfer`'s transaction
    once the case and its own clocks have moved, to move what the listening app keeps for
    the case (its clocks, its open work). A listener that raises rolls the move back."""
    if listener not in _transfer_listeners:
        _transfer_listeners.append(listener)


@transaction.atomic
def case_transfer(
    *, case: EnforcementCase, actor, to_court, officer, reason: str, kind: str = ""
) -> CaseTransfer:
    """A higher court's supervisor moves the case to `to_court` and its `officer`
    (交叉执行 / 指定执行; to the supervisor's own court: 提级执行). The case keeps its number."""
    case = (
        EnforcementCase.objects.select_for_update().select_related("court__region").get(pk=case.pk)
    )
    refusal = transfer_refusal(case, actor)
    if refusal:
        if not supervising_courts(actor, case.court):
            raise PermissionDenied(refusal)
        raise TransitionNotAllowed(refusal)
    court = to_court
    if not isinstance(court, Organisation):
        pk = clean_pk(to_court)
        court = Organisation.objects.select_related("region").filter(pk=pk).first() if pk else None
    if court is None or court.kind != Organisation.Kind.COURT:
        raise ValidationError({"to_court": [_("请选择承办法院。")]})
    higher = supervising_courts(actor, case.court, court)
    if not higher:
        raise ValidationError({"to_court": [_("只能指定到本院或本院辖区内的法院。")]})
    if court.pk in [h.pk for h in higher]:
        kind = TransferKind.ELEVATED
    elif kind not in (TransferKind.CROSS, TransferKind.DESIGNATED):
        raise ValidationError({"kind": [_("请选择交叉执行或指定执行。")]})
    officer = _court_member(court, officer, "officer")
    if court.pk == case.court_id and officer.pk == case.officer_id:
        raise ValidationError({"officer": [_("案件已由该承办人办理。")]})
    reason = _text(reason, "reason", _("请写明指定或交叉执行的理由。"))
    transfer = CaseTransfer.objects.create(
        case=case, kind=kind, from_court=case.court, to_court=court,
        from_officer=case.officer, to_officer=officer, reason=reason, decided_by=actor,
    )  # fmt: skip
    audit_create(transfer, actor=actor, note=reason)
    before = snapshot(case)
    if case.number_court_id is None and case.number_sequence is not None:
        case.number_court = case.court
    case.court = court
    case.officer = officer
    case.assigned_at = timezone.now()
    case.save(update_fields=["number_court", "court", "officer", "assigned_at", "updated_at"])
    audit_change(
        case, actor=actor, before=before,
        note=_("%(kind)s：%(from)s → %(to)s；%(reason)s") % {
            "kind": transfer.get_kind_display(), "from": transfer.from_court.name,
            "to": court.name, "reason": reason,
        },
    )  # fmt: skip
    # the open clocks of the case and of its records (controls, measures, objections,
    # settlement instalments ...) go to the new court and officer: the new court's lists
    # and overdue counts show them, the old court's no longer do
    for clock in clocks_of_case(case, organisation=transfer.from_court):
        deadline_organisation_set(
            clock, organisation=court, owner=officer, actor=actor,
            note=_("%(kind)s：%(from)s → %(to)s") % {
                "kind": transfer.get_kind_display(), "from": transfer.from_court.name,
                "to": court.name,
            },
        )  # fmt: skip
    for listener in _transfer_listeners:
        listener(case=case, transfer=transfer, actor=actor)
    return transfer


def _case_lookups() -> list[tuple[type, str]]:
    """(model, lookup to the case) for every enforcement record that belongs to a case,
    directly (`case`) or through one record that does (`settlement__case`)."""
    from django.apps import apps

    def to_case(model) -> str | None:
        for field in model._meta.get_fields():
            if (field.many_to_one or field.one_to_one) and field.concrete:
                if field.name == "case" and field.related_model is EnforcementCase:
                    return "case"
        return None

    lookups = []
    for model in apps.get_app_config("enforcement").get_models():
        if model in (EnforcementCase, Commission):
            continue  # the case itself is added apart; a commission's clocks are the receiver's
        direct = to_case(model)
        if direct:
            lookups.append((model, direct))
            continue
        for field in model._meta.get_fields():
            if (field.many_to_one or field.one_to_one) and field.concrete and field.related_model:
                if to_case(field.related_model) and field.related_model is not Commission:
                    lookups.append((model, f"{field.name}__case"))
                    break
    return lookups


def clocks_of_case(case: EnforcementCase, *, organisation=None) -> list[Deadline]:
    """The still-open clocks of `case` and of its records (those of `organisation` only,
    when given): a clock missed and not yet done counts as open."""
    content_type = ContentType.objects.get_for_model
    condition = Q(content_type=content_type(EnforcementCase), object_id=case.pk)
    for model, lookup in _case_lookups():
        condition |= Q(
            content_type=content_type(model),
            object_id__in=model._default_manager.filter(**{lookup: case}).values("pk"),
        )
    queryset = Deadline.objects.filter(condition).filter(
        Q(state__in=Deadline.OPEN_STATES) | Q(state=Deadline.State.MISSED, closed_at__isnull=True)
    )
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return list(queryset.order_by("pk"))
