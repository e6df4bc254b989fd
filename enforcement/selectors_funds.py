"""Reads of the case-fund ledger: what each receipt still holds, what each applicant has
been paid, the case's totals (received, paid, fees, balance, outstanding) and the
disbursement cycle per receipt and per court. Queries stay constant in the case's size.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from deadlines.models import Deadline
from organisations.roles import Role

from .case_data import may_hold, shared
from .models import (
    PENDING_DISBURSEMENT,
    DirectPayment,
    DisbursementKind,
    DisbursementStatus,
    EnforcementCase,
    EnforcementRole,
    EntryKind,
    FundAccount,
    FundDisbursement,
    FundEntry,
    FundReceipt,
)
from .selectors import court_roles, courts_visible_to, enforcement_scope

ZERO = Decimal("0.00")
RECONCILERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
PAYOUT_CLOCK = "enforcement.funds_disbursement"


def _sum(queryset, expression="amount") -> Decimal:
    return queryset.aggregate(total=Sum(expression))["total"] or ZERO


@dataclass
class ReceiptState:
    receipt: FundReceipt
    reversed: bool
    remaining: Decimal  # still in the account from this receipt (ledger)
    pending: Decimal  # asked for or approved, not yet paid
    last_out_on: datetime.date | None
    clock: Deadline | None = None

    @property
    def available(self) -> Decimal:
        """What may still be proposed or asked for from this receipt."""
        return max(self.remaining - self.pending, ZERO)

    @property
    def drawn(self) -> Decimal:
        return ZERO if self.reversed else self.receipt.amount - self.remaining

    @property
    def paid_out(self) -> bool:
        return not self.reversed and self.remaining == 0 and self.pending == 0

    @property
    def cycle_days(self) -> int | None:
        """发放周期: days from the money's arrival to the last payout from it."""
        if not self.paid_out or self.last_out_on is None:
            return None
        return (self.last_out_on - self.receipt.received_on).days


def receipt_states(case: EnforcementCase, *, with_clocks: bool = False) -> list[ReceiptState]:
    """Every receipt of the case with what it still holds (three or four queries)."""
    receipts = list(FundReceipt.objects.filter(case=case).order_by("received_on", "id"))
    return receipt_states_of(receipts, with_clocks=with_clocks)


def receipt_states_of(receipts: list[FundReceipt], *, with_clocks: bool = False):
    """`receipt_states` of the given receipts, of one case or many (four or five queries)."""
    ids = [r.pk for r in receipts]
    remaining = dict(
        FundEntry.objects.filter(receipt_id__in=ids)
        .values_list("receipt_id")
        .annotate(total=Sum("amount"))
    )
    reversed_ids = set(
        FundEntry.objects.filter(
            receipt_id__in=ids, kind=EntryKind.RECEIPT, reversed_by__isnull=False
        ).values_list("receipt_id", flat=True)
    )
    pending = dict(
        FundDisbursement.objects.filter(receipt_id__in=ids, status__in=PENDING_DISBURSEMENT)
        .values_list("receipt_id")
        .annotate(total=Sum("amount"))
    )
    last_out = dict(
        FundEntry.objects.filter(
            receipt_id__in=ids, kind__in=(EntryKind.PAYOUT, EntryKind.REFUND, EntryKind.FEE)
        )
        .values_list("receipt_id")
        .annotate(last=Max("occurred_on"))
    )
    clocks = {}
    if with_clocks and ids:
        clocks = {
            d.object_id: d
            for d in Deadline.objects.filter(
                content_type=ContentType.objects.get_for_model(FundReceipt),
                object_id__in=ids,
                kind=PAYOUT_CLOCK,
            ).order_by("id")
        }
    return [
        ReceiptState(
            receipt=r,
            reversed=r.pk in reversed_ids,
            remaining=remaining.get(r.pk, ZERO),
            pending=pending.get(r.pk, ZERO),
            last_out_on=last_out.get(r.pk),
            clock=clocks.get(r.pk),
        )
        for r in receipts
    ]


