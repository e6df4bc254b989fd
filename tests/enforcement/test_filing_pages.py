"""The filing pages as a clerk uses them: forms keep what was typed and show field errors,
illegal steps come back as a page message, outsiders get 404 everywhere."""

import datetime
from decimal import Decimal

import pytest

from documents.models import IssuedDocument
from enforcement.models import CaseStatus, EnforcementCase, LegalBasis

from . import filing_fixtures
from .conftest import ID_APPLICANT, ID_DEBTOR, id_number
from .filing_fixtures import COMPANY, confirmed_agreement, file_case, judgment_basis

pytestmark = pytest.mark.django_db

fast_pdf = filing_fixtures.fast_pdf


def deadlines_management(total=3):
    return {"deadlines-TOTAL_FORMS": str(total), "deadlines-INITIAL_FORMS": "0",
            "deadlines-MIN_NUM_FORMS": "0", "deadlines-MAX_NUM_FORMS": "60"}  # fmt: skip


def parties_management(total=2):
    return {"parties-TOTAL_FORMS": str(total), "parties-INITIAL_FORMS": "0",
            "parties-MIN_NUM_FORMS": "0", "parties-MAX_NUM_FORMS": "500"}  # fmt: skip


def test_desk_and_forms_render_for_the_clerk_and_404_for_outsiders(eworld, client_for):
    case = file_case(eworld, principal="150000.00")
    clerk = client_for(eworld.clerk)
    desk = clerk.get("/enforcement/filing/").content.decode()
    assert case.case_number in desk and "李执行" in desk and 'data-testid="bulk-assign"' in desk
    assert clerk.get("/enforcement/filing/bases/new/").status_code == 200
    page = clerk.get(f"/enforcement/filing/cases/{case.pk}/").content.decode()
    assert case.case_number in page and 'data-testid="filing-application"' in page
    assert 'data-testid="filing-time-limit"' in page and 'data-testid="assign-form"' in page
    # the case page (enf-workbench) renders filing's panels and sends "assign" here
    case_page = clerk.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="filing-application"' in case_page
    assert 'data-testid="filing-time-limit"' in case_page
    assert f'href="/enforcement/filing/cases/{case.pk}/" data-testid="action-assign"' in case_page
    for stranger in (eworld.outsider, eworld.centre_supervisor):
        other = client_for(stranger)
        for url in (f"/enforcement/filing/cases/{case.pk}/",
                    f"/enforcement/filing/bases/{case.basis_id}/apply/",
                    f"/enforcement/filing/?court={eworld.court.pk}"):  # fmt: skip
            assert other.get(url).status_code == 404, url
        # the other court's clerk has a desk of their own, without our cases
        own = other.get("/enforcement/filing/")
        assert own.status_code == (200 if stranger == eworld.outsider else 404)
        assert case.case_number not in own.content.decode()
        for action in ("assign", "reassign", "suspend", "end-suspension", "extension", "file",
                       "urging/notices", "urging/performed", "representatives"):  # fmt: skip
            url = f"/enforcement/filing/cases/{case.pk}/{action}/"
            assert other.post(url, {"officer": eworld.officer.pk}).status_code == 404, url
        bulk = other.post("/enforcement/filing/bulk-assign/", {"cases": [case.pk]})
        if stranger == eworld.outsider:  # their own desk: our case is not among its choices
            assert bulk.status_code == 200 and case.case_number not in bulk.content.decode()
        else:
            assert bulk.status_code == 404
        assert other.post("/enforcement/filing/bulk-assign/",
                          {"court": eworld.court.pk, "cases": [case.pk]}).status_code == 404  # fmt: skip
    case.refresh_from_db()
    assert case.officer is None


def test_basis_form_keeps_input_and_shows_field_errors_then_records(eworld, client_for):
    clerk = client_for(eworld.clerk)
    data = {
        "court": eworld.court.pk, "kind": "judgment", "issuing_body": "海勃湾区人民法院",
        "document_number": "", "effective_on": "2026-03-02", "main_text": "给付借款",
        **deadlines_management(), "deadlines-0-due_date": "2026-03-12",
        "deadlines-0-amount": "51770.001",
    }  # fmt: skip
    page = clerk.post("/enforcement/filing/bases/new/", data)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="error-document_number"' in html
    assert 'data-testid="error-amount"' in html
    assert 'value="海勃湾区人民法院"' in html and 'value="2026-03-12"' in html
    assert not LegalBasis.objects.exists()
    data.update({"document_number": "(2026)蒙0302民初88号", "deadlines-0-amount": "51770.00"})
    done = clerk.post("/enforcement/filing/bases/new/", data)
    basis = LegalBasis.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/bases/{basis.pk}/apply/")
    assert basis.performance_deadlines.get().amount == Decimal("51770.00")


