"""The agreement's document (人民调解协议书) and judicial confirmation (司法确认): the window,
excluded matters, the court's clocks and 民特 numbers, the ruling, scoping."""

import datetime
import io
import re
import threading

import docx
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEntry
from audit.selectors import history_for
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from deadlines.services import deadline_extension_approve
from documents import converter
from documents.models import IssuedDocument
from mediation import confirmation_clocks as clocks
from mediation.confirmation_selectors import enforceable_bases_for_user
from mediation.models import ConfirmationStatus, CourtCaseSequence, JudicialConfirmation
from mediation.services import (
    agreement_document_generate,
    confirmation_accept,
    confirmation_apply,
    confirmation_confirm,
    confirmation_ruling_extension_request,
)
from tests.factories import OrganisationFactory

from . import confirmation_fixtures
from .confirmation_fixtures import BEIJING, fake_pdf, make_agreed
from .conftest import ID_APPLICANT, ID_RESPONDENT

pytestmark = pytest.mark.django_db

agreed = confirmation_fixtures.agreed

ELEMENTS = {
    "issues": "漏水损失的赔偿数额及支付期限。",
    "responsibilities": "赵被申未及时维修自家水管，应承担赔偿责任。",
    "performance_method": "银行转账至李申请账户",
}


@pytest.fixture
def real_pdf():
    """Asked for by the tests that read the PDF text: LibreOffice really converts."""


@pytest.fixture(autouse=True)
def fast_pdf(request, monkeypatch):
    """Every application now issues its 司法确认申请书: a stand-in PDF (a second or two less
    per document) except for the tests that ask for `real_pdf`."""
    if "real_pdf" not in request.fixturenames:
        monkeypatch.setattr(converter, "docx_to_pdf", fake_pdf)


def stored(field) -> bytes:
    with default_storage.open(field.name, "rb") as handle:
        return handle.read()


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def everyone(agreement):
    return list(agreement.case.case_parties.all())


def apply(
    mworld, agreement, *, on=datetime.date(2026, 11, 20), matter="civil", court=None, actor=None
):
    when = datetime.datetime.combine(on, datetime.time(9, 0), tzinfo=BEIJING)
    with time_machine.travel(when, tick=False):
        return confirmation_apply(
            agreement=agreement,
            court=court or mworld.court,
            actor=actor or mworld.zhang,
            applicants=everyone(agreement),
            subject_matter=matter,
        )


# --- the agreement's document ------------------------------------------------------------


def test_agreement_document_prints_names_identity_amounts_and_dates(mworld, agreed, real_pdf):
    document = agreement_document_generate(agreement=agreed, actor=mworld.zhang, **ELEMENTS)
    assert document.kind == "mediation.agreement" and document.organisation == mworld.committee
    assert document.subject == agreed and "调协字第1号" in document.number
    word = docx_text(stored(document.docx_file))
    pdf = pdf_text(stored(document.pdf_file))
    for text in (word, pdf):
        for expected in (
            "李申请", "赵被申", ID_APPLICANT, ID_RESPONDENT, "¥12,345.60",
            "壹万贰仟叁佰肆拾伍元陆角整", "2026年12月31日", "2026年11月2日", "张调解",
            "新华街道人民调解委员会", "团结社区红色驿站", "银行转账至李申请账户",
            "一式3份",  # one per party and the committee's
        ):  # fmt: skip
            assert expected in text, expected
    agreed.refresh_from_db()
    assert agreed.document_generated_at == document.issued_at
    # the public check names the parties masked only
    assert document.public_parties == ["李**", "赵**"]


