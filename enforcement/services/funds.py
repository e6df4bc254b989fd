"""Writes of the case-fund ledger (案款, 一案一账号). See enforcement/models/funds.py.

Every write that moves money goes through `_post`: it locks the case's account row
(select_for_update), checks that the balance stays >= 0 (a clear refusal; the database's
CheckConstraint is the last word), writes the numbered entry with the balance after it,
updates the account and writes the audit entries — all in one transaction.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import (
    audit_bulk_write,
    audit_change,
    audit_create,
    audit_create_entry,
    audit_transition_entry,
)
from common.money import format_yuan, to_yuan
from common.statemachine import TransitionNotAllowed
from deadlines import services as deadline_services
from deadlines.engine import resolve_rule
from deadlines.models import Deadline
from enforcement.models import (
    PRE_FILING_STATUSES,
    DirectPayment,
    DirectPaymentEvidence,
    DisbursementKind,
    EnforcementCase,
    EnforcementRole,
    EntryKind,
    FeeKind,
    FundAccount,
    FundDisbursement,
    FundEntry,
    FundReceipt,
    ReceiptSource,
)
from enforcement.selectors import acting_roles
from enforcement.selectors_funds import (
    PAYOUT_CLOCK,
    applicant_allocations,
    applicants_with_shares,
    case_fund_summary,
    receipt_state,
)
from enforcement.states_funds import FUNDS_STAFF, approver_roles, disbursement_machine


class FundsRefused(TransitionNotAllowed):
    """The ledger refuses the operation (e.g. more than the balance): API 409, page message."""


def require_funds_staff(case: EnforcementCase, actor) -> None:
    if not (acting_roles(actor, case.court) & FUNDS_STAFF):
        raise PermissionDenied(_("您的角色无权办理案款。"))


def _money(value, *, field: str) -> Decimal:
    """A positive amount of yuan with at most two places (fen); floats are refused."""
    if isinstance(value, float):
        raise ValidationError({field: _("金额须为字符串或 Decimal，不能是浮点数。")})
    try:
        exact = Decimal(value)
        amount = to_yuan(value)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ValidationError({field: _("请填写金额，例如 1234.56。")}) from exc
    if exact != amount:
        raise ValidationError({field: _("金额最多两位小数（分）。")})
    if amount <= 0:
        raise ValidationError({field: _("金额须大于零。")})
    return amount


def _lock_account(case: EnforcementCase) -> FundAccount:
    """The case's account row, created on first use, locked for this transaction."""
    FundAccount.objects.get_or_create(case=case)
    account = FundAccount.objects.select_for_update().get(case=case)
    account.case = case
    return account


def _post(account: FundAccount, entries: list[FundEntry], *, actor) -> list[FundEntry]:
    """Number the entries, carry the balance, refuse a negative balance, save and audit.
    `account` must be locked by the caller's transaction."""
    balance = account.balance
    number = account.last_entry_number
    for entry in entries:
        balance += entry.amount
        if balance < 0:
            raise FundsRefused(
                _("案款余额不足：账上余额 %(balance)s，本次支出 %(amount)s。")
                % {
                    "balance": format_yuan(balance - entry.amount),
                    "amount": format_yuan(-entry.amount),
                }
            )
        number += 1
        entry.case = account.case
        entry.number = number
        entry.balance_after = balance
        entry.created_by = actor
    FundEntry.objects.bulk_create(entries)
    account.balance = balance
    account.last_entry_number = number
    account.save(update_fields=["balance", "last_entry_number", "updated_at"])
    audit_bulk_write(
        [audit_create_entry(entry, actor=actor, note=entry.reason) for entry in entries]
    )
    return entries


# --- the payout clock ---------------------------------------------------------------------


def payout_period(court) -> tuple[int | None, str | None]:
    """(amount, unit) for the payout clock, or (None, None) to let the deadlines engine
    decide. Order: the court's local rule (deadlines admin: DeadlineRule for
    enforcement.funds_disbursement, e.g. 5 working days) > settings
    ENFORCEMENT_FUNDS_PAYOUT_PERIOD (e.g. (10, "working_days")) > the statutory 30 days."""
    configured = getattr(settings, "ENFORCEMENT_FUNDS_PAYOUT_PERIOD", None)
    if not configured:
        return None, None
    if resolve_rule(PAYOUT_CLOCK, court).source == "local":
        return None, None
    amount, unit = configured
    return int(amount), unit


