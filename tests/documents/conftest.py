"""Documents are issued about a dispute of the loop world (the record's own getter scopes
them): the street centre's clerk issues; the outsider is a clerk of another district."""

import datetime
import hashlib
from decimal import Decimal

import pytest

from documents import converter
from tests.cases import conftest as case_fixtures

ID_WANG = "11010519491231002X"
CREDIT_CODE = "91110000802100433B"


def agreement_data(**overrides) -> dict:
    data = {
        "parties": [
            {"role": "申请人", "name": "王建国", "identity": ID_WANG, "address": "团结社区3号楼"},
            {
                "role": "被申请人",
                "name": "金裕物业服务有限公司",
                "identity": CREDIT_CODE,
                "representative": "法定代表人：钱多多",
            },
        ],
        "facts": "2026年10月，被申请人管理的3号楼水管破裂，申请人家中地板及家具被水浸泡。",
        "issues": "损失赔偿数额及支付期限。",
        "responsibilities": "被申请人未及时维修公共管道，应承担赔偿责任。",
        "obligations": [
            {
                "obligor": "金裕物业服务有限公司",
                "obligee": "王建国",
                "content": "赔偿地板及家具损失",
                "amount": Decimal("12345.60"),
                "due_date": datetime.date(2026, 12, 31),
            }
        ],
        "performance_method": "银行转账至申请人账户",
        "mediator": "张调解",
        "agreed_on": datetime.date(2026, 11, 30),
        "place": "团结社区红色驿站",
    }
    data.update(overrides)
    return data


# The loop world's fixtures, shared rather than copied.
loop = case_fixtures.loop
register = case_fixtures.register


def fake_pdf(docx: bytes, *, timeout=None) -> bytes:
    """Stands in for LibreOffice where the test is about numbering, scope or verification:
    distinct bytes per document, so a mix-up would show."""
    return b"%PDF-1.4\n% test stand-in " + hashlib.sha256(docx).hexdigest().encode() + b"\n%%EOF\n"


@pytest.fixture
def fast_pdf(monkeypatch):
    monkeypatch.setattr(converter, "docx_to_pdf", fake_pdf)


@pytest.fixture
def dispute(register):
    return register()


@pytest.fixture
def issue(loop, dispute):
    """`issue(**overrides)` → a mediation agreement about the dispute, by the centre clerk."""
    from documents.services import document_issue

    def make(**overrides):
        values = {
            "kind": "mediation.agreement",
            "subject": dispute,
            "organisation": loop.centre,
            "data": agreement_data(),
            "actor": loop.clerk,
        }
        values.update(overrides)
        return document_issue(**values)

    return make