def test_a_missing_element_is_listed_on_the_page_and_400_in_the_api(
    mworld, agreed, fast_pdf, client_for, api_for
):
    client = client_for(mworld.zhang)
    response = client.post(
        f"/mediation/{agreed.case_id}/agreement/document/",
        {"issues": "", "responsibilities": "", "performance_method": "转账"},
        follow=True,
    )
    page = response.content.decode()
    assert "缺少法定要素：争议事项" in page and "缺少法定要素：各方当事人的责任" in page
    answer = api_for(mworld.zhang).post(
        f"/api/mediation/agreements/{agreed.pk}/document/",
        {"issues": "x", "responsibilities": "", "performance_method": "转账"},
        format="json",
    )
    assert answer.status_code == 400
    assert "各方当事人的责任" in str(answer.json()) and "争议事项" not in str(answer.json())
    assert not IssuedDocument.objects.exists()
    made = api_for(mworld.zhang).post(
        f"/api/mediation/agreements/{agreed.pk}/document/", ELEMENTS, format="json"
    )
    assert made.status_code == 201 and made.json()["kind"] == "mediation.agreement"
    page = client.get(f"/mediation/{agreed.case_id}/agreement/").content.decode()
    assert made.json()["number"] in page and 'data-testid="record-documents"' in page
    case_page = client.get(f"/mediation/{agreed.case_id}/").content.decode()
    assert made.json()["number"] in case_page
    # the document's issue is in the case's history
    document = IssuedDocument.objects.get()
    assert any(
        entry.object_id == str(document.pk) and "出具人民调解协议书" in entry.note
        for entry in history_for(agreed.case)
    )


def test_a_party_without_identity_is_a_missing_element(mworld, agreed, fast_pdf):
    party = agreed.case.case_parties.get(role="respondent").party
    party.id_number_encrypted = ""
    party.save(update_fields=["id_number_encrypted"])
    with pytest.raises(ValidationError) as refused:
        agreement_document_generate(agreement=agreed, actor=mworld.zhang, **ELEMENTS)
    assert "当事人第2项：身份证明号码" in " ".join(refused.value.messages)


# --- the window, the matter, joint application -------------------------------------------


def test_window_starts_with_the_agreement_day_30_ok_day_31_refused(mworld, agreed):
    window = Deadline.objects.get(kind=clocks.WINDOW)
    assert window.due_at.astimezone(BEIJING).date() == datetime.date(2026, 12, 2)
    assert window.owner == mworld.zhang
    with pytest.raises(ValidationError) as late:
        apply(mworld, agreed, on=datetime.date(2026, 12, 3))
    assert "已超过申请司法确认的期限" in str(late.value) and "2026-12-02" in str(late.value)
    assert not JudicialConfirmation.objects.exists()
    confirmation = apply(mworld, agreed, on=datetime.date(2026, 12, 2))
    assert confirmation.status == ConfirmationStatus.APPLIED
    window.refresh_from_db()
    assert window.state == Deadline.State.MET
    acceptance = Deadline.objects.get(kind=clocks.ACCEPTANCE)
    assert acceptance.due_at.astimezone(BEIJING).date() == datetime.date(2026, 12, 7)  # 5th: Sat
    assert any("登记司法确认申请" in e.note for e in history_for(confirmation))
    assert AuditEntry.objects.filter(
        object_id=str(confirmation.pk), note="登记司法确认申请"
    ).exists()


def test_the_joint_application_is_issued_as_a_document_on_the_confirmation_page(
    mworld, agreed, client_for, real_pdf
):
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, tzinfo=BEIJING), tick=False):
        agreement_document = agreement_document_generate(
            agreement=agreed, actor=mworld.zhang, **ELEMENTS
        )
    confirmation = apply(mworld, agreed, on=datetime.date(2026, 11, 20))
    (document,) = IssuedDocument.objects.filter(kind="mediation.confirmation_application")
    assert document.subject == confirmation and document.organisation == mworld.committee
    assert "确申字第1号" in document.number and document.public_parties == ["李**", "赵**"]
    word = docx_text(stored(document.docx_file))
    pdf = pdf_text(stored(document.pdf_file))
    for text in (word, pdf):
        for expected in (
            "司法确认申请书", "李申请", "赵被申", ID_APPLICANT, ID_RESPONDENT,
            "请求海勃湾区人民法院确认", "新华街道人民调解委员会", agreement_document.number,
            "2026年11月2日",  # the agreement
            "2026年11月20日",  # the application
            "赵被申于2026年12月31日前赔偿李申请损失12345.60元",
        ):  # fmt: skip
            assert expected in text, expected
    # on the application's page, beside its other documents, and in its history
    page = client_for(mworld.court_clerk).get(f"/mediation/confirmations/{confirmation.pk}/")
    html = page.content.decode()
    assert 'data-testid="application-document"' in html and document.number in html
    assert f'href="/documents/{document.pk}/pdf/"' in html
    assert any(
        entry.object_id == str(document.pk) and "司法确认申请书" in entry.note
        for entry in history_for(confirmation)
    )
    pdf_download = client_for(mworld.court_clerk).get(f"/documents/{document.pk}/pdf/")
    assert pdf_download.status_code == 200
    assert client_for(mworld.outsider).get(f"/documents/{document.pk}/pdf/").status_code == 404


