"""Settlement (执行和解).

The parties agree, during enforcement, on terms (often instalments, sometimes a
guarantor: the guarantee the agreement names, services/guarantee.py, discharged when the
settlement is performed, enforced against after a breach). Recording it suspends
enforcement: the case goes to 和解履行中 and its 6-month
limit is paused (the days of performance not counted). Each instalment gets a reminder clock
from the deadlines engine (the officer is reminded before it falls due and it shows as
overdue when missed). Payments are recorded against the instalments, oldest first; when the
last is paid the case ends as 和解协议履行完毕 (credit removes the listings, trigger
"settlement performed"; every control is lifted). Broken: the applicant asks to enforce the
original basis again; the case goes back to 执行中, the limit runs again, and the
application is measured against 2 years from the settlement's last performance day — late
is flagged (open to the debtor's defence), never refused.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_change, audit_create, snapshot
from deadlines.calendar import add_months
from deadlines.models import Deadline
from deadlines.services import deadline_cancel, deadline_meet, deadline_pause, deadline_resume

from .. import conf_endings
from ..models import (
    EndingKind,
    EnforcementCase,
    Settlement,
    SettlementInstalment,
    SettlementPayment,
    SettlementStatus,
)
from ..selectors_filing import TIME_LIMIT, case_clock
from ..states import case_machine
from .endings import (
    clean_text,
    controls_lift_all,
    ending_record,
    require_staff,
    time_limit_stop,
)

INSTALMENT_CLOCK = "enforcement.settlement_instalment"


def register_clock() -> None:
    from deadlines.registry import register_kind

    register_kind(
        INSTALMENT_CLOCK,
        label=gettext_lazy("执行和解分期履行期限"),
        unit="calendar_days",
        amount=1,  # each instalment's own due day is given (due_at)
        basis=gettext_lazy(
            "执行和解协议约定的履行期限：被执行人不履行和解协议的，申请执行人可以申请恢复执行"
            "原生效法律文书。"
        ),
        lead_times=(3, 1),
        pausable=False,
        extension_by_request=False,
    )


def _money(value, field: str) -> Decimal:
    if isinstance(value, float):
        raise ValidationError({field: [_("金额请以字符串填写，如 “1000.00”。")]})
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: [_("请填写正确的金额（元）。")]}) from None
    if Decimal(str(value)) != amount:
        raise ValidationError({field: [_("金额最多两位小数（元、角、分）。")]})
    if amount <= 0:
        raise ValidationError({field: [_("金额须大于零。")]})
    return amount


def _date(value, field: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationError({field: [_("请填写正确的日期。")]}) from None


def _due_at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def settlement_last_day(settlement: Settlement) -> datetime.date:
    """The settlement's last performance day: its last instalment's due date."""
    return max(i.due_on for i in settlement.instalments.all())


def settlement_clean(
    *, signed_on, terms: str, total, instalments: list[dict], guarantee: dict | None = None
) -> dict:
    """The rules of a settlement (settlement_record's arguments), every field's error at
    once in one ValidationError — the guarantee's fields (guarantee.settlement_guarantee_clean)
    beside the settlement's —, nothing read or written: the service checks with it, and so
    does the page's form before it calls the service. Returns the values as recorded
    (`rows`: the instalments as (due day, amount))."""
    errors: dict[str, list[str]] = {}

    def collect(check):
        try:
            return check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            return None

    signed_on = collect(lambda: _date(signed_on, "signed_on"))
    if signed_on is not None and signed_on > timezone.localdate():
        errors["signed_on"] = [_("签订日期不能晚于今天。")]
    terms = collect(lambda: clean_text(terms, "terms", _("请填写和解协议的内容。")))
    total = collect(lambda: _money(total, "total"))
    rows, problems = [], []
    if not instalments:
        problems.append(_("请至少填写一期履行期限和金额。"))
    for number, item in enumerate(instalments, start=1):
        try:
            due_on = _date(item.get("due_on"), "due_on")
            amount = _money(item.get("amount"), "amount")
        except ValidationError as exc:
            problems.append(
                _("第%(n)d期：%(m)s")
                % {"n": number, "m": "；".join(m for ms in exc.message_dict.values() for m in ms)}
            )
            continue
        if signed_on is not None and due_on < signed_on:
            problems.append(_("第%(n)d期：履行期限不能早于签订日期。") % {"n": number})
        if rows and due_on < rows[-1][0]:
            problems.append(_("第%(n)d期：履行期限须按先后顺序填写。") % {"n": number})
        rows.append((due_on, amount))
    if not problems and total is not None and sum(a for _d, a in rows) != total:
        problems.append(
            _("各期金额之和（%(sum)s 元）与和解金额（%(total)s 元）不一致。")
            % {"sum": sum(a for _d, a in rows), "total": total}
        )
    if problems:
        errors["instalments"] = problems
    if guarantee:
        from .guarantee import settlement_guarantee_clean

        collect(lambda: settlement_guarantee_clean(**guarantee))
    if errors:
        raise ValidationError(errors)
    return {"signed_on": signed_on, "terms": terms, "total": total, "rows": rows}


@transaction.atomic
def settlement_record(
    *,
    case: EnforcementCase,
    actor,
    signed_on,
    terms: str,
    total,
    instalments: list[dict],
    guarantor: str = "",
    guarantee: dict | None = None,
) -> Settlement:
    """Record the settlement and suspend enforcement. `instalments`: [{"due_on", "amount"}],
    in order, adding up to `total`. `guarantee`: the guarantee the agreement names (the
    arguments of guarantee.settlement_guarantee_add), recorded in the same step. Every
    field's error, the guarantee's too, comes back at once (settlement_clean)."""
    require_staff(case, actor)
    clean = settlement_clean(signed_on=signed_on, terms=terms, total=total,
                             instalments=instalments, guarantee=guarantee)  # fmt: skip
    signed_on, terms, total, rows = (clean["signed_on"], clean["terms"], clean["total"],
                                     clean["rows"])  # fmt: skip

    holder: dict = {}

    def after(settled):
        settlement = Settlement.objects.create(
            case=settled, signed_on=signed_on, terms=terms, total=total,
            guarantor=(guarantor or "").strip()[:120], recorded_by=actor,
        )  # fmt: skip
        audit_create(settlement, actor=actor, note=_("执行和解，共 %(n)d 期") % {"n": len(rows)})
        for number, (due_on, amount) in enumerate(rows, start=1):
            instalment = SettlementInstalment.objects.create(
                settlement=settlement, number=number, due_on=due_on, amount=amount
            )
            from deadlines.services import deadline_start

            instalment.reminder = deadline_start(
                subject=instalment, kind=INSTALMENT_CLOCK, organisation=settled.court,
                actor=actor, owner=settled.officer, due_at=_due_at(due_on),
                start=_due_at(signed_on),
            )  # fmt: skip
            instalment.save(update_fields=["reminder"])
        if guarantee:
            from .guarantee import settlement_guarantee_add

            settlement_guarantee_add(settlement=settlement, actor=actor, **guarantee)
            settlement.refresh_from_db()
        limit = case_clock(settled, TIME_LIMIT)
        if limit is not None and limit.state == Deadline.State.PENDING:
            deadline_pause(limit, actor=actor, reason=_("执行和解，暂停计算执行期限"))
        holder["settlement"] = settlement

    case_machine.apply(case, "settle", actor=actor, note=terms[:200], after=after)
    return holder["settlement"]


def _lock(settlement: Settlement) -> Settlement:
    return (
        Settlement.objects.select_for_update().select_related("case__court").get(pk=settlement.pk)
    )


def settlement_performed_refusal(case: EnforcementCase) -> str | None:
    """The guard of 和解协议履行完毕: every instalment paid in full."""
    settlement = case.settlements.filter(status=SettlementStatus.PERFORMING).first()
    if settlement is None:
        return _("本案没有正在履行的和解协议。")
    unpaid = [i for i in settlement.instalments.all() if i.paid < i.amount]
    if unpaid:
        return _("和解协议尚有 %(n)d 期未履行完毕（%(list)s）。") % {
            "n": len(unpaid),
            "list": "、".join(f"第{i.number}期 {i.outstanding} 元" for i in unpaid),
        }
    return None


@transaction.atomic
def settlement_payment_record(
    *, settlement: Settlement, actor, amount, paid_on, note: str = ""
) -> list[SettlementPayment]:
    """The debtor performed `amount` on `paid_on`: applied to the instalments oldest first.
    When everything is paid the case ends as 和解协议履行完毕 in the same step."""
    settlement = _lock(settlement)
    case = settlement.case
    require_staff(case, actor)
    if settlement.status != SettlementStatus.PERFORMING:
        from common.statemachine import TransitionNotAllowed

        raise TransitionNotAllowed(
            _("和解协议已“%(s)s”，不能再登记履行。") % {"s": settlement.get_status_display()}
        )
    amount = _money(amount, "amount")
    paid_on = _date(paid_on, "paid_on")
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": [_("履行日期不能晚于今天。")]})
    if paid_on < settlement.signed_on:
        raise ValidationError({"paid_on": [_("履行日期不能早于和解协议签订日期。")]})
    instalments = list(settlement.instalments.select_for_update().order_by("number"))
    outstanding = sum(i.outstanding for i in instalments)
    if amount > outstanding:
        raise ValidationError(
            {"amount": [_("超过和解协议尚未履行的金额（%(o)s 元）。") % {"o": outstanding}]}
        )
    payments, left = [], amount
    for instalment in instalments:
        if left <= 0:
            break
        part = min(left, instalment.outstanding)
        if part <= 0:
            continue
        before = snapshot(instalment)
        instalment.paid += part
        if instalment.paid == instalment.amount:
            instalment.paid_on = paid_on
        instalment.save(update_fields=["paid", "paid_on"])
        audit_change(instalment, actor=actor, before=before, note=_("和解履行"))
        payment = SettlementPayment.objects.create(
            instalment=instalment, amount=part, paid_on=paid_on,
            note=(note or "").strip()[:200], recorded_by=actor,
        )  # fmt: skip
        audit_create(payment, actor=actor, note=_("和解履行 %(a)s 元") % {"a": part})
        payments.append(payment)
        if instalment.paid == instalment.amount and instalment.reminder_id:
            reminder = Deadline.objects.get(pk=instalment.reminder_id)
            if reminder.state in (Deadline.State.PENDING, Deadline.State.MISSED):
                deadline_meet(reminder, actor=actor)
        left -= part
    if all(i.paid == i.amount for i in instalments):
        _conclude_performed(settlement, actor=actor)
    return payments


def _conclude_performed(settlement: Settlement, *, actor) -> None:
    case = settlement.case

    def after(done):
        Settlement.objects.filter(pk=settlement.pk).update(
            status=SettlementStatus.PERFORMED, ended_at=timezone.now()
        )
        from .guarantee import settlement_guarantees_discharge

        settlement_guarantees_discharge(settlement, actor=actor)
        lifted = controls_lift_all(done, actor=actor, reason=_("和解协议履行完毕，解除控制措施"))
        ending_record(done, kind=EndingKind.SETTLEMENT_PERFORMED, actor=actor,
                      reason=settlement.terms[:500], controls_lifted=lifted)  # fmt: skip
        time_limit_stop(done, actor=actor)

    case_machine.apply(
        case, "settlement_performed", actor=actor, note=_("和解协议履行完毕"),
        changes={"concluded_at": timezone.now(), "conclusion_note": _("执行和解协议履行完毕")},
        after=after,
    )  # fmt: skip


def resumption_period_ends_on(settlement: Settlement) -> datetime.date:
    years = conf_endings.get("ENFORCEMENT_SETTLEMENT_RESUMPTION_YEARS")
    return add_months(settlement_last_day(settlement), 12 * years)


@transaction.atomic
def settlement_breach(*, settlement: Settlement, actor, applied_on, note: str) -> Settlement:
    """The debtor did not perform the settlement; on the applicant's application the
    original basis is enforced again (the case back to 执行中, the limit running again).
    Late applications (more than 2 years after the settlement's last performance day)
    are accepted and flagged, never refused."""
    settlement = _lock(settlement)
    case = settlement.case
    require_staff(case, actor)
    note = clean_text(note, "note", _("请写明被执行人未履行和解协议的情况。"))
    applied_on = _date(applied_on, "applied_on")
    if applied_on > timezone.localdate():
        raise ValidationError({"applied_on": [_("申请日期不能晚于今天。")]})
    if settlement.status != SettlementStatus.PERFORMING:
        from common.statemachine import TransitionNotAllowed

        raise TransitionNotAllowed(
            _("和解协议已“%(s)s”。") % {"s": settlement.get_status_display()}
        )
    ends_on = resumption_period_ends_on(settlement)

    def after(resumed):
        before = snapshot(settlement)
        settlement.status = SettlementStatus.BROKEN
        settlement.ended_at = timezone.now()
        settlement.breach_note = note
        settlement.resumption_applied_on = applied_on
        settlement.resumption_period_ends_on = ends_on
        settlement.resumption_late = applied_on > ends_on
        settlement.save()
        audit_change(settlement, actor=actor, before=before, note=_("和解协议未履行"))
        for instalment in settlement.instalments.select_related("reminder"):
            reminder = instalment.reminder
            if reminder is not None and reminder.state == Deadline.State.PENDING:
                deadline_cancel(reminder, actor=actor, reason=_("和解协议未履行，恢复执行"))
        limit = case_clock(resumed, TIME_LIMIT)
        if limit is not None and limit.state == Deadline.State.PAUSED:
            deadline_resume(limit, actor=actor)

    late = ""
    if applied_on > ends_on:
        late = _("（已超过申请恢复执行期间 %(d)s，被执行人可提出抗辩）") % {
            "d": ends_on.isoformat()
        }
    case_machine.apply(case, "settlement_broken", actor=actor, note=(note + late)[:200],
                       after=after)  # fmt: skip
    settlement.refresh_from_db()
    return settlement
