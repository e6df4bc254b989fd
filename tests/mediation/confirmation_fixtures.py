"""An agreed mediation case (agreement concluded 2026-11-02 10:00 Beijing, a money obligation
in two instalments), shared by the confirmation tests and the browser journey."""

import datetime
import hashlib
from zoneinfo import ZoneInfo

import pytest

from mediation.services import (
    mediation_agree,
    mediation_case_delegate,
    mediation_receipt_sign,
    mediator_assign,
    session_log,
)

from .conftest import parties

BEIJING = ZoneInfo("Asia/Shanghai")
CONCLUDED = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=BEIJING)


def fake_pdf(docx: bytes, *, timeout=None) -> bytes:
    return b"%PDF-1.4\n% test stand-in " + hashlib.sha256(docx).hexdigest().encode() + b"\n%%EOF\n"


def make_agreed(mworld, *, applicant="李申请", respondent="赵被申", concluded_at=CONCLUDED):
    case = mediation_case_delegate(
        court=mworld.court,
        organisation=mworld.committee,
        actor=mworld.court_clerk,
        court_reference="（2026）蒙0302民诉前调12号",
        category="neighbour",
        facts="楼上漏水，浸泡楼下地板，双方协商未果。",
        parties=parties(applicant, respondent),
        amount_in_dispute="12345.60",
    )
    case = mediator_assign(case=case, mediator=mworld.zhang_profile, actor=mworld.court_clerk)
    case = mediation_receipt_sign(case=case, actor=mworld.zhang)
    session_log(case=case, actor=mworld.zhang, record="达成一致", place="团结社区红色驿站")
    first = case.case_parties.get(role="applicant")
    second = case.case_parties.get(role="respondent")
    return mediation_agree(
        case=case,
        actor=mworld.zhang,
        terms=f"{respondent}于2026年12月31日前赔偿{applicant}损失12345.60元。",
        concluded_at=concluded_at,
        obligations=[
            {
                "obligor": second,
                "obligee": first,
                "kind": "money",
                "amount": "12345.60",
                "due_date": datetime.date(2026, 12, 31),
            }
        ],
    )


@pytest.fixture
def agreed(mworld):
    return make_agreed(mworld)
