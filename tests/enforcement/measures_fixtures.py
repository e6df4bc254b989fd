"""Fixtures of the coercive-measures tests: a company debtor beside the person debtor, and
a helper that asks for a measure and has the president approve it."""

from decimal import Decimal

import pytest

from cases.services.intake import party_find_or_create
from enforcement.models import CaseParty, EnforcementRole
from enforcement.services import measures as services

from .notices_fixtures import docx_text, fast_pdf, stored  # noqa: F401


def document_text(measure) -> str:
    """The issued decision's .docx text."""
    measure.document.refresh_from_db()
    return docx_text(stored(measure.document.docx_file))


CREDIT_CODE = "91150302MA0N0000X0"


def debtor(case) -> CaseParty:
    return case.case_parties.get(role=EnforcementRole.DEBTOR, party__kind="person")


def add_company(case, name="乌海某建筑有限公司") -> CaseParty:
    party, _created = party_find_or_create(
        data={"name": name, "kind": "organisation", "credit_code": valid_credit_code(),
              "legal_representative": "赵总"},
        actor=case.created_by,
    )  # fmt: skip
    return CaseParty.objects.create(case=case, party=party, role=EnforcementRole.DEBTOR, name=name)


def valid_credit_code(body: str = "91150302MA0N00001") -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(chars.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + chars[(31 - total % 31) % 31]


def decided(eworld, case, kind, *, subject=None, **fields):
    """A measure asked by the officer and approved by the president."""
    measure = services.measure_request(
        case=case, kind=kind, subject=subject or debtor(case), actor=eworld.officer,
        approver=eworld.president, reason="经传唤无正当理由拒不到场，拒不履行。", **fields,
    )  # fmt: skip
    return services.measure_approve(measure=measure, actor=eworld.president)


@pytest.fixture
def company(case):
    return add_company(case)


MONEY = Decimal