def _receipt_moment(received_on: datetime.date) -> datetime.datetime:
    """The clock runs from the day the money arrived (the period begins the next day)."""
    today = timezone.localdate()
    if received_on == today:
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(12, 0)))


def _start_payout_clock(receipt: FundReceipt, *, actor):
    amount, unit = payout_period(receipt.case.court)
    return deadline_services.deadline_start(
        subject=receipt,
        kind=PAYOUT_CLOCK,
        start=_receipt_moment(receipt.received_on),
        owner=receipt.case.officer,
        organisation=receipt.case.court,
        actor=actor,
        amount=amount,
        unit=unit,
    )


# --- receipts -----------------------------------------------------------------------------


@transaction.atomic
def fund_receipt_record(
    *,
    case: EnforcementCase,
    amount,
    source: str,
    received_on: datetime.date,
    actor,
    note: str = "",
    payer: str = "",
    control=None,
    control_kind: str = "",
) -> FundReceipt:
    """Money arrived in the case's account: the receipt, its ledger entry (+amount), the
    new balance and the payout clock (enforcement.funds_disbursement) in one step.

    `control` is the measure the money came from (e.g. enf-assets' deduction on a frozen
    account): any saved model instance (its id and `app_label.model` are kept) or an int id
    with `control_kind`. The ledger keeps a plain reference and depends on no assets model."""
    require_funds_staff(case, actor)
    if case.status in PRE_FILING_STATUSES:
        raise FundsRefused(_("尚未立案的督促事项没有案款账户。"))
    amount = _money(amount, field="amount")
    if source not in ReceiptSource.values:
        raise ValidationError({"source": _("请选择案款来源。")})
    if not isinstance(received_on, datetime.date):
        raise ValidationError({"received_on": _("请填写到账日期。")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("到账日期不能晚于今天。")})
    control_id = None
    if control is not None:
        if isinstance(control, int):
            control_id = control
            if not control_kind:
                raise ValidationError({"control_kind": _("请注明来源措施类型。")})
        else:
            control_id = control.pk
            control_kind = control_kind or control._meta.label_lower
    account = _lock_account(case)
    receipt = FundReceipt.objects.create(
        case=case,
        amount=amount,
        source=source,
        received_on=received_on,
        payer=payer[:120],
        note=note[:500],
        control_kind=control_kind[:40],
        control_id=control_id,
        recorded_by=actor,
    )
    audit_create(receipt, actor=actor)
    _post(
        account,
        [
            FundEntry(
                kind=EntryKind.RECEIPT,
                amount=amount,
                occurred_on=received_on,
                receipt=receipt,
                reason=_("%(source)s到账") % {"source": receipt.get_source_display()},
            )
        ],
        actor=actor,
    )
    _start_payout_clock(receipt, actor=actor)
    return receipt


def account_for(case: EnforcementCase) -> FundAccount | None:
    return FundAccount.objects.filter(case=case).first()


# --- disbursements ------------------------------------------------------------------------


def _check_payee(case: EnforcementCase, payee, recipient, kind: str):
    if payee.case_id != case.pk:
        raise ValidationError({"payee": _("该当事人不属于本案。")})
    if kind == DisbursementKind.PAYOUT and payee.role != EnforcementRole.APPLICANT:
        raise ValidationError({"payee": _("案款只能发放给申请执行人。")})
    if kind == DisbursementKind.REFUND and payee.role not in (
        EnforcementRole.DEBTOR,
        EnforcementRole.GUARANTOR,
    ):
        raise ValidationError({"payee": _("退还对象须为被执行人或担保人。")})
    recipient = recipient or payee
    if recipient.pk not in (payee.pk, payee.represented_by_id):
        raise ValidationError({"recipient": _("领款人须为权利人本人或其代表人。")})
    return recipient


def _refuse_over(available: Decimal, amount: Decimal, message: str) -> None:
    if amount > available:
        raise FundsRefused(
            message % {"available": format_yuan(available), "amount": format_yuan(amount)}
        )


