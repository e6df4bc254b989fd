"""A guarantee inside a settlement (执行和解协议约定的担保), through the API as the officer
acts: the settlement names company 丙 as guarantor, up to 30,000.00, who undertook to accept
direct enforcement; 乙 misses the second instalment; the applicant applies, the original basis
is enforced again and then 丙's property within the guarantee — 丙 joins the case as 担保人,
is told, pays 30,000.00 (not a fen more) into the case's ledger. Without the undertaking the
guarantee is refused (400, nothing recorded); before the breach enforcing it is refused
(409); a settlement performed discharges it; another court's user gets 404."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from enforcement.models import (
    CaseParty,
    CaseStatus,
    EnforcementGuarantee,
    EnforcementRole,
    GuaranteeStatus,
    ReceiptSource,
    Settlement,
    SettlementStatus,
)
from enforcement.selectors_filing import TIME_LIMIT
from enforcement.services.filing import case_clock_start
from enforcement.services.funds import case_fund_summary

from .conftest import make_case
from .measures_fixtures import valid_credit_code

pytestmark = pytest.mark.django_db

GUARANTOR = "乌海市丙商贸有限公司"


@pytest.fixture
def case(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="乙",
                     principal=Decimal("60000.00"))  # fmt: skip
    case_clock_start(case, TIME_LIMIT, actor=eworld.clerk, start=case.filed_at)
    return case


def settle_body(**guarantee):
    today = timezone.localdate()
    data = {
        "signed_on": today.isoformat(), "terms": "乙分两期支付60000元，丙公司提供连带保证",
        "total": "60000.00",
        "instalments": [{"due_on": today.isoformat(), "amount": "30000.00"},
                        {"due_on": (today + datetime.timedelta(days=30)).isoformat(),
                         "amount": "30000.00"}],
        "guarantee": {
            "kind": "undertaking", "guarantor_kind": "organisation", "guarantor_name": GUARANTOR,
            "guarantor_credit_code": valid_credit_code("91150302MA0N00002"),
            "amount": "30000.00", "undertaking": True, **guarantee,
        },
    }  # fmt: skip
    return data


def endings(case, action):
    return f"/api/enforcement/endings/{case.pk}/{action}/"


def guarantee(case, action=""):
    return f"/api/enforcement/guarantee/{case.pk}/" + (f"{action}/" if action else "")


def test_settlement_guarantor_enforced_after_the_breach(eworld, case, api_for):
    officer = api_for(eworld.officer)
    today = timezone.localdate().isoformat()

    # no undertaking to accept direct enforcement: refused by the field, nothing recorded
    refused = officer.post(endings(case, "settle"), settle_body(undertaking=False), format="json")
    assert refused.status_code == 400 and "undertaking" in refused.json()["fields"]
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and not Settlement.objects.exists()
    assert not EnforcementGuarantee.objects.exists()

    settled = officer.post(endings(case, "settle"), settle_body(), format="json")
    assert settled.status_code == 201, settled.json()
    record = EnforcementGuarantee.objects.get()
    assert settled.json()["guarantees"] == [record.pk] and settled.json()["guarantor"] == GUARANTOR
    assert (record.status, record.amount, record.approver_id) == (
        GuaranteeStatus.SECURING, Decimal("30000.00"), None)  # fmt: skip
    assert record.suspension_until == timezone.localdate() + datetime.timedelta(days=30)
    overview = officer.get(guarantee(case)).json()
    assert overview["status"] == CaseStatus.SETTLEMENT
    assert overview["guarantees"][0]["settlement"] == settled.json()["id"]
    assert overview["guarantees"][0]["undertaking"] is True

    # the first instalment paid; enforcing the guarantor while the settlement runs: 409
    paid = officer.post(endings(case, "payments"), {"amount": "30000.00", "paid_on": today},
                        format="json")  # fmt: skip
    assert paid.status_code == 200, paid.json()
    early = officer.post(guarantee(case, "enforce"), {"applied_on": today, "note": "乙未付"},
                         format="json")  # fmt: skip
    assert early.status_code == 409 and "和解协议" in early.json()["detail"]

    # 乙 misses the second: the applicant applies, the original basis is enforced again
    broken = officer.post(endings(case, "breach"),
                          {"applied_on": today, "note": "乙未按期支付第二期30000元"},
                          format="json")  # fmt: skip
    assert broken.status_code == 200, broken.json()
    assert broken.json()["status"] == CaseStatus.IN_PROGRESS
    enforced = officer.post(guarantee(case, "enforce"), {
        "applied_on": today, "note": "乙未履行和解协议第二期，申请执行人申请执行担保人丙公司",
        "told_by": "直接送达"}, format="json")  # fmt: skip
    assert enforced.status_code == 200, enforced.json()
    record.refresh_from_db()
    assert record.status == GuaranteeStatus.ENFORCED and not record.early
    joined = CaseParty.objects.get(case=case, role=EnforcementRole.GUARANTOR)
    assert joined.name == GUARANTOR and record.guarantor_party_id == joined.pk
    assert "和解协议" in record.guarantor_notice and "30000.00" in record.guarantor_notice
    assert record.guarantor_told_by == "直接送达"

    # 丙 pays within the guarantee, not a fen more
    over = officer.post(guarantee(case, "receipts"), {"amount": "30000.01",
                        "received_on": today}, format="json")  # fmt: skip
    assert over.status_code == 400 and "amount" in over.json()["fields"]
    receipt = officer.post(guarantee(case, "receipts"), {"amount": "30000.00",
                           "received_on": today}, format="json")  # fmt: skip
    assert receipt.status_code == 201, receipt.json()
    assert receipt.json()["source"] == ReceiptSource.GUARANTOR
    assert officer.get(guarantee(case)).json()["guarantees"][0]["received"] == "30000.00"
    assert case_fund_summary(case).received == Decimal("30000.00")


def test_settlement_performed_discharges_its_guarantee(eworld, case, api_for):
    officer = api_for(eworld.officer)
    today = timezone.localdate().isoformat()
    assert officer.post(endings(case, "settle"), settle_body(), format="json").status_code == 201
    done = officer.post(endings(case, "payments"), {"amount": "60000.00", "paid_on": today},
                        format="json")  # fmt: skip
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == CaseStatus.PERFORMED
    record = EnforcementGuarantee.objects.get()
    assert record.status == GuaranteeStatus.DISCHARGED and "履行完毕" in record.end_note
    assert record.settlement.status == SettlementStatus.PERFORMED
    refused = officer.post(guarantee(case, "enforce"), {"applied_on": today, "note": "x"},
                           format="json")  # fmt: skip
    assert refused.status_code == 409


def test_outsider_cannot_settle_with_a_guarantee_nor_see_it(eworld, case, api_for):
    outsider = api_for(eworld.outsider)
    assert outsider.post(endings(case, "settle"), settle_body(), format="json").status_code == 404
    api_for(eworld.officer).post(endings(case, "settle"), settle_body(), format="json")
    response = outsider.get(guarantee(case))
    assert response.status_code == 404 and GUARANTOR not in response.content.decode()


def test_the_page_offers_enforcement_of_the_settlement_guarantor_after_the_breach(
    eworld, case, api_for, client
):
    officer = api_for(eworld.officer)
    today = timezone.localdate().isoformat()
    officer.post(endings(case, "settle"), settle_body(), format="json")
    client.force_login(eworld.officer)
    page = client.get(f"/enforcement/cases/{case.pk}/guarantee/").content.decode()
    assert 'data-testid="settlement-guarantee"' in page and 'data-testid="form-enforce"' not in page
    officer.post(endings(case, "breach"), {"applied_on": today, "note": "乙未付"}, format="json")
    page = client.get(f"/enforcement/cases/{case.pk}/guarantee/").content.decode()
    assert 'data-testid="form-enforce"' in page
    response = client.post(f"/enforcement/cases/{case.pk}/guarantee/enforce/", {
        "applied_on": today, "note": "乙未履行和解协议", "told_by": "电话告知并邮寄"})  # fmt: skip
    assert response.status_code == 302
    assert EnforcementGuarantee.objects.get().status == GuaranteeStatus.ENFORCED


def test_a_guarantor_address_longer_than_the_party_record_holds_is_a_field_error(
    eworld, case, api_for
):
    body = settle_body(guarantor_address="乌海市" * 70)
    response = api_for(eworld.officer).post(endings(case, "settle"), body, format="json")
    assert response.status_code == 400, response.content
    assert "guarantee" in response.json()["fields"]
    assert not Settlement.objects.exists() and not EnforcementGuarantee.objects.exists()


def test_settle_says_every_field_error_at_once(eworld, case, api_for):
    """The settlement's errors and its guarantee's (the phone among them) in one 400."""
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    body = {**settle_body(guarantor_phone="12345", guarantor_credit_code=""), "signed_on": future}
    refused = api_for(eworld.officer).post(endings(case, "settle"), body, format="json")
    assert refused.status_code == 400
    fields = refused.json()["fields"]
    assert {"signed_on", "instalments", "guarantor_phone", "guarantor_credit_code"} <= set(fields)
    assert not Settlement.objects.exists() and not EnforcementGuarantee.objects.exists()
