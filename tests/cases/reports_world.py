"""A governance-centre tree for the import, ledger and weekly-report tests.

海勃湾区社会治理综合服务中心
└── 新华街道综治中心 (the street)
    ├── 团结社区居委会
    └── 新华西社区居委会
└── 海北街道综治中心
and, elsewhere, 海南区综治中心 with an outsider.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from cases.models import Category, Dispute, DisputeEvent, SourceChannel
from cases.services import dispute_register
from organisations.models import Organisation, Region, User
from organisations.roles import Role
from tests.factories import OrganisationFactory, RegionFactory, member

TZ = timezone.get_default_timezone()


def valid_id_number(birth: str = "19800101", sequence: int = 123, area: str = "110105") -> str:
    body = f"{area}{birth}{sequence:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def at(text: str) -> datetime.datetime:
    """'2026-11-16 09:30' in Beijing time."""
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


@dataclass
class ReportsWorld:
    district: Region
    street_region: Region
    district_centre: Organisation
    street: Organisation
    tuanjie: Organisation
    xinhuaxi: Organisation
    haibei: Organisation
    outsider_org: Organisation
    clerk: User  # at the street centre
    supervisor: User  # district centre supervisor
    community_clerk: User  # at 团结社区, sees only its own subtree
    outsider: User


@pytest.fixture
def area(db) -> ReportsWorld:
    city = RegionFactory(name="乌海市", level=Region.Level.PREFECTURE)
    district = RegionFactory(name="海勃湾区", parent=city)
    street_region = RegionFactory(name="新华街道", level=Region.Level.TOWNSHIP, parent=district)
    tuanjie_region = RegionFactory(
        name="团结社区", level=Region.Level.VILLAGE, parent=street_region
    )
    xinhuaxi_region = RegionFactory(
        name="新华西社区", level=Region.Level.VILLAGE, parent=street_region
    )
    haibei_region = RegionFactory(name="海北街道", level=Region.Level.TOWNSHIP, parent=district)
    other_district = RegionFactory(name="海南区", parent=city)
    kind = Organisation.Kind
    district_centre = OrganisationFactory(
        name="海勃湾区社会治理综合服务中心", kind=kind.GOVERNANCE_CENTRE, region=district
    )
    street = OrganisationFactory(
        name="新华街道综治中心",
        kind=kind.GOVERNANCE_CENTRE,
        region=street_region,
        parent=district_centre,
    )
    tuanjie = OrganisationFactory(
        name="团结社区居委会", kind=kind.COMMUNITY, region=tuanjie_region, parent=street
    )
    xinhuaxi = OrganisationFactory(
        name="新华西社区居委会", kind=kind.COMMUNITY, region=xinhuaxi_region, parent=street
    )
    haibei = OrganisationFactory(
        name="海北街道综治中心",
        kind=kind.GOVERNANCE_CENTRE,
        region=haibei_region,
        parent=district_centre,
    )
    outsider_org = OrganisationFactory(
        name="海南区综治中心", kind=kind.GOVERNANCE_CENTRE, region=other_district
    )
    return ReportsWorld(
        district=district,
        street_region=street_region,
        district_centre=district_centre,
        street=street,
        tuanjie=tuanjie,
        xinhuaxi=xinhuaxi,
        haibei=haibei,
        outsider_org=outsider_org,
        clerk=member(street, Role.CLERK, username="street_clerk"),
        supervisor=member(district_centre, Role.SUPERVISOR, username="district_supervisor"),
        community_clerk=member(tuanjie, Role.CLERK, username="tuanjie_clerk"),
        outsider=member(outsider_org, Role.CLERK, username="outsider"),
    )


_counter = iter(range(1, 10**9))


def make_dispute(
    organisation: Organisation,
    actor: User,
    *,
    registered: str,
    resolved: str | None = None,
    closed: str | None = None,
    due: str | None = None,
    category: str = Category.NEIGHBOUR,
    changes: tuple[tuple[str, str], ...] = (),
) -> Dispute:
    """A dispute registered through the real service, then given a hand-set history."""
    dispute = dispute_register(
        organisation=organisation,
        actor=actor,
        source_channel=SourceChannel.VISIT,
        category=category,
        facts=f"测试纠纷{next(_counter)}",
        parties=[{"name": "张三", "phone": "13800138000"}],
        region=organisation.region,
    )
    # Registered "now" (the deadline engine refuses a triage deadline already in the past),
    # then moved back to the hand-set time with its timeline event.
    DisputeEvent.objects.filter(dispute=dispute, kind=DisputeEvent.Kind.REGISTERED).update(
        at=at(registered)
    )
    Dispute.objects.filter(pk=dispute.pk).update(
        registered_at=at(registered),
        resolved_at=at(resolved) if resolved else None,
        closed_at=at(closed) if closed else None,
        due_at=at(due) if due else None,
        status="closed" if closed else ("resolved" if resolved else "registered"),
    )
    for kind, when in changes:
        DisputeEvent.objects.create(
            dispute=dispute, kind=kind, at=at(when), organisation=organisation
        )
    dispute.refresh_from_db()
    return dispute
