"""Splitting a receipt by shares, exact to the fen (largest remainder, ties by position),
and story 7's payout to 400 workers through 4 representatives or individually."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from enforcement.funds_split import split_by_weights
from enforcement.models import DisbursementStatus, FundAccount, FundDisbursement, ReceiptSource
from enforcement.selectors_funds import applicant_allocations, case_fund_summary
from enforcement.services.funds import (
    VIA_INDIVIDUAL,
    VIA_REPRESENTATIVES,
    FundsRefused,
    disbursements_propose,
)
from enforcement.states import case_machine
from tests.enforcement.funds_fixtures import WAGES_TOTAL, make_wage_case, pay_out, receive

D = Decimal


def test_equal_shares_give_the_odd_fen_by_position():
    parts = split_by_weights(D("100.00"), [("a", D("60")), ("b", D("60")), ("c", D("60"))])
    assert parts == {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}
    parts = split_by_weights(D("0.05"), [(k, D("10.00")) for k in "abcdefg"])
    assert parts == {"a": D("0.01"), "b": D("0.01"), "c": D("0.01"), "d": D("0.01"),
                     "e": D("0.01")}  # fmt: skip


def test_largest_remainder_wins_before_position():
    # 1.00 over 10 / 20 (owed 30): 0.333… / 0.666… → 0.33 / 0.67 (b's remainder is larger)
    assert split_by_weights(D("1.00"), [("a", D("10")), ("b", D("20"))]) == {
        "a": D("0.33"), "b": D("0.67")}  # fmt: skip
    # 0.10 over 7 / 7 / 9 (owed 23): 0.0304 / 0.0304 / 0.0391 → 0.03 / 0.03 / 0.04
    assert split_by_weights(D("0.10"), [("a", D("7")), ("b", D("7")), ("c", D("9"))]) == {
        "a": D("0.03"), "b": D("0.03"), "c": D("0.04")}  # fmt: skip


def test_money_covering_everyone_pays_each_exactly_and_leaves_the_rest():
    assert split_by_weights(D("50.00"), [("a", D("10.01")), ("b", D("0")), ("c", D("20.00"))]) == {
        "a": D("10.01"), "c": D("20.00")}  # fmt: skip


@pytest.mark.parametrize("amount", ["0.01", "1.00", "99999.99", "123456.78"])
def test_parts_always_add_up(amount):
    weights = [(i, D(37 + (i * 7919) % 1000) / 100) for i in range(400)]
    parts = split_by_weights(D(amount), weights)
    owed = sum(w for _k, w in weights)
    assert sum(parts.values()) == min(D(amount), owed)
    assert all(parts[k] <= w for k, w in weights if k in parts)


@pytest.mark.django_db
def test_story_7_payout_to_400_workers_through_their_representatives(eworld):
    case, workers = make_wage_case(eworld)
    assert sum(w.share for w in workers) == WAGES_TOTAL
    reps = workers[:4]
    for number, amount in enumerate(("100000.00", "100000.00", "78300.00"), start=1):
        receipt = receive(case, amount, eworld.officer, source=ReceiptSource.VOLUNTARY,
                          note=f"第{number}期")  # fmt: skip
        paid = pay_out(receipt, requester=eworld.officer, approver=eworld.president,
                       reference=f"PAY-{number}", via=VIA_REPRESENTATIVES)  # fmt: skip
        # exact to the fen: the receipt is split completely, nothing is left over
        assert sum(d.amount for d in paid) == Decimal(amount)
        assert len(paid) == 400
        assert {d.recipient_id for d in paid} == {r.pk for r in reps}
    summary = case_fund_summary(case)
    assert summary.paid_to_applicants == WAGES_TOTAL
    assert summary.balance == summary.outstanding == Decimal("0.00")
    allocations = applicant_allocations(case)
    assert all(allocations[w.pk].paid == w.share for w in workers)
    # who received: each representative collected for their group
    per_rep = dict(
        FundDisbursement.objects.filter(case=case, status=DisbursementStatus.PAID)
        .values_list("recipient_id")
        .annotate(total=Sum("amount"))
    )
    assert sum(per_rep.values()) == WAGES_TOTAL
    case_machine.apply(case, "performed", actor=eworld.officer)


@pytest.mark.django_db
def test_paid_individually_each_worker_receives_their_own(eworld):
    case, workers = make_wage_case(eworld, count=40)
    receipt = receive(case, "1000.00", eworld.officer)
    proposed = disbursements_propose(receipt=receipt, actor=eworld.officer, via=VIA_INDIVIDUAL)
    assert all(d.recipient_id == d.payee_id for d in proposed)
    assert sum(d.amount for d in proposed) == Decimal("1000.00")
    with pytest.raises(FundsRefused, match="无可发放余额"):
        disbursements_propose(receipt=receipt, actor=eworld.officer)
    assert FundAccount.objects.get(case=case).balance == Decimal("1000.00")


@pytest.mark.django_db
def test_propose_and_pay_400_in_bounded_queries(eworld, django_assert_max_num_queries):
    case, workers = make_wage_case(eworld)
    receipt = receive(case, "278300.00", eworld.officer)
    with django_assert_max_num_queries(60):
        pay_out(receipt, requester=eworld.officer, approver=eworld.president,
                via=VIA_REPRESENTATIVES)  # fmt: skip
