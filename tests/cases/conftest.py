"""A small piece of Haibowan for the loop: a street centre with a community below it,
two responder departments, a supervisor of the district and an outsider elsewhere."""

from dataclasses import dataclass

import pytest

from cases.services import dispute_register
from organisations.models import Organisation, Region, User
from organisations.roles import Role
from tests.factories import OrganisationFactory, RegionFactory, member

ID_ZHANG = "11010519491231002X"  # a valid GB 11643 test number
ID_LI = "110105194912310029"
PHONE_ZHANG = "13800138000"
CREDIT_CODE = "91110000802100433B"


@dataclass
class LoopWorld:
    district: Region
    street: Region
    community_region: Region
    other_district: Region
    centre: Organisation
    community: Organisation
    police: Organisation
    heating: Organisation
    outsider_org: Organisation
    clerk: User
    grid: User
    responder: User
    heating_user: User
    supervisor: User
    outsider: User


@pytest.fixture
def loop(db) -> LoopWorld:
    city = RegionFactory(name="乌海市", level=Region.Level.PREFECTURE)
    district = RegionFactory(name="海勃湾区", parent=city)
    street = RegionFactory(name="新华街道", level=Region.Level.TOWNSHIP, parent=district)
    community_region = RegionFactory(name="团结社区", level=Region.Level.VILLAGE, parent=street)
    other_district = RegionFactory(name="海南区", parent=city)
    district_centre = OrganisationFactory(
        name="海勃湾区社会治理综合服务中心",
        kind=Organisation.Kind.GOVERNANCE_CENTRE,
        region=district,
    )
    centre = OrganisationFactory(
        name="新华街道综治中心",
        kind=Organisation.Kind.GOVERNANCE_CENTRE,
        region=street,
        parent=district_centre,
    )
    community = OrganisationFactory(
        name="团结社区居委会",
        kind=Organisation.Kind.COMMUNITY,
        region=community_region,
        parent=centre,
    )
    police = OrganisationFactory(
        name="新华派出所", kind=Organisation.Kind.DEPARTMENT, region=street
    )
    heating = OrganisationFactory(
        name="热力公司海勃湾分公司", kind=Organisation.Kind.DEPARTMENT, region=district
    )
    outsider_org = OrganisationFactory(
        name="海南区综治中心", kind=Organisation.Kind.GOVERNANCE_CENTRE, region=other_district
    )
    return LoopWorld(
        district=district,
        street=street,
        community_region=community_region,
        other_district=other_district,
        centre=centre,
        community=community,
        police=police,
        heating=heating,
        outsider_org=outsider_org,
        clerk=member(centre, Role.CLERK, username="centre_clerk"),
        grid=member(community, Role.GRID_WORKER, username="grid"),
        responder=member(police, Role.RESPONDER, username="police"),
        heating_user=member(heating, Role.RESPONDER, username="heating"),
        supervisor=member(district_centre, Role.SUPERVISOR, username="district_supervisor"),
        outsider=member(outsider_org, Role.CLERK, username="outsider"),
    )


@pytest.fixture
def register(loop):
    """`register(**overrides)` → a dispute registered by the centre clerk."""

    def make(**overrides):
        values = {
            "organisation": loop.centre,
            "actor": loop.clerk,
            "source_channel": "visit",
            "category": "neighbour",
            "facts": "楼上住户装修噪音扰民，多次协商未果。",
            "parties": [
                {"role": "applicant", "name": "张三", "id_number": ID_ZHANG, "phone": PHONE_ZHANG},
                {"role": "respondent", "name": "李四"},
            ],
            "region": loop.community_region,
            "place": "团结社区3号楼",
        }
        values.update(overrides)
        return dispute_register(**values)

    return make
