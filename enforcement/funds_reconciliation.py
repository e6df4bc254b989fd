"""Reconciliation of the case-fund ledger (案款对账), run by a supervisor from the page, the
API or `manage.py enforcement_funds_reconcile`. It reads only; every mismatch is listed.

Checks, for every case in scope that has money:
- balance: the account row's balance = the sum of the case's entries = the last entry's
  balance after; entries numbered 1..n without gaps; the account's last number = n;
- receipts: each receipt has exactly one receipt entry for its amount; what has gone out
  of a receipt (paid, refunded, fees) never exceeds it, nor does that plus what is asked for;
- disbursements: each paid disbursement has its out entry for its amount, each returned
  one its reversal; no out entry for a disbursement that is not paid or returned;
- shares: the applicants' shares add up to the amount ordered; no applicant is paid more
  than their share;
- payout clocks: every receipt that is not reversed has its clock; a receipt still holding
  money past its deadline; a clock still open on a receipt that is paid out.
Queries are a fixed number per check, not per case.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.money import format_yuan
from deadlines.models import Deadline

from .models import (
    PENDING_DISBURSEMENT,
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
from .selectors_funds import PAYOUT_CLOCK

ZERO = Decimal("0.00")
ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Mismatch:
    case_id: int
    case_number: str
    check: str  # balance | numbering | receipt | disbursement | share | clock
    severity: str  # error: the books disagree; warning: something to act on
    message: str

    def as_dict(self) -> dict:
        return {
            "case": self.case_id,
            "case_number": self.case_number,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
        }


def _y(value) -> str:
    return format_yuan(value or ZERO)


def reconcile(cases: QuerySet[EnforcementCase]) -> list[Mismatch]:
    """Every mismatch in `cases` (a queryset already scoped to the caller)."""
    case_ids = set(
        FundAccount.objects.filter(case__in=cases).values_list("case_id", flat=True)
    ) | set(FundEntry.objects.filter(case__in=cases).values_list("case_id", flat=True).distinct())
    if not case_ids:
        return []
    numbers = dict(EnforcementCase.objects.filter(pk__in=case_ids).values_list("pk", "case_number"))
    found: list[Mismatch] = []

    def add(case_id, check, severity, message):
        found.append(Mismatch(case_id, numbers.get(case_id, ""), check, severity, message))

    _check_balances(case_ids, add)
    _check_receipts(case_ids, add)
    _check_disbursements(case_ids, add)
    _check_shares(case_ids, add)
    _check_clocks(case_ids, add)
    found.sort(key=lambda m: (m.severity != ERROR, m.case_number, m.check))
    return found


def _check_balances(case_ids, add) -> None:
    accounts = {
        a.case_id: a for a in FundAccount.objects.filter(case_id__in=case_ids).only(
            "case_id", "balance", "last_entry_number")
    }  # fmt: skip
    sums = {
        row["case_id"]: row
        for row in FundEntry.objects.filter(case_id__in=case_ids)
        .values("case_id")
        .annotate(total=Sum("amount"), count=Count("id"), last=Max("number"))
    }
    entries = FundEntry.objects.filter(case_id__in=case_ids)
    if connections[entries.db].features.can_distinct_on_fields:
        last_entries = entries.order_by("case_id", "-number").distinct("case_id")
    else:
        # SQLite (`make run`) has no DISTINCT ON: the entry whose number is its case's last
        last_entries = entries.filter(
            number=Subquery(
                FundEntry.objects.filter(case_id=OuterRef("case_id"))
                .order_by("-number")
                .values("number")[:1]
            )
        )
    last_balances = dict(last_entries.values_list("case_id", "balance_after"))
    for case_id in case_ids:
        account = accounts.get(case_id)
        row = sums.get(case_id, {"total": ZERO, "count": 0, "last": 0})
        if account is None:
            add(case_id, "balance", ERROR, _("有分录但没有案款账户。"))
            continue
        if account.balance != row["total"]:
            add(case_id, "balance", ERROR,
                _("账户余额 %(balance)s 与分录合计 %(total)s 不符（差额 %(diff)s）。") % {
                    "balance": _y(account.balance), "total": _y(row["total"]),
                    "diff": _y(account.balance - row["total"])})  # fmt: skip
        if row["count"] and last_balances.get(case_id) != account.balance:
            add(case_id, "balance", ERROR,
                _("最后一笔分录后的余额 %(last)s 与账户余额 %(balance)s 不符。") % {
                    "last": _y(last_balances.get(case_id)), "balance": _y(account.balance)})  # fmt: skip
        if row["count"] != (row["last"] or 0) or account.last_entry_number != (row["last"] or 0):
            add(case_id, "numbering", ERROR,
                _("分录编号不连续：共 %(count)d 笔，最大编号 %(last)s，账户记录 %(account)d。") % {
                    "count": row["count"], "last": row["last"] or 0,
                    "account": account.last_entry_number})  # fmt: skip
    # the running balance itself: each entry's balance after = the previous one + amount
    previous: dict[int, Decimal] = {}
    for case_id, number, amount, after in (
        FundEntry.objects.filter(case_id__in=case_ids)
        .order_by("case_id", "number")
        .values_list("case_id", "number", "amount", "balance_after")
        .iterator(chunk_size=2000)
    ):
        expected = previous.get(case_id, ZERO) + amount
        if after != expected:
            add(case_id, "balance", ERROR,
                _("第 %(number)d 笔分录后的余额 %(after)s 应为 %(expected)s。") % {
                    "number": number, "after": _y(after), "expected": _y(expected)})  # fmt: skip
        previous[case_id] = after


def _check_receipts(case_ids, add) -> None:
    receipts = list(
        FundReceipt.objects.filter(case_id__in=case_ids).values_list(
            "pk", "case_id", "amount", "received_on"
        )
    )
    ids = [r[0] for r in receipts]
    receipt_entries = defaultdict(list)
    for receipt_id, amount in FundEntry.objects.filter(
        receipt_id__in=ids, kind=EntryKind.RECEIPT
    ).values_list("receipt_id", "amount"):
        receipt_entries[receipt_id].append(amount)
    net = dict(
        FundEntry.objects.filter(receipt_id__in=ids)
        .values_list("receipt_id")
        .annotate(total=Sum("amount"))
    )
    pending = dict(
        FundDisbursement.objects.filter(receipt_id__in=ids, status__in=PENDING_DISBURSEMENT)
        .values_list("receipt_id")
        .annotate(total=Sum("amount"))
    )
    paid = dict(
        FundDisbursement.objects.filter(receipt_id__in=ids, status=DisbursementStatus.PAID)
        .values_list("receipt_id")
        .annotate(total=Sum("amount"))
    )
    for pk, case_id, amount, received_on in receipts:
        label = _("%(date)s 到账 %(amount)s") % {"date": received_on, "amount": _y(amount)}
        entries = receipt_entries.get(pk, [])
        if entries != [amount]:
            add(case_id, "receipt", ERROR,
                _("%(label)s：到账分录应为一笔 %(amount)s，实为 %(found)s。") % {
                    "label": label, "amount": _y(amount),
                    "found": "、".join(_y(e) for e in entries) or _("无")})  # fmt: skip
        remaining = net.get(pk, ZERO)
        if remaining < 0:
            add(case_id, "receipt", ERROR,
                _("%(label)s：已支出超过到账金额 %(over)s。") % {
                    "label": label, "over": _y(-remaining)})  # fmt: skip
        elif remaining - pending.get(pk, ZERO) < 0:
            add(case_id, "receipt", ERROR,
                _("%(label)s：已支出与待发放合计超过到账金额。") % {"label": label})  # fmt: skip
        if paid.get(pk, ZERO) > amount:
            add(case_id, "receipt", ERROR,
                _("%(label)s：已支付的发放 %(paid)s 超过到账金额。") % {
                    "label": label, "paid": _y(paid[pk])})  # fmt: skip


def _check_disbursements(case_ids, add) -> None:
    out_entries = defaultdict(list)  # disbursement id -> [(kind, amount, reversed)]
    for disbursement_id, kind, amount, reversed_ in (
        FundEntry.objects.filter(case_id__in=case_ids, disbursement__isnull=False)
        .annotate(was_reversed=Count("reversed_by"))
        .values_list("disbursement_id", "kind", "amount", "was_reversed")
    ):
        out_entries[disbursement_id].append((kind, amount, bool(reversed_)))
    rows = FundDisbursement.objects.filter(case_id__in=case_ids).values_list(
        "pk", "case_id", "status", "amount", "payee__name"
    )
    for pk, case_id, status, amount, name in rows:
        entries = out_entries.get(pk, [])
        outs = [(a, r) for kind, a, r in entries if kind != EntryKind.REVERSAL]
        reversals = [a for kind, a, _r in entries if kind == EntryKind.REVERSAL]
        what = _("发放 %(name)s %(amount)s") % {"name": name, "amount": _y(amount)}
        if status == DisbursementStatus.PAID and outs != [(-amount, False)]:
            add(case_id, "disbursement", ERROR,
                _("%(what)s：已支付，但没有对应的支出分录（或金额不符、已冲正）。") % {"what": what})  # fmt: skip
        elif status == DisbursementStatus.RETURNED and (
            outs != [(-amount, True)] or reversals != [amount]
        ):
            add(case_id, "disbursement", ERROR,
                _("%(what)s：已冲正，但分录与冲正不对应。") % {"what": what})  # fmt: skip
        elif status not in (DisbursementStatus.PAID, DisbursementStatus.RETURNED) and entries:
            add(case_id, "disbursement", ERROR,
                _("%(what)s：尚未支付，却有支出分录。") % {"what": what})  # fmt: skip


def _check_shares(case_ids, add) -> None:
    cases = {
        c.pk: c
        for c in EnforcementCase.objects.filter(pk__in=case_ids).only(
            "pk", "principal", "interest", "costs", "target_kind", "case_number")
    }  # fmt: skip
    shares = dict(
        EnforcementCase.objects.filter(pk__in=case_ids)
        .annotate(
            total=Sum("case_parties__share",
                      filter=Q(case_parties__role=EnforcementRole.APPLICANT)))
        .values_list("pk", "total")
    )  # fmt: skip
    for case_id, total in shares.items():
        case = cases[case_id]
        if case.is_money_case and total is not None and total != case.amount_ordered:
            add(case_id, "share", WARNING,
                _("申请执行人份额合计 %(total)s 与执行标的 %(ordered)s 不符。") % {
                    "total": _y(total), "ordered": _y(case.amount_ordered)})  # fmt: skip
    paid = (
        FundDisbursement.objects.filter(
            case_id__in=case_ids, kind=DisbursementKind.PAYOUT, status=DisbursementStatus.PAID
        )
        .values("case_id", "payee_id", "payee__name", "payee__share")
        .annotate(total=Sum("amount"))
    )
    for row in paid:
        if row["payee__share"] is not None and row["total"] > row["payee__share"]:
            add(row["case_id"], "share", ERROR,
                _("%(name)s 已获发放 %(paid)s，超过其份额 %(share)s。") % {
                    "name": row["payee__name"], "paid": _y(row["total"]),
                    "share": _y(row["payee__share"])})  # fmt: skip


def _check_clocks(case_ids, add) -> None:
    now = timezone.now()
    receipt_type = ContentType.objects.get_for_model(FundReceipt)
    receipts = list(
        FundReceipt.objects.filter(case_id__in=case_ids).values_list(
            "pk", "case_id", "amount", "received_on"
        )
    )
    ids = [r[0] for r in receipts]
    clocks = {
        d.object_id: d
        for d in Deadline.objects.filter(
            content_type=receipt_type, object_id__in=ids, kind=PAYOUT_CLOCK
        ).only("object_id", "state", "due_at")
    }
    reversed_ids = set(
        FundEntry.objects.filter(
            receipt_id__in=ids, kind=EntryKind.RECEIPT, reversed_by__isnull=False
        ).values_list("receipt_id", flat=True)
    )
    holding = dict(
        FundEntry.objects.filter(receipt_id__in=ids)
        .values_list("receipt_id")
        .annotate(total=Sum("amount"))
    )
    pending = set(
        FundDisbursement.objects.filter(receipt_id__in=ids, status__in=PENDING_DISBURSEMENT)
        .values_list("receipt_id", flat=True)
        .distinct()
    )
    for pk, case_id, amount, received_on in receipts:
        if pk in reversed_ids:
            continue
        label = _("%(date)s 到账 %(amount)s") % {"date": received_on, "amount": _y(amount)}
        clock = clocks.get(pk)
        held = holding.get(pk, ZERO)
        if clock is None:
            add(case_id, "clock", ERROR, _("%(label)s：没有发放期限。") % {"label": label})
            continue
        open_ = clock.state in Deadline.OPEN_STATES
        if held > 0 and clock.due_at < now:
            add(case_id, "clock", WARNING,
                _("%(label)s：发放期限 %(due)s 已过，尚有 %(held)s 未发放。") % {
                    "label": label, "due": timezone.localtime(clock.due_at).date(),
                    "held": _y(held)})  # fmt: skip
        elif held > 0 and not open_:
            add(case_id, "clock", WARNING,
                _("%(label)s：发放期限已关闭，但尚有 %(held)s 在账（退回待重新发放）。") % {
                    "label": label, "held": _y(held)})  # fmt: skip
        if held == 0 and pk not in pending and open_:
            add(case_id, "clock", ERROR,
                _("%(label)s：已全部支出，发放期限却仍在计时。") % {"label": label})  # fmt: skip


def reconciliation_data(cases: QuerySet[EnforcementCase]) -> dict:
    """What the page and the API show: counts, the court's payout cycle, every mismatch."""
    from .selectors_funds import court_cycle_average

    found = reconcile(cases)
    errors = sum(1 for m in found if m.severity == ERROR)
    return {
        "cases_checked": FundAccount.objects.filter(case__in=cases).count(),
        "errors": errors,
        "warnings": len(found) - errors,
        "court_cycle": court_cycle_average(cases),
        "mismatches": [m.as_dict() for m in found],
    }