@transaction.atomic
def disbursement_request(
    *,
    receipt: FundReceipt,
    payee,
    amount,
    actor,
    recipient=None,
    kind: str = DisbursementKind.PAYOUT,
    note: str = "",
) -> FundDisbursement:
    """Ask to pay `amount` from `receipt` to `payee` (an applicant; a refund goes to the
    debtor). Reserved at once against the receipt and the balance; paid after approval."""
    case = receipt.case
    require_funds_staff(case, actor)
    if kind not in DisbursementKind.values:
        raise ValidationError({"kind": _("请选择发放或退还。")})
    amount = _money(amount, field="amount")
    recipient = _check_payee(case, payee, recipient, kind)
    account = _lock_account(case)
    state = receipt_state(receipt)
    if state.reversed:
        raise FundsRefused(_("该笔到账已冲正，不能从中发放。"))
    _refuse_over(state.available, amount,
                 _("该笔到账可发放余额为 %(available)s，申请金额 %(amount)s 超出。"))  # fmt: skip
    summary = case_fund_summary(case)
    _refuse_over(min(summary.available, account.balance), amount,
                 _("案款余额不足：可发放余额 %(available)s，申请金额 %(amount)s。"))  # fmt: skip
    if kind == DisbursementKind.PAYOUT and payee.share is not None:
        allocation = applicant_allocations(case).get(payee.pk)
        taken = (allocation.paid + allocation.pending) if allocation else Decimal("0.00")
        _refuse_over(max(payee.share - taken, Decimal("0.00")), amount,
                     _("超过该申请执行人尚未受偿的份额 %(available)s（申请 %(amount)s）。"))  # fmt: skip
    disbursement = FundDisbursement.objects.create(
        case=case,
        receipt=receipt,
        kind=kind,
        payee=payee,
        recipient=recipient,
        amount=amount,
        note=note[:500],
        requested_by=actor,
    )
    audit_create(disbursement, actor=actor)
    return disbursement


VIA_INDIVIDUAL = "individual"
VIA_REPRESENTATIVES = "representatives"


@transaction.atomic
def disbursements_propose(
    *, receipt: FundReceipt, actor, via: str = VIA_INDIVIDUAL, note: str = ""
) -> list[FundDisbursement]:
    """Propose the payout of what `receipt` still holds to every applicant owed money, by
    shares (enforcement/funds_split.py: largest remainder, ties by position), in one step.
    `via` = "representatives": each applicant's money is received by their representative
    (代表人) where they have one; "individual": by each applicant."""
    from enforcement.funds_split import split_by_weights

    case = receipt.case
    require_funds_staff(case, actor)
    if via not in (VIA_INDIVIDUAL, VIA_REPRESENTATIVES):
        raise ValidationError({"via": _("请选择逐人发放或通过代表人发放。")})
    _lock_account(case)
    state = receipt_state(receipt)
    if state.reversed:
        raise FundsRefused(_("该笔到账已冲正，不能从中发放。"))
    summary = case_fund_summary(case)
    available = min(state.available, summary.available)
    if available <= 0:
        raise FundsRefused(_("该笔到账已无可发放余额。"))
    applicants = list(applicants_with_shares(case))
    if not any(a.share is not None for a in applicants):
        raise FundsRefused(_("请先登记各申请执行人的应得份额，再按份额分配。"))
    allocations = applicant_allocations(case)
    weights = []
    for applicant in applicants:
        if applicant.share is None:
            continue
        allocation = allocations.get(applicant.pk)
        taken = (allocation.paid + allocation.pending) if allocation else Decimal("0.00")
        weights.append((applicant, max(applicant.share - taken, Decimal("0.00"))))
    parts = split_by_weights(available, weights)
    if not parts:
        raise FundsRefused(_("各申请执行人的份额均已足额发放或已申请。"))
    now = timezone.now()
    rows = [
        FundDisbursement(
            case=case,
            receipt=receipt,
            kind=DisbursementKind.PAYOUT,
            payee=applicant,
            recipient_id=(
                applicant.represented_by_id
                if via == VIA_REPRESENTATIVES and applicant.represented_by_id
                else applicant.pk
            ),
            amount=amount,
            note=note[:500],
            requested_by=actor,
            requested_at=now,
        )
        for applicant, amount in parts.items()
    ]
    FundDisbursement.objects.bulk_create(rows)
    audit_bulk_write([audit_create_entry(row, actor=actor, note=_("按份额分配")) for row in rows])
    return rows


def require_approver(case: EnforcementCase, actor) -> None:
    if not (acting_roles(actor, case.court) & approver_roles()):
        raise PermissionDenied(_("案款发放须由院长、庭长或指定的审批人批准。"))


