"""The court's mediation figures: the Horqin year (DOMAIN.md: 258 delegated, 103 settled,
57 confirmed, 46 withdrawn) generated through the services, read back from the page."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mediation import figures
from mediation.models import (
    Agreement,
    ConfirmationStatus,
    JudicialConfirmation,
    MediationCase,
    Status,
)
from mediation.services import (
    mediation_agree,
    mediation_case_delegate,
    mediation_case_entrust,
    mediation_fail,
    mediation_receipt_sign,
    mediation_withdraw,
    mediator_assign,
    session_log,
)

from .conftest import parties

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = reverse("mediation:figures")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def day_of(year, n):
    """The n-th working-hours moment of the year, spread over Jan 2 – Dec 20."""
    return at(year, 1, 2) + datetime.timedelta(days=n % 350)


def receive(world, when, *, entrusted=False, court=None, clerk=None, number=0):
    service = mediation_case_entrust if entrusted else mediation_case_delegate
    with time_machine.travel(when, tick=False):
        case = service(
            court=court or world.court,
            organisation=world.committee,
            actor=clerk or world.court_clerk,
            court_reference=f"（{when.year}）蒙0302民{'初' if entrusted else '诉前调'}{number}号",
            category="neighbour",
            facts="楼上漏水，双方协商未果。",
            parties=parties(),
        )
        return mediator_assign(case=case, mediator=world.zhang_profile, actor=world.committee_clerk)


def settle(world, case, when, *, withdraw=False):
    """Sign, hold a session, agree on `when`; for a filed case, withdraw it the next day."""
    with time_machine.travel(when - datetime.timedelta(hours=2), tick=False):
        mediation_receipt_sign(case=case, actor=world.zhang)
        session_log(case=case, actor=world.zhang, record="双方到场，达成一致")
    with time_machine.travel(when, tick=False):
        mediation_agree(
            case=case, actor=world.zhang, terms="赔偿修缮费用", obligations=[], is_oral=True
        )
    if withdraw:
        with time_machine.travel(when + datetime.timedelta(days=1), tick=False):
            mediation_withdraw(case=MediationCase.objects.get(pk=case.pk), actor=world.court_clerk)


def shown(response, figure):
    match = re.search(
        rf'data-figure="{figure}"[^>]*>([^<]*)<', response.content.decode(), flags=re.S
    )
    assert match, f"figure {figure} not on the page"
    return match.group(1).strip()


def listed(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-testid="case-(\d+)"', response.content.decode())}


def all_listed(client, url) -> set[int]:
    """Every case behind a figure, following the keyset pages."""
    seen = set()
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = listed(response)
        assert not page & seen, "a case listed twice across pages"
        seen |= page
        following = re.search(r'href="(\?[^"]*after=[^"#]*)', response.content.decode())
        url = URL + following.group(1).replace("&amp;", "&") if following else ""
    return seen


@pytest.fixture
def horqin_year(mworld):
    """2023 at the court: 258 received (delegated and entrusted); 103 agreements concluded in
    the year — one on a case received in December 2022, 56 on delegated cases, 46 on
    entrusted cases then withdrawn (调撤); one agreed only in January 2024; 20 failed; the
    rest still open. Plus a settled case of another court, which must not count."""
    ids = {"settled": set(), "withdrawn": set(), "delegated": set(), "confirmable": set()}
    carried = receive(mworld, at(2022, 12, 20), number=999)
    settle(mworld, carried, at(2023, 1, 10))
    ids["settled"].add(carried.pk)
    ids["confirmable"].add(carried.pk)
    for n in range(258):
        entrusted = 56 <= n < 102
        received = day_of(2023, n) if n != 102 else at(2023, 12, 28)
        case = receive(mworld, received, entrusted=entrusted, number=n + 1)
        ids["delegated"].add(case.pk)
        if n < 56:
            settle(mworld, case, received + datetime.timedelta(days=5))
            ids["settled"].add(case.pk)
            ids["confirmable"].add(case.pk)
        elif n < 102:
            settle(mworld, case, received + datetime.timedelta(days=5), withdraw=True)
            ids["settled"].add(case.pk)
            ids["withdrawn"].add(case.pk)
        elif n == 102:
            settle(mworld, case, at(2024, 1, 5))
        elif n < 123:
            with time_machine.travel(received + datetime.timedelta(days=3), tick=False):
                mediation_fail(case=case, actor=mworld.committee_clerk, reason="被申请人拒绝调解")
    elsewhere = receive(
        mworld, at(2023, 5, 5), court=mworld.other_court, clerk=mworld.outsider, number=7
    )
    settle(mworld, elsewhere, at(2023, 5, 9))
    # the court's rulings confirming 57 of the agreements, recorded as the confirmation
    # module leaves them (its own tests walk the application → acceptance → ruling steps)
    for case in MediationCase.objects.filter(pk__in=ids["confirmable"]).select_related("agreement"):
        ruled = case.agreement.concluded_at + datetime.timedelta(days=20)
        JudicialConfirmation.objects.create(
            agreement=case.agreement,
            court=mworld.court,
            status=ConfirmationStatus.CONFIRMED,
            applied_on=timezone.localtime(case.agreement.concluded_at).date(),
            recorded_by=mworld.court_clerk,
            ruled_at=ruled,
            is_enforceable_basis=True,
        )
    return ids


def test_the_horqin_year_as_the_page_shows_it(client, mworld, horqin_year):
    client.force_login(mworld.court_clerk)
    response = client.get(URL, {"court": mworld.court.pk, "year": 2023})
    assert response.status_code == 200
    assert shown(response, "delegated") == "258"
    assert shown(response, "settled") == "103"
    assert shown(response, "withdrawn") == "46"
    assert shown(response, "confirmed") == "57"
    # each number is a link to exactly the cases it counts (across keyset pages)
    for figure in ("delegated", "settled", "confirmed", "withdrawn"):
        link = (
            re.search(rf'href="([^"]*)" data-testid="figure-{figure}"', response.content.decode())
            .group(1)
            .replace("&amp;", "&")
        )
        counted = horqin_year["confirmable" if figure == "confirmed" else figure]
        assert all_listed(client, link.split("#")[0]) == counted, figure

    # the next year sees the agreement of 5 January 2024, none of 2023's receipts
    next_year = client.get(URL, {"court": mworld.court.pk, "year": 2024})
    assert shown(next_year, "delegated") == "0"
    assert shown(next_year, "settled") == "1"
    assert shown(next_year, "withdrawn") == "0"


def test_without_a_recorder_the_confirmed_figure_is_not_made_up(client, mworld, horqin_year):
    """A figure no module records is said to be unrecorded, never shown as a number."""
    saved = figures._registered.pop("confirmed")
    try:
        client.force_login(mworld.court_clerk)
        response = client.get(URL, {"court": mworld.court.pk, "year": 2023})
        assert shown(response, "confirmed") == "尚未在本系统记录"
        assert 'data-testid="figure-confirmed" href' not in response.content.decode()
        missing = {"court": mworld.court.pk, "year": 2023, "figure": "confirmed"}
        assert client.get(URL, missing).status_code == 404
    finally:
        figures.figure_condition_register("confirmed", saved)


@pytest.fixture
def small_year(mworld):
    case = receive(mworld, at(2023, 3, 1), entrusted=True, number=1)
    settle(mworld, case, at(2023, 3, 6), withdraw=True)
    receive(mworld, at(2023, 4, 1), number=2)
    return case


def test_figures_are_one_aggregate_query(mworld, small_year, django_assert_num_queries):
    with django_assert_num_queries(1):
        values = {f.name: f.value for f in figures.court_year_figures(mworld.court, 2023)}
    assert values == {"delegated": 2, "settled": 1, "confirmed": 0, "withdrawn": 1}
    assert Agreement.objects.filter(case=small_year).exists()
    assert MediationCase.objects.get(pk=small_year.pk).status == Status.WITHDRAWN


def test_supervisor_of_the_court_sees_the_figures(client, mworld, small_year):
    client.force_login(mworld.president)
    response = client.get(URL, {"court": mworld.court.pk, "year": 2023})
    assert shown(response, "delegated") == "2"


def test_another_court_is_a_404(client, mworld, small_year):
    client.force_login(mworld.outsider)
    assert client.get(URL, {"court": mworld.court.pk, "year": 2023}).status_code == 404
    assert (
        client.get(URL, {"court": mworld.court.pk, "year": 2023, "figure": "settled"}).status_code
        == 404
    )
    # their own court's page shows none of it
    response = client.get(URL, {"court": mworld.other_court.pk, "year": 2023})
    assert shown(response, "delegated") == "0"


def test_a_committee_without_a_court_in_scope_is_a_404(client, mworld):
    client.force_login(mworld.committee_clerk)
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("year", ["abc", "1999", "2999"])
def test_a_bad_year_is_said_beside_the_field(client, mworld, year):
    client.force_login(mworld.court_clerk)
    response = client.get(URL, {"court": mworld.court.pk, "year": year})
    assert response.status_code == 200
    assert 'data-testid="year-error"' in response.content.decode()
    assert 'data-testid="court-figures"' not in response.content.decode()


def test_an_unknown_figure_is_a_404(client, mworld):
    client.force_login(mworld.court_clerk)
    assert (
        client.get(URL, {"court": mworld.court.pk, "year": 2023, "figure": "nonsense"}).status_code
        == 404
    )


def _menu(client) -> str:
    page = client.get("/").content.decode()
    nav = re.search(r'data-testid="main-nav">(.*?)</ul>', page, flags=re.S)
    assert nav, "no main menu"
    return nav.group(1)


def test_the_menu_offers_the_figures_to_court_staff_and_supervisors_only(client, mworld):
    from organisations.models import Organisation
    from organisations.roles import Role
    from tests.factories import OrganisationFactory, member

    centre = OrganisationFactory(
        name="海勃湾区社会治理综合服务中心",
        kind=Organisation.Kind.GOVERNANCE_CENTRE,
        region=mworld.district,
    )
    director = member(centre, Role.SUPERVISOR, username="director")  # the district's courts
    lonely = OrganisationFactory(
        name="某苏木综治中心", kind=Organisation.Kind.GOVERNANCE_CENTRE, region=mworld.street
    )
    street_supervisor = member(lonely, Role.SUPERVISOR, username="street_supervisor")
    seen = {}
    for user in (mworld.court_clerk, mworld.president, mworld.outsider, director,
                 mworld.committee_clerk, mworld.zhang, street_supervisor):  # fmt: skip
        client.force_login(user)
        seen[user.username] = f'href="{URL}"' in _menu(client)
    assert seen == {
        "court_clerk": True, "president": True, "outsider": True, "director": True,
        "committee_clerk": False, "zhang": False, "street_supervisor": False,
    }  # fmt: skip
    # the entry leads to a page each of them may open, and is the one highlighted there
    client.force_login(mworld.court_clerk)
    page = client.get(URL).content.decode()
    assert re.search(rf'class="nav-link active" href="{URL}" aria-current="page"', page)
    client.force_login(director)
    assert client.get(URL).status_code == 200
