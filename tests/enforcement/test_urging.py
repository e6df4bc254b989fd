"""执前督促 through the services: consent, the two notices from the documents service, the
window, performed → 履行完毕证明 with no number and no case, not performed → filed in one
step with everything carried over. Story 3 (inheritance, 95,874.11) end to end."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from documents.models import IssuedDocument
from enforcement.models import CaseSequence, CaseStatus, EnforcementCase
from enforcement.panels import next_steps_for
from enforcement.selectors import enforcement_scope, filed_cases
from enforcement.selectors_filing import ASSIGNMENT, TIME_LIMIT, URGING_WINDOW, case_clock
from enforcement.services.urging import (
    urging_file,
    urging_notices_issue,
    urging_performed,
)

from . import filing_fixtures
from .conftest import ID_APPLICANT, ID_DEBTOR
from .filing_fixtures import file_case, judgment_basis

pytestmark = pytest.mark.django_db

fast_pdf = filing_fixtures.fast_pdf

INHERITANCE = Decimal("95874.11")
PAYMENT = "工商银行乌海分行 账号6222 0206 0000 1234 567（申请执行人张申请）"


def inheritance_basis(eworld):
    from enforcement.services.filing import basis_record

    return basis_record(
        court=eworld.court, actor=eworld.clerk, kind="judgment",
        issuing_body="海勃湾区人民法院", document_number="（2026）蒙0302民初415号",
        effective_on=datetime.date(2026, 9, 1),
        deadlines=[{"due_date": datetime.date(2026, 9, 11), "amount": INHERITANCE}],
        main_text="被告王被执于判决生效后十日内向原告张申请支付遗产份额折价款95874.11元。",
    )  # fmt: skip


def urge(eworld, basis=None, **extra):
    values = {
        "procedure": "urging", "principal": str(INHERITANCE),
        "urging_consent_note": "申请执行人当面签署执前督促同意书",
        "applied_on": datetime.date(2026, 11, 25),
    }  # fmt: skip
    return file_case(eworld, basis or inheritance_basis(eworld), **{**values, **extra})


def pdf_text(field) -> str:
    with default_storage.open(field.name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_story_3_inheritance_paid_under_urging_certificate_no_number_no_case(eworld):
    """Real PDFs: the certificate a party takes away is checked as printed."""
    case = urge(eworld)
    assert case.status == CaseStatus.URGING
    assert case.case_number == "" and case.number_sequence is None and case.filed_at is None
    assert case.urging_consent_note == "申请执行人当面签署执前督促同意书"
    assert case.urging_consent_at is not None
    assert next_steps_for(case)[0] == "发出执前督促告知书和履行通知书"

    notice, performance = urging_notices_issue(
        case=case, actor=eworld.clerk, payment_method=PAYMENT, contact="王立案 0473-1234567"
    )
    assert (notice.kind, performance.kind) == (
        "enforcement.urging_notice", "enforcement.urging_performance_notice",
    )  # fmt: skip
    assert notice.subject == case and notice.organisation == eworld.court
    # no case number yet: the types' own series, not the case's 号之N
    year = timezone.localdate().year
    assert notice.number == f"（{year}）海勃湾区人民法院执督告字第1号"
    assert performance.number == f"（{year}）海勃湾区人民法院执督通字第1号"
    window = case_clock(case, URGING_WINDOW)
    assert window.amount == 15 and window.unit == "calendar_days" and window.owner == eworld.clerk
    case.refresh_from_db()
    ends_on = timezone.localdate() + datetime.timedelta(days=15)
    assert case.urging_window_ends_on == ends_on
    printed = pdf_text(performance.pdf_file)
    for expected in ("履行通知书", "王被执", ID_DEBTOR, "¥95,874.11", "玖万伍仟捌佰柒拾肆元壹角壹分",
                     "（2026）蒙0302民初415号", "6222"):  # fmt: skip
        assert expected in printed, expected
    assert "执前督促" in pdf_text(notice.pdf_file)

    certificate = urging_performed(
        case=case, actor=eworld.clerk, performed_on=timezone.localdate(),
        manner="银行转账", amount_paid="95874.11",
    )  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.URGING_PERFORMED
    assert certificate.kind == "enforcement.performance_certificate"
    assert certificate.title == "履行完毕证明" and certificate.subject == case
    assert certificate.number == f"（{year}）海勃湾区人民法院执督证字第1号"
    text = pdf_text(certificate.pdf_file)
    for expected in ("履行完毕证明", "张申请", ID_APPLICANT, "王被执", "银行转账", "¥95,874.11",
                     "本案未立案执行"):  # fmt: skip
        assert expected in text, expected
    assert case.conclusion_note.startswith("督促期间被执行人于")
    # no number consumed, no case in the court's lists
    assert case.case_number == "" and not CaseSequence.objects.filter(last__gt=0).exists()
    assert not filed_cases(enforcement_scope(eworld.clerk)).filter(pk=case.pk).exists()
    assert enforcement_scope(eworld.clerk).filter(pk=case.pk).exists()
    window.refresh_from_db()
    assert window.state == Deadline.State.MET
    assert not case_clock(case, ASSIGNMENT) and not case_clock(case, TIME_LIMIT)
    assert next_steps_for(case) == []
    # the next filed case takes number 1: nothing was skipped
    assert file_case(eworld).case_number.endswith("执1号")


def test_missing_elements_are_listed_and_nothing_is_numbered(eworld, fast_pdf):
    case = urge(eworld, parties=[
        {"role": "applicant", "name": "张申请", "id_number": ID_APPLICANT},
        {"role": "debtor", "name": "无证件的被执行人"},
    ])  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        urging_notices_issue(case=case, actor=eworld.clerk, payment_method="")
    messages = refused.value.messages
    assert any("履行通知书缺少法定要素：履行方式" in m for m in messages)
    assert any("执前督促告知书缺少法定要素：当事人 第2项：身份证明号码" in m or
               ("执前督促告知书" in m and "身份证明号码" in m) for m in messages)  # fmt: skip
    assert not IssuedDocument.objects.exists()
    assert not Deadline.objects.filter(kind=URGING_WINDOW).exists()
    case.refresh_from_db()
    assert case.urging_window_ends_on is None


def test_notices_are_issued_once(eworld, fast_pdf):
    case = urge(eworld)
    urging_notices_issue(case=case, actor=eworld.clerk, payment_method=PAYMENT)
    with pytest.raises(TransitionNotAllowed):
        urging_notices_issue(case=case, actor=eworld.clerk, payment_method=PAYMENT)
    assert IssuedDocument.objects.count() == 2


def test_a_part_payment_is_not_performance(eworld, fast_pdf):
    case = urge(eworld)
    urging_notices_issue(case=case, actor=eworld.clerk, payment_method=PAYMENT)
    with pytest.raises(ValidationError) as refused:
        urging_performed(case=case, actor=eworld.clerk, performed_on=timezone.localdate(),
                         manner="银行转账", amount_paid="50000.00")  # fmt: skip
    assert "请立案执行" in refused.value.message_dict["amount_paid"][0]
    case.refresh_from_db()
    assert case.status == CaseStatus.URGING


def test_urging_needs_the_applicants_consent(eworld):
    with pytest.raises(ValidationError) as refused:
        urge(eworld, urging_consent_note=" ")
    assert "urging_consent_note" in refused.value.message_dict
    assert not EnforcementCase.objects.exists()


def test_not_performed_files_in_one_step_with_everything_carried_over(eworld, fast_pdf):
    case = urge(eworld, is_livelihood=True)
    parties_before = list(case.case_parties.values_list("name", "party_id", "share", "role"))
    urging_notices_issue(case=case, actor=eworld.clerk, payment_method=PAYMENT)
    window = case_clock(case, URGING_WINDOW)
    filed = urging_file(case=case, actor=eworld.clerk)
    assert filed.pk == case.pk and filed.status == CaseStatus.FILED
    year = timezone.localdate().year
    assert filed.case_number == f"（{year}）蒙0302执1号" and filed.filed_by == eworld.clerk
    assert filed.applied_on == datetime.date(2026, 11, 25)
    assert filed.basis.document_number == "（2026）蒙0302民初415号"
    assert filed.principal == INHERITANCE and filed.is_livelihood and filed.is_small_claim
    assert list(filed.case_parties.values_list("name", "party_id", "share", "role")) == (
        parties_before
    )
    window.refresh_from_db()
    assert window.state == Deadline.State.CANCELLED and "转立案" in window.close_reason
    assert case_clock(filed, ASSIGNMENT).state == Deadline.State.PENDING
    assert case_clock(filed, TIME_LIMIT).amount == 3  # small claim
    assert filed_cases(enforcement_scope(eworld.clerk)).filter(pk=case.pk).exists()
    # once filed, urging steps are illegal
    with pytest.raises(TransitionNotAllowed):
        urging_performed(case=filed, actor=eworld.clerk, performed_on=timezone.localdate(),
                         manner="转账", amount_paid=str(INHERITANCE))  # fmt: skip
    with pytest.raises(TransitionNotAllowed):
        urging_file(case=filed, actor=eworld.clerk)


def test_a_window_that_ran_out_asks_for_filing(eworld, fast_pdf):
    import time_machine

    case = urge(eworld)
    urging_notices_issue(case=case, actor=eworld.clerk, payment_method=PAYMENT)
    case.refresh_from_db()
    later = timezone.now() + datetime.timedelta(days=16)
    with time_machine.travel(later, tick=False):
        assert next_steps_for(case) == ["督促期限已届满未履行：立案执行"]
        filed = urging_file(case=case, actor=eworld.clerk)
    assert filed.status == CaseStatus.FILED
    assert "督促期限届满未履行" in case_clock(filed, URGING_WINDOW).close_reason


def test_a_judgment_without_amount_per_deadline_urged_and_filed(eworld, fast_pdf):
    case = urge(eworld, basis=judgment_basis(eworld))
    assert case.late_interest_from == datetime.date(2026, 3, 13)


def test_committed_templates_are_what_the_build_script_makes(tmp_path):
    import docx

    from documents.docx.build_enforcement_filing import TEMPLATES, build
    from documents.registry import TEMPLATE_DIR

    build(tmp_path)
    for name in TEMPLATES:
        fresh = docx.Document(tmp_path / name)
        committed = docx.Document(TEMPLATE_DIR / name)
        assert [p.text for p in fresh.paragraphs] == [p.text for p in committed.paragraphs], name