def test_a_court_clerk_taking_the_application_issues_it_in_the_courts_name(mworld, agreed):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, tzinfo=BEIJING), tick=False):
        confirmation = confirmation_apply(
            agreement=agreed, court=mworld.court, actor=mworld.court_clerk,
            applicants=everyone(agreed), subject_matter="civil",
        )  # fmt: skip
    document = IssuedDocument.objects.get(kind="mediation.confirmation_application")
    assert document.organisation == mworld.court and document.subject == confirmation
    # no agreement document yet: the application names the agreement by its case
    assert f"调解案件编号{agreed.case.reference}" in docx_text(stored(document.docx_file))


def test_an_applicant_without_identity_refuses_the_application_with_the_missing_element(
    mworld, agreed, client_for
):
    party = agreed.case.case_parties.get(role="respondent").party
    party.id_number_encrypted = ""
    party.save(update_fields=["id_number_encrypted"])
    everyone_ids = [str(p.pk) for p in everyone(agreed)]
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, tzinfo=BEIJING), tick=False):
        page = (
            client_for(mworld.zhang)
            .post(
                f"/mediation/{agreed.case_id}/agreement/confirmation/",
                {"court": mworld.court.pk, "applicants": everyone_ids,
                 "applied_on": "2026-11-20", "subject_matter": "civil"},
                follow=True,
            )
            .content.decode()
        )  # fmt: skip
    assert "当事人第2项：身份证明号码" in page
    assert not JudicialConfirmation.objects.exists() and not IssuedDocument.objects.exists()
    assert not Deadline.objects.filter(kind=clocks.ACCEPTANCE).exists()


def test_the_window_has_lead_reminders():
    from deadlines.registry import get_kind

    assert get_kind(clocks.WINDOW).lead_times == (7, 1)
    assert not get_kind(clocks.WINDOW).extension_by_request


@pytest.mark.parametrize(
    "matter,label",
    [("marriage", "婚姻关系"), ("adoption", "收养关系"), ("property_title", "物权确权"),
     ("ip_title", "知识产权确权"), ("identity", "身份关系")],
)  # fmt: skip
def test_excluded_matters_are_refused_with_the_reason(mworld, agreed, matter, label):
    with pytest.raises(ValidationError) as refused:
        apply(mworld, agreed, matter=matter)
    assert label in str(refused.value) and "不属于可以申请司法确认的事项" in str(refused.value)


def test_an_application_by_one_party_is_not_joint(mworld, agreed, api_for):
    answer = api_for(mworld.zhang).post(
        "/api/mediation/confirmations/",
        {
            "agreement": agreed.pk,
            "court": mworld.court.pk,
            "applicants": [agreed.case.case_parties.get(role="applicant").pk],
            "subject_matter": "civil",
        },
        format="json",
    )
    assert answer.status_code == 400 and "共同申请" in str(answer.json())


# --- the court: acceptance, numbers, ruling, extension ------------------------------------


