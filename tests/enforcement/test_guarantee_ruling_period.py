"""执行担保 (enf-guarantee): the ruling enforcing the guaranteed property or the guarantor's
property (执行裁定书) issued through the documents service when enforcement turns to the
guarantee — for a suspension's guarantee and a settlement's —, numbered in the case number's
form after the case's earlier documents, naming the guarantor and the limit, shown on the page
and in the API, read by nobody outside the court; and the guarantee period a 担保书 names
(months from the end of the suspension) used instead of the default year, bad periods 400."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from deadlines.calendar import add_months
from documents.models import IssuedDocument
from enforcement.document_kinds_guarantee import ENFORCEMENT_RULING
from enforcement.models import EnforcementGuarantee, GuaranteeStatus

from .conftest import make_case
from .notices_fixtures import docx_text, stored
from .test_guarantee_api import SECRET_NAME, body, url
from .test_guarantee_api import case as case  # noqa: F401 (the fixture)
from .test_settlement_guarantee import GUARANTOR, endings, settle_body

pytestmark = pytest.mark.django_db


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _numbered(case, earlier: int) -> str:
    """The number the case's next document carries after `earlier` ones (spelt out here, not
    computed by the code under test)."""
    return case.case_number + ["", "之一", "之二", "之三"][earlier]


def _suspended(eworld, case, api_for, **extra):
    officer = api_for(eworld.officer)
    offered = officer.post(url(case, "offer"), body(eworld, **extra), format="json")
    assert offered.status_code == 201, offered.json()
    approved = api_for(eworld.president).post(url(case, "approve"), {}, format="json")
    assert approved.status_code == 200, approved.json()
    return officer, approved.json()["guarantees"][0]


def _enforce(officer, case, day, **extra):
    data = {"applied_on": day.isoformat(), "note": "乙逾期未履行", "told_by": "直接送达"}
    data.update(extra)
    return officer.post(url(case, "enforce"), data, format="json")


def test_the_ruling_is_issued_in_the_case_numbers_form_and_tells_the_guarantor(
    eworld, case, api_for, client
):
    officer, record = _suspended(eworld, case, api_for, kind="property",
                                 property_description="丙公司名下蒙C·A1234 重型货车一辆")  # fmt: skip
    decision = IssuedDocument.objects.get(pk=record["decision"])
    until = datetime.date.fromisoformat(record["suspension_until"])
    day = until + datetime.timedelta(days=2)
    with time_machine.travel(_at(day), tick=False):
        enforced = _enforce(officer, case, day)
    assert enforced.status_code == 200, enforced.json()
    record = enforced.json()["guarantees"][0]
    ruling = IssuedDocument.objects.get(pk=record["enforcement_ruling"])
    assert ruling.kind == ENFORCEMENT_RULING and ruling.organisation == case.court
    # the case's documents in order: the decision first, the ruling after it
    earlier = IssuedDocument.objects.filter(number__startswith=case.case_number).exclude(
        pk=ruling.pk
    )
    assert decision in earlier
    assert ruling.number == _numbered(case, earlier.count())
    assert record["enforcement_ruling_number"] == ruling.number
    assert record["enforcement_ruling_verification_code"] == ruling.verification_code_display
    text = docx_text(stored(ruling.docx_file))
    for words in (
        "执行裁定书",
        ruling.number,
        f"执行担保人{SECRET_NAME}提供的担保财产（丙公司名下蒙C·A1234 重型货车一辆）",
        "¥60,000.00",
        "陆万元整",
        f"暂缓执行期限（至 {until.isoformat()}）届满后",
        "乙逾期未履行",
        "乙公司",
    ):
        assert words in text, words
    # the guarantor is told with the ruling
    guarantee = EnforcementGuarantee.objects.get(pk=record["id"])
    assert ruling.number in guarantee.guarantor_notice
    assert ruling.verification_code_display in guarantee.guarantor_notice
    # the page and the case page's panel link it with its code
    client.force_login(eworld.officer)
    page = client.get(reverse("enforcement:guarantee", args=[case.pk])).content.decode()
    assert 'data-testid="guarantee-ruling"' in page and ruling.verification_code_display in page
    panel = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="guarantee-ruling"' in panel and ruling.number in panel
    assert client.get(reverse("documents:detail", args=[ruling.pk])).status_code == 200
    # nobody outside the court reads it, nor learns the guarantor's name
    client.force_login(eworld.outsider)
    for address in (reverse("documents:detail", args=[ruling.pk]),
                    reverse("documents:download", args=[ruling.pk, "pdf"])):  # fmt: skip
        response = client.get(address)
        assert response.status_code == 404, address
        assert SECRET_NAME not in response.content.decode()


def test_a_settlements_guarantor_gets_the_ruling_naming_the_settlement(eworld, case, api_for):
    officer = api_for(eworld.officer)
    today = timezone.localdate().isoformat()
    assert officer.post(endings(case, "settle"), settle_body(), format="json").status_code == 201
    assert not EnforcementGuarantee.objects.get().enforcement_ruling_id
    broken = officer.post(endings(case, "breach"), {"applied_on": today, "note": "乙未付第一期"},
                          format="json")  # fmt: skip
    assert broken.status_code == 200, broken.json()
    before = IssuedDocument.objects.filter(number__startswith=case.case_number).count()
    enforced = officer.post(url(case, "enforce"), {"applied_on": today, "note": "乙未履行和解协议"},
                            format="json")  # fmt: skip
    assert enforced.status_code == 200, enforced.json()
    record = enforced.json()["guarantees"][0]
    ruling = IssuedDocument.objects.get(pk=record["enforcement_ruling"])
    assert ruling.number == _numbered(case, before)
    text = docx_text(stored(ruling.docx_file))
    for words in (f"执行担保人{GUARANTOR}的财产", "¥30,000.00", "叁万元整", "执行和解协议",
                  "乙未履行和解协议"):  # fmt: skip
        assert words in text, words


def test_a_named_guarantee_period_replaces_the_default_year(eworld, case, api_for):
    officer, record = _suspended(eworld, case, api_for, guarantee_period_months=3)
    assert record["guarantee_period_months"] == 3
    until = datetime.date.fromisoformat(record["suspension_until"])
    ends = add_months(until, 3)
    assert record["guarantee_period_ends_on"] == ends.isoformat()
    late = ends + datetime.timedelta(days=1)
    with time_machine.travel(_at(late), tick=False):
        refused = _enforce(officer, case, late)
        assert refused.status_code == 409 and ends.isoformat() in refused.json()["detail"]
        # within the default year it would have been allowed; the day before is within 3 months
        on_time = _enforce(officer, case, ends)
    assert on_time.status_code == 200, on_time.json()
    assert on_time.json()["guarantees"][0]["status"] == GuaranteeStatus.ENFORCED


def test_a_period_longer_than_a_year_none_named_and_a_settlements(eworld, case, api_for):
    officer, record = _suspended(eworld, case, api_for, guarantee_period_months=18)
    until = datetime.date.fromisoformat(record["suspension_until"])
    assert record["guarantee_period_ends_on"] == add_months(until, 18).isoformat()
    day = add_months(until, 15)  # past the default year, within the 18 months named
    with time_machine.travel(_at(day), tick=False):
        assert _enforce(officer, case, day).status_code == 200


def test_none_named_is_a_year_and_a_settlement_names_its_own(eworld, case, api_for):
    officer, record = _suspended(eworld, case, api_for)
    until = datetime.date.fromisoformat(record["suspension_until"])
    assert record["guarantee_period_months"] is None
    assert record["guarantee_period_ends_on"] == add_months(until, 12).isoformat()
    late = add_months(until, 12) + datetime.timedelta(days=1)
    with time_machine.travel(_at(late), tick=False):
        assert _enforce(officer, case, late).status_code == 409
    # a settlement's guarantee: the period it names runs from the last performance day
    other = make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="丁")
    settled = officer.post(endings(other, "settle"), settle_body(guarantee_period_months=6),
                           format="json")  # fmt: skip
    assert settled.status_code == 201, settled.json()
    named = officer.get(url(other)).json()["guarantees"][0]
    last_day = datetime.date.fromisoformat(named["suspension_until"])
    assert named["guarantee_period_months"] == 6
    assert named["guarantee_period_ends_on"] == add_months(last_day, 6).isoformat()


def test_a_bad_period_answers_400_and_records_nothing(eworld, case, api_for, client):
    officer = api_for(eworld.officer)
    for bad in (0, -1, 61, "abc", 1.5, True):
        response = officer.post(url(case, "offer"), body(eworld, guarantee_period_months=bad),
                                format="json")  # fmt: skip
        assert response.status_code == 400, (bad, response.json())
        assert "guarantee_period_months" in response.json()["fields"], bad
    refused = officer.post(endings(case, "settle"), settle_body(guarantee_period_months=61),
                           format="json")  # fmt: skip
    assert refused.status_code == 400, refused.json()
    assert not EnforcementGuarantee.objects.exists()
    # the page's form: the message by the field, then a period accepted
    client.force_login(eworld.officer)
    step = reverse("enforcement:guarantee_step", args=[case.pk, "offer"])
    form = {**body(eworld), "applicant_consent": "on", "guarantee_period_months": "六个月"}
    page = client.post(step, form)
    assert page.status_code == 400
    assert 'data-field="guarantee_period_months"' in page.content.decode()
    assert not EnforcementGuarantee.objects.exists()
    client.post(step, {**form, "guarantee_period_months": "6"})
    assert EnforcementGuarantee.objects.get().guarantee_period_months == 6
