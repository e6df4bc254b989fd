"""The people and records the enforcement tests act with: a basic court (蒙0302) with its
clerk, two officers and the president, an intermediate court above it, another basic court
(the outsider), and a street governance centre in the same district (not a court)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from cases.services.intake import party_find_or_create
from common import pii
from common.sequences import sequence_next
from enforcement.models import (
    BasisKind,
    CaseParty,
    CaseSequence,
    CaseStatus,
    CaseType,
    EnforcementCase,
    EnforcementRole,
    LegalBasis,
    PerformanceDeadline,
)
from enforcement.numbers import case_number_format
from organisations.models import Organisation, Region, User
from organisations.roles import Role
from tests.factories import OrganisationFactory, RegionFactory, member

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(birth: str = "19800101", sequence: str = "123", area: str = "150302") -> str:
    """A valid GB 11643 number (check character computed)."""
    body = area + birth + sequence
    total = sum(int(digit) * weight for digit, weight in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


ID_APPLICANT = id_number("19700305", "011")
ID_DEBTOR = id_number("19750412", "022")


@dataclass
class EnforcementWorld:
    district: Region
    court: Organisation
    higher_court: Organisation
    other_court: Organisation
    centre: Organisation
    clerk: User  # 立案庭 clerk of the court
    officer: User  # 执行员
    second_officer: User
    president: User  # the court's supervisor (院长)
    higher_supervisor: User  # supervisor of the intermediate court
    outsider: User  # clerk of another court
    centre_supervisor: User  # supervisor of a government unit in the same district


@pytest.fixture
def eworld(db) -> EnforcementWorld:
    city = RegionFactory(name="乌海市", level=Region.Level.PREFECTURE)
    district = RegionFactory(name="海勃湾区", parent=city)
    other_district = RegionFactory(name="海南区", parent=city)
    higher_court = OrganisationFactory(name="乌海市中级人民法院", region=city, court_code="蒙03")
    court = OrganisationFactory(name="海勃湾区人民法院", region=district, court_code="蒙0302")
    other_court = OrganisationFactory(
        name="海南区人民法院", region=other_district, court_code="蒙0303"
    )
    centre = OrganisationFactory(
        name="海勃湾区社会治理综合服务中心",
        kind=Organisation.Kind.GOVERNANCE_CENTRE,
        region=district,
    )
    for organisation in (higher_court, court, other_court, centre):
        organisation.refresh_from_db()
    return EnforcementWorld(
        district=district,
        court=court,
        higher_court=higher_court,
        other_court=other_court,
        centre=centre,
        clerk=member(court, Role.CLERK, username="enf_clerk", full_name="王立案"),
        officer=member(court, Role.ENFORCEMENT_OFFICER, username="officer", full_name="李执行"),
        second_officer=member(
            court, Role.ENFORCEMENT_OFFICER, username="officer2", full_name="赵执行"
        ),
        president=member(court, Role.SUPERVISOR, username="enf_president", full_name="吴院长"),
        higher_supervisor=member(higher_court, Role.SUPERVISOR, username="higher_sup"),
        outsider=member(other_court, Role.CLERK, username="enf_outsider"),
        centre_supervisor=member(centre, Role.SUPERVISOR, username="centre_sup"),
    )


def make_basis(
    court,
    actor,
    *,
    kind=BasisKind.JUDGMENT,
    number="（2026）蒙0302民初88号",
    effective_on=datetime.date(2026, 3, 2),
    due_dates=(datetime.date(2026, 3, 12),),
) -> LegalBasis:
    basis = LegalBasis.objects.create(
        court=court,
        kind=kind,
        issuing_body=court.name,
        document_number=number,
        effective_on=effective_on,
        main_text="被告于判决生效后十日内给付原告借款本金及利息。",
        recorded_by=actor,
    )
    for position, due in enumerate(due_dates, start=1):
        PerformanceDeadline.objects.create(basis=basis, number=position, due_date=due)
    return basis


def add_party(case, *, role, name, id_number_value="", share=None, phone="", **extra) -> CaseParty:
    party, _created = party_find_or_create(
        data={"name": name, "id_number": id_number_value, "kind": "person"}, actor=case.created_by
    )
    link = CaseParty(case=case, party=party, role=role, name=name, share=share, **extra)
    pii.seal_into(link, "phone", pii.seal_phone(phone))
    link.save()
    return link


def make_case(
    court,
    actor,
    *,
    basis=None,
    status=CaseStatus.IN_PROGRESS,
    principal=Decimal("51770.00"),
    officer=None,
    applicant="张申请",
    debtor="王被执",
    **fields,
) -> EnforcementCase:
    """A filed case with a number from the court's sequence (as filing would give it),
    one applicant and one debtor. Tests of filing itself go through the service."""
    basis = basis or make_basis(court, actor)
    now = timezone.now()
    year = timezone.localtime(now).year
    with transaction.atomic():
        sequence = sequence_next(
            CaseSequence, court=court, case_type=CaseType.ENFORCEMENT, year=year
        )
        case = EnforcementCase.objects.create(
            court=court,
            status=status,
            case_type=CaseType.ENFORCEMENT,
            case_number=case_number_format(
                year=year, court_code=court.court_code, case_type="执", sequence=sequence
            ),
            number_year=year,
            number_sequence=sequence,
            basis=basis,
            applied_on=now.date(),
            principal=principal,
            filed_at=now,
            filed_by=actor,
            officer=officer,
            assigned_at=now if officer else None,
            created_by=actor,
            **fields,
        )
    add_party(case, role=EnforcementRole.APPLICANT, name=applicant,
              id_number_value=ID_APPLICANT, share=principal)  # fmt: skip
    add_party(case, role=EnforcementRole.DEBTOR, name=debtor, id_number_value=ID_DEBTOR)
    return case


@pytest.fixture
def case(eworld) -> EnforcementCase:
    return make_case(eworld.court, eworld.clerk, officer=eworld.officer)