def test_acceptance_numbers_and_the_ruling_clock_with_the_presidents_extension(mworld, agreed):
    confirmation = apply(mworld, agreed)
    with pytest.raises(TransitionNotAllowed):
        confirmation_accept(confirmation=confirmation, actor=mworld.zhang)  # not the court's
    at = datetime.datetime(2026, 11, 21, 9, 0, tzinfo=BEIJING)
    with time_machine.travel(at, tick=False):
        confirmation = confirmation_accept(confirmation=confirmation, actor=mworld.court_clerk)
    assert confirmation.case_number == "（2026）蒙0302民特1号"
    assert Deadline.objects.get(kind=clocks.ACCEPTANCE).state == Deadline.State.MET
    ruling = Deadline.objects.get(kind=clocks.RULING)
    assert ruling.due_at.astimezone(BEIJING).date() == datetime.date(2026, 12, 7)  # 6th: Sun
    assert ruling.owner == mworld.court_clerk and ruling.organisation == mworld.court

    # the clerk cannot name themselves (or a colleague) as approver: only the president
    with pytest.raises(ValidationError) as wrong:
        confirmation_ruling_extension_request(
            confirmation=confirmation, actor=mworld.court_clerk, approver=mworld.court_clerk,
            reason="需要核实",
        )  # fmt: skip
    assert "approver" in wrong.value.message_dict
    request = confirmation_ruling_extension_request(
        confirmation=confirmation, actor=mworld.court_clerk, approver=mworld.president,
        reason="需要通知当事人补充材料",
    )  # fmt: skip
    ruling.refresh_from_db()
    assert ruling.due_at.astimezone(BEIJING).date() == datetime.date(2026, 12, 7)  # nothing yet
    with pytest.raises(PermissionDenied):
        deadline_extension_approve(request, actor=mworld.court_clerk)
    with pytest.raises(ValidationError):  # one pending already
        confirmation_ruling_extension_request(
            confirmation=confirmation, actor=mworld.court_clerk, approver=mworld.president,
            reason="again",
        )  # fmt: skip
    deadline_extension_approve(request, actor=mworld.president, note="同意")
    ruling.refresh_from_db()
    assert ruling.due_at.astimezone(BEIJING).date() == datetime.date(2026, 12, 17)
    with pytest.raises(ValidationError) as twice:
        confirmation_ruling_extension_request(
            confirmation=confirmation, actor=mworld.court_clerk, approver=mworld.president,
            reason="再延长",
        )  # fmt: skip
    assert "只能经院长批准延长一次" in str(twice.value)


def test_min_te_numbers_run_per_court_and_year_without_gaps(mworld):
    numbers = []
    for index in range(3):
        agreement = make_agreed(mworld, applicant=f"甲{index}", respondent=f"乙{index}")
        confirmation = apply(mworld, agreement)
        if index == 1:  # a refused attempt takes no number
            with pytest.raises(TransitionNotAllowed):
                confirmation_accept(confirmation=confirmation, actor=mworld.outsider)
        numbers.append(
            confirmation_accept(confirmation=confirmation, actor=mworld.court_clerk).case_number
        )
    assert numbers == [f"（2026）蒙0302民特{n}号" for n in (1, 2, 3)]
    other_clerk = __import__("tests.factories", fromlist=["member"]).member(
        mworld.other_court, "clerk", username="other_clerk"
    )
    agreement = make_agreed(mworld, applicant="丙", respondent="丁")
    elsewhere = apply(mworld, agreement, court=mworld.other_court)
    accepted = confirmation_accept(confirmation=elsewhere, actor=other_clerk)
    assert accepted.case_number == "（2026）蒙0303民特1号"
    assert CourtCaseSequence.objects.get(court=mworld.court).last == 3


def test_a_court_without_its_code_numbers_nothing(mworld, agreed):
    court = OrganisationFactory(name="无代字法院", region=mworld.district, court_code="")
    court.refresh_from_db()
    clerk = __import__("tests.factories", fromlist=["member"]).member(court, "clerk", username="c2")
    # the new court moved its siblings in the tree: the mediator as a request loads them
    mediator = type(mworld.zhang).objects.get(pk=mworld.zhang.pk)
    confirmation = apply(mworld, agreed, court=court, actor=mediator)
    with pytest.raises(ValidationError):
        confirmation_accept(confirmation=confirmation, actor=clerk)
    assert not CourtCaseSequence.objects.filter(court=court, last__gt=0).exists()


