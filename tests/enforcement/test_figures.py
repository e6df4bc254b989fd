"""The court's 执行质效 figures: a small known 2025 of one court (cases filed and concluded at
month edges, receipts — one reversed —, payouts, measures, the 6-month limit), read back
from the page; every number equal to its drill-down list; who may read them."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from common.navigation import items_for
from deadlines.services import deadline_meet, deadline_start
from enforcement import figures
from enforcement.models import (
    CaseStatus,
    CaseType,
    EnforcementCase,
    EntryKind,
    FundEntry,
    MeasureKind,
)
from enforcement.selectors_filing import TIME_LIMIT
from enforcement.services.funds import fund_entry_reverse
from organisations.roles import Role
from tests.factories import member

from .conftest import make_case
from .funds_fixtures import pay_out, receive
from .measures_fixtures import decided

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = reverse("enforcement:figures")
CASES_URL = reverse("enforcement:figures_cases")
YEAR = 2025


def at(month, day, hour=10, minute=0, year=YEAR):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def file_case(eworld, when, *, court=None, case_type=CaseType.ENFORCEMENT, **fields):
    with time_machine.travel(when, tick=False):
        case = make_case(court or eworld.court, eworld.clerk, officer=eworld.officer, **fields)
    if case_type != CaseType.ENFORCEMENT:
        EnforcementCase.objects.filter(pk=case.pk).update(case_type=case_type)
    return case


def conclude(case, status, when):
    """The conclusion as the endings' services leave it on the case (status, time); the
    figures read only these two fields."""
    EnforcementCase.objects.filter(pk=case.pk).update(status=status, concluded_at=when)


def receive_on(case, amount, when, eworld, actor=None):
    with time_machine.travel(when, tick=False):
        return receive(case, Decimal(amount), actor or eworld.clerk)


def pay_on(receipt, when, eworld, reference):
    with time_machine.travel(when, tick=False):
        return pay_out(
            receipt, requester=eworld.clerk, approver=eworld.president, reference=reference
        )


@pytest.fixture
def year(eworld):
    """2025 at 海勃湾区人民法院 (and one case of the other court, never counted):

    A 执   filed 15 Jan, open; its limit fell due 15 Jul, not met   10,000.50
    B 执恢 filed 20 Jan, performed 10 Mar (limit met)               2,000.25
    C 执   filed 5 Feb, 终本 30 Jun 23:30 (still June in Shanghai)  30,000.00
    D 执   filed 31 Dec 2024 23:30, terminated 1 Feb               (not filed in 2025)
    E 执   filed 31 Dec 23:59, open                                    999.99
    F 执   filed 5 Jan 2026                                        (not in 2025)
    receipts: A 10 Feb 1,234.56 (paid out 13 Feb), A 20 Feb 0.03 (reversed),
              B 5 Mar 500.01 (paid out 7 Mar), A 30 Nov 100.10, A 2 Jan 2026 50.00
    measures: A fine 10 Apr, A compelled appearance 12 Apr, C appearance 6 May
    """
    cases = {}
    cases["A"] = file_case(eworld, at(1, 15), principal=Decimal("10000.50"))
    with time_machine.travel(at(1, 15), tick=False):
        deadline_start(subject=cases["A"], kind=TIME_LIMIT, start=cases["A"].filed_at,
                       organisation=eworld.court, actor=eworld.clerk)  # fmt: skip
    cases["B"] = file_case(
        eworld, at(1, 20), principal=Decimal("2000.25"), case_type=CaseType.RESUMED
    )
    with time_machine.travel(at(1, 20), tick=False):
        limit_b = deadline_start(subject=cases["B"], kind=TIME_LIMIT, start=cases["B"].filed_at,
                                 organisation=eworld.court, actor=eworld.clerk)  # fmt: skip
    cases["C"] = file_case(eworld, at(2, 5), principal=Decimal("30000.00"))
    cases["D"] = file_case(eworld, at(12, 31, 23, 30, year=2024), principal=Decimal("5.00"))
    cases["E"] = file_case(eworld, at(12, 31, 23, 59), principal=Decimal("999.99"))
    cases["F"] = file_case(eworld, at(1, 5, year=2026), principal=Decimal("7.00"))
    cases["other"] = file_case(eworld, at(3, 1), court=eworld.other_court)

    first = receive_on(cases["A"], "1234.56", at(2, 10), eworld)
    mistake = receive_on(cases["A"], "0.03", at(2, 20), eworld)
    with time_machine.travel(at(2, 21), tick=False):
        fund_entry_reverse(
            entry=FundEntry.objects.get(receipt=mistake, kind=EntryKind.RECEIPT),
            actor=eworld.clerk, reason="错误登记",
        )  # fmt: skip
    second = receive_on(cases["B"], "500.01", at(3, 5), eworld)
    receive_on(cases["A"], "100.10", at(11, 30), eworld)
    receive_on(cases["A"], "50.00", at(1, 2, year=2026), eworld)
    receive_on(cases["other"], "777.77", at(3, 1), eworld, eworld.outsider)
    pay_on(first, at(2, 13), eworld, "BANK-A")
    pay_on(second, at(3, 7), eworld, "BANK-B")

    for when, case, kind, extra in (
        (at(4, 10), "A", MeasureKind.FINE, {"amount": Decimal("10000")}),
        (at(4, 12), "A", MeasureKind.APPEARANCE, {"hours": 8}),
        (at(5, 6), "C", MeasureKind.APPEARANCE, {"hours": 8}),
    ):
        with time_machine.travel(when, tick=False):
            decided(eworld, cases[case], kind, **extra)

    with time_machine.travel(at(3, 10), tick=False):
        deadline_meet(limit_b, actor=eworld.officer)
    conclude(cases["B"], CaseStatus.PERFORMED, at(3, 10))
    conclude(cases["C"], CaseStatus.TERMINATED_ROUND, at(6, 30, 23, 30))
    conclude(cases["D"], CaseStatus.TERMINATED, at(2, 1))
    return cases


def months(**values):
    """12 months from keyword values (m1=…); the rest `default`."""
    default = values.pop("default", 0)
    return [values.get(f"m{m}", default) for m in range(1, 13)]


def by_name(court, year=YEAR):
    return {f.name: f for f in figures.court_year_figures(court, year)}


def test_the_years_figures(eworld, year):
    got = by_name(eworld.court)
    assert got["filed"].value == 4
    assert got["filed"].months == months(m1=2, m2=1, m12=1)
    assert got["filed_first"].value == 3 and got["filed_resumed"].value == 1
    assert got["concluded"].months == months(m2=1, m3=1, m6=1)  # D, B, C (June in Shanghai)
    assert got["performed"].value == 1 and got["final"].value == 1
    assert got["performed_rate"].value == Decimal("33.3")
    assert got["final_rate"].value == Decimal("33.3")
    assert got["final_rate"].months == months(
        m2=Decimal("0.0"), m3=Decimal("0.0"), m6=Decimal("100.0"), default=None
    )
    # open at each month's end: Jan A B D; Feb A B C; Mar–Jun A C; Jul–Nov A; Dec A E
    assert got["open"].months == [3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 2]
    assert got["open"].value == 2
    assert got["ordered"].value == Decimal("43000.74")
    assert got["ordered"].months[11] == Decimal("999.99")
    assert got["recovered"].value == Decimal("1834.67")  # the reversed 0.03 left out
    assert got["recovered"].months == months(
        m2=Decimal("1234.56"), m3=Decimal("500.01"), m11=Decimal("100.10"), default=Decimal("0.00")
    )
    assert got["recovered_rate"].value == Decimal("4.3")  # 1834.67 / 43000.74
    assert got["payout_cycle"].value == Decimal("2.5")  # 3 days and 2 days
    assert got["payout_cycle"].months == months(m2=Decimal("3.0"), m3=Decimal("2.0"), default=None)
    assert got["overdue"].months == months(m7=1)  # A's limit, due 15 July
    assert got["measures"].months == months(m4=2, m5=1)
    assert got["measure_appearance"].value == 2 and got["measure_fine"].value == 1
    assert got["measure_detention"].value == 0


def test_a_year_is_its_own(eworld, year):
    """2024 holds D's filing only; 2026 holds F's and the January receipt."""
    got = by_name(eworld.court, 2024)
    assert got["filed"].value == 1 and got["filed"].months[11] == 1
    assert got["concluded"].value == 0
    got = by_name(eworld.court, 2026)
    assert got["filed"].value == 1
    assert got["recovered"].value == Decimal("50.00")


def _listed(client, court, figure, month=None, year=YEAR) -> tuple[set, str]:
    query = {"court": court.pk, "year": year, "figure": figure}
    if month:
        query["month"] = month
    response = client.get(CASES_URL, query)
    assert response.status_code == 200, (figure, month)
    html = response.content.decode()
    numbers = set(re.findall(r"（\d{4}）蒙0302执\d+号", html))
    return numbers, html


def test_every_number_is_its_list(client, eworld, year):
    """Each figure's year and each month equal the cases its link lists (and, for money,
    payouts and measures, the list's own total)."""
    client.force_login(eworld.president)
    got = by_name(eworld.court)
    numbers = {key: case.case_number for key, case in year.items()}
    expected_year = {
        "filed": {"A", "B", "C", "E"},
        "filed_first": {"A", "C", "E"},
        "filed_resumed": {"B"},
        "concluded": {"B", "C", "D"},
        "performed": {"B"},
        "final": {"C"},
        "open": {"A", "E"},
        "ordered": {"A", "B", "C", "E"},
        "recovered": {"A", "B"},
        "payout_cycle": {"A", "B"},
        "overdue": {"A"},
        "measures": {"A", "C"},
        "measure_appearance": {"A", "C"},
        "measure_fine": {"A"},
        "measure_detention": set(),
    }
    for figure, keys in expected_year.items():
        listed, html = _listed(client, eworld.court, figure)
        assert listed == {numbers[k] for k in keys}, figure
        total = figures.figure_total(eworld.court, YEAR, figure)
        assert total["cases"] == len(listed), figure
        if figure.startswith("measure"):  # measures count themselves: the list's own total
            assert total["measures"] == got[figure].value, figure
        elif got[figure].kind == "money":
            assert total["amount"] == got[figure].value, figure
            assert f'data-testid="total-amount">{got[figure].value}<' in html
        elif figure != "payout_cycle":
            assert got[figure].value == len(listed), figure
    assert got["open"].value == len(_listed(client, eworld.court, "open")[0])
    assert figures.figure_total(eworld.court, YEAR, "payout_cycle")["days"] == Decimal("2.5")
    # and every month of the case figures: the month's list has the month's number
    for figure in ("filed", "concluded", "performed", "final", "open", "overdue"):
        for month, value in enumerate(got[figure].months, start=1):
            assert len(_listed(client, eworld.court, figure, month)[0]) == value, (figure, month)
    for figure in ("recovered", "ordered"):
        for month, value in enumerate(got[figure].months, start=1):
            total = figures.figure_total(eworld.court, YEAR, figure, month)
            assert total["amount"] == value, (figure, month)
    assert _listed(client, eworld.court, "open", 1)[0] == {numbers["A"], numbers["B"], numbers["D"]}


