"""User.active_memberships: what every page reads first (prepared on PostgreSQL)."""

import pytest

from organisations.models import Membership, User
from organisations.roles import Role
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


def test_active_memberships_of_active_organisations_with_their_organisation_and_region(
    world, django_assert_num_queries
):
    user = member(world.court, role=Role.CLERK)
    Membership.objects.create(user=user, organisation=world.tribunal, role=Role.ENFORCEMENT_OFFICER)
    Membership.objects.create(
        user=user, organisation=world.other_court, role=Role.CLERK, is_active=False
    )
    closed = OrganisationFactory(name="已撤销的调解委员会", region=world.district, is_active=False)
    Membership.objects.create(user=user, organisation=closed, role=Role.SUPERVISOR)

    fresh = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        memberships = fresh.active_memberships
        seen = [
            (m.organisation.name, m.role, m.organisation.region.name, m.user is fresh)
            for m in memberships
        ]
    assert seen == [
        (world.court.name, Role.CLERK, world.district.name, True),
        (world.tribunal.name, Role.ENFORCEMENT_OFFICER, world.district.name, True),
    ]
    orm = list(
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "organisation__region")
        .order_by("pk")
    )
    assert [(m.pk, m.organisation.path, m.organisation.region.path) for m in memberships] == [
        (m.pk, m.organisation.path, m.organisation.region.path) for m in orm
    ]
    assert fresh.primary_organisation == world.court
    # the instances behave as the ORM's: saved back without a surprise
    first = memberships[0]
    first.title = "书记员"
    first.save(update_fields=["title"])
    assert Membership.objects.get(pk=first.pk).title == "书记员"
    assert not memberships[0]._state.adding
