"""加倍部分债务利息: outstanding × 0.0175 % a day, Decimal, to the fen (ROUND_HALF_UP),
with partial payments and instalments, explained."""

import datetime
from decimal import Decimal

import pytest

from enforcement.interest import Debt, Payment, case_late_interest, late_interest

D = datetime.date


def test_one_debt_over_a_range_with_the_explanation():
    result = late_interest(outstanding="51770.00", start=D(2026, 3, 13), until=D(2026, 6, 30))
    # 13 Mar – 30 Jun: 19 + 30 + 31 + 30 = 110 days; 51770 × 0.000175 × 110 = 996.5725
    assert result.days == 110
    assert result.amount == Decimal("996.57")
    assert isinstance(result.amount, Decimal)
    text = result.explanation
    assert "共 110 日" in text and "0.0175%" in text and "¥51,770.00" in text
    assert "¥996.57" in text and "四舍五入" in text


def test_half_a_fen_rounds_up():
    # 2000 × 0.000175 × 1 = 0.35; 10 × 0.000175 × 2 = 0.0035 → 0.00; 30 × … × 1 = 0.00525 → 0.01
    assert late_interest(outstanding="30.00", start=D(2026, 1, 1), until=D(2026, 1, 1)).amount == (
        Decimal("0.01")
    )
    assert late_interest(outstanding="10.00", start=D(2026, 1, 1), until=D(2026, 1, 2)).amount == (
        Decimal("0.00")
    )
    # 1000 × 0.000175 × 2 = 0.35 exactly; 1 × 0.000175 × 200 = 0.035 → 0.04 (half up)
    assert late_interest(outstanding="1.00", start=D(2026, 1, 1), until=D(2026, 7, 19)).amount == (
        Decimal("0.04")
    )


def test_partial_payments_reduce_the_outstanding_from_the_next_day():
    result = late_interest(
        outstanding="51770.00",
        start=D(2026, 3, 13),
        until=D(2026, 6, 30),
        payments=[Payment(D(2026, 4, 30), Decimal("31775.00"))],
    )
    # 13 Mar – 30 Apr: 49 days on 51770 = 443.92775; 1 May – 30 Jun: 61 days on 19995 =
    # 213.446625; total 657.374375 → 657.37
    first, second = result.segments
    assert (first.days, first.outstanding, first.amount) == (
        49,
        Decimal("51770.00"),
        Decimal("443.93"),
    )
    assert (second.days, second.outstanding, second.amount) == (
        61, Decimal("19995.00"), Decimal("213.45"),
    )  # fmt: skip
    assert result.amount == Decimal("657.37")
    assert result.outstanding == Decimal("19995.00")
    assert "2026-04-30 履行 ¥31,775.00" in result.explanation


def test_paid_in_full_stops_the_interest():
    result = late_interest(
        outstanding="1000.00", start=D(2026, 1, 1), until=D(2026, 12, 31),
        payments=[Payment(D(2026, 1, 10), Decimal("1000.00"))],
    )  # fmt: skip
    assert result.amount == (Decimal("1000.00") * Decimal("0.000175") * 10).quantize(
        Decimal("0.01")
    )
    assert result.outstanding == 0


def test_instalments_each_run_from_their_own_day_and_prepayment_counts():
    debts = [Debt(D(2026, 1, 1), Decimal("100000.00"), "第1期"),
             Debt(D(2026, 2, 1), Decimal("100000.00"), "第2期")]  # fmt: skip
    result = late_interest(debts=debts, until=D(2026, 2, 28))
    # January: 31 days on 100000 = 542.50; February: 28 days on 200000 = 980.00
    assert result.amount == Decimal("1522.50")
    prepaid = late_interest(
        debts=debts, until=D(2026, 2, 28), payments=[Payment(D(2026, 1, 15), Decimal("150000.00"))]
    )
    # 1–15 Jan on 100000 (15 days) = 262.50; 16–31 Jan nothing owed; Feb on 50000 = 245.00
    assert prepaid.amount == Decimal("507.50")


def test_before_the_delay_starts_there_is_no_interest():
    result = late_interest(outstanding="500.00", start=D(2026, 5, 1), until=D(2026, 4, 30))
    assert result.amount == Decimal("0.00") and result.days == 0


@pytest.mark.parametrize("bad", [12.5, "abc", "-1"])
def test_bad_amounts_are_refused(bad):
    with pytest.raises((TypeError, ValueError)):
        late_interest(outstanding="100.00", start=D(2026, 1, 1), until=D(2026, 1, 31),
                      payments=[Payment(D(2026, 1, 5), bad)])  # fmt: skip


def test_paying_more_than_owed_is_refused():
    with pytest.raises(ValueError):
        late_interest(outstanding="100.00", start=D(2026, 1, 1), until=D(2026, 1, 31),
                      payments=[Payment(D(2026, 1, 5), Decimal("100.01"))])  # fmt: skip


def test_the_case_runs_on_principal_and_costs_from_the_day_after_the_deadline(eworld):
    from .filing_fixtures import file_case

    case = file_case(eworld, costs="1200.00")
    assert case.late_interest_from == D(2026, 3, 13)
    result = case_late_interest(case, until=D(2026, 6, 30))
    # (51770 + 1200) × 0.000175 × 110 = 1019.6725 (general interest is not doubled)
    assert result.amount == Decimal("1019.67")
    act = file_case(eworld, target_kind="act", principal=None, act_description="腾退房屋")
    assert case_late_interest(act, until=D(2026, 6, 30)) is None