def test_the_page_shows_the_figures_with_their_formulas(client, eworld, year):
    client.force_login(eworld.president)
    response = client.get(URL, {"court": eworld.court.pk, "year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="recovered" data-value="1834.67"' in html
    assert "1,834.67" in html
    assert 'data-figure="performed_rate" data-value="33.3"' in html
    assert "实际执行率 = 实际执行结案数 ÷ 结案数" in html
    assert "执行到位率 = 执行到位金额 ÷ 申请执行标的" in html
    assert "table-responsive" in html
    # the rate links the list of its numerator
    assert "figure=performed&amp;month=3" in html
    assert eworld.other_court.name not in html  # one court, no league table


@override_settings(ENFORCEMENT_FIGURES_PERFORMED_STATUSES=("performed", "terminated"))
def test_the_performed_statuses_are_configurable(eworld, year):
    got = by_name(eworld.court)
    assert "执行完毕、终结执行" in got["performed"].formula  # the page says what it counts
    assert got["performed"].value == 2  # B and the terminated D
    assert got["performed_rate"].value == Decimal("66.7")


def test_outsiders_get_404_on_both_pages(client, eworld, year):
    query = {"court": eworld.court.pk, "year": YEAR}
    for user in (eworld.outsider, eworld.centre_supervisor):
        client.force_login(user)
        assert client.get(URL, query).status_code == 404
        assert client.get(CASES_URL, {**query, "figure": "filed"}).status_code == 404
    # another court's supervisor: their own court only, ours (and made-up ids) are 404
    other_president = member(eworld.other_court, Role.SUPERVISOR, username="other_president")
    client.force_login(other_president)
    assert client.get(URL, {"year": YEAR}).status_code == 200
    assert client.get(URL, query).status_code == 404
    assert client.get(CASES_URL, {**query, "figure": "filed"}).status_code == 404
    assert client.get(URL, {"court": 999999, "year": YEAR}).status_code == 404
    assert client.get(URL, {"court": "x"}).status_code == 404


def test_court_staff_without_the_supervisor_role_get_404_and_no_menu(client, eworld, year):
    for user in (eworld.clerk, eworld.officer):
        client.force_login(user)
        assert client.get(URL).status_code == 404
        assert (
            client.get(CASES_URL, {"court": eworld.court.pk, "figure": "filed"}).status_code == 404
        )
        assert "enforcement:figures" not in {item["name"] for item in items_for(user)}
    for user in (eworld.president, eworld.higher_supervisor):
        assert "enforcement:figures" in {item["name"] for item in items_for(user)}
    assert "enforcement:figures" not in {
        item["name"] for item in items_for(eworld.centre_supervisor)
    }


def test_a_higher_courts_supervisor_picks_the_lower_court(client, eworld, year):
    client.force_login(eworld.higher_supervisor)
    response = client.get(URL, {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{eworld.court.pk}"' in html  # one court at a time, from a select
    response = client.get(URL, {"court": eworld.court.pk, "year": YEAR})
    assert 'data-figure="filed" data-value="4"' in response.content.decode()
    listed, _html = _listed(client, eworld.court, "concluded")
    assert len(listed) == 3
    # the president of the lower court does not reach up
    client.force_login(eworld.president)
    assert client.get(URL, {"court": eworld.higher_court.pk}).status_code == 404


def test_bad_input(client, eworld, year):
    client.force_login(eworld.president)
    response = client.get(URL, {"court": eworld.court.pk, "year": "1900"})
    assert response.status_code == 400
    assert 'data-testid="year-error"' in response.content.decode()
    query = {"court": eworld.court.pk, "year": YEAR}
    assert client.get(CASES_URL, {**query, "figure": "nope"}).status_code == 404
    assert client.get(CASES_URL, {**query, "figure": "filed", "month": "13"}).status_code == 400
    assert client.get(CASES_URL, query).status_code == 404
    # in the middle of a year: its months to come have no figures and no lists
    with time_machine.travel(at(6, 15), tick=False):
        assert client.get(CASES_URL, {**query, "figure": "filed", "month": 7}).status_code == 404
        assert client.get(CASES_URL, {**query, "figure": "filed", "month": 6}).status_code == 200
        assert client.get(URL, {**query, "year": YEAR + 1}).status_code == 400
        got = by_name(eworld.court)
    assert got["filed"].months == [2, 1, 0, 0, 0, 0] + [None] * 6  # July on: not yet
    assert got["open"].value == 2  # A and C, now (15 June)


def test_the_pages_render_for_an_english_reader(client, eworld, year):
    client.force_login(eworld.president)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    query = {"court": eworld.court.pk, "year": YEAR}
    for url, params in ((URL, query), (CASES_URL, {**query, "figure": "recovered"})):
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert '<html lang="en"' in response.content.decode(), url


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_reads_a_fixed_number_of_queries(
    client, eworld, count, django_assert_max_num_queries
):
    for n in range(count):
        case = file_case(eworld, at(1 + n % 12, 3), principal=Decimal("100.00"))
        if n % 3 == 0:
            conclude(case, CaseStatus.PERFORMED, at(1 + n % 12, 20))
        if n % 5 == 0:
            receive_on(case, "10.00", at(1 + n % 12, 4), eworld)
    client.force_login(eworld.president)
    client.get(URL, {"court": eworld.court.pk, "year": YEAR})  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"court": eworld.court.pk, "year": YEAR})
    assert f'data-figure="filed" data-value="{count}"' in response.content.decode()
    with django_assert_max_num_queries(18):  # the rows' next steps: per part, not per case
        response = client.get(CASES_URL, {"court": eworld.court.pk, "year": YEAR,
                                          "figure": "filed"})  # fmt: skip
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"year": "-1"},
        {"court": "", "year": ""},
        {"court": "1e9"},
        {"court": ["1", "2"]},
        {"figure": "filed", "month": "abc"},
        {"figure": "filed", "month": "0"},
        {"figure": "filed", "after": "not-a-cursor"},
        {"figure": "../../etc", "month": "1"},
        {"figure": "filed", "year": "2025\x00"},
    ],
)
def test_junk_never_500(client, eworld, params):
    client.force_login(eworld.president)
    for url in (URL, CASES_URL):
        response = client.get(url, params)
        assert response.status_code in (200, 400, 404), (url, params, response.status_code)