def test_confirmed_ruling_is_issued_and_the_agreement_becomes_an_enforceable_basis(
    mworld, agreed, fast_pdf
):
    confirmation = confirmation_accept(confirmation=apply(mworld, agreed), actor=mworld.court_clerk)
    with pytest.raises(ValidationError) as missing:
        confirmation_confirm(
            confirmation=confirmation, actor=mworld.court_clerk, judge="", court_clerk_name="王"
        )
    assert "judge" in missing.value.message_dict
    document = confirmation_confirm(
        confirmation=confirmation, actor=mworld.court_clerk, judge="刘审判",
        court_clerk_name="王书记员",
    )  # fmt: skip
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.CONFIRMED
    assert confirmation.is_enforceable_basis
    assert document.kind == "mediation.confirmation_ruling"
    assert document.organisation == mworld.court and document.subject == confirmation
    # numbered as the court numbers a case's documents: the 民特 case number itself
    assert document.number == document.case_number == "（2026）蒙0302民特1号"
    text = docx_text(stored(document.docx_file))
    assert "（2026）蒙0302民特1号" in text and "刘审判" in text and ID_APPLICANT in text
    assert Deadline.objects.get(kind=clocks.RULING).state == Deadline.State.MET
    assert list(enforceable_bases_for_user(mworld.court_clerk)) == [confirmation]
    assert list(enforceable_bases_for_user(mworld.zhang)) == [confirmation]
    assert not enforceable_bases_for_user(mworld.outsider).exists()


