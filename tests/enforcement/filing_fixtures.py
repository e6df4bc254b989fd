"""Filing's test records: a confirmed instalment agreement (司法确认) made through the
mediation services in the enforcement world's court, a stand-in PDF converter, and a clerk's
application data."""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from documents import converter
from enforcement.services.filing import PROCEDURE_FILE, application_register, basis_record
from mediation.models import MediatorKind
from mediation.services import (
    confirmation_accept,
    confirmation_apply,
    confirmation_confirm,
    mediation_agree,
    mediation_case_delegate,
    mediation_receipt_sign,
    mediator_assign,
    mediator_create,
    session_log,
)
from organisations.models import Organisation
from organisations.roles import Role
from tests.factories import OrganisationFactory, member

from .conftest import ID_APPLICANT, ID_DEBTOR, id_number

BEIJING = ZoneInfo("Asia/Shanghai")


def credit_code(body17: str) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(chars.index(c) * w for c, w in zip(body17, weights, strict=True))
    return body17 + chars[(31 - total % 31) % 31]


COMPANY = credit_code("91150302MA0N8XQ12")


def fake_pdf(docx: bytes, *, timeout=None) -> bytes:
    return b"%PDF-1.4\n% test stand-in " + hashlib.sha256(docx).hexdigest().encode() + b"\n%%EOF\n"


@pytest.fixture
def fast_pdf(monkeypatch):
    monkeypatch.setattr(converter, "docx_to_pdf", fake_pdf)


@dataclass
class Committee:
    committee: Organisation
    mediator_user: object
    profile: object


def make_committee(eworld) -> Committee:
    committee = OrganisationFactory(
        name="新华街道人民调解委员会",
        kind=Organisation.Kind.MEDIATION_COMMITTEE,
        region=eworld.district,
    )
    committee.refresh_from_db()
    committee_clerk = member(committee, Role.CLERK, username="committee_clerk")
    mediator_user = member(committee, Role.MEDIATOR, username="zhang", full_name="张调解")
    profile = mediator_create(
        organisation=committee, actor=committee_clerk, user=mediator_user, name="张调解",
        kind=MediatorKind.PEOPLES, rosters=[eworld.court],
    )  # fmt: skip
    return Committee(committee, mediator_user, profile)


def workers(count: int, total: Decimal) -> list[tuple[str, str, Decimal]]:
    """`count` workers (name, ID number, wage owed) whose wages sum to `total` exactly."""
    base = (total / count).quantize(Decimal("0.01"))
    rows = []
    for n in range(count):
        amount = base + (Decimal("0.01") * (n % 7) - Decimal("0.03"))
        rows.append((f"工人{n + 1:03d}", id_number("19850101", f"{n + 100:03d}"), amount))
    rows[-1] = (rows[-1][0], rows[-1][1], rows[-1][2] + total - sum(r[2] for r in rows))
    return rows


def confirmed_agreement(
    eworld,
    *,
    creditors: list[tuple[str, str, Decimal]],
    debtor: dict,
    instalments: tuple[datetime.date, ...],
    concluded: datetime.datetime = datetime.datetime(2026, 8, 3, 10, 0, tzinfo=BEIJING),
    committee: Committee | None = None,
):
    """A court-delegated mediation in which `debtor` agrees to pay each creditor their
    amount in equal instalments on `instalments` (the last takes the remainder fen),
    confirmed by eworld.court (民特) a few days later. Returns the confirmation."""
    committee = committee or make_committee(eworld)
    parties = [
        {"role": "applicant", "name": name, "id_number": number, "phone": "13800138000"}
        for name, number, _amount in creditors
    ]
    parties.append({"role": "respondent", **debtor})
    with time_machine.travel(concluded, tick=False):
        case = mediation_case_delegate(
            court=eworld.court, organisation=committee.committee, actor=eworld.clerk,
            court_reference="（2026）蒙0302民诉前调88号", category="labour_wages",
            facts="拖欠工资，双方协商分期支付。", parties=parties,
        )  # fmt: skip
        case = mediator_assign(case=case, mediator=committee.profile, actor=eworld.clerk)
        case = mediation_receipt_sign(case=case, actor=committee.mediator_user)
        session_log(case=case, actor=committee.mediator_user, record="达成分期支付协议")
        links = {p.name: p for p in case.case_parties.all()}
        obligor = links[debtor["name"]]
        obligations = []
        for name, _number, amount in creditors:
            part = (amount / len(instalments)).quantize(Decimal("0.01"))
            amounts = [part] * (len(instalments) - 1) + [amount - part * (len(instalments) - 1)]
            obligations.append({
                "obligor": obligor, "obligee": links[name], "kind": "money", "amount": amount,
                "due_date": instalments[-1],
                "instalments": [{"amount": a, "due_date": d}
                                for a, d in zip(amounts, instalments, strict=True)],
            })  # fmt: skip
        agreement = mediation_agree(
            case=case, actor=committee.mediator_user, concluded_at=concluded,
            terms=f"{debtor['name']}分期支付拖欠的工资。", obligations=obligations,
        )  # fmt: skip
    later = concluded + datetime.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        confirmation = confirmation_apply(
            agreement=agreement, court=eworld.court, actor=eworld.clerk,
            applicants=list(case.case_parties.all()), subject_matter="civil",
        )  # fmt: skip
        confirmation = confirmation_accept(confirmation=confirmation, actor=eworld.clerk)
        confirmation_confirm(
            confirmation=confirmation, actor=eworld.clerk, judge="刘审判",
            court_clerk_name="王书记员",
        )  # fmt: skip
    confirmation.refresh_from_db()
    return confirmation


def judgment_basis(eworld, *, due=datetime.date(2026, 3, 12), number="（2026）蒙0302民初88号",
                   amounts=None, actor=None):  # fmt: skip
    dues = due if isinstance(due, tuple) else (due,)
    return basis_record(
        court=eworld.court, actor=actor or eworld.clerk, kind="judgment",
        issuing_body="海勃湾区人民法院", document_number=number,
        effective_on=datetime.date(2026, 3, 2),
        deadlines=[{"due_date": d, "amount": (amounts or {}).get(d)} for d in dues],
        main_text="被告于判决生效后十日内给付原告借款本金51770元。",
    )  # fmt: skip


def two_parties(share=None):
    return [
        {"role": "applicant", "name": "张申请", "id_number": ID_APPLICANT, "phone": "13900139000",
         "share": share},
        {"role": "debtor", "name": "王被执", "id_number": ID_DEBTOR,
         "address": "乌海市海勃湾区新华街1号"},
    ]  # fmt: skip


def file_case(eworld, basis=None, *, principal="51770.00", procedure=PROCEDURE_FILE, **extra):
    basis = basis or judgment_basis(eworld)
    values = {
        "basis": basis, "actor": eworld.clerk, "procedure": procedure,
        "applied_on": datetime.date(2026, 11, 20), "target_kind": "money",
        "principal": principal, "parties": two_parties(),
    }  # fmt: skip
    values.update(extra)
    return application_register(**values)