def test_application_form_refuses_unequal_shares_keeps_input_and_files(eworld, client_for):
    basis = judgment_basis(eworld)
    clerk = client_for(eworld.clerk)
    data = {
        "procedure": "file", "applied_on": "2026-11-20", "target_kind": "money",
        "principal": "51770.00", **parties_management(3),
        "parties-0-role": "applicant", "parties-0-kind": "person", "parties-0-name": "张申请",
        "parties-0-id_number": ID_APPLICANT, "parties-0-share": "30000.00",
        "parties-1-role": "applicant", "parties-1-kind": "person", "parties-1-name": "李申请",
        "parties-1-id_number": id_number("19700101", "055"), "parties-1-share": "21000.00",
        "parties-2-role": "debtor", "parties-2-kind": "person", "parties-2-name": "王被执",
        "parties-2-id_number": ID_DEBTOR,
    }  # fmt: skip
    page = clerk.post(f"/enforcement/filing/bases/{basis.pk}/apply/", data)
    html = page.content.decode()
    assert page.status_code == 200 and "份额之和" in html and "¥770.00" in html
    assert 'value="李申请"' in html and 'value="21000.00"' in html
    assert not EnforcementCase.objects.exists()
    data["parties-1-share"] = "21770.00"
    done = clerk.post(f"/enforcement/filing/bases/{basis.pk}/apply/", data, follow=True)
    case = EnforcementCase.objects.get()
    assert case.status == CaseStatus.FILED and case.case_number in done.content.decode()
    assert "已立案" in done.content.decode()


def test_urging_through_the_pages_to_the_certificate(eworld, client_for, fast_pdf):
    case = file_case(eworld, procedure="urging", urging_consent_note="书面同意")
    clerk = client_for(eworld.clerk)
    url = f"/enforcement/filing/cases/{case.pk}/"
    assert 'data-testid="notices-form"' in clerk.get(url).content.decode()
    refused = clerk.post(url + "urging/notices/", {"payment_method": "", "contact": "王立案"})
    html = refused.content.decode()
    assert refused.status_code == 200 and "履行通知书缺少法定要素：履行方式" in html
    assert 'value="王立案"' in html and not IssuedDocument.objects.exists()
    sent = clerk.post(url + "urging/notices/", {"payment_method": "银行转账"}, follow=True)
    assert "已发出" in sent.content.decode() and IssuedDocument.objects.count() == 2
    wrong = clerk.post(url + "urging/performed/",
                       {"performed_on": "2026-11-30", "manner": "", "amount_paid": "51770.00"})  # fmt: skip
    assert 'data-testid="error-manner"' in wrong.content.decode()
    done = clerk.post(url + "urging/performed/", {"performed_on": "2026-11-30",
                      "manner": "银行转账", "amount_paid": "51770.00"}, follow=True)  # fmt: skip
    assert "已出具履行完毕证明" in done.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.URGING_PERFORMED and case.case_number == ""
    illegal = clerk.post(url + "file/", {}, follow=True)
    assert "不能执行“立案”" in illegal.content.decode()


def test_assignment_and_suspension_forms(eworld, client_for):
    case = file_case(eworld, principal="150000.00")
    clerk = client_for(eworld.clerk)
    url = f"/enforcement/filing/cases/{case.pk}/"
    wrong = clerk.post(url + "assign/", {"officer": eworld.clerk.pk, "note": "急"})
    assert wrong.status_code == 200 and 'data-testid="error-officer"' in wrong.content.decode()
    done = clerk.post(url + "assign/", {"officer": eworld.officer.pk}, follow=True)
    assert "承办人：李执行" in done.content.decode()
    again = clerk.post(url + "assign/", {"officer": eworld.officer.pk}, follow=True)
    assert "不能执行“确定承办人”" in again.content.decode()
    officer = client_for(eworld.officer)
    empty = officer.post(url + "suspend/", {"reason": ""})
    assert 'data-testid="error-reason"' in empty.content.decode()
    officer.post(url + "suspend/", {"reason": "案外人异议"})
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    page = officer.get(url).content.decode()
    assert "案外人异议" in page and 'data-testid="end-suspension-form"' in page


def test_bulk_assignment_from_the_desk(eworld, client_for):
    cases = [file_case(eworld, principal="150000.00") for _ in range(2)]
    clerk = client_for(eworld.clerk)
    empty = clerk.post("/enforcement/filing/bulk-assign/", {"court": eworld.court.pk})
    assert 'data-testid="error-cases"' in empty.content.decode()
    done = clerk.post("/enforcement/filing/bulk-assign/",
                      {"court": eworld.court.pk, "cases": [c.pk for c in cases]}, follow=True)  # fmt: skip
    assert done.content.decode().count("已分配给") == 2
    assert set(EnforcementCase.objects.values_list("status", flat=True)) == {"in_progress"}


def test_a_confirmation_taken_from_the_page(eworld, client_for):
    confirmation = confirmed_agreement(
        eworld, creditors=[("李工人", id_number("19800202", "061"), Decimal("3000.00"))],
        debtor={"name": "某建筑公司", "kind": "organisation", "credit_code": COMPANY},
        instalments=(datetime.date(2026, 9, 15),),
    )  # fmt: skip
    clerk = client_for(eworld.clerk)
    listed = clerk.get("/enforcement/filing/confirmations/").content.decode()
    assert confirmation.case_number in listed
    taken = clerk.post(f"/enforcement/filing/confirmations/{confirmation.pk}/take/", follow=True)
    html = taken.content.decode()
    assert 'data-testid="carried-parties"' in html and "李工人" in html and "¥3,000.00" in html
    basis = LegalBasis.objects.get()
    done = clerk.post(f"/enforcement/filing/bases/{basis.pk}/apply/", {
        "procedure": "file", "applied_on": "2026-11-20", "target_kind": "money",
        "principal": "3000.00"}, follow=True)  # fmt: skip
    case = EnforcementCase.objects.get()
    assert case.case_number in done.content.decode()
    assert list(case.case_parties.values_list("name", flat=True)) == ["李工人", "某建筑公司"]
    assert client_for(eworld.outsider).post(
        f"/enforcement/filing/confirmations/{confirmation.pk}/take/").status_code == 404  # fmt: skip
