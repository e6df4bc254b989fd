"""直接履行: the debtor paid the applicant outside the court's account. Recorded on the
applicant's confirmation, it counts towards what they are owed and lets the case end as
performed; it never touches the ledger; withdrawn with a reason, never deleted."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from common.statemachine import TransitionNotAllowed
from enforcement.models import CaseParty, CaseStatus, DirectPayment, EnforcementRole, FundEntry
from enforcement.states import case_machine
from tests.enforcement.funds_fixtures import pay_out, receive

pytestmark = pytest.mark.django_db


def url(case, action=""):
    base = f"/api/enforcement/funds/{case.pk}/"
    return f"{base}{action}/" if action else base


def applicant(case):
    return CaseParty.objects.get(case=case, role=EnforcementRole.APPLICANT)


def today() -> str:
    return timezone.localdate().isoformat()


def test_part_through_the_court_part_direct_then_performed(eworld, case, api_for):
    ordered = case.amount_ordered
    receipt = receive(case, "20000.00", eworld.officer)
    pay_out(receipt, requester=eworld.officer, approver=eworld.president)
    officer = api_for(eworld.officer)
    rest = ordered - 20000
    with pytest.raises(TransitionNotAllowed, match="未获发放"):
        case_machine.apply(case, "performed", actor=eworld.officer)
    # more than is owed is refused with the figures
    too_much = officer.post(url(case, "direct-payments"), {
        "payee": applicant(case).pk, "amount": f"{rest + 1:.2f}", "paid_on": today(),
        "evidence": "applicant_statement"}, format="json")  # fmt: skip
    assert too_much.status_code == 409, too_much.json()
    # a JSON number for money is refused
    as_number = officer.post(url(case, "direct-payments"), {
        "payee": applicant(case).pk, "amount": 100, "paid_on": today(),
        "evidence": "applicant_statement"}, format="json")  # fmt: skip
    assert as_number.status_code == 400 and "amount" in as_number.json()["fields"]
    recorded = officer.post(url(case, "direct-payments"), {
        "payee": applicant(case).pk, "amount": f"{rest:.2f}", "paid_on": today(),
        "evidence": "applicant_statement", "note": "申请执行人当庭确认收到"}, format="json")  # fmt: skip
    assert recorded.status_code == 201, recorded.json()
    summary = officer.get(url(case)).json()["summary"]
    assert summary["paid_directly"] == f"{rest:.2f}"
    assert (summary["owed_to_applicants"], summary["outstanding"]) == ("0.00", "0.00")
    assert summary["balance"] == "0.00"
    # the ledger holds only the court's own money
    assert FundEntry.objects.filter(case=case).count() == 2
    case_machine.apply(case, "performed", actor=eworld.officer)
    assert case.status == CaseStatus.PERFORMED
    # after 执行完毕 the record that ended the case cannot be withdrawn
    withdrawn = officer.post(
        url(case, "direct-payments/withdraw"),
        {"payment": recorded.json()["id"], "reason": "误录"},
        format="json",
    )
    assert withdrawn.status_code == 409


def test_withdrawn_payment_no_longer_counts_and_stays_listed(eworld, case, api_for):
    officer = api_for(eworld.officer)
    recorded = officer.post(url(case, "direct-payments"), {
        "payee": applicant(case).pk, "amount": "1000.00", "paid_on": today(),
        "evidence": "transfer_record"}, format="json").json()  # fmt: skip
    no_reason = officer.post(
        url(case, "direct-payments/withdraw"),
        {"payment": recorded["id"], "reason": ""},
        format="json",
    )
    assert no_reason.status_code == 400
    done = officer.post(
        url(case, "direct-payments/withdraw"),
        {"payment": recorded["id"], "reason": "转账凭证系伪造"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["withdrawn"] is True
    assert officer.get(url(case)).json()["summary"]["paid_directly"] == "0.00"
    listed = officer.get(url(case, "direct-payments")).json()
    assert [row["withdrawal_reason"] for row in listed] == ["转账凭证系伪造"]
    payment = DirectPayment.objects.get(pk=recorded["id"])
    assert AuditEntry.objects.filter(object_id=str(payment.pk), action="change").exists()
    again = officer.post(
        url(case, "direct-payments/withdraw"),
        {"payment": recorded["id"], "reason": "再次"},
        format="json",
    )
    assert again.status_code == 409


def test_only_an_applicant_of_this_case_and_not_in_the_future(eworld, case, api_for):
    officer = api_for(eworld.officer)
    debtor = CaseParty.objects.get(case=case, role=EnforcementRole.DEBTOR)
    wrong = officer.post(url(case, "direct-payments"), {
        "payee": debtor.pk, "amount": "10.00", "paid_on": today(),
        "evidence": "in_person"}, format="json")  # fmt: skip
    assert wrong.status_code == 400 and "payee" in wrong.json()["fields"]
    future = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    later = officer.post(url(case, "direct-payments"), {
        "payee": applicant(case).pk, "amount": "10.00", "paid_on": future,
        "evidence": "in_person"}, format="json")  # fmt: skip
    assert later.status_code == 400 and "paid_on" in later.json()["fields"]


def test_outsider_gets_404_and_learns_nothing(eworld, case, api_for):
    outsider = api_for(eworld.outsider)
    for response in (
        outsider.get(url(case, "direct-payments")),
        outsider.post(
            url(case, "direct-payments"),
            {
                "payee": applicant(case).pk,
                "amount": "10.00",
                "paid_on": today(),
                "evidence": "in_person",
            },
            format="json",
        ),  # fmt: skip
    ):
        assert response.status_code == 404
        assert applicant(case).name not in response.content.decode()
    assert not DirectPayment.objects.exists()


def test_page_records_and_rerenders_errors_beside_the_field(eworld, case, client):
    client.force_login(eworld.officer)
    step = reverse("enforcement:funds_step", args=[case.pk, "direct"])
    bad = client.post(step, {"payee": applicant(case).pk, "amount": "abc",
                             "paid_on": today(), "evidence": "in_person"})  # fmt: skip
    assert bad.status_code == 400
    assert "direct_amount" in bad.content.decode() or "amount" in bad.content.decode()
    ok = client.post(step, {"payee": applicant(case).pk, "amount": "123.45",
                            "paid_on": today(), "evidence": "in_person"}, follow=True)  # fmt: skip
    html = ok.content.decode()
    assert ok.status_code == 200 and "已登记直接履行" in html
    assert "¥123.45" in html and 'data-testid="funds-direct"' in html


@pytest.mark.parametrize("amount", ["1e3", "NaN", "Infinity", "１００.００", "1,000.00", "12.345"])
def test_money_must_be_a_plain_decimal_string(eworld, case, api_for, amount):
    response = api_for(eworld.officer).post(url(case, "receipts"), {
        "amount": amount, "source": "voluntary", "received_on": today()}, format="json")  # fmt: skip
    assert response.status_code == 400 and "amount" in response.json()["fields"]
    assert not FundEntry.objects.filter(case=case).exists()
