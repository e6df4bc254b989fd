"""A court, a street mediation committee with two mediators, a committee elsewhere, and an
outsider court: the people the mediation tests act as."""

from dataclasses import dataclass

import pytest

from mediation.models import Language, MediatorKind, Specialty
from mediation.services import mediator_create
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
ID_RESPONDENT = id_number("19750412", "022")
ID_MEDIATOR_ZHANG = id_number("19680101", "031")
ID_ZHANG_SISTER = id_number("19720202", "042")


@dataclass
class MediationWorld:
    district: Region
    street: Region
    court: Organisation
    committee: Organisation
    other_committee: Organisation
    other_court: Organisation
    court_clerk: User
    president: User
    committee_clerk: User
    zhang: User  # mediator 张调解, profile with ID number
    bao: User  # mediator 包调解, speaks Mongolian, family specialist
    far_mediator: User  # mediator of the other committee
    outsider: User  # clerk of another court
    zhang_profile: object
    bao_profile: object


@pytest.fixture
def mworld(db) -> MediationWorld:
    city = RegionFactory(name="乌海市", level=Region.Level.PREFECTURE)
    district = RegionFactory(name="海勃湾区", parent=city)
    street = RegionFactory(name="新华街道", level=Region.Level.TOWNSHIP, parent=district)
    other_district = RegionFactory(name="海南区", parent=city)
    court = OrganisationFactory(name="海勃湾区人民法院", region=district, court_code="蒙0302")
    committee = OrganisationFactory(
        name="新华街道人民调解委员会", kind=Organisation.Kind.MEDIATION_COMMITTEE, region=street
    )
    other_committee = OrganisationFactory(
        name="拉僧庙镇人民调解委员会",
        kind=Organisation.Kind.MEDIATION_COMMITTEE,
        region=other_district,
    )
    other_court = OrganisationFactory(
        name="海南区人民法院", region=other_district, court_code="蒙0303"
    )
    # sorted inserts (node_order_by) shift siblings' paths: read them back
    for organisation in (court, committee, other_committee, other_court):
        organisation.refresh_from_db()
    court_clerk = member(court, Role.CLERK, username="court_clerk", full_name="王书记员")
    president = member(court, Role.SUPERVISOR, username="president", full_name="吴院长")
    committee_clerk = member(committee, Role.CLERK, username="committee_clerk")
    zhang = member(committee, Role.MEDIATOR, username="zhang", full_name="张调解")
    bao = member(committee, Role.MEDIATOR, username="bao", full_name="包调解")
    far_mediator = member(other_committee, Role.MEDIATOR, username="far")
    outsider = member(other_court, Role.CLERK, username="outsider")
    zhang_profile = mediator_create(
        organisation=committee,
        actor=committee_clerk,
        user=zhang,
        name="张调解",
        kind=MediatorKind.PEOPLES,
        specialties=[Specialty.NEIGHBOUR, Specialty.PROPERTY],
        languages=[Language.MANDARIN],
        rosters=[court],
        id_number=ID_MEDIATOR_ZHANG,
    )
    bao_profile = mediator_create(
        organisation=committee,
        actor=committee_clerk,
        user=bao,
        name="包调解",
        kind=MediatorKind.INVITED,
        specialties=[Specialty.FAMILY],
        languages=[Language.MANDARIN, Language.MONGOLIAN],
        rosters=[court],
    )
    far_committee_clerk = member(other_committee, Role.CLERK, username="far_clerk")
    mediator_create(
        organisation=other_committee,
        actor=far_committee_clerk,
        user=far_mediator,
        name="远调解",
        kind=MediatorKind.PEOPLES,
    )
    return MediationWorld(
        district=district,
        street=street,
        court=court,
        committee=committee,
        other_committee=other_committee,
        other_court=other_court,
        court_clerk=court_clerk,
        president=president,
        committee_clerk=committee_clerk,
        zhang=zhang,
        bao=bao,
        far_mediator=far_mediator,
        outsider=outsider,
        zhang_profile=zhang_profile,
        bao_profile=bao_profile,
    )


def parties(applicant="李申请", respondent="赵被申"):
    return [
        {"role": "applicant", "name": applicant, "id_number": ID_APPLICANT, "phone": "13800138000"},
        {"role": "respondent", "name": respondent, "id_number": ID_RESPONDENT},
    ]


@pytest.fixture
def delegated(mworld):
    """A case the court delegated before filing (诉前委派), assigned to 张调解, not yet signed."""
    from mediation.services import mediation_case_delegate, mediator_assign

    case = mediation_case_delegate(
        court=mworld.court,
        organisation=mworld.committee,
        actor=mworld.court_clerk,
        court_reference="（2026）蒙0302民诉前调12号",
        category="neighbour",
        facts="楼上漏水，双方协商未果。",
        parties=parties(),
        amount_in_dispute="3000.00",
    )
    return mediator_assign(case=case, mediator=mworld.zhang_profile, actor=mworld.court_clerk)
