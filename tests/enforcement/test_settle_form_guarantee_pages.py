"""The settlement's form on the endings page naming the guarantee the agreement names, as a
clerk works in the browser (Django test client posts): the settlement and its guarantee are
recorded in one step through the services, or neither; every error — the settlement's, the
guarantee's, the guarantor's phone — shows beside its field on the FIRST submit, and
everything typed comes back. The separate guarantee form does the same for the phone."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from enforcement.models import (
    CaseStatus,
    EnforcementGuarantee,
    GuaranteeStatus,
    Settlement,
    SettlementStatus,
)

from .conftest import id_number, make_case
from .measures_fixtures import valid_credit_code

pytestmark = pytest.mark.django_db

GUARANTOR_ID = id_number("19820715", "031")
BAD_ID = GUARANTOR_ID[:-1] + ("0" if GUARANTOR_ID[-1] != "0" else "1")


@pytest.fixture
def case(eworld):
    return make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="乙某")


def settle_url(case):
    return reverse("enforcement:endings_step", args=[case.pk, "settle"])


def settle(**overrides):
    today = timezone.localdate()
    return {
        "signed_on": today.isoformat(), "terms": "乙分两期支付60000元，丙提供保证",
        "total": "60000.00", "due_on": [today.isoformat(),
                                        (today + datetime.timedelta(days=30)).isoformat()],
        "amount": ["30000.00", "30000.00"], **overrides,
    }  # fmt: skip


def guarantee(**overrides):
    data = {
        "guarantor_kind": "person", "guarantor_name": "丙某", "guarantor_id_number": GUARANTOR_ID,
        "guarantor_phone": "13904730001", "guarantor_address": "乌海市海勃湾区新华街1号",
        "kind": "undertaking", "amount": "20000.00", "guarantee_period_months": "24",
        "undertaking": "on", "reason": "丙在和解协议上签字提供保证", **overrides,
    }  # fmt: skip
    return {f"guarantee-{name}": value for name, value in data.items()}


def errors(body: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field, message in re.findall(r'data-testid="error-(\w+)">([^<]*)<', body):
        found.setdefault(field, []).append(message)
    return found


def value(body: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', body)
    assert match, name
    typed = re.search(r'value="([^"]*)"', match.group(0))
    return typed.group(1) if typed else None


def test_the_settle_form_shows_the_optional_guarantee(eworld, case, client_for):
    body = client_for(eworld.clerk).get(reverse("enforcement:endings", args=[case.pk])).content
    body = body.decode()
    assert 'data-testid="settle-guarantee"' in body
    for name in ("guarantor_kind", "guarantor_name", "guarantor_id_number", "guarantor_phone",
                 "guarantor_address", "kind", "amount", "guarantee_period_months",
                 "undertaking"):  # fmt: skip
        assert f'name="guarantee-{name}"' in body, name


def test_the_settlement_and_its_guarantee_are_recorded_in_one_step(eworld, case, client_for):
    client = client_for(eworld.clerk)
    response = client.post(settle_url(case), {**settle(), **guarantee()})
    assert response.status_code == 302, errors(response.content.decode())
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLEMENT
    settlement = Settlement.objects.get()
    record = EnforcementGuarantee.objects.get()
    assert record.settlement == settlement and record.case == case
    assert (record.status, record.amount, record.guarantee_period_months) == (
        GuaranteeStatus.SECURING, Decimal("20000.00"), 24)  # fmt: skip
    assert record.undertaking and record.requested_by == eworld.clerk
    assert record.guarantor.phone_masked and record.guarantor.id_number_masked
    assert settlement.guarantor == "丙某"
    kind = ContentType.objects.get_for_model(EnforcementGuarantee)
    assert AuditEntry.objects.filter(content_type=kind, object_id=str(record.pk),
                                     actor=eworld.clerk).exists()  # fmt: skip


def test_without_a_guarantee_only_the_settlement_is_recorded(eworld, case, client_for):
    # the radio buttons post their defaults; nothing typed: no guarantee
    data = {**settle(guarantor="丁某"), "guarantee-guarantor_kind": "person",
            "guarantee-kind": "undertaking"}  # fmt: skip
    response = client_for(eworld.officer).post(settle_url(case), data)
    assert response.status_code == 302
    assert Settlement.objects.get().guarantor == "丁某"
    assert not EnforcementGuarantee.objects.exists()


def test_every_error_shows_on_the_first_submit_with_what_was_typed(eworld, case, client_for):
    """The settlement's own errors and the guarantee's — the form's (the amount's notation)
    and the service's (the ID number's check character, the phone, the undertaking) — come
    back together, each beside its field; nothing is recorded and nothing typed is lost."""
    client = client_for(eworld.officer)
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    data = {**settle(signed_on=future, terms="", total="60000.00",
                     amount=["30000.00", "20000.00"]),
            **guarantee(guarantor_id_number=BAD_ID, guarantor_phone="12345", amount="1e4",
                        undertaking="")}  # fmt: skip
    response = client.post(settle_url(case), data)
    assert response.status_code == 400
    body = response.content.decode()
    found = errors(body)
    assert "晚于今天" in found["signed_on"][0]
    assert "请填写和解协议的内容" in found["terms"][0]
    assert any("不能早于签订日期" in m for m in found["instalments"])
    assert "手机号码" in found["guarantor_phone"][0]
    assert "校验位" in found["guarantor_id_number"][0]
    assert "科学计数法" in found["amount"][0]
    assert "自愿接受直接强制执行" in found["undertaking"][0]
    assert re.search(r'name="guarantee-guarantor_phone"[^>]*is-invalid', body)
    # what was typed, the settlement's and the guarantee's
    assert value(body, "signed_on") == future
    assert re.search(r'<input[^>]*name="amount"[^>]*value="20000.00"', body)
    assert value(body, "guarantee-guarantor_phone") == "12345"
    assert value(body, "guarantee-guarantor_id_number") == BAD_ID
    assert value(body, "guarantee-amount") == "1e4"
    assert value(body, "guarantee-guarantor_name") == "丙某"
    assert value(body, "guarantee-guarantor_address") == "乌海市海勃湾区新华街1号"
    assert re.search(r'<details[^>]*data-testid="settle-guarantee"[^>]*open', body)
    assert not Settlement.objects.exists() and not EnforcementGuarantee.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS

    # put right in one go: both recorded
    fixed = {**settle(), **guarantee()}
    assert client.post(settle_url(case), fixed).status_code == 302
    assert EnforcementGuarantee.objects.get().settlement == Settlement.objects.get()


def test_a_bad_phone_alone_is_refused_beside_it(eworld, case, client_for):
    response = client_for(eworld.officer).post(
        settle_url(case), {**settle(), **guarantee(guarantor_phone="1390473")}
    )
    assert response.status_code == 400
    assert "手机号码" in errors(response.content.decode())["guarantor_phone"][0]
    assert not Settlement.objects.exists()


def test_a_guarantee_half_filled_is_not_dropped(eworld, case, client_for):
    """Only a phone typed: the guarantee is named but incomplete — said beside its fields,
    the settlement not recorded without it."""
    data = {**settle(), "guarantee-guarantor_kind": "person", "guarantee-kind": "undertaking",
            "guarantee-guarantor_phone": "13904730001"}  # fmt: skip
    response = client_for(eworld.officer).post(settle_url(case), data)
    assert response.status_code == 400
    body = response.content.decode()
    found = errors(body)
    assert {"guarantor_name", "amount", "guarantor_id_number", "undertaking"} <= set(found)
    assert value(body, "guarantee-guarantor_phone") == "13904730001"
    assert not Settlement.objects.exists()


def test_a_company_guarantee_of_property(eworld, case, client_for):
    code = valid_credit_code("91150302MA0N00002")
    data = {**settle(), **guarantee(
        guarantor_kind="organisation", guarantor_name="乌海市丙商贸有限公司",
        guarantor_id_number="", guarantor_credit_code=code, guarantor_phone="",
        kind="property", property_description="蒙C12345号货车一辆",
        guarantee_period_months="")}  # fmt: skip
    assert client_for(eworld.officer).post(settle_url(case), data).status_code == 302
    record = EnforcementGuarantee.objects.get()
    assert record.guarantor.credit_code == code and record.guarantee_period_months is None
    assert record.settlement.status == SettlementStatus.PERFORMING


def test_an_outsider_gets_404_and_nothing_is_recorded(eworld, case, client_for):
    response = client_for(eworld.outsider).post(settle_url(case), {**settle(), **guarantee()})
    assert response.status_code == 404
    assert "乙某" not in response.content.decode()
    assert not Settlement.objects.exists()


def test_a_higher_courts_supervisor_is_refused(eworld, case, client_for):
    client = client_for(eworld.higher_supervisor)
    response = client.post(settle_url(case), {**settle(), **guarantee()}, follow=True)
    assert response.status_code == 200
    assert not Settlement.objects.exists() and not EnforcementGuarantee.objects.exists()


def test_the_guarantee_page_says_the_bad_phone_on_the_first_submit(eworld, case, client_for):
    """The separate guarantee form: the form refuses the amount's notation and the missing
    name itself; the phone (checked by the service's rules) is said with them, not only once
    they are put right."""
    client = client_for(eworld.officer)
    assert client.post(settle_url(case), settle()).status_code == 302
    form_url = reverse("enforcement:settlement_guarantee", args=[case.pk])
    data = {name.removeprefix("guarantee-"): v for name, v in guarantee(
        guarantor_name="", amount="1e4", guarantor_phone="12345").items()}  # fmt: skip
    response = client.post(form_url, data)
    assert response.status_code == 400
    body = response.content.decode()
    found = errors(body)
    assert "手机号码" in found["guarantor_phone"][0]
    assert "科学计数法" in found["amount"][0]
    assert "guarantor_name" in found
    assert value(body, "guarantor_phone") == "12345"
    assert value(body, "amount") == "1e4"
    assert not EnforcementGuarantee.objects.exists()


def test_instalments_not_adding_up_are_said_once_beside_them(eworld, case, client_for):
    response = client_for(eworld.officer).post(
        settle_url(case), {**settle(amount=["30000.00", "20000.00"]), **guarantee()}
    )
    assert response.status_code == 400
    body = response.content.decode()
    said = errors(body)["instalments"]
    assert len(said) == 1 and "不一致" in said[0]
    assert value(body, "guarantee-guarantor_phone") == "13904730001"
    assert not Settlement.objects.exists() and not EnforcementGuarantee.objects.exists()


def guarantee_fields(body: str) -> str:
    """The guarantee's fields as a page writes them, without the settle form's prefix and
    the cursor (each page puts it in its own first error)."""
    start = body.index('data-testid="guarantee-fields"')
    first = body.index("</fieldset>", start)
    block = body[start : body.index("</fieldset>", first + 1)]
    return re.sub(r"guarantee-|\s+autofocus", "", block)


def test_both_pages_write_the_guarantee_fields_alike(eworld, case, client_for):
    """The settle form's guarantee and the guarantee's own page write the same fields, in
    the same groups and order, with each error in the same place and what was typed."""
    client = client_for(eworld.officer)
    typed = {"guarantor_id_number": BAD_ID, "guarantor_phone": "12345", "amount": "1e4",
             "undertaking": ""}  # fmt: skip
    on_settle = client.post(settle_url(case), {**settle(), **guarantee(**typed)})
    assert on_settle.status_code == 400
    assert client.post(settle_url(case), settle()).status_code == 302
    own = {name.removeprefix("guarantee-"): value for name, value in guarantee(**typed).items()}
    on_own_page = client.post(reverse("enforcement:settlement_guarantee", args=[case.pk]), own)
    assert on_own_page.status_code == 400
    settle_block = guarantee_fields(on_settle.content.decode())
    own_block = guarantee_fields(on_own_page.content.decode())
    assert set(errors(settle_block)) == {"guarantor_id_number", "guarantor_phone", "amount",
                                         "undertaking"}  # fmt: skip
    assert settle_block.count("<legend") == 2
    assert settle_block == own_block
