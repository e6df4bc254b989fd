"""执行担保 through the API and the page (enf-guarantee): story 6 end to end (company 丙
guarantees, 乙 does not pay by the end of the suspension, the applicant applies, the officers
turn to 丙, who pays and brings 乙 to pay the rest: paid out, the case performed); money as
strings only; field errors 400, refusals 409; another court's user gets 404 and learns no
name; a higher court's supervisor reads but does not act; the case page's panel and the next
steps (a fixed number of queries for a list)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enforcement.models import (
    CaseParty,
    CaseStatus,
    EnforcementCase,
    EnforcementRole,
    FundReceipt,
    GuaranteeStatus,
    ReceiptSource,
)
from enforcement.panels import next_steps_for_many
from enforcement.panels_guarantee import guarantee_next_steps, guarantee_next_steps_prefetch
from enforcement.selectors_filing import TIME_LIMIT
from enforcement.services.endings import case_performed
from enforcement.services.filing import case_clock_start
from enforcement.services.funds import account_for
from enforcement.services.guarantee import guarantee_approve, guarantee_offer

from .conftest import make_case
from .funds_fixtures import pay_out, receive

CREDIT_CODE = "91110000802100433B"
SECRET_NAME = "丙机密担保有限公司"


def url(case, action=""):
    base = f"/api/enforcement/guarantee/{case.pk}/"
    return base + (f"{action}/" if action else "")


@pytest.fixture
def case(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="乙公司",
                     principal=Decimal("100000.00"))  # fmt: skip
    case_clock_start(case, TIME_LIMIT, actor=eworld.clerk, start=case.filed_at)
    return case


def body(world, **extra):
    data = {
        "kind": "undertaking", "guarantor_kind": "organisation", "guarantor_name": SECRET_NAME,
        "guarantor_credit_code": CREDIT_CODE, "amount": "60000.00",
        "suspension_until": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        "applicant_consent": True, "approver": world.president.pk,
    }  # fmt: skip
    data.update(extra)
    return data


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_story6_guarantor_brings_the_debtor_to_pay_in_full(eworld, case, api_for):
    officer, president = api_for(eworld.officer), api_for(eworld.president)
    offered = officer.post(url(case, "offer"), body(eworld), format="json")
    assert offered.status_code == 201, offered.json()
    assert offered.json()["status"] == GuaranteeStatus.OFFERED
    assert CREDIT_CODE not in offered.content.decode()
    # the officer cannot approve; the president named does
    assert officer.post(url(case, "approve"), {}, format="json").status_code == 403
    approved = president.post(url(case, "approve"), {"note": "准予暂缓执行"}, format="json")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == CaseStatus.SUSPENDED
    until = datetime.date.fromisoformat(approved.json()["guarantees"][0]["suspension_until"])
    # 乙 does not pay; before the end the applicant's application alone is not enough
    early = officer.post(url(case, "enforce"),
                         {"applied_on": timezone.localdate().isoformat(), "note": "乙未付"},
                         format="json")  # fmt: skip
    assert early.status_code == 409 and until.isoformat() in early.json()["detail"]

    day = until + datetime.timedelta(days=3)
    with time_machine.travel(_at(day), tick=False):
        enforced = officer.post(url(case, "enforce"), {
            "applied_on": day.isoformat(), "note": "乙逾期未履行，下落不明；申请执行人申请执行担保人",
            "told_by": "直接送达"}, format="json")  # fmt: skip
        assert enforced.status_code == 200, enforced.json()
        record = enforced.json()["guarantees"][0]
        assert record["status"] == GuaranteeStatus.ENFORCED
        assert (
            SECRET_NAME in record["guarantor_notice"] and "60000.00" in record["guarantor_notice"]
        )
        assert enforced.json()["status"] == CaseStatus.IN_PROGRESS
        guarantor = CaseParty.objects.get(case=case, role=EnforcementRole.GUARANTOR)
        assert guarantor.pk == record["guarantor_party"] and guarantor.name == SECRET_NAME
        # 丙 pays 60,000 (a JSON number refused; more than the guarantee refused)
        assert officer.post(url(case, "receipts"), {"amount": 60000, "received_on":
                            day.isoformat()}, format="json").status_code == 400  # fmt: skip
        over = officer.post(url(case, "receipts"), {"amount": "60000.01",
                            "received_on": day.isoformat()}, format="json")  # fmt: skip
        assert over.status_code == 400 and "amount" in over.json()["fields"]
        paid = officer.post(url(case, "receipts"), {"amount": "60000.00",
                            "received_on": day.isoformat()}, format="json")  # fmt: skip
        assert paid.status_code == 201, paid.json()
        assert paid.json()["source"] == ReceiptSource.GUARANTOR
        # … and brings 乙, who pays the remaining 40,000
        rest = receive(case, "40000.00", eworld.officer, source=ReceiptSource.VOLUNTARY,
                       received_on=day)  # fmt: skip
        from_guarantor = FundReceipt.objects.get(pk=paid.json()["id"])
        pay_out(from_guarantor, requester=eworld.officer, approver=eworld.president)
        pay_out(rest, requester=eworld.officer, approver=eworld.president, reference="BANK-2")
        case_performed(
            case=case, actor=eworld.officer, note="担保人代偿及被执行人履行，全部执行完毕"
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.PERFORMED
    assert account_for(case).balance == Decimal("0.00")
    overview = officer.get(url(case)).json()
    assert overview["guarantees"][0]["received"] == "60000.00"


def test_bad_input_answers_400_with_fields(eworld, case, api_for):
    api = api_for(eworld.officer)
    latest = datetime.date.fromisoformat(api.get(url(case)).json()["latest_suspension_day"])
    cases = [
        ({"applicant_consent": False}, "applicant_consent"),
        ({"suspension_until": (latest + datetime.timedelta(days=1)).isoformat()},
         "suspension_until"),
        ({"amount": 60000}, "amount"),
        ({"amount": "0.00"}, "amount"),
        ({"guarantor_credit_code": "91110000802100433C"}, "guarantor_credit_code"),
        ({"approver": eworld.officer.pk}, "approver"),
        ({"approver": 999999}, "approver"),
    ]  # fmt: skip
    for extra, field in cases:
        response = api.post(url(case, "offer"), body(eworld, **extra), format="json")
        assert response.status_code == 400, (extra, response.json())
        assert field in response.json()["fields"], (extra, response.json())
    assert not case.guarantees.exists()


def test_outsider_gets_404_and_no_name(eworld, case, api_for):
    api_for(eworld.officer).post(url(case, "offer"), body(eworld), format="json")
    outsider = api_for(eworld.outsider)
    for method, action in (("get", ""), ("post", "offer"), ("post", "approve"),
                           ("post", "refuse"), ("post", "discharge"), ("post", "enforce"),
                           ("post", "receipts")):  # fmt: skip
        response = getattr(outsider, method)(url(case, action), {}, format="json")
        assert response.status_code == 404, action
        assert SECRET_NAME not in response.content.decode()
    from django.test import Client

    client = Client()
    client.force_login(eworld.outsider)
    for response in (
        client.get(reverse("enforcement:guarantee", args=[case.pk])),
        client.post(reverse("enforcement:guarantee_step", args=[case.pk, "approve"])),
    ):
        assert response.status_code == 404
        assert SECRET_NAME not in response.content.decode()


def test_higher_supervisor_reads_but_does_not_act(eworld, case, api_for):
    api_for(eworld.officer).post(url(case, "offer"), body(eworld), format="json")
    higher = api_for(eworld.higher_supervisor)
    read = higher.get(url(case))
    assert read.status_code == 200 and read.json()["guarantees"][0]["guarantor_name"] == SECRET_NAME
    assert higher.post(url(case, "approve"), {}, format="json").status_code == 403
    assert higher.post(url(case, "refuse"), {"note": "x"}, format="json").status_code == 403
    second = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    assert higher.post(url(second, "offer"), body(eworld), format="json").status_code == 403
    from django.test import Client

    client = Client()
    client.force_login(eworld.higher_supervisor)
    page = client.get(reverse("enforcement:guarantee", args=[case.pk]))
    assert page.status_code == 200 and SECRET_NAME in page.content.decode()
    assert 'data-testid="form-approve"' not in page.content.decode()


def test_page_offer_errors_by_the_field_then_panel_and_next_steps(eworld, case, client_for):
    client = client_for(eworld.officer)
    page = reverse("enforcement:guarantee", args=[case.pk])
    assert client.get(page).status_code == 200
    step = reverse("enforcement:guarantee_step", args=[case.pk, "offer"])
    form = {"kind": "property", "guarantor_kind": "person", "guarantor_name": "丁某",
            "guarantor_id_number": "150302198001011234", "amount": "abc",
            "suspension_until": "", "approver": eworld.president.pk}  # fmt: skip
    response = client.post(step, form)
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("guarantor_id_number", "amount", "suspension_until", "applicant_consent",
                  "property_description"):  # fmt: skip
        assert f'data-field="{field}"' in html, field
    assert 'value="丁某"' in html  # the form keeps what was typed
    form.update({"guarantor_kind": "organisation", "guarantor_name": SECRET_NAME,
                 "guarantor_id_number": "", "guarantor_credit_code": CREDIT_CODE,
                 "amount": "60000.00", "property_description": "丙公司名下厂房一处",
                 "applicant_consent": "on",
                 "suspension_until": (timezone.localdate() + datetime.timedelta(days=30))
                 .isoformat()})  # fmt: skip
    assert client.post(step, form).status_code == 302
    case_page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="guarantee-panel"' in case_page and SECRET_NAME in case_page
    assert "执行担保待院长审批" in case_page
    president = client_for(eworld.president)
    assert president.post(reverse("enforcement:guarantee_step",
                                  args=[case.pk, "approve"])).status_code == 302  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED


def test_next_steps_of_a_list_in_a_fixed_number_of_queries(eworld):
    cases = []
    for number in range(4):
        case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
        guarantee = guarantee_offer(
            case=case, actor=eworld.officer, kind="undertaking", guarantor_kind="organisation",
            guarantor_name="丙公司", guarantor_credit_code=CREDIT_CODE, amount="100.00",
            suspension_until=timezone.localdate() + datetime.timedelta(days=10),
            applicant_consent=True, approver=eworld.president,
        )  # fmt: skip
        if number % 2:
            guarantee_approve(guarantee=guarantee, actor=eworld.president)
        cases.append(case)
    cases.append(make_case(eworld.court, eworld.clerk, officer=eworld.officer))
    fresh = list(EnforcementCase.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        guarantee_next_steps_prefetch(fresh)
        steps = [guarantee_next_steps(c) for c in fresh]
    assert len(queries) == 1
    assert steps[0] == ["执行担保待院长审批"]
    assert steps[1][0].startswith("暂缓执行至") and steps[4] == []
    one_by_one = [guarantee_next_steps(EnforcementCase.objects.get(pk=c.pk)) for c in cases]
    assert one_by_one == steps
    for own, every in zip(steps, next_steps_for_many(fresh), strict=True):
        assert set(own) <= set(every)


JUNK = ["", "abc", "-1", "1e9", "０", "2026-02-30", "99999999999999999999", "<script>", None, [],
        {}, 12.5, True]  # fmt: skip


FREE_TEXT = {
    "guarantor_name",
    "guarantor_phone",
    "guarantor_address",
    "property_description",
    "consent_note",
    "reason",
}


def test_junk_never_answers_500(eworld, case, api_for, client_for):
    """Every field of every step, through the API and the page, with junk: 400/409, never 500."""
    api = api_for(eworld.officer)
    fields = {
        "offer": body(eworld),
        "enforce": {"applied_on": "2026-01-01", "note": "x", "early": True, "told_by": "x"},
        "receipts": {"amount": "1.00", "received_on": "2026-01-01"},
        "refuse": {"note": "x"},
    }
    for action, good in fields.items():
        for field in good:
            for junk in JUNK:
                if junk is good[field]:
                    continue
                data = dict(good, **{field: junk})
                response = api.post(url(case, action), data, format="json")
                if response.status_code == 201:  # junk that is a valid free text
                    # "1e9" is a valid string of yuan (1,000,000,000.00) for MoneyField
                    assert field in FREE_TEXT or junk == "1e9", (action, field, junk)
                    case.guarantees.filter(pk=response.json()["id"]).delete()
                    continue
                assert response.status_code in (400, 403, 409), (action, field, junk, response)
    client = client_for(eworld.officer)
    for step in ("offer", "approve", "refuse", "discharge", "enforce", "receipt"):
        for junk in ("", "abc", "-1", "2026-02-30", "１２"):
            form = {key: junk for key in ("kind", "guarantor_kind", "guarantor_name", "amount",
                                          "suspension_until", "approver", "applied_on",
                                          "received_on", "note", "guarantor_id_number",
                                          "guarantor_credit_code")}  # fmt: skip
            response = client.post(reverse("enforcement:guarantee_step", args=[case.pk, step]),
                                   form)  # fmt: skip
            assert response.status_code in (302, 400), (step, junk, response.status_code)
