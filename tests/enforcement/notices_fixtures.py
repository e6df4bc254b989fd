"""Fixtures of the notices tests: a money case and an act case of the eworld court, the
3-day notices clock as the assignment starts it, a stand-in PDF converter, and the text of
an issued document's .docx and PDF."""

import datetime
import hashlib
import io
import re

import docx
import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from deadlines.services import deadline_start
from documents import converter
from enforcement.models import EnforcementRole, TargetKind

from .conftest import add_party, make_case


def fake_pdf(docx_bytes: bytes, *, timeout=None) -> bytes:
    """Distinct bytes per document, where the test is not about the PDF's text."""
    digest = hashlib.sha256(docx_bytes).hexdigest().encode()
    return b"%PDF-1.4\n% test stand-in " + digest + b"\n%%EOF\n"


@pytest.fixture
def fast_pdf(monkeypatch):
    monkeypatch.setattr(converter, "docx_to_pdf", fake_pdf)


def stored(field) -> bytes:
    with default_storage.open(field.name, "rb") as handle:
        return handle.read()


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def start_notice_clock(case, actor, *, start=None):
    """The 3-day clock as enf-filing's assignment starts it (subject: the case)."""
    return deadline_start(
        subject=case,
        kind="enforcement.notice_issue",
        organisation=case.court,
        owner=case.officer,
        actor=actor,
        start=start or case.assigned_at or timezone.now(),
    )


@pytest.fixture
def money_case(eworld):
    """A loan case: 51,770.00 (principal 50,000 + interest 1,500 + costs 270), one applicant,
    one debtor with an address and a phone, assigned to the officer."""
    from decimal import Decimal

    case = make_case(
        eworld.court, eworld.clerk, officer=eworld.officer, principal=Decimal("50000.00"),
        interest=Decimal("1500.00"), costs=Decimal("270.00"),
        late_interest_from=datetime.date(2026, 3, 13),
    )  # fmt: skip
    debtor = case.case_parties.get(role=EnforcementRole.DEBTOR)
    debtor.address = "海勃湾区新华街道团结社区3号楼"
    debtor.save(update_fields=["address"])
    return case


@pytest.fixture
def act_case(eworld):
    """Story 8's equipment: an act, not money."""
    from decimal import Decimal

    return make_case(
        eworld.court, eworld.clerk, officer=eworld.officer, principal=Decimal("0.00"),
        target_kind=TargetKind.ACT, act_description="返还申请人数控机床十台",
        applicant="内蒙古甲机械有限公司", debtor="乙加工厂",
    )  # fmt: skip


def add_debtor(case, name="李被执", *, position=1, **extra):
    """Another debtor (jointly liable), a person of their own (the ID number differs)."""
    from .conftest import id_number

    return add_party(
        case, role=EnforcementRole.DEBTOR, name=name,
        id_number_value=id_number("19820203", f"{30 + position:03d}"), position=position,
        **extra,
    )  # fmt: skip
