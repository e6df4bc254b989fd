"""Parallel writers on one account: the account row lock serialises them, so the balance
never goes negative and no more is reserved than is held (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.db import connections
from django.utils import timezone

from enforcement.models import CaseParty, EnforcementRole, FeeKind, FundAccount, FundEntry
from enforcement.selectors_funds import case_fund_summary
from enforcement.services.funds import FundsRefused, disbursement_request, fund_fee_record
from tests.enforcement.conftest import make_case
from tests.enforcement.funds_fixtures import receive

pytestmark = pytest.mark.django_db(transaction=True)


def run_parallel(count, work):
    barrier = threading.Barrier(count)
    outcomes = []

    def worker():
        try:
            barrier.wait(timeout=10)
            work()
            outcomes.append("ok")
        except FundsRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def test_parallel_fees_never_overdraw(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    receive(case, "100.00", eworld.officer)
    outcomes = run_parallel(8, lambda: fund_fee_record(
        case=case, amount="30.00", fee_kind=FeeKind.OTHER, occurred_on=timezone.localdate(),
        actor=eworld.officer))  # fmt: skip
    assert outcomes == ["ok"] * 3 + ["refused"] * 5
    assert FundAccount.objects.get(case=case).balance == Decimal("10.00")
    assert list(FundEntry.objects.filter(case=case).values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_parallel_requests_never_reserve_more_than_is_held(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    receipt = receive(case, "100.00", eworld.officer)
    payee = CaseParty.objects.get(case=case, role=EnforcementRole.APPLICANT)
    outcomes = run_parallel(8, lambda: disbursement_request(
        receipt=receipt, payee=payee, amount="30.00", actor=eworld.officer))  # fmt: skip
    assert outcomes == ["ok"] * 3 + ["refused"] * 5
    assert case_fund_summary(case).reserved == Decimal("90.00")
