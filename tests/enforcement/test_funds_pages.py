"""The funds page and the reconciliation page: forms, refusals, 404 outside, bounded queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from enforcement.models import DisbursementStatus, FundAccount, FundDisbursement, FundReceipt
from enforcement.panels import next_steps_for, panels_for
from tests.enforcement.funds_fixtures import make_wage_case, pay_out, receive

pytestmark = pytest.mark.django_db


def page(case):
    return reverse("enforcement:funds", args=[case.pk])


def step(case, name):
    return reverse("enforcement:funds_step", args=[case.pk, name])


def test_receipt_to_payout_through_the_page(eworld, case, client_for):
    client = client_for(eworld.officer)
    response = client.post(step(case, "receipt"), {
        "amount": "31775.00", "source": "deduction", "received_on": timezone.localdate(),
        "payer": "", "note": "扣划"})  # fmt: skip
    assert response.status_code == 302
    receipt = FundReceipt.objects.get(case=case)
    client.post(step(case, "propose"), {"receipt": receipt.pk, "via": "individual"})
    # the officer may not approve: a message, nothing changes
    client.post(step(case, "approve"), {"receipt": receipt.pk}, follow=True)
    assert FundDisbursement.objects.get().status == DisbursementStatus.REQUESTED
    president = client_for(eworld.president)
    president.post(step(case, "approve"), {"receipt": receipt.pk})
    assert FundDisbursement.objects.get().status == DisbursementStatus.APPROVED
    client = client_for(eworld.officer)
    response = client.post(step(case, "pay"), {"receipt": receipt.pk, "recipient": "",
                                               "paid_on": timezone.localdate(),
                                               "bank_reference": "ICBC-7"}, follow=True)  # fmt: skip
    assert "已支付" in response.content.decode()
    assert FundAccount.objects.get(case=case).balance == Decimal("0.00")
    html = client.get(page(case)).content.decode()
    assert "¥31,775.00" in html and "ICBC-7" in html


def test_bad_input_rerenders_with_errors_and_refusals_are_messages(eworld, case, client_for):
    client = client_for(eworld.officer)
    response = client.post(step(case, "receipt"), {"amount": "12.345", "source": "deduction",
                                                   "received_on": ""})  # fmt: skip
    assert response.status_code == 400
    assert 'data-testid="error-amount"' in response.content.decode()
    receipt = receive(case, "10.00", eworld.officer)
    parties = dict(case.case_parties.values_list("role", "pk"))
    response = client.post(step(case, "request"), {"receipt": receipt.pk, "kind": "payout",
                                                   "payee": parties["applicant"], "amount": "10.01",
                                                   "note": ""}, follow=True)  # fmt: skip
    assert response.status_code == 200
    assert "可发放余额为 ¥10.00" in response.content.decode()
    response = client.post(step(case, "pay"), {"receipt": receipt.pk, "paid_on": "",
                                               "bank_reference": ""})  # fmt: skip
    assert response.status_code == 400
    assert client.post(step(case, "nonsense"), {}).status_code == 404


def test_outsider_gets_404(eworld, case, client_for):
    receipt = receive(case, "10.00", eworld.officer)
    client = client_for(eworld.outsider)
    assert client.get(page(case)).status_code == 404
    assert client.post(step(case, "propose"), {"receipt": receipt.pk}).status_code == 404
    assert FundDisbursement.objects.count() == 0


def test_panel_and_next_step(eworld, case):
    receipt = receive(case, "31775.00", eworld.officer)
    [(panel, context)] = [(p, c) for p, c in panels_for(case, eworld.officer) if p.key == "funds"]
    assert context["summary"].balance == Decimal("31775.00")
    [step_text] = [s for s in next_steps_for(case) if s.startswith("发放案款")]
    assert step_text.startswith("发放案款 ¥31,775.00（期限 ")
    pay_out(receipt, requester=eworld.officer, approver=eworld.president)
    assert not [s for s in next_steps_for(case) if s.startswith("发放案款")]


def test_the_page_of_400_workers_stays_within_bounded_queries(
    eworld, client_for, django_assert_max_num_queries
):
    case, _workers = make_wage_case(eworld)
    receipt = receive(case, "100000.00", eworld.officer)
    pay_out(receipt, requester=eworld.officer, approver=eworld.president)
    client = client_for(eworld.officer)
    client.get(page(case))
    with django_assert_max_num_queries(40):
        response = client.get(page(case))
    assert response.status_code == 200


def test_reconciliation_page_shows_the_planted_mismatch(eworld, case, client_for):
    receive(case, "10.00", eworld.officer)
    url = reverse("enforcement:funds_reconciliation")
    assert client_for(eworld.officer).get(url).status_code == 403
    html = client_for(eworld.president).get(url).content.decode()
    assert "账实相符" in html
    with connection.cursor() as cursor:
        cursor.execute("UPDATE enforcement_fundaccount SET balance = 0")
    html = client_for(eworld.president).get(url).content.decode()
    assert "与分录合计 ¥10.00 不符" in html
    assert case.case_number in html