def receipt_state(receipt: FundReceipt) -> ReceiptState:
    remaining = _sum(FundEntry.objects.filter(receipt=receipt))
    reversed_ = FundEntry.objects.filter(
        receipt=receipt, kind=EntryKind.RECEIPT, reversed_by__isnull=False
    ).exists()
    pending = _sum(receipt.disbursements.filter(status__in=PENDING_DISBURSEMENT))
    last_out = FundEntry.objects.filter(receipt=receipt, kind__in=(
        EntryKind.PAYOUT, EntryKind.REFUND, EntryKind.FEE)).aggregate(last=Max("occurred_on"))[
        "last"
    ]  # fmt: skip
    return ReceiptState(receipt, reversed_, remaining, pending, last_out)


@dataclass
class ApplicantAllocation:
    """What one applicant is due (share), has been paid and has asked for."""

    paid: Decimal = ZERO
    pending: Decimal = ZERO


def applicant_allocations(case: EnforcementCase) -> dict[int, ApplicantAllocation]:
    """{CaseParty id: paid and pending payouts} (one query)."""
    rows = (
        FundDisbursement.objects.filter(
            case=case,
            kind=DisbursementKind.PAYOUT,
            status__in=(*PENDING_DISBURSEMENT, DisbursementStatus.PAID),
        )
        .values_list("payee_id", "status")
        .annotate(total=Sum("amount"))
    )
    allocations: dict[int, ApplicantAllocation] = {}
    for payee_id, status, total in rows:
        allocation = allocations.setdefault(payee_id, ApplicantAllocation())
        if status == DisbursementStatus.PAID:
            allocation.paid += total
        else:
            allocation.pending += total
    return allocations


@dataclass
class FundSummary:
    ordered: Decimal
    received: Decimal = ZERO
    paid_to_applicants: Decimal = ZERO
    paid_directly: Decimal = ZERO  # 直接履行: confirmed by the applicant, outside the account
    refunded: Decimal = ZERO
    fees: Decimal = ZERO
    balance: Decimal = ZERO
    reserved: Decimal = ZERO  # asked for or approved, not yet paid
    by_kind: dict = field(default_factory=dict)

    @property
    def owed_to_applicants(self) -> Decimal:
        """执行标的 not yet paid to the applicants (what they still wait for)."""
        return max(self.ordered - self.paid_to_applicants - self.paid_directly, ZERO)

    @property
    def outstanding(self) -> Decimal:
        """未执行到位: ordered − paid to the applicants − held in the account."""
        return max(self.ordered - self.paid_to_applicants - self.paid_directly - self.balance, ZERO)

    @property
    def available(self) -> Decimal:
        """Balance not yet reserved by a request: what may still be asked for."""
        return max(self.balance - self.reserved, ZERO)


def case_fund_summary(case: EnforcementCase) -> FundSummary:
    """The case's money in four queries (once for the whole case page: its actions' guard
    and the funds panel share it). Net amounts: a reversal counts against the kind of the
    entry it reverses."""
    data = shared(case)
    return data.fund_summary if data is not None else read_case_fund_summary(case)