def _transition_many(
    disbursements, name: str, *, actor, note: str = "", changes: dict | None = None
) -> list[FundDisbursement]:
    """Apply transition `name` to every disbursement, all or none: rows locked, each
    checked by the machine, one bulk update, one audit entry each."""
    ids = sorted({d.pk for d in disbursements})
    if not ids:
        raise ValidationError({"disbursements": _("请选择要办理的发放记录。")})
    locked = list(
        FundDisbursement.objects.select_for_update(of=("self",))
        .select_related("case__court__region", "payee", "receipt")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len({d.case_id for d in locked}) != 1:
        raise ValidationError({"disbursements": _("一次只能办理同一案件的发放记录。")})
    transition = disbursement_machine.transitions[name]
    label = disbursement_machine._working_language_label(transition)
    changes = changes or {}
    entries = []
    for disbursement in locked:
        reason = disbursement_machine.refusal(disbursement, name, actor)
        if reason:
            raise FundsRefused(f"{disbursement.payee.name}：{reason}")
        before = {"status": disbursement.status}
        before.update({key: getattr(disbursement, key) for key in changes})
        disbursement.status = transition.target
        for key, value in changes.items():
            setattr(disbursement, key, value)
        after = {key: getattr(disbursement, key) for key in before}
        entries.append(
            audit_transition_entry(
                disbursement,
                actor=actor,
                transition=name,
                transition_label=label,
                before=before,
                after=after,
                note=note,
            )  # fmt: skip
        )
    FundDisbursement.objects.bulk_update(locked, ["status", *changes])
    audit_bulk_write(entries)
    return locked


def _case_of(disbursements) -> EnforcementCase:
    cases = {d.case_id for d in disbursements}
    if len(cases) != 1:
        raise ValidationError({"disbursements": _("一次只能办理同一案件的发放记录。")})
    return disbursements[0].case


@transaction.atomic
def disbursements_approve(*, disbursements, actor, note: str = "") -> list[FundDisbursement]:
    """Approve (审批) requested disbursements: an approver role, never the requester."""
    disbursements = list(disbursements)
    case = _case_of(disbursements)
    require_approver(case, actor)
    if any(d.requested_by_id == actor.pk for d in disbursements):
        raise FundsRefused(_("审批人不能是申请人本人：请由其他有审批权的人员批准。"))
    return _transition_many(disbursements, "approve", actor=actor, note=note, changes={
        "decided_by": actor, "decided_at": timezone.now(), "decision_note": note[:500]})  # fmt: skip


@transaction.atomic
def disbursements_refuse(*, disbursements, actor, note: str) -> list[FundDisbursement]:
    disbursements = list(disbursements)
    case = _case_of(disbursements)
    require_approver(case, actor)
    if not note.strip():
        raise ValidationError({"note": _("请填写不予批准的理由。")})
    if any(d.requested_by_id == actor.pk for d in disbursements):
        raise FundsRefused(_("审批人不能是申请人本人：请由其他有审批权的人员审批。"))
    return _transition_many(disbursements, "refuse", actor=actor, note=note, changes={
        "decided_by": actor, "decided_at": timezone.now(), "decision_note": note[:500]})  # fmt: skip


@transaction.atomic
def disbursements_cancel(*, disbursements, actor, note: str = "") -> list[FundDisbursement]:
    disbursements = list(disbursements)
    require_funds_staff(_case_of(disbursements), actor)
    return _transition_many(disbursements, "cancel", actor=actor, note=note)


def _meet_clocks_of_paid_out(receipt_ids, *, actor) -> None:
    """Meet the payout clock of every receipt whose money has all left the account."""
    receipts = FundReceipt.objects.filter(pk__in=receipt_ids).select_related("case")
    for receipt in receipts:
        if not receipt_state(receipt).paid_out:
            continue
        for clock in Deadline.objects.filter(
            content_type__app_label="enforcement",
            content_type__model="fundreceipt",
            object_id=receipt.pk,
            kind=PAYOUT_CLOCK,
            state__in=Deadline.OPEN_STATES,
        ):
            deadline_services.deadline_meet(clock, actor=actor)


@transaction.atomic
def disbursements_pay(
    *, disbursements, actor, paid_on: datetime.date, bank_reference: str
) -> list[FundDisbursement]:
    """Pay approved disbursements (支付): the payout date and the bank's reference are
    recorded, each leaves the account by its own entry; the balance may not go negative.
    A receipt whose money has all gone out has its payout clock met."""
    disbursements = list(disbursements)
    case = _case_of(disbursements)
    require_funds_staff(case, actor)
    bank_reference = (bank_reference or "").strip()
    if not bank_reference:
        raise ValidationError({"bank_reference": _("请填写银行流水号。")})
    if not isinstance(paid_on, datetime.date):
        raise ValidationError({"paid_on": _("请填写支付日期。")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("支付日期不能晚于今天。")})
    account = _lock_account(case)
    locked = _transition_many(disbursements, "pay", actor=actor, changes={
        "paid_on": paid_on, "bank_reference": bank_reference[:64], "paid_by": actor})  # fmt: skip
    early = [d for d in locked if paid_on < d.receipt.received_on]
    if early:
        raise ValidationError({"paid_on": _("支付日期不能早于该笔案款的到账日期。")})
    _post(
        account,
        [
            FundEntry(
                kind=EntryKind.PAYOUT if d.kind == DisbursementKind.PAYOUT else EntryKind.REFUND,
                amount=-d.amount,
                occurred_on=paid_on,
                receipt_id=d.receipt_id,
                disbursement=d,
                reason=_("%(kind)s：%(name)s（领款人 %(recipient)s，流水号 %(ref)s）")
                % {
                    "kind": d.get_kind_display(),
                    "name": d.payee.name,
                    "recipient": d.recipient.name,
                    "ref": bank_reference[:64],
                },
            )
            for d in FundDisbursement.objects.filter(pk__in=[d.pk for d in locked])
            .select_related("payee", "recipient")
            .order_by("pk")
        ],
        actor=actor,
    )
    _meet_clocks_of_paid_out({d.receipt_id for d in locked}, actor=actor)
    return locked


# --- fees ---------------------------------------------------------------------------------


@transaction.atomic
def fund_fee_record(
    *,
    case: EnforcementCase,
    amount,
    fee_kind: str,
    occurred_on: datetime.date,
    actor,
    receipt: FundReceipt | None = None,
    reason: str = "",
) -> FundEntry:
    """A fee (执行费, 评估费 …) taken from the case's account, from `receipt` if given."""
    require_funds_staff(case, actor)
    amount = _money(amount, field="amount")
    if fee_kind not in FeeKind.values:
        raise ValidationError({"fee_kind": _("请选择费用类型。")})
    if not isinstance(occurred_on, datetime.date) or occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("请填写不晚于今天的日期。")})
    if receipt is not None and receipt.case_id != case.pk:
        raise ValidationError({"receipt": _("该笔到账不属于本案。")})
    account = _lock_account(case)
    if receipt is not None:
        state = receipt_state(receipt)
        if state.reversed:
            raise FundsRefused(_("该笔到账已冲正。"))
        _refuse_over(state.available, amount,
                     _("该笔到账可用余额为 %(available)s，费用 %(amount)s 超出。"))  # fmt: skip
    summary = case_fund_summary(case)
    _refuse_over(min(summary.available, account.balance), amount,
                 _("案款余额不足：可用余额 %(available)s，费用 %(amount)s。"))  # fmt: skip
    [entry] = _post(
        account,
        [
            FundEntry(
                kind=EntryKind.FEE,
                amount=-amount,
                occurred_on=occurred_on,
                receipt=receipt,
                fee_kind=fee_kind,
                reason=(reason or FeeKind(fee_kind).label)[:500],
            )
        ],
        actor=actor,
    )
    if receipt is not None:
        _meet_clocks_of_paid_out({receipt.pk}, actor=actor)
    return entry