def test_a_rejection_keeps_the_reason_and_no_enforceable_basis(mworld, agreed, api_for):
    confirmation = confirmation_accept(confirmation=apply(mworld, agreed), actor=mworld.court_clerk)
    api = api_for(mworld.court_clerk)
    empty = api.post(f"/api/mediation/confirmations/{confirmation.pk}/reject/", {}, format="json")
    assert empty.status_code == 400
    rejected = api.post(
        f"/api/mediation/confirmations/{confirmation.pk}/reject/",
        {"reason": "协议内容损害第三人利益"},
        format="json",
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert rejected.json()["reason"] == "协议内容损害第三人利益"
    again = api.post(f"/api/mediation/confirmations/{confirmation.pk}/accept/", format="json")
    assert again.status_code == 409
    assert not enforceable_bases_for_user(mworld.court_clerk).exists()


def test_outsiders_get_404_on_pages_api_and_documents(mworld, agreed, fast_pdf, client_for,
                                                      api_for):  # fmt: skip
    confirmation = confirmation_accept(confirmation=apply(mworld, agreed), actor=mworld.court_clerk)
    document = confirmation_confirm(
        confirmation=confirmation, actor=mworld.court_clerk, judge="刘审判",
        court_clerk_name="王书记员",
    )  # fmt: skip
    agreement_doc = agreement_document_generate(agreement=agreed, actor=mworld.zhang, **ELEMENTS)
    outsider = client_for(mworld.outsider)
    for url in (
        f"/mediation/confirmations/{confirmation.pk}/",
        f"/documents/{document.pk}/pdf/",
        f"/documents/{agreement_doc.pk}/pdf/",
        f"/mediation/{agreed.case_id}/agreement/",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/mediation/confirmations/{confirmation.pk}/reject/",
                         {"reason": "x"}).status_code == 404  # fmt: skip
    api = api_for(mworld.outsider)
    assert api.get(f"/api/mediation/confirmations/{confirmation.pk}/").status_code == 404
    assert api.get("/api/mediation/confirmations/").json()["results"] == [] or (
        api.get("/api/mediation/confirmations/").json().get("count") == 0
    )
    assert (
        api.post(f"/api/mediation/agreements/{agreed.pk}/document/", ELEMENTS, format="json")
        .status_code == 404
    )  # fmt: skip
    # the court's own clerk and the committee's mediator read them
    assert client_for(mworld.court_clerk).get(f"/documents/{document.pk}/pdf/").status_code == 200
    assert (
        client_for(mworld.zhang).get(f"/mediation/confirmations/{confirmation.pk}/").status_code
        == 200
    )


def test_court_clerk_pages_accept_and_confirm(mworld, agreed, fast_pdf, client_for):
    confirmation = apply(mworld, agreed)
    clerk = client_for(mworld.court_clerk)
    listing = clerk.get("/mediation/confirmations/").content.decode()
    assert agreed.case.reference in listing
    clerk.post(f"/mediation/confirmations/{confirmation.pk}/accept/")
    confirmation.refresh_from_db()
    assert confirmation.case_number == "（2026）蒙0302民特1号"
    bad = clerk.post(f"/mediation/confirmations/{confirmation.pk}/confirm/", {"judge": ""})
    assert bad.status_code == 400 and 'data-testid="error-judge"' in bad.content.decode()
    clerk.post(
        f"/mediation/confirmations/{confirmation.pk}/confirm/",
        {"judge": "刘审判", "court_clerk_name": "王书记员"},
    )
    page = clerk.get(f"/mediation/confirmations/{confirmation.pk}/").content.decode()
    assert "司法确认裁定书" in page and 'data-testid="enforceable"' in page


def test_termination_notice_for_a_failed_mediation(
    mworld, delegated, fast_pdf, api_for, client_for
):
    from mediation.services import mediation_fail, mediation_receipt_sign

    case = mediation_receipt_sign(case=delegated, actor=mworld.zhang)
    api = api_for(mworld.zhang)
    early = api.post(f"/api/mediation/cases/{case.pk}/termination-document/", format="json")
    assert early.status_code == 400 and "只有终止调解的案件" in str(early.json())
    mediation_fail(case=case, actor=mworld.zhang, reason="被申请人拒绝继续调解")
    made = api.post(f"/api/mediation/cases/{case.pk}/termination-document/", format="json")
    assert made.status_code == 201 and made.json()["kind"] == "mediation.termination"
    text = docx_text(stored(IssuedDocument.objects.get(pk=made.json()["id"]).docx_file))
    assert "被申请人拒绝继续调解" in text and "李申请" in text and ID_RESPONDENT in text
    page = client_for(mworld.zhang).get(f"/mediation/{case.pk}/").content.decode()
    assert made.json()["number"] in page
    assert (
        client_for(mworld.outsider).get(f"/documents/{made.json()['id']}/pdf/").status_code == 404
    )


def test_the_agreement_page_records_an_application_and_shows_a_refusal(mworld, agreed, client_for):
    client = client_for(mworld.zhang)
    page = client.get(f"/mediation/{agreed.case_id}/agreement/").content.decode()
    assert 'data-testid="apply-form"' in page and "2026-12-02" in page  # the window's last day
    everyone_ids = [str(p.pk) for p in everyone(agreed)]
    form = {"court": mworld.court.pk, "applicants": everyone_ids, "applied_on": "2026-12-03"}
    with time_machine.travel(datetime.datetime(2026, 12, 3, 9, tzinfo=BEIJING), tick=False):
        client = client_for(mworld.zhang)  # a session of that day (sessions expire when idle)
        refused = client.post(
            f"/mediation/{agreed.case_id}/agreement/confirmation/",
            {**form, "subject_matter": "adoption"},
            follow=True,
        ).content.decode()
    assert (
        "已超过申请司法确认的期限" in refused
        and "“收养关系”不属于可以申请司法确认的事项" in refused
    )
    assert not JudicialConfirmation.objects.exists()
    with time_machine.travel(datetime.datetime(2026, 12, 2, 9, tzinfo=BEIJING), tick=False):
        client = client_for(mworld.zhang)
        done = client.post(
            f"/mediation/{agreed.case_id}/agreement/confirmation/",
            {**form, "applied_on": "2026-12-02", "subject_matter": "civil"},
        )
    confirmation = JudicialConfirmation.objects.get()
    assert (
        done.status_code == 302
        and done["Location"] == f"/mediation/confirmations/{confirmation.pk}/"
    )
    assert set(confirmation.applicants.values_list("pk", flat=True)) == {
        int(i) for i in everyone_ids
    }


def test_the_court_list_does_not_query_per_row(mworld, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(mworld.court_clerk)
    apply(mworld, make_agreed(mworld, applicant="甲", respondent="乙"))
    client.get("/mediation/confirmations/")  # the session's first save after the login
    with CaptureQueriesContext(connection) as one:
        assert client.get("/mediation/confirmations/").status_code == 200
    for index in range(3):
        apply(mworld, make_agreed(mworld, applicant=f"丙{index}", respondent=f"丁{index}"))
    with CaptureQueriesContext(connection) as four:
        page = client.get("/mediation/confirmations/").content.decode()
    assert page.count('data-testid="confirmation-row"') == 4
    assert len(four) == len(one)


def test_a_replaced_ruling_takes_the_min_te_cases_next_number(mworld, agreed, fast_pdf):
    """The clerk corrects the ruling on the documents page: the replacement is 民特1号之一,
    not a 民特裁字 series number; the joint application (issued before the case had its
    number) stays in its series."""
    from documents.services import document_supersede
    from mediation.services.confirmation import ruling_document_data

    confirmation = confirmation_accept(confirmation=apply(mworld, agreed), actor=mworld.court_clerk)
    ruling = confirmation_confirm(
        confirmation=confirmation, actor=mworld.court_clerk, judge="刘审判",
        court_clerk_name="王书记员",
    )  # fmt: skip
    confirmation.refresh_from_db()
    data = ruling_document_data(
        confirmation, ruling_text=confirmation.ruling_text, judge="刘审判",
        clerk_name="王书记员", ruled_on=timezone.localtime(confirmation.ruled_at).date(),
    )  # fmt: skip
    data["agreement_terms"] = "赵被申于2026年12月31日前支付李申请12,000元。"
    new = document_supersede(document=ruling, data=data, actor=mworld.court_clerk,
                             reason="更正协议内容笔误")  # fmt: skip
    assert new.number == "（2026）蒙0302民特1号之一" and new.case_number == confirmation.case_number
    assert "民特裁字" not in new.number and new.subject == confirmation
    ruling.refresh_from_db()
    assert ruling.status == "superseded" and ruling.superseded_by == new
    application = IssuedDocument.objects.get(kind="mediation.confirmation_application")
    assert "确申字第1号" in application.number and application.case_number == ""
    # a second correction: 之二; a confirmation in another case starts from its own number
    again = document_supersede(document=new, data=data, actor=mworld.court_clerk)
    assert again.number == "（2026）蒙0302民特1号之二"
    other = confirmation_accept(
        confirmation=apply(mworld, make_agreed(mworld, applicant="甲", respondent="乙")),
        actor=mworld.court_clerk,
    )
    second = confirmation_confirm(confirmation=other, actor=mworld.court_clerk, judge="刘审判",
                                  court_clerk_name="王书记员")  # fmt: skip
    assert second.number == "（2026）蒙0302民特2号"


@pytest.mark.django_db(transaction=True)
def test_the_ruling_is_numbered_under_the_lock_a_replacement_takes(mworld, agreed, monkeypatch):
    """While another clerk's replacement holds the 民特 case's lock (the one the documents
    service takes through its registry), the ruling waits for it before anything is issued:
    told to wait no more than 0.3 s, it gives up without having asked for a number."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from documents.registry import lock_case_number
    from mediation.services import confirmation as confirmation_services

    confirmation = confirmation_accept(confirmation=apply(mworld, agreed), actor=mworld.court_clerk)
    issued = []
    real_issue = confirmation_services.document_issue

    def spy(**kwargs):
        issued.append(kwargs["kind"])
        return real_issue(**kwargs)

    monkeypatch.setattr(confirmation_services, "document_issue", spy)
    held, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def replacing_clerk():
        try:
            with transaction.atomic():
                assert lock_case_number(confirmation.case_number)
                held.set()
                release.wait(timeout=30)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=replacing_clerk)
    thread.start()
    try:
        assert held.wait(timeout=30)
        with pytest.raises(OperationalError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
            confirmation_confirm(confirmation=confirmation, actor=mworld.court_clerk,
                                 judge="刘审判", court_clerk_name="王书记员")  # fmt: skip
    finally:
        release.set()
        thread.join(timeout=30)
    assert not failures, failures
    assert issued == []
    assert not IssuedDocument.objects.filter(kind="mediation.confirmation_ruling").exists()

    ruling = confirmation_confirm(confirmation=confirmation, actor=mworld.court_clerk,
                                  judge="刘审判", court_clerk_name="王书记员")  # fmt: skip
    assert issued == ["mediation.confirmation_ruling"]
    assert ruling.number == "（2026）蒙0302民特1号"
