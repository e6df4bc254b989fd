"""The case-fund API: story 5 end to end, money as strings, 404 outside, 409 refusals."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from common.statemachine import TransitionNotAllowed
from enforcement.models import CaseParty, CaseStatus, EnforcementRole, FundEntry
from enforcement.states import case_machine
from tests.enforcement.conftest import make_case
from tests.enforcement.funds_fixtures import make_wage_case, receive

pytestmark = pytest.mark.django_db


def url(case, action=""):
    base = f"/api/enforcement/funds/{case.pk}/"
    return f"{base}{action}/" if action else base


def today() -> str:
    return timezone.localdate().isoformat()


def test_story_5_two_receipts_paid_out_in_full(eworld, case, api_for):
    officer, president = api_for(eworld.officer), api_for(eworld.president)
    received = officer.post(url(case, "receipts"), {
        "amount": "31775.00", "source": "deduction", "received_on": today(),
        "note": "冻结期满扣划", "control_kind": "enforcement.assetcontrol", "control_id": 3,
    }, format="json")  # fmt: skip
    assert received.status_code == 201, received.json()
    assert received.json()["amount"] == "31775.00"
    assert received.json()["payout_due_at"]
    first = received.json()["id"]
    proposed = officer.post(url(case, "propose"), {"receipt": first}, format="json")
    assert proposed.status_code == 201
    [row] = proposed.json()
    assert (row["amount"], row["payee_name"], row["status"]) == ("31775.00", "张申请", "requested")
    # the requester cannot approve; the officer has no approver role at all
    assert officer.post(url(case, "approve"), {"receipt": first}, format="json").status_code == 403
    approved = president.post(url(case, "approve"), {"disbursements": [row["id"]]}, format="json")
    assert approved.status_code == 200 and approved.json()[0]["status"] == "approved"
    paid = officer.post(url(case, "pay"), {"receipt": first, "paid_on": today(),
                                            "bank_reference": "ICBC20261201001"}, format="json")  # fmt: skip
    assert paid.status_code == 200, paid.json()
    assert paid.json()[0]["bank_reference"] == "ICBC20261201001"
    ledger = officer.get(url(case)).json()
    assert ledger["summary"]["paid_to_applicants"] == "31775.00"
    assert ledger["summary"]["outstanding"] == "19995.00"
    assert ledger["receipts"][0]["paid_out"] is True
    assert ledger["receipts"][0]["cycle_days"] == 0
    # 执行完毕 is refused while 19,995.00 is owed
    with pytest.raises(TransitionNotAllowed, match="19,995.00"):
        case_machine.apply(case, "performed", actor=eworld.officer)

    second = officer.post(url(case, "receipts"), {
        "amount": "19995.00", "source": "voluntary", "received_on": today(),
        "payer": "王被执"}, format="json").json()["id"]  # fmt: skip
    ledger = officer.get(url(case)).json()
    assert (ledger["summary"]["balance"], ledger["summary"]["outstanding"]) == ("19995.00", "0.00")
    with pytest.raises(TransitionNotAllowed, match="19,995.00 未获发放"):
        case_machine.apply(case, "performed", actor=eworld.officer)
    officer.post(url(case, "propose"), {"receipt": second}, format="json")
    president.post(url(case, "approve"), {"receipt": second}, format="json")
    officer.post(url(case, "pay"), {"receipt": second, "paid_on": today(),
                                    "bank_reference": "ICBC20261201002"}, format="json")  # fmt: skip
    summary = officer.get(url(case)).json()["summary"]
    assert summary["received"] == summary["paid_to_applicants"] == "51770.00"
    assert (summary["balance"], summary["outstanding"], summary["owed_to_applicants"]) == (
        "0.00", "0.00", "0.00")  # fmt: skip
    entries = officer.get(url(case, "entries")).json()["results"]
    assert [e["balance_after"] for e in reversed(entries)] == [
        "31775.00", "0.00", "19995.00", "0.00"]  # fmt: skip
    case_machine.apply(case, "performed", actor=eworld.officer)
    assert case.status == CaseStatus.PERFORMED


def test_money_as_a_json_number_is_refused(eworld, case, api_for):
    api = api_for(eworld.officer)
    response = api.post(url(case, "receipts"), {"amount": 100.5, "source": "deduction",
                                                 "received_on": today()}, format="json")  # fmt: skip
    assert response.status_code == 400
    assert "amount" in response.json()["fields"]
    response = api.post(url(case, "receipts"), {"amount": "1.001", "source": "deduction",
                                                 "received_on": today()}, format="json")  # fmt: skip
    assert response.status_code == 400
    response = api.post(url(case, "receipts"), {"amount": "1.00", "source": "gift",
                                                 "received_on": "yesterday"}, format="json")  # fmt: skip
    assert set(response.json()["fields"]) == {"source", "received_on"}
    assert not FundEntry.objects.exists()


def test_a_disbursement_larger_than_the_balance_is_refused_409(eworld, case, api_for):
    receipt = receive(case, "500.00", eworld.officer)
    payee = CaseParty.objects.get(case=case, role=EnforcementRole.APPLICANT)
    response = api_for(eworld.officer).post(url(case, "disbursements"), {
        "receipt": receipt.pk, "payee": payee.pk, "amount": "500.01"}, format="json")  # fmt: skip
    assert response.status_code == 409
    assert "¥500.00" in response.json()["detail"]
    fee = api_for(eworld.officer).post(url(case, "fees"), {
        "amount": "600.00", "fee_kind": "enforcement_fee", "occurred_on": today()}, format="json")  # fmt: skip
    assert fee.status_code == 409 and "余额不足" in fee.json()["detail"]


def test_illegal_transitions_are_409(eworld, case, api_for):
    receipt = receive(case, "10.00", eworld.officer)
    officer = api_for(eworld.officer)
    [row] = officer.post(url(case, "propose"), {"receipt": receipt.pk}, format="json").json()
    response = officer.post(url(case, "pay"), {"disbursements": [row["id"]], "paid_on": today(),
                                                "bank_reference": "X1"}, format="json")  # fmt: skip
    assert response.status_code == 409
    assert "待审批" in response.json()["detail"]
    entry = FundEntry.objects.get(case=case)
    assert officer.post(url(case, "reverse"), {"entry": entry.pk, "reason": "录错"},
                        format="json").status_code == 409  # fmt: skip
    assert officer.post(url(case, "cancel"), {"disbursements": [row["id"]]},
                        format="json").status_code == 200  # fmt: skip
    reversal = officer.post(url(case, "reverse"), {"entry": entry.pk, "reason": "录错"},
                            format="json")  # fmt: skip
    assert reversal.status_code == 201 and reversal.json()["amount"] == "-10.00"


def test_outsider_gets_404_everywhere(eworld, case, api_for):
    receipt = receive(case, "10.00", eworld.officer)
    for user in (eworld.outsider, eworld.centre_supervisor):
        api = api_for(user)
        for action in ("", "entries", "receipts", "disbursements"):
            assert api.get(url(case, action)).status_code == 404
        for action, body in (
            ("receipts", {"amount": "1.00", "source": "deduction", "received_on": today()}),
            ("propose", {"receipt": receipt.pk}),
            ("approve", {"receipt": receipt.pk}),
            ("pay", {"receipt": receipt.pk, "paid_on": today(), "bank_reference": "X"}),
            ("fees", {"amount": "1.00", "fee_kind": "other", "occurred_on": today()}),
            ("reverse", {"entry": 1, "reason": "x"}),
            ("disbursements", {"receipt": receipt.pk, "payee": 1, "amount": "1.00"}),
            ("refuse", {"receipt": receipt.pk, "note": "x"}),
            ("cancel", {"receipt": receipt.pk}),
        ):
            assert api.post(url(case, action), body, format="json").status_code == 404


def test_records_of_another_case_are_400(eworld, case, api_for):
    other = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    foreign = receive(other, "10.00", eworld.officer)
    response = api_for(eworld.officer).post(url(case, "propose"), {"receipt": foreign.pk},
                                            format="json")  # fmt: skip
    assert response.status_code == 400 and "receipt" in response.json()["fields"]


def test_higher_court_supervisor_reads_and_reconciles(eworld, case, api_for):
    receive(case, "10.00", eworld.officer)
    api = api_for(eworld.higher_supervisor)
    assert api.get(url(case)).status_code == 200
    report = api.get("/api/enforcement/funds/reconciliation/").json()
    assert (report["cases_checked"], report["errors"]) == (1, 0)


def test_reconciliation_api_finds_a_planted_mismatch_and_is_for_supervisors(eworld, case, api_for):
    receive(case, "10.00", eworld.officer)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE enforcement_fundaccount SET balance = 9.99")
    assert api_for(eworld.officer).get("/api/enforcement/funds/reconciliation/").status_code == 403
    assert api_for(eworld.outsider).get("/api/enforcement/funds/reconciliation/").status_code == 403
    report = api_for(eworld.president).get("/api/enforcement/funds/reconciliation/").json()
    assert report["errors"] == 2
    assert {m["check"] for m in report["mismatches"]} == {"balance"}
    assert all(m["case_number"] == case.case_number for m in report["mismatches"])
    bad = api_for(eworld.president).get("/api/enforcement/funds/reconciliation/?court=x")
    assert bad.status_code == 400


def test_wage_payout_by_representative_transfers(eworld, api_for):
    case, workers = make_wage_case(eworld, count=12, representatives=4)
    receipt = receive(case, "5000.00", eworld.officer,
                      received_on=timezone.localdate() - datetime.timedelta(days=2))  # fmt: skip
    officer, president = api_for(eworld.officer), api_for(eworld.president)
    proposed = officer.post(url(case, "propose"), {"receipt": receipt.pk, "via": "representatives"},
                            format="json").json()  # fmt: skip
    assert sum(Decimal(p["amount"]) for p in proposed) == Decimal("5000.00")
    president.post(url(case, "approve"), {"receipt": receipt.pk}, format="json")
    for number, rep in enumerate(workers[:4], start=1):
        paid = officer.post(url(case, "pay"), {"receipt": receipt.pk, "recipient": rep.pk,
                                                "paid_on": today(), "bank_reference": f"R{number}"},
                            format="json")  # fmt: skip
        assert paid.status_code == 200
        assert {p["recipient_name"] for p in paid.json()} == {rep.name}
        assert len(paid.json()) == 3
    state = officer.get(url(case)).json()["receipts"][0]
    assert state["paid_out"] and state["cycle_days"] == 2 and state["payout_state"] == "met"


def test_higher_court_supervisor_reads_but_does_not_act_in_the_lower_courts_name(
    eworld, case, api_for
):
    """Supervision reads; the payout is approved by the enforcing court's own president."""
    receipt = receive(case, "100.00", eworld.officer)
    officer, higher = api_for(eworld.officer), api_for(eworld.higher_supervisor)
    officer.post(url(case, "propose"), {"receipt": receipt.pk}, format="json")
    assert higher.get(url(case)).status_code == 200
    refused = higher.post(url(case, "approve"), {"receipt": receipt.pk}, format="json")
    assert refused.status_code == 403
    assert higher.post(url(case, "receipts"), {"amount": "1.00", "source": "voluntary",
                                               "received_on": today()}, format="json"
                       ).status_code == 403  # fmt: skip
    with pytest.raises(TransitionNotAllowed):
        case_machine.apply(case, "suspend", actor=eworld.higher_supervisor, note="x")
    assert api_for(eworld.president).post(url(case, "approve"), {"receipt": receipt.pk},
                                          format="json").status_code == 200  # fmt: skip