def read_case_fund_summary(case: EnforcementCase) -> FundSummary:
    """`case_fund_summary` read now (on the case page, only what the case has)."""
    summary = FundSummary(ordered=case.amount_ordered if case.is_money_case else ZERO)
    rows = (
        FundEntry.objects.filter(case=case)
        .values_list("kind", "reverses__kind")
        .annotate(total=Sum("amount"))
        if may_hold(case, FundEntry)
        else []
    )
    net: dict[str, Decimal] = {}
    for kind, reversed_kind, total in rows:
        key = reversed_kind if kind == EntryKind.REVERSAL else kind
        net[key] = net.get(key, ZERO) + total
    summary.by_kind = net
    summary.received = net.get(EntryKind.RECEIPT, ZERO)
    summary.paid_to_applicants = -net.get(EntryKind.PAYOUT, ZERO)
    summary.refunded = -net.get(EntryKind.REFUND, ZERO)
    summary.fees = -net.get(EntryKind.FEE, ZERO)
    # the balance and the two sums in one query
    totals = {}
    if any(may_hold(case, model) for model in (FundAccount, FundDisbursement, DirectPayment)):
        totals = (
            EnforcementCase.objects.filter(pk=case.pk)
            .values("pk")
            .annotate(
                balance=Subquery(
                    FundAccount.objects.filter(case=OuterRef("pk"))
                    .order_by("pk")
                    .values("balance")[:1]
                ),
                reserved=_case_sum(
                    FundDisbursement.objects.filter(status__in=PENDING_DISBURSEMENT)
                ),
                paid_directly=_case_sum(DirectPayment.objects.filter(withdrawn_at__isnull=True)),
            )
            .first()
        ) or {}
    summary.balance = totals.get("balance") or ZERO
    summary.reserved = totals.get("reserved") or ZERO
    summary.paid_directly = totals.get("paid_directly") or ZERO
    return summary


def _case_sum(queryset) -> Subquery:
    """The sum of `amount` over the outer case's rows of `queryset`, as a subquery."""
    return Subquery(
        queryset.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(total=Sum("amount"))
        .values("total")
    )


def applicants_with_shares(case: EnforcementCase) -> QuerySet:
    return case.case_parties.filter(role=EnforcementRole.APPLICANT).order_by("position", "id")


def disbursements_for(case: EnforcementCase) -> QuerySet[FundDisbursement]:
    return FundDisbursement.objects.filter(case=case).select_related(
        "payee", "recipient", "receipt", "requested_by", "decided_by", "paid_by"
    )


def entries_for(case: EnforcementCase) -> QuerySet[FundEntry]:
    return FundEntry.objects.filter(case=case).select_related("created_by", "reversed_by")


def court_cycle_average(cases: QuerySet[EnforcementCase]) -> dict:
    """The disbursement cycle over the given cases' receipts that are fully paid out:
    {"receipts": n, "average_days": Decimal | None}. Three queries."""
    receipts = FundReceipt.objects.filter(case__in=cases)
    open_receipts = set(
        FundEntry.objects.filter(receipt__in=receipts)
        .values("receipt_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .values_list("receipt_id", flat=True)
    ) | set(
        FundDisbursement.objects.filter(receipt__in=receipts, status__in=PENDING_DISBURSEMENT)
        .values_list("receipt_id", flat=True)
        .distinct()
    )
    rows = (
        receipts.exclude(pk__in=open_receipts)
        .annotate(
            last_out=Max(
                "entries__occurred_on",
                filter=Q(entries__kind__in=(EntryKind.PAYOUT, EntryKind.REFUND, EntryKind.FEE)),
            ),
        )
        .exclude(last_out__isnull=True)
        .values_list("received_on", "last_out")
    )
    days = [(last - received).days for received, last in rows]
    if not days:
        return {"receipts": 0, "average_days": None}
    average = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"))
    return {"receipts": len(days), "average_days": average}


def reconciliation_scope(user) -> QuerySet[EnforcementCase]:
    """The cases of the courts where the user is a supervisor (院长/庭长; a higher court's
    supervisors reach the courts below) or an admin. Anyone else may not reconcile (403)."""
    cases = enforcement_scope(user)
    if user.is_superuser:
        return cases
    supervised = [
        court.pk
        for court in courts_visible_to(user).select_related("region")
        if court_roles(user, court) & RECONCILERS
    ]
    if not supervised:
        raise PermissionDenied(_("案款对账须由院长、庭长或管理员执行。"))
    return cases.filter(court_id__in=supervised)
