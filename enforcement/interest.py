"""加倍部分债务利息 (late-payment interest, the doubled part): outstanding × 0.0175 % a day.

The SPC's interpretation on interest for the period of delayed performance: the doubled part
is the money debt the effective document fixed (general interest excluded) that is still
unpaid, × 日万分之一点七五 × the days of delay. The delay runs from the day after the
performance period ends to the day the debt is paid; a debt paid in parts stops accruing on
each part from the day after that part is paid (the day of payment still counts). A debt
due in instalments accrues on each instalment from the day after its own due date.

`late_interest` is pure: Decimal only, no database. The total is the exact sum of the
segments rounded once to the fen (ROUND_HALF_UP); each segment's line shows its own amount
to the fen. The explanation says how every figure was reached.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from common.money import CENT, format_yuan, to_yuan

from . import conf

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Debt:
    """An amount that starts to accrue on `starts_on` (the day after its due date)."""

    starts_on: datetime.date
    amount: Decimal
    label: str = ""


@dataclass(frozen=True)
class Payment:
    paid_on: datetime.date
    amount: Decimal


@dataclass(frozen=True)
class Segment:
    start: datetime.date  # first day counted
    end: datetime.date  # last day counted
    days: int
    outstanding: Decimal
    exact: Decimal
    amount: Decimal  # exact, to the fen
    text: str


@dataclass
class LateInterest:
    amount: Decimal
    rate: Decimal
    days: int  # calendar days from the first day of delay to `until`, both counted
    start: datetime.date | None
    until: datetime.date
    outstanding: Decimal  # still unpaid at the end of `until`
    segments: list[Segment] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return "\n".join(self.lines)

    @property
    def rate_text(self) -> str:
        return rate_percent(self.rate)


def rate_percent(rate: Decimal) -> str:
    """0.000175 → "0.0175%"."""
    return f"{(rate * 100).normalize():f}%"


def _money(value) -> Decimal:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("not an amount")
        return value
    return to_yuan(value)


def late_interest(
    *,
    until: datetime.date,
    outstanding=None,
    start: datetime.date | None = None,
    debts: Iterable[Debt] | None = None,
    payments: Iterable[Payment] = (),
    rate: Decimal | None = None,
) -> LateInterest:
    """The doubled interest up to and including `until`.

    Either one debt (`outstanding` from `start`) or several (`debts`, e.g. instalments).
    `payments` reduce what is outstanding from the day after each is paid; a payment made
    before a later instalment starts counts towards it. Raises ValueError for a payment
    larger than everything owed, a negative amount or a float.
    """
    rate = conf.get("ENFORCEMENT_LATE_INTEREST_DAILY_RATE") if rate is None else Decimal(rate)
    if debts is None:
        if outstanding is None or start is None:
            raise ValueError("give `outstanding` and `start`, or `debts`")
        debts = [Debt(starts_on=start, amount=_money(outstanding))]
    debts = sorted(
        (Debt(d.starts_on, _money(d.amount), d.label) for d in debts), key=lambda d: d.starts_on
    )
    payments = sorted(
        (Payment(p.paid_on, _money(p.amount)) for p in payments), key=lambda p: p.paid_on
    )
    if any(d.amount < 0 for d in debts) or any(p.amount <= 0 for p in payments):
        raise ValueError("amounts owed must not be negative and payments must be positive")
    owed_total = sum((d.amount for d in debts), Decimal("0"))
    paid_total = sum((p.amount for p in payments), Decimal("0"))
    if paid_total > owed_total:
        raise ValueError(
            f"payments ({format_yuan(paid_total)}) exceed the amount owed ({format_yuan(owed_total)})"
        )
    first = debts[0].starts_on if debts else None
    lines = [
        f"加倍部分债务利息 = 未履行金额 × 日{rate_percent(rate)}（日万分之{(rate * 10000).normalize():f}）"
        "× 迟延履行天数；迟延履行期间自履行期间届满次日起算，至履行之日（含当日）止。"
    ]
    if first is None or first > until:
        lines.append(f"截至 {until.isoformat()} 尚未进入迟延履行期间，利息为 {format_yuan(0)}。")
        return LateInterest(
            amount=Decimal("0.00"), rate=rate, days=0, start=first, until=until,
            outstanding=owed_total - paid_total, lines=lines,
        )  # fmt: skip

    def outstanding_on(day: datetime.date) -> Decimal:
        started = sum((d.amount for d in debts if d.starts_on <= day), Decimal("0"))
        paid = sum((p.amount for p in payments if p.paid_on < day), Decimal("0"))
        return max(started - paid, Decimal("0"))

    breaks = {first, until + ONE_DAY}
    breaks.update(d.starts_on for d in debts if first <= d.starts_on <= until)
    breaks.update(p.paid_on + ONE_DAY for p in payments if first < p.paid_on + ONE_DAY <= until)
    ordered = sorted(breaks)
    for debt in debts:
        if debt.starts_on <= until:
            lines.append(
                f"{debt.label or '应付款'} {format_yuan(debt.amount)}，自 {debt.starts_on.isoformat()} 起计算迟延履行利息。"
            )
    for payment in payments:
        if payment.paid_on <= until:
            lines.append(
                f"{payment.paid_on.isoformat()} 履行 {format_yuan(payment.amount)}，自次日起未履行金额相应减少。"
            )
    segments = []
    for begin, after in zip(ordered, ordered[1:], strict=False):
        end = after - ONE_DAY
        days = (after - begin).days
        owed = outstanding_on(begin)
        exact = owed * rate * days
        rounded = exact.quantize(CENT, rounding=ROUND_HALF_UP)
        text = (
            f"{begin.isoformat()} 至 {end.isoformat()}，共 {days} 日：{format_yuan(owed)} × "
            f"{rate_percent(rate)} × {days} = {format_yuan(rounded)}"
        )
        segments.append(Segment(begin, end, days, owed, exact, rounded, text))
        lines.append(text)
    total_exact = sum((s.exact for s in segments), Decimal("0"))
    total = total_exact.quantize(CENT, rounding=ROUND_HALF_UP)
    days_total = (until - first).days + 1
    lines.append(
        f"合计：迟延履行 {days_total} 日，加倍部分债务利息 {format_yuan(total)}"
        + ("（各段精确值相加后四舍五入至分）" if len(segments) > 1 else "（四舍五入至分）")
    )
    return LateInterest(
        amount=total, rate=rate, days=days_total, start=first, until=until,
        outstanding=outstanding_on(until + ONE_DAY), segments=segments, lines=lines,
    )  # fmt: skip


def case_debts(case) -> list[Debt]:
    """What the case's doubled interest runs on: the basis's instalments when each carries
    an amount that together make the principal (each from the day after its own due date);
    otherwise principal + costs (general interest excluded) from `late_interest_from`."""
    base = case.principal + case.costs
    deadlines = list(case.basis.performance_deadlines.all())
    amounts = [d.amount for d in deadlines]
    if len(deadlines) > 1 and all(amounts) and sum(amounts) == case.principal:
        debts = [Debt(d.due_date + ONE_DAY, d.amount, f"第{d.number}期") for d in deadlines]
        if case.costs:
            debts.append(Debt(deadlines[-1].due_date + ONE_DAY, case.costs, "诉讼费等费用"))
        return debts
    start = case.late_interest_from
    if start is None and deadlines:
        start = max(d.due_date for d in deadlines) + ONE_DAY
    if start is None or base <= 0:
        return []
    return [Debt(start, base, "本金及费用")]


# Who knows what the debtor has paid: the case-funds ledger registers a provider
# `provider(case) -> list[Payment]` (money received towards the debt, by date).
_payment_providers = []


def payments_provider_register(provider) -> None:
    if provider not in _payment_providers:
        _payment_providers.append(provider)


def case_payments(case) -> list[Payment]:
    payments: list[Payment] = []
    for provider in _payment_providers:
        payments.extend(provider(case))
    return payments


def case_late_interest(case, *, until: datetime.date, payments=None) -> LateInterest | None:
    """The case's doubled interest to `until` (None for an act-only case)."""
    if not case.is_money_case:
        return None
    debts = case_debts(case)
    if not debts:
        return None
    payments = case_payments(case) if payments is None else payments
    return late_interest(debts=debts, until=until, payments=payments)
