"""Issued documents carry the data as the law wants it printed, in .docx and in PDF."""

import datetime
import hashlib
import io
import re

import docx
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEntry
from documents import converter
from documents.docx.build_templates import TEMPLATES, build
from documents.models import DocumentSequence, IssuedDocument
from documents.registry import TEMPLATE_DIR
from documents.services import DocumentGenerationError
from tests.documents.conftest import CREDIT_CODE, ID_WANG, agreement_data

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Line breaks and the gaps the layout puts between Chinese and digits are not content.
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def pdf_fonts(content: bytes) -> dict[str, bool]:
    """Each font used by the PDF → whether its program is embedded."""
    fonts = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for descendant in font.get("/DescendantFonts") or []:
                descriptors.append(descendant.get_object().get("/FontDescriptor"))
            embedded = any(
                d is not None
                and any(key in d.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors
            )
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def stored(field) -> bytes:
    with default_storage.open(field.name, "rb") as handle:
        return handle.read()


def test_mediation_agreement_prints_parties_amounts_dates_and_places_to_sign(issue, loop):
    document = issue()

    word = docx_text(stored(document.docx_file))
    for expected in (
        "人民调解协议书",
        document.number,
        "王建国",
        ID_WANG,
        "金裕物业服务有限公司",
        CREDIT_CODE,
        "水管破裂",  # the facts
        "损失赔偿数额",  # the issues
        "应承担赔偿责任",  # the responsibilities
        "¥12,345.60",
        "壹万贰仟叁佰肆拾伍元陆角整",
        "于2026年12月31日前向王建国履行完毕",
        "银行转账至申请人账户",
        "2026年11月30日",
        "申请人（签名或按指印）：王建国",
        "被申请人（签名或按指印）：金裕物业服务有限公司",
        "人民调解员（签名）：张调解",
        "新华街道综治中心（盖章）",
        "本协议书一式3份，当事人各执一份",
        document.verification_code_display,
    ):
        assert expected in word, expected
    year = timezone.localtime(document.issued_at).year
    assert document.number == f"（{year}）新华街道综治中心调协字第1号"

    pdf = stored(document.pdf_file)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in (
        "王建国",
        "金裕物业服务有限公司",
        "¥12,345.60",
        "壹万贰仟叁佰肆拾伍元陆角整",
        "2026年12月31日",
        "2026年11月30日",
        "人民调解员（签名）：张调解",
        document.number,
    ):
        assert expected in text, expected
    fonts = pdf_fonts(pdf)
    assert fonts and all(fonts.values()), fonts
    assert any("CJK" in name for name in fonts), fonts

    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.docx_sha256 == hashlib.sha256(stored(document.docx_file)).hexdigest()
    # random storage names: no party name or number on disk
    assert "王" not in document.pdf_file.name and document.pdf_file.name.endswith(".pdf")
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(IssuedDocument),
        object_id=str(document.pk),
        action="create",
    )
    assert entry.actor == loop.clerk and "人民调解协议书" in entry.note
    assert entry.organisation_id == loop.centre.pk


def test_a_qr_code_of_the_verification_page_is_printed(issue, fast_pdf, settings):
    settings.FENGQIAO_PUBLIC_URL = "https://fq.example.org"
    document = issue()
    word = docx.Document(io.BytesIO(stored(document.docx_file)))
    assert len(word.inline_shapes) == 1  # the QR code
    text = docx_text(stored(document.docx_file))
    assert f"https://fq.example.org/v/{document.verification_code}/" in text


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        (
            "mediation.confirmation_application",
            {
                "court": "海勃湾区人民法院",
                "mediation_organisation": "新华街道人民调解委员会",
                "agreement_number": "（2026）新华调委调协字第1号",
                "agreement_date": datetime.date(2026, 11, 30),
                "agreement_terms": "金裕物业服务有限公司于2026年12月31日前赔偿王建国12345.60元。",
                "applied_on": datetime.date(2026, 12, 2),
            },
            ["司法确认申请书", "请求海勃湾区人民法院确认", "2026年12月2日", "王建国"],
        ),
        (
            "mediation.confirmation_ruling",
            {
                "case_number": "（2026）蒙0302民特15号",
                "court": "海勃湾区人民法院",
                "mediation_organisation": "新华街道人民调解委员会",
                "agreement_date": datetime.date(2026, 11, 30),
                "application_date": datetime.date(2026, 12, 2),
                "agreement_terms": "金裕物业服务有限公司于2026年12月31日前赔偿王建国12345.60元。",
                "ruling_text": "申请人王建国与金裕物业服务有限公司于2026年11月30日达成的调解协议有效。",
                "judge": "赵审判",
                "court_clerk": "钱书记",
                "ruled_on": datetime.date(2026, 12, 10),
            },
            [
                "民事裁定书",
                "（2026）蒙0302民特15号",
                "调解协议有效",
                "审判员　赵审判",
                "2026年12月10日",
            ],
        ),
        (
            "mediation.termination",
            {
                "facts": "邻里噪音纠纷",
                "termination_reason": "被申请人明确拒绝继续调解",
                "terminated_on": datetime.date(2026, 12, 1),
                "mediator": "张调解",
            },
            ["终止调解告知书", "因被申请人明确拒绝继续调解", "2026年12月1日", "仲裁、行政、司法"],
        ),
    ],
)
def test_each_mediation_type_prints_its_elements(issue, fast_pdf, kind, data, expected):
    parties = agreement_data()["parties"]
    document = issue(kind=kind, data={"parties": parties, **data})
    text = docx_text(stored(document.docx_file))
    for item in expected:
        assert item in text, item


def test_a_party_name_with_markup_characters_prints_as_written(issue, fast_pdf):
    data = agreement_data()
    data["parties"][1]["name"] = "A & B <物业>"
    document = issue(data=data)
    assert "A & B <物业>" in docx_text(stored(document.docx_file))


def test_a_failed_conversion_issues_nothing_and_keeps_the_number(
    issue, monkeypatch, fast_pdf, settings
):
    def broken(docx, *, timeout=None):
        raise converter.ConversionError("soffice crashed")

    monkeypatch.setattr(converter, "docx_to_pdf", broken)
    with pytest.raises(DocumentGenerationError):
        issue()

    assert not IssuedDocument.objects.exists()
    assert not DocumentSequence.objects.filter(last__gt=0).exists()


def test_the_converter_is_killed_after_its_timeout(tmp_path, settings):
    slow = tmp_path / "slow-soffice"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    settings.DOCUMENTS_SOFFICE = str(slow)
    started = datetime.datetime.now()
    with pytest.raises(converter.ConversionError, match="longer than"):
        converter.docx_to_pdf(b"not used", timeout=1)
    assert (datetime.datetime.now() - started).total_seconds() < 10


def test_committed_templates_are_what_the_build_script_makes(tmp_path):
    build(tmp_path)
    for name in TEMPLATES:
        fresh = docx.Document(tmp_path / name)
        committed = docx.Document(TEMPLATE_DIR / name)
        assert [p.text for p in fresh.paragraphs] == [p.text for p in committed.paragraphs], name


def test_money_in_the_data_must_not_be_a_float(issue, fast_pdf):
    from django.core.exceptions import ValidationError

    data = agreement_data()
    data["obligations"][0]["amount"] = 12345.6
    with pytest.raises(ValidationError) as refused:
        issue(data=data)
    assert "金额格式不正确" in " ".join(refused.value.messages)