# --- corrections --------------------------------------------------------------------------


@transaction.atomic
def fund_entry_reverse(*, entry: FundEntry, actor, reason: str) -> FundEntry:
    """Correct a mistake: a reversing entry (冲正) with the opposite amount and a reason.
    The original stays. A receipt can be reversed only while nothing has been drawn on it
    (reverse those first); a reversed payout returns its disbursement (已冲正)."""
    case = entry.case
    require_funds_staff(case, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写冲正事由。")})
    account = _lock_account(case)
    entry = FundEntry.objects.select_related("receipt", "disbursement").get(pk=entry.pk)
    if entry.kind == EntryKind.REVERSAL:
        raise FundsRefused(_("冲正分录不能再冲正：如有错误，请重新登记。"))
    if FundEntry.objects.filter(reverses=entry).exists():
        raise FundsRefused(_("该分录已冲正。"))
    if entry.kind == EntryKind.RECEIPT:
        state = receipt_state(entry.receipt)
        if state.remaining != entry.amount or state.pending:
            raise FundsRefused(_("该笔到账已有发放、费用或待审批的发放，请先冲正或撤回这些记录。"))
    [reversal] = _post(
        account,
        [
            FundEntry(
                kind=EntryKind.REVERSAL,
                amount=-entry.amount,
                occurred_on=timezone.localdate(),
                receipt=entry.receipt,
                disbursement=entry.disbursement,
                fee_kind=entry.fee_kind,
                reverses=entry,
                reason=reason[:500],
            )
        ],
        actor=actor,
    )
    if entry.kind == EntryKind.RECEIPT:
        for clock in Deadline.objects.filter(
            content_type__app_label="enforcement",
            content_type__model="fundreceipt",
            object_id=entry.receipt_id,
            kind=PAYOUT_CLOCK,
            state__in=Deadline.OPEN_STATES,
        ):
            deadline_services.deadline_cancel(clock, actor=actor, reason=_("到账已冲正"))
    elif entry.disbursement_id:
        _transition_many([entry.disbursement], "return", actor=actor, note=reason)
    return reversal


# --- direct performance (outside the court's account) -------------------------------------


@transaction.atomic
def direct_payment_record(
    *,
    case: EnforcementCase,
    payee,
    amount,
    paid_on: datetime.date,
    evidence: str,
    actor,
    note: str = "",
) -> DirectPayment:
    """The applicant confirms the debtor paid them directly (直接履行): recorded against
    what they are owed, so the case can end as performed without the money passing through
    the court. Never more than is still owed to the applicants."""
    require_funds_staff(case, actor)
    if case.status in PRE_FILING_STATUSES:
        raise FundsRefused(_("尚未立案的督促事项请在督促程序中记录履行情况。"))
    if not case.is_money_case:
        raise FundsRefused(_("本案不是金钱给付案件。"))
    amount = _money(amount, field="amount")
    if payee.case_id != case.pk or payee.role != EnforcementRole.APPLICANT:
        raise ValidationError({"payee": _("请选择本案的申请执行人。")})
    if evidence not in DirectPaymentEvidence.values:
        raise ValidationError({"evidence": _("请选择申请执行人的确认方式。")})
    if not isinstance(paid_on, datetime.date):
        raise ValidationError({"paid_on": _("请填写履行日期。")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("履行日期不能晚于今天。")})
    # lock the case row: two clerks recording at once cannot together exceed what is owed
    EnforcementCase.objects.select_for_update().filter(pk=case.pk).first()
    owed = case_fund_summary(case).owed_to_applicants
    _refuse_over(
        owed, amount, _("申请执行人尚未受偿 %(available)s，不能登记 %(amount)s 的直接履行。")
    )
    payment = DirectPayment.objects.create(
        case=case, payee=payee, amount=amount, paid_on=paid_on, evidence=evidence,
        note=note[:500], recorded_by=actor,
    )  # fmt: skip
    audit_create(payment, actor=actor)
    return payment


@transaction.atomic
def direct_payment_withdraw(*, payment: DirectPayment, actor, reason: str) -> DirectPayment:
    """A direct payment recorded in error is withdrawn with its reason, never deleted."""
    require_funds_staff(payment.case, actor)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明撤销理由。")})
    payment = DirectPayment.objects.select_for_update().get(pk=payment.pk)
    if payment.withdrawn_at:
        raise FundsRefused(_("该直接履行记录已撤销。"))
    from enforcement.models import CaseStatus

    if payment.case.status == CaseStatus.PERFORMED:
        raise FundsRefused(_("案件已执行完毕，不能撤销其履行记录。"))
    before = {"withdrawn_at": None, "withdrawal_reason": ""}
    payment.withdrawn_at = timezone.now()
    payment.withdrawn_by = actor
    payment.withdrawal_reason = reason.strip()[:500]
    payment.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_change(payment, actor=actor, before=before)
    return payment


# --- the performance guard ---------------------------------------------------------------


def funds_performance_refusal(case: EnforcementCase) -> str | None:
    """执行完毕 is refused while the applicants are owed money or money is held."""
    if not case.is_money_case:
        return None
    summary = case_fund_summary(case)
    if summary.owed_to_applicants > 0:
        return _(
            "申请执行人尚有 %(owed)s 未获发放（执行标的 %(ordered)s，已发放 %(paid)s，"
            "直接履行 %(direct)s），不能以执行完毕结案。"
        ) % {
            "owed": format_yuan(summary.owed_to_applicants),
            "ordered": format_yuan(summary.ordered),
            "paid": format_yuan(summary.paid_to_applicants),
            "direct": format_yuan(summary.paid_directly),
        }
    if summary.balance > 0:
        return _("案款账户尚有 %(balance)s 未发放或退还，不能以执行完毕结案。") % {
            "balance": format_yuan(summary.balance)
        }
    return None
