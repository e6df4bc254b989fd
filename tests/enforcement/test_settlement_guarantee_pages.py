"""The settlement's guarantee on the pages (执行和解协议约定的担保), as a clerk works in the
browser: the settlement is recorded on the endings page, then the guarantee it names is
added on its own form — a person with an ID number or a company with a credit code, the
amount in yuan, the period in months or the default year, the guarantor's undertaking. Bad
input comes back beside the field with what was typed; the case page's endings panel shows
the guarantee; another court's user gets 404, a higher court's supervisor (who reads but
does not act) is refused."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from deadlines.calendar import add_months
from enforcement.models import EnforcementGuarantee, GuaranteeStatus, Settlement

from .conftest import id_number, make_case
from .measures_fixtures import valid_credit_code

pytestmark = pytest.mark.django_db

GUARANTOR_ID = id_number("19820715", "031")
COMPANY = "乌海市丙商贸有限公司"


@pytest.fixture
def case(eworld, client_for):
    """A case whose settlement (two instalments) was recorded on the endings page."""
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="乙某")
    today = timezone.localdate()
    later = today + datetime.timedelta(days=30)
    client = client_for(eworld.officer)
    response = client.post(
        reverse("enforcement:endings_step", args=[case.pk, "settle"]),
        {"signed_on": today.isoformat(), "terms": "乙分两期支付60000元，丙提供保证",
         "total": "60000.00", "due_on": [today.isoformat(), later.isoformat()],
         "amount": ["30000.00", "30000.00"]},
    )  # fmt: skip
    assert response.status_code == 302
    client.logout()
    return case


def form_url(case):
    return reverse("enforcement:settlement_guarantee", args=[case.pk])


def person(**overrides):
    return {
        "guarantor_kind": "person", "guarantor_name": "丙某", "guarantor_id_number": GUARANTOR_ID,
        "guarantor_phone": "13904730001", "guarantor_address": "乌海市海勃湾区新华街1号",
        "kind": "undertaking", "amount": "30000.00", "guarantee_period_months": "24",
        "undertaking": "on", "reason": "丙在和解协议上签字提供保证", **overrides,
    }  # fmt: skip


def field_value(body, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


@pytest.mark.parametrize("who", ["officer", "clerk"])
def test_the_form_is_shown_to_the_case_staff(eworld, case, client_for, who):
    client = client_for(getattr(eworld, who))
    endings = client.get(reverse("enforcement:endings", args=[case.pk])).content.decode()
    assert 'data-testid="settlement-guarantee-link"' in endings
    detail = client.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
    assert 'data-testid="endings-guarantee-link"' in detail
    response = client.get(form_url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="settlement-guarantee-form"' in body
    for name in ("guarantor_kind", "guarantor_name", "guarantor_id_number",
                 "guarantor_credit_code", "guarantor_phone", "guarantor_address", "kind",
                 "amount", "guarantee_period_months", "undertaking"):  # fmt: skip
        assert f'name="{name}"' in body, name
    assert 'inputmode="decimal"' in body


def test_a_person_guarantee_is_recorded_audited_and_shown_on_the_case_page(
    eworld, case, client_for
):
    client = client_for(eworld.officer)
    response = client.post(form_url(case), person(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("enforcement:detail", args=[case.pk]) + (
        "#endings"
    )
    body = response.content.decode()
    assert "已登记和解协议的担保：丙某，以 30000.00 元为限。" in body

    guarantee = EnforcementGuarantee.objects.get()
    settlement = Settlement.objects.get()
    assert guarantee.settlement == settlement and guarantee.case == case
    assert guarantee.status == GuaranteeStatus.SECURING
    assert guarantee.amount == Decimal("30000.00")
    assert guarantee.guarantee_period_months == 24 and guarantee.undertaking
    assert guarantee.guarantor.kind == "person" and guarantee.guarantor.id_number_masked
    assert guarantee.requested_by == eworld.officer
    # the service wrote the audit entry, on the guarantee and on the settlement it names
    kind = ContentType.objects.get_for_model(EnforcementGuarantee)
    entry = AuditEntry.objects.get(content_type=kind, object_id=str(guarantee.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == eworld.officer
    assert "丙某" in entry.note
    settlement.refresh_from_db()
    assert settlement.guarantor == "丙某"

    # the case page's endings panel: who, up to how much, until when; never the ID number
    rows = re.findall(r'data-testid="endings-guarantee">(.*?)</p>', body, re.S)
    assert len(rows) == 1
    ends = settlement.instalments.order_by("-due_on").first().due_on
    assert "丙某" in rows[0] and "¥30,000.00" in rows[0]
    assert add_months(ends, 24).isoformat() in rows[0]
    assert GUARANTOR_ID not in body


def test_a_company_guarantee_with_the_default_period(eworld, case, client_for):
    client = client_for(eworld.clerk)
    code = valid_credit_code("91150302MA0N00002")
    response = client.post(form_url(case), person(
        guarantor_kind="organisation", guarantor_name=COMPANY, guarantor_id_number="",
        guarantor_credit_code=code.lower(), guarantor_phone="", kind="property",
        property_description="丙公司名下蒙C12345号货车一辆", guarantee_period_months="",
        amount="15000.5",
    ))  # fmt: skip
    assert response.status_code == 302
    guarantee = EnforcementGuarantee.objects.get()
    assert guarantee.amount == Decimal("15000.50")
    assert guarantee.guarantee_period_months is None  # the default year
    assert guarantee.guarantor.credit_code == code
    detail = client.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
    ends = Settlement.objects.get().instalments.order_by("-due_on").first().due_on
    assert COMPANY in detail and add_months(ends, 12).isoformat() in detail


def test_a_bad_id_number_and_amount_come_back_beside_the_fields_as_typed(eworld, case, client_for):
    client = client_for(eworld.officer)
    bad_id = GUARANTOR_ID[:-1] + ("0" if GUARANTOR_ID[-1] != "0" else "1")
    response = client.post(form_url(case), person(guarantor_id_number=bad_id, amount="100.005",
                                                  guarantee_period_months="61"))  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    errors = dict(re.findall(r'data-testid="error-(\w+)">([^<]*)<', body))
    assert "校验位" in errors["guarantor_id_number"]
    assert "两位小数" in errors["amount"]
    assert "1 至 60 个月" in errors["guarantee_period_months"]
    assert re.search(r'name="guarantor_id_number"[^>]*is-invalid', body)
    # nothing typed is lost
    assert field_value(body, "guarantor_id_number") == bad_id
    assert field_value(body, "amount") == "100.005"
    assert field_value(body, "guarantor_name") == "丙某"
    assert field_value(body, "guarantor_phone") == "13904730001"
    assert field_value(body, "guarantee_period_months") == "61"
    assert re.search(r'<input[^>]*name="undertaking"[^>]*checked', body)
    assert re.search(r'<input[^>]*value="person"[^>]*checked|<input[^>]*checked[^>]*value="person"',
                     body)  # fmt: skip
    assert not EnforcementGuarantee.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "1e4"}, "amount", "科学计数法"),
        ({"amount": "０"}, "amount", "科学计数法"),
        ({"amount": "0"}, "amount", "大于零"),
        ({"undertaking": ""}, "undertaking", "自愿接受直接强制执行"),
        ({"guarantor_id_number": "", "guarantor_credit_code": valid_credit_code()},
         "guarantor_credit_code", "自然人"),
        ({"kind": "property", "property_description": ""}, "property_description", "担保财产"),
        ({"guarantor_phone": "12345"}, "guarantor_phone", "手机号码"),
    ],
)  # fmt: skip
def test_what_the_api_refuses_the_form_refuses_beside_the_field(
    eworld, case, client_for, overrides, field, message
):
    response = client_for(eworld.officer).post(form_url(case), person(**overrides))
    assert response.status_code == 400
    errors = dict(re.findall(r'data-testid="error-(\w+)">([^<]*)<', response.content.decode()))
    assert message in errors.get(field, ""), errors
    assert not EnforcementGuarantee.objects.exists()


def test_an_outsider_gets_404_and_learns_nothing(eworld, case, client_for):
    client = client_for(eworld.outsider)
    assert client.get(form_url(case)).status_code == 404
    response = client.post(form_url(case), person())
    assert response.status_code == 404
    assert "乙某" not in response.content.decode()
    assert not EnforcementGuarantee.objects.exists()


def test_a_supervisor_of_the_higher_court_reads_but_is_refused(eworld, case, client_for):
    client = client_for(eworld.higher_supervisor)
    detail = client.get(reverse("enforcement:detail", args=[case.pk]))
    assert detail.status_code == 200
    assert 'data-testid="endings-guarantee-link"' not in detail.content.decode()
    assert client.get(form_url(case)).status_code == 403
    assert client.post(form_url(case), person()).status_code == 403
    assert not EnforcementGuarantee.objects.exists()


def test_without_a_settlement_being_performed_the_form_sends_back(eworld, client_for):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    client = client_for(eworld.officer)
    response = client.get(form_url(case), follow=True)
    assert response.redirect_chain[-1][0] == reverse("enforcement:endings", args=[case.pk])
    assert "本案没有正在履行的和解协议" in response.content.decode()
    assert client.post(form_url(case), person()).status_code == 302
    assert not EnforcementGuarantee.objects.exists()
