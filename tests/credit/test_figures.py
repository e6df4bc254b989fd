"""The court's 信用惩戒 figures: a small known year made through the services and read back
from the page — each figure and month as expected, and every number equal to the records
its drill-down lists; one court at a time, for its supervisors only (404 for anyone else,
by page and by guessed ids); the page's queries do not grow with the records."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credit import figures, services
from credit.models import Grade, Ground, Restoration, Restriction, Trigger
from organisations.roles import Role
from tests.factories import member

from .conftest import at, debtor_of, impose, make_case, unwilling

pytestmark = pytest.mark.django_db

URL = reverse("credit:figures")
ENTRIES = reverse("credit:figures_entries")
YEAR = 2025


# --- reading the page -------------------------------------------------------------------------


def row_of(response, figure) -> str:
    match = re.search(
        rf'<tr data-testid="figure-{figure}">(.*?)</tr>', response.content.decode(), flags=re.S
    )
    assert match, f"figure {figure} not on the page"
    return match.group(1)


def shown(response, figure) -> tuple[int | None, list[int | None]]:
    """(the year's number, the twelve months') as the page shows them; None for "—"."""
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row_of(response, figure), flags=re.S)
    assert len(cells) == 13, figure

    def value(cell):
        number = re.search(r">(\d+)</a>", cell)
        return int(number.group(1)) if number else None

    return value(cells[0]), [value(cell) for cell in cells[1:]]


def links(response, figure) -> dict[str, str]:
    """month ("" for the year) → the drill-down link of that number."""
    return {
        month: url.replace("&amp;", "&")
        for url, month in re.findall(
            rf'href="([^"]+)" data-figure="{figure}" data-month="(\d*)"', row_of(response, figure)
        )
    }


def all_listed(client, url) -> tuple[int, set[str]]:
    """(the count the list states, every record it lists across its pages)."""
    seen: set[str] = set()
    page = 1
    while True:
        response = client.get(f"{url}&page={page}")
        assert response.status_code == 200, url
        text = response.content.decode()
        count = re.search(r'data-testid="entries-count">(\d+)<', text)
        stated = int(count.group(1)) if count else 0
        rows = set(re.findall(r'data-testid="entry-(\w+-\d+)"', text))
        assert not rows & seen, "a record listed twice across pages"
        seen |= rows
        if f"page={page + 1}" not in text:
            return stated, seen
        page += 1


# --- a known year --------------------------------------------------------------------------------


def listed(world, *, on, ground=Ground.BREAKS_REPORTING, grade=Grade.GENERAL, court=None,
           officer=None, president=None, sign_on=None, debtor="王被执"):  # fmt: skip
    """A case, and its debtor listed on `on` (10:00), the restriction signed on `sign_on`."""
    court = court or world.court
    officer = officer or world.officer
    with time_machine.travel(at(on.year, on.month, on.day, 9), tick=False):
        case = make_case(court, world.clerk if court == world.court else officer,
                         officer=officer, debtor=debtor)  # fmt: skip
    with time_machine.travel(at(on.year, on.month, on.day), tick=False):
        listing = impose(world, case, ground=ground, grade=grade, actor=officer,
                         ability_finding=unwilling(debtor_of(case), officer),
                         approver=president or world.president)  # fmt: skip
    restriction = Restriction.objects.get(listing=listing)
    if sign_on is not None:
        with time_machine.travel(at(sign_on.year, sign_on.month, sign_on.day, 11), tick=False):
            services.restriction_approve(restriction=restriction,
                                         actor=president or world.president)  # fmt: skip
    return case, listing, restriction


def removed(world, case, trigger, *, fact, done):
    with time_machine.travel(fact, tick=False):
        removals = services.removals_start(case=case, trigger=trigger, reason="依法删除",
                                           actor=world.officer)  # fmt: skip
    with time_machine.travel(done, tick=False):
        for removal in removals:
            services.removal_execute(removal=removal, actor=world.officer)
    return removals


def d(month, day, year=YEAR):
    return datetime.date(year, month, day)


@pytest.fixture
def year(eworld):
    """2025 at the court (海勃湾区):

    - A: listed 15 Jan (情形4, 一般), order signed 16 Jan; paid, removed 4 Mar (in time);
    - B: listed 10 Feb (情形1, 严重), order signed 11 Feb; one-time lifting approved 6 May;
      settlement performed 2 Jun, removed 20 Jun — late (both removals);
    - C: listed 30 Dec (情形3, 轻微), order signed only on 5 Jan 2026; restoration refused
      31 Dec;
    - D: listed 1 Nov 2024, order signed 2 Nov 2024; restoration granted 10 Apr (listing
      shielded, order lifted), its certificate issued 11 Apr;
    - E: listed 1 May 2024, its order never signed: on the list all year;
    - a voluntary performance certificate on 7 Jul;
    - another court's listing and signed order in March, which must not count.
    """
    w = eworld
    ids = {}
    a, a_listing, a_order = listed(w, on=d(1, 15), sign_on=d(1, 16), debtor="甲某")
    removals_a = removed(w, a, Trigger.FULL_PERFORMANCE, fact=at(YEAR, 3, 3), done=at(YEAR, 3, 4))
    b, b_listing, b_order = listed(w, on=d(2, 10), ground=Ground.ABLE_REFUSES,
                                   grade=Grade.SERIOUS, sign_on=d(2, 11), debtor="乙某")  # fmt: skip
    with time_machine.travel(at(YEAR, 5, 6), tick=False):
        lifting = services.one_time_lifting_request(
            restriction=b_order, need="就医乘机", reasons="母亲住院手术",
            starts_on=d(5, 8), ends_on=d(5, 10), approver=w.president, actor=w.officer,
        )  # fmt: skip
        services.one_time_lifting_approve(lifting=lifting, actor=w.president)
    removals_b = removed(
        w, b, Trigger.SETTLEMENT_PERFORMED, fact=at(YEAR, 6, 2), done=at(YEAR, 6, 20)
    )
    c, c_listing, _c_order = listed(w, on=d(12, 30), ground=Ground.EVADES, grade=Grade.MINOR,
                                    sign_on=d(1, 5, YEAR + 1), debtor="丙某")  # fmt: skip
    with time_machine.travel(at(YEAR, 12, 31), tick=False):
        refused = services.restoration_apply(case_party=debtor_of(c), basis="security",
                                             evidence="担保书", actor=w.officer)  # fmt: skip
        services.restoration_decide(restoration=refused, grant=False, reasons="担保财产不足",
                                    actor=w.officer)  # fmt: skip
    dd, d_listing, d_order = listed(w, on=d(11, 1, YEAR - 1), sign_on=d(11, 2, YEAR - 1),
                                    debtor="丁某")  # fmt: skip
    with time_machine.travel(at(YEAR, 4, 10), tick=False):
        granted = services.restoration_apply(case_party=debtor_of(dd), basis="performed",
                                             evidence="转账凭证", actor=w.officer)  # fmt: skip
        services.restoration_decide(restoration=granted, grant=True, reasons="已全部履行",
                                    actor=w.officer)  # fmt: skip
    with time_machine.travel(at(YEAR, 4, 11), tick=False):
        restoration_certificate = services.certificate_restoration_issue(
            restoration=Restoration.objects.get(pk=granted.pk), actor=w.officer
        )
    _e, e_listing, _e_order = listed(w, on=d(5, 1, YEAR - 1), debtor="戊某")
    with time_machine.travel(at(YEAR, 7, 7), tick=False):
        voluntary = services.voluntary_performance_record(
            court=w.court, party_data={"name": "赵自觉", "kind": "person"},
            basis_document="（2025）蒙0302民初9号民事判决书", duty="给付货款",
            performed_on=d(7, 1), actor=w.clerk,
        )  # fmt: skip
        voluntary_certificate = services.certificate_voluntary_issue(
            voluntary_performance=voluntary, actor=w.clerk
        )
    other_officer = member(w.other_court, Role.ENFORCEMENT_OFFICER, username="other_officer")
    other_president = member(w.other_court, Role.SUPERVISOR, username="other_president")
    listed(w, on=d(3, 1), court=w.other_court, officer=other_officer,
           president=other_president, sign_on=d(3, 2), debtor="己某")  # fmt: skip

    def ref(record):
        return f"{record._meta.model_name}-{record.pk}"

    d_removals = list(granted_removals(d_listing, d_order))
    ids.update(
        listed={ref(a_listing), ref(b_listing), ref(c_listing)},
        removals_a={ref(r) for r in removals_a},
        removals_b={ref(r) for r in removals_b},
        removals_d={ref(r) for r in d_removals},
        signed={ref(a_order), ref(b_order)},
        lifting={ref(lifting)},
        restorations={ref(granted), ref(refused)},
        certificates={ref(restoration_certificate), ref(voluntary_certificate)},
        live_end={ref(c_listing), ref(e_listing)},
        live_feb={ref(x) for x in (a_listing, b_listing, d_listing, e_listing)},
    )
    return ids


def granted_removals(listing, order):
    from credit.models import Removal

    return Removal.objects.filter(listing=listing) | Removal.objects.filter(restriction=order)


def months(**values) -> list[int]:
    """Twelve months, zero but for the ones named (m1=…, m12=…)."""
    return [values.get(f"m{m}", 0) for m in range(1, 13)]


def test_the_year_as_the_page_shows_it(client, eworld, year):
    client.force_login(eworld.president)
    response = client.get(URL, {"court": eworld.court.pk, "year": YEAR})
    assert response.status_code == 200
    assert "计入作出该记录的法院" in response.content.decode()
    assert shown(response, "listed") == (3, months(m1=1, m2=1, m12=1))
    assert shown(response, "listed_ground_4") == (1, months(m1=1))
    assert shown(response, "listed_ground_1") == (1, months(m2=1))
    assert shown(response, "listed_ground_3") == (1, months(m12=1))
    assert shown(response, "listed_ground_2") == (0, months())
    assert shown(response, "listed_grade_serious") == (1, months(m2=1))
    assert shown(response, "listed_grade_minor") == (1, months(m12=1))
    assert shown(response, "listings_removed") == (3, months(m3=1, m4=1, m6=1))
    assert shown(response, "listings_removed_full_performance") == (1, months(m3=1))
    assert shown(response, "listings_removed_restoration") == (1, months(m4=1))
    assert shown(response, "listings_removed_settlement_performed") == (1, months(m6=1))
    assert shown(response, "listings_removed_expiry") == (0, months())
    # on the list at each month's end: A, D, E; + B; − A (4 Mar); − D (10 Apr); − B (20
    # Jun); + C (30 Dec) — and at the year's end C and E
    assert shown(response, "listings_live") == (
        2, [3, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 2]
    )  # fmt: skip
    assert shown(response, "restrictions_signed") == (2, months(m1=1, m2=1))
    assert shown(response, "restrictions_lifted") == (3, months(m3=1, m4=1, m6=1))
    assert shown(response, "liftings_approved") == (1, months(m5=1))
    assert shown(response, "restorations_decided") == (2, months(m4=1, m12=1))
    assert shown(response, "restorations_granted") == (1, months(m4=1))
    assert shown(response, "restorations_refused") == (1, months(m12=1))
    assert shown(response, "removals_late") == (2, months(m6=2))
    assert shown(response, "certificates") == (2, months(m4=1, m7=1))
    assert shown(response, "certificates_voluntary") == (1, months(m7=1))
    assert shown(response, "certificates_restoration") == (1, months(m4=1))
    assert shown(response, "certificates_performance") == (0, months())

    # the records behind the numbers
    assert all_listed(client, links(response, "listed")[""]) == (3, year["listed"])
    assert all_listed(client, links(response, "removals_late")[""]) == (2, year["removals_b"])
    assert all_listed(client, links(response, "restrictions_signed")[""])[1] == year["signed"]
    assert all_listed(client, links(response, "liftings_approved")["5"])[1] == year["lifting"]
    decided = all_listed(client, links(response, "restorations_decided")[""])[1]
    assert decided == year["restorations"]
    assert all_listed(client, links(response, "certificates")[""])[1] == year["certificates"]
    assert all_listed(client, links(response, "listings_live")[""])[1] == year["live_end"]
    assert all_listed(client, links(response, "listings_live")["2"])[1] == year["live_feb"]
    removals = year["removals_a"] | year["removals_b"] | year["removals_d"]
    lifted = all_listed(client, links(response, "restrictions_lifted")[""])[1]
    removed_listings = all_listed(client, links(response, "listings_removed")[""])[1]
    assert lifted | removed_listings == removals and not lifted & removed_listings


def test_every_number_is_the_count_of_its_list(client, eworld, year):
    """Each figure, for the year and each month, links to a list of exactly that many
    records; a month's lists add up to the year's list."""
    client.force_login(eworld.president)
    response = client.get(URL, {"court": eworld.court.pk, "year": YEAR})
    for name in figures.FIGURES:
        total, by_month = shown(response, name)
        urls = links(response, name)
        assert set(urls) == {""} | {str(m) for m in range(1, 13)}, name
        stated, records = all_listed(client, urls[""])
        assert stated == len(records) == total, name
        month_records = set()
        for month, value in enumerate(by_month, start=1):
            stated, listed_in_month = all_listed(client, urls[str(month)])
            assert stated == len(listed_in_month) == value, (name, month)
            month_records |= listed_in_month
        if name != figures.LIVE:  # a stock, not a flow: its months do not add up to a year
            assert month_records == records, name


def test_months_are_counted_in_beijing_time(client, eworld):
    """A restriction signed at 07:30 on 1 February in Beijing is 23:30 on 31 January UTC:
    it is February's. A listing decided on 1 March is not on the list at February's end."""
    _case, _listing, order = listed(eworld, on=d(1, 20))
    with time_machine.travel(at(YEAR, 2, 1, 7, 30), tick=False):
        services.restriction_approve(restriction=order, actor=eworld.president)
    listed(eworld, on=d(3, 1), debtor="庚某")  # decided 1 March: not on the list in February
    client.force_login(eworld.president)
    response = client.get(URL, {"court": eworld.court.pk, "year": YEAR})
    assert shown(response, "restrictions_signed") == (1, months(m2=1))
    assert shown(response, "listings_live") == (2, [1, 1] + [2] * 10)


def test_the_current_year_has_no_months_to_come(client, eworld):
    with time_machine.travel(at(2026, 3, 10), tick=False):
        listed(eworld, on=d(3, 10, 2026))
    with time_machine.travel(at(2026, 3, 20), tick=False):
        client.force_login(eworld.president)
        response = client.get(URL, {"court": eworld.court.pk})
        assert response.status_code == 200
        total, by_month = shown(response, "listings_live")
        assert total == 1 and by_month == [0, 0, 1] + [None] * 9  # now, for March
        assert shown(response, "listed") == (1, months(m3=1))
        live = links(response, "listings_live")
        assert "4" not in live  # no link for a month to come
        assert all_listed(client, live[""])[0] == 1
        # a year to come is not offered
        assert client.get(URL, {"court": eworld.court.pk, "year": 2027}).status_code == 400


def test_figures_are_one_aggregate_query_each(eworld, year, django_assert_num_queries):
    with django_assert_num_queries(len(figures.SOURCES) + 1):
        rows = figures.court_year_figures(eworld.court, YEAR)
    assert {row.name: row.total for row in rows}["listed"] == 3


def _many(eworld, count, first=0):
    for n in range(first, first + count):
        listed(eworld, on=d(1 + n % 12, 3), sign_on=d(1 + n % 12, 4), debtor=f"债务人{n}")


def test_the_pages_queries_do_not_grow_with_the_records(client, eworld,
                                                       django_assert_max_num_queries):  # fmt: skip
    _many(eworld, 3)
    client.force_login(eworld.president)
    params = {"court": eworld.court.pk, "year": YEAR}
    drill_downs = ("restrictions_signed", "listed", "listings_live")
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, params).status_code == 200
    few_entries = {}
    for figure in drill_downs:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ENTRIES, {**params, "figure": figure}).status_code == 200
        few_entries[figure] = len(queries)
    _many(eworld, 17, first=3)
    with django_assert_max_num_queries(len(few)):
        response = client.get(URL, params)
    assert shown(response, "listed")[0] == 20
    for figure in drill_downs:
        with django_assert_max_num_queries(few_entries[figure]):
            response = client.get(ENTRIES, {**params, "figure": figure})
        assert re.search(r'data-testid="entries-count">20<', response.content.decode()), figure


# --- who may read them ---------------------------------------------------------------------


def test_the_courts_supervisor_reads_its_own_court_by_default(client, eworld, year):
    client.force_login(eworld.president)
    response = client.get(URL, {"year": YEAR})
    assert response.status_code == 200
    assert shown(response, "listed")[0] == 3


def test_a_higher_courts_supervisor_picks_the_lower_court(client, eworld, year):
    client.force_login(eworld.higher_supervisor)
    response = client.get(URL, {"court": eworld.court.pk, "year": YEAR})
    assert response.status_code == 200
    assert shown(response, "listed")[0] == 3
    page = response.content.decode()
    # one court on the page, chosen from a select of the courts in scope — no league table
    options = re.findall(r'<option value="(\d+)"', page)
    assert {int(pk) for pk in options} >= {eworld.court.pk, eworld.other_court.pk}
    assert page.count('data-testid="figure-listed"') == 1
    assert eworld.other_court.name not in re.sub(r"<select.*?</select>", "", page, flags=re.S)
    link = links(response, "listed")[""]
    assert all_listed(client, link) == (3, year["listed"])
    # the other court of its region shows that court's own (one listing in March)
    other = client.get(URL, {"court": eworld.other_court.pk, "year": YEAR})
    assert shown(other, "listed") == (1, months(m3=1))


@pytest.mark.parametrize("who", ["outsider_supervisor", "centre_supervisor"])
def test_outsiders_get_404_on_both_pages(client, eworld, year, who):
    if who == "outsider_supervisor":
        user = member(eworld.other_court, Role.SUPERVISOR, username="other_sup")
    else:
        user = eworld.centre_supervisor
    client.force_login(user)
    for url, extra in ((URL, {}), (ENTRIES, {"figure": "listed"})):
        for court in (eworld.court.pk, eworld.higher_court.pk, 999999, "abc"):
            response = client.get(url, {"court": court, "year": YEAR, **extra})
            assert response.status_code == 404, (who, url, court)


def test_the_other_courts_supervisor_sees_only_their_own(client, eworld, year):
    user = member(eworld.other_court, Role.SUPERVISOR, username="other_sup")
    client.force_login(user)
    response = client.get(URL, {"year": YEAR})
    assert shown(response, "listed") == (1, months(m3=1))
    assert f'<option value="{eworld.court.pk}"' not in response.content.decode()


@pytest.mark.parametrize("who", ["clerk", "officer"])
def test_court_staff_who_are_not_supervisors_get_404(client, eworld, who):
    """The figures are an oversight page: a court's supervisors (院长, 执行局长) read them;
    its clerks and officers, who act on the records, do not (404, as for any page they
    have no business on) and see no link to them."""
    client.force_login(getattr(eworld, who))
    assert client.get(URL).status_code == 404
    assert client.get(ENTRIES, {"figure": "listed"}).status_code == 404
    home = client.get(reverse("credit:home")).content.decode()
    assert 'data-testid="figures-link"' not in home
    assert f'href="{URL}"' not in home


def test_the_credit_home_and_the_menu_offer_the_figures_to_supervisors(client, eworld):
    client.force_login(eworld.president)
    home = client.get(reverse("credit:home")).content.decode()
    assert 'data-testid="figures-link"' in home
    menu = re.search(r'data-testid="main-nav">(.*?)</ul>', home, flags=re.S).group(1)
    assert f'href="{URL}"' in menu
    client.force_login(eworld.clerk)
    page = client.get(reverse("credit:home")).content.decode()
    menu = re.search(r'data-testid="main-nav">(.*?)</ul>', page, flags=re.S).group(1)
    assert f'href="{URL}"' not in menu


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "1999", "2999"])
def test_a_bad_year_is_400_with_the_error_beside_the_field(client, eworld, value):
    client.force_login(eworld.president)
    response = client.get(URL, {"court": eworld.court.pk, "year": value})
    assert response.status_code == 400
    assert 'data-testid="year-error"' in response.content.decode()
    assert 'data-testid="figures-section"' not in response.content.decode()


def test_the_drill_down_refuses_unknown_figures_and_months(client, eworld):
    client.force_login(eworld.president)
    base = {"court": eworld.court.pk, "year": YEAR}
    assert client.get(ENTRIES, {**base, "figure": "nonsense"}).status_code == 404
    assert client.get(ENTRIES, base).status_code == 404  # no figure
    assert client.get(ENTRIES).status_code == 404
    assert client.get(ENTRIES, {**base, "figure": "listed", "month": "13"}).status_code == 400
    assert client.get(ENTRIES, {**base, "figure": "listed", "month": "x"}).status_code == 400
    assert client.get(ENTRIES, {**base, "figure": "listed", "page": "x"}).status_code == 200
