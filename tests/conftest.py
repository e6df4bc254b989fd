"""Shared test base: named users in two organisations (owner, colleague, outsider)."""

from dataclasses import dataclass

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from rest_framework.test import APIClient

from organisations.models import Organisation, Region, User
from organisations.roles import Role
from tests.factories import OrganisationFactory, RegionFactory, member

PASSWORD = "Test#Passw0rd"


@pytest.fixture(autouse=True)
def office_hours(request):
    """Tests run at 10:00 Beijing time today (the clock keeps ticking), not at whatever hour
    CI happens to start: email and SMS wait out the recipients' quiet hours (22:00–08:00 by
    default), so a suite run at night would otherwise see deliveries held. Tests about
    quiet hours and dates set their own moment with time_machine. Broker tests are left on
    the real clock, as their worker process is."""
    if request.node.get_closest_marker("broker"):
        yield
        return
    ten = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(ten, tick=True):
        yield


@pytest.fixture(autouse=True)
def working_language():
    """Each test starts in Chinese: a test that switches to English must not leak into the next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def flush_past_the_audit_truncate_guard():
    """Transactional tests (and the browser tests' live server) end with a flush: one
    TRUNCATE of every table, which the audit table's TRUNCATE guard refuses. The test
    database's superuser flushes with triggers off for that one transaction, the only way
    past the guard (session_replication_role is superuser-only)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        return original(self, ["SET LOCAL session_replication_role = replica", *sql_list])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rate-limit counters (throttles) must not carry
    over from the tests before it."""
    cache.clear()


@dataclass
class World:
    city: Region
    district: Region
    other_district: Region
    court: Organisation  # the owner's organisation
    tribunal: Organisation  # under the court
    other_court: Organisation  # an outsider's organisation, another district
    owner: User
    colleague: User
    outsider: User
    supervisor: User  # supervises the city's region subtree


@pytest.fixture
def world(db) -> World:
    city = RegionFactory(name="乌海市", level=Region.Level.PREFECTURE)
    district = RegionFactory(name="海勃湾区", parent=city)
    other_district = RegionFactory(name="海南区", parent=city)
    court = OrganisationFactory(name="海勃湾区人民法院", region=district, court_code="蒙0302")
    tribunal = OrganisationFactory(
        name="新华人民法庭", kind=Organisation.Kind.TRIBUNAL, region=district, parent=court
    )
    other_court = OrganisationFactory(
        name="海南区人民法院", region=other_district, court_code="蒙0303"
    )
    centre = OrganisationFactory(
        name="乌海市综治中心", kind=Organisation.Kind.GOVERNANCE_CENTRE, region=city
    )
    return World(
        city=city,
        district=district,
        other_district=other_district,
        court=court,
        tribunal=tribunal,
        other_court=other_court,
        owner=member(court, Role.CLERK, username="owner"),
        colleague=member(court, Role.ENFORCEMENT_OFFICER, username="colleague"),
        outsider=member(other_court, Role.CLERK, username="outsider"),
        supervisor=member(centre, Role.SUPERVISOR, username="supervisor"),
    )


@pytest.fixture
def api_client():
    return APIClient()


def login(client, user) -> None:
    client.force_login(user)


@pytest.fixture
def client_for(client):
    """`client_for(user)` → the Django test client logged in as `user`."""

    def make(user):
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for():
    """`api_for(user)` → a DRF APIClient authenticated as `user`."""

    def make(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return make
