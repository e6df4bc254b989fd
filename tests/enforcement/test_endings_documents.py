"""The termination ruling (终结执行裁定书) and the suspension decision (暂缓执行决定书) from the
documents service (enf-endings / enf-guarantee, part 2): issued by the step itself, in the
case number's form (the first document of a case carries the case number, the next 之一),
with a verification code, on the case page and in the API; the wrong state is 409 and
nothing more is issued; an outsider gets 404 and reads neither document."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from documents.models import IssuedDocument
from enforcement.document_kinds_endings import TERMINATION_RULING
from enforcement.document_kinds_guarantee import SUSPENSION_DECISION
from enforcement.models import CaseEnding, EndingKind
from enforcement.selectors_filing import TIME_LIMIT
from enforcement.services.filing import case_clock_start

from . import notices_fixtures
from .conftest import make_case
from .notices_fixtures import docx_text, stored

fast_pdf = notices_fixtures.fast_pdf
pytestmark = pytest.mark.usefixtures("fast_pdf")


@pytest.fixture
def case(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="乙公司",
                     principal=Decimal("100000.00"))  # fmt: skip
    case_clock_start(case, TIME_LIMIT, actor=eworld.clerk, start=case.filed_at)
    return case


def _offer(api, world, case):
    return api.post(f"/api/enforcement/guarantee/{case.pk}/offer/", {
        "kind": "undertaking", "guarantor_kind": "organisation", "guarantor_name": "丙担保有限公司",
        "guarantor_credit_code": "91110000802100433B", "amount": "60000.00",
        "suspension_until": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        "applicant_consent": True, "approver": world.president.pk,
    }, format="json")  # fmt: skip


def test_termination_issues_the_ruling_in_the_case_numbers_form(eworld, case, api_for, client):
    api = api_for(eworld.officer)
    done = api.post(f"/api/enforcement/endings/{case.pk}/terminate/",
                    {"ground": "debtor_died", "reason": "被执行人已死亡，无遗产可供执行"},
                    format="json")  # fmt: skip
    assert done.status_code == 200, done.content
    ending = CaseEnding.objects.get(case=case, kind=EndingKind.TERMINATED)
    ruling = ending.document
    assert ruling.kind == TERMINATION_RULING and ruling.number == case.case_number
    assert ruling.title == "执行裁定书（终结执行）" and ruling.verification_code
    text = docx_text(stored(ruling.docx_file))
    assert "作为被执行人的公民死亡" in text and "被执行人已死亡，无遗产可供执行" in text
    assert f"终结{case.case_number}案件的执行" in text
    assert AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(ruling),
                                     object_id=str(ruling.pk), action="create").exists()  # fmt: skip
    row = api.get(f"/api/enforcement/endings/{case.pk}/").json()["endings"][0]
    assert row["document_number"] == case.case_number
    assert row["document_verification_code"] == ruling.verification_code_display
    client.force_login(eworld.officer)
    page = client.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
    assert 'data-testid="endings-document"' in page and ruling.verification_code_display in page
    # terminated: a second termination is refused by the state (409), nothing issued
    again = api.post(f"/api/enforcement/endings/{case.pk}/terminate/",
                     {"ground": "withdrawn", "reason": "x"}, format="json")  # fmt: skip
    assert again.status_code == 409
    assert IssuedDocument.objects.filter(kind=TERMINATION_RULING).count() == 1


def test_the_suspension_decision_is_issued_on_approval_and_the_ruling_then_takes_zhi_yi(
    eworld, case, api_for, client
):
    officer, president = api_for(eworld.officer), api_for(eworld.president)
    assert _offer(officer, eworld, case).status_code == 201
    assert not IssuedDocument.objects.filter(kind=SUSPENSION_DECISION).exists()  # not yet
    approved = president.post(f"/api/enforcement/guarantee/{case.pk}/approve/",
                              {"note": "准予暂缓执行"}, format="json")  # fmt: skip
    assert approved.status_code == 200, approved.content
    record = approved.json()["guarantees"][0]
    decision = IssuedDocument.objects.get(kind=SUSPENSION_DECISION)
    assert record["decision"] == decision.pk and record["decision_number"] == case.case_number
    assert record["decision_verification_code"] == decision.verification_code_display
    text = docx_text(stored(decision.docx_file))
    assert "丙担保有限公司" in text and "60,000.00" in text and "吴院长" in text
    assert "暂缓执行至" in text
    # approving again: the guarantee is no longer offered (409), nothing more issued
    assert president.post(f"/api/enforcement/guarantee/{case.pk}/approve/", {},
                          format="json").status_code == 409  # fmt: skip
    assert IssuedDocument.objects.filter(kind=SUSPENSION_DECISION).count() == 1
    client.force_login(eworld.officer)
    page = client.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
    assert 'data-testid="guarantee-decision"' in page
    # the debtor performs; the case is later terminated: its ruling is the case's second
    # document, 之一
    assert officer.post(f"/api/enforcement/guarantee/{case.pk}/discharge/",
                        {"note": "被执行人已履行部分"}, format="json").status_code == 200  # fmt: skip
    done = officer.post(f"/api/enforcement/endings/{case.pk}/terminate/",
                        {"ground": "withdrawn", "reason": "申请执行人撤回申请"}, format="json")  # fmt: skip
    assert done.status_code == 200, done.content
    ruling = IssuedDocument.objects.get(kind=TERMINATION_RULING)
    assert ruling.number == f"{case.case_number}之一"


def test_an_outsider_gets_404_and_reads_neither_document(eworld, case, api_for, client):
    assert _offer(api_for(eworld.officer), eworld, case).status_code == 201
    outsider = api_for(eworld.outsider)
    assert outsider.post(f"/api/enforcement/guarantee/{case.pk}/approve/", {},
                         format="json").status_code == 404  # fmt: skip
    api_for(eworld.president).post(f"/api/enforcement/guarantee/{case.pk}/approve/", {},
                                   format="json")  # fmt: skip
    assert outsider.post(f"/api/enforcement/endings/{case.pk}/terminate/",
                         {"ground": "withdrawn", "reason": "x"}, format="json").status_code == 404  # fmt: skip
    decision = IssuedDocument.objects.get(kind=SUSPENSION_DECISION)
    client.force_login(eworld.outsider)
    assert client.get(reverse("documents:detail", args=[decision.pk])).status_code == 404
    client.force_login(eworld.officer)
    assert client.get(reverse("documents:detail", args=[decision.pk])).status_code == 200


def test_the_termination_page_issues_the_ruling_and_bad_input_re_renders(eworld, client):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="丁某")
    client.force_login(eworld.officer)
    step = reverse("enforcement:endings_step", args=[case.pk, "terminate"])
    bad = client.post(step, {"ground": "withdrawn", "reason": " "})
    assert bad.status_code == 400 and "请写明终结执行的事实和理由" in bad.content.decode()
    assert not IssuedDocument.objects.filter(kind=TERMINATION_RULING).exists()
    done = client.post(step, {"ground": "withdrawn", "reason": "申请执行人撤回执行申请"})
    assert done.status_code == 302
    assert IssuedDocument.objects.get(kind=TERMINATION_RULING).number == case.case_number


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (99, "九十九"),
     (100, "100")],
)  # fmt: skip
def test_the_ordinals_of_a_cases_documents(n, words):
    from documents.services import chinese_ordinal

    assert chinese_ordinal(n) == words
