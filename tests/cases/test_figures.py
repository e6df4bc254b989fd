"""The disputes year in figures: a small loop history built through the services at known
moments, every figure and month checked, each number equal to its drill-down list."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.figures import figure_records, percentile, year_figures
from cases.models import Difficulty
from cases.services import (
    dispatch_accept,
    dispatch_answer,
    dispute_dispatch,
    dispute_review_close,
    dispute_triage,
    rating_submit,
)
from organisations.roles import Role
from tests.conftest import login
from tests.factories import member

TZ = datetime.timezone(datetime.timedelta(hours=8))
YEAR = 2026


def at(text: str) -> datetime.datetime:
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def step(when: str, call, **kwargs):
    with time_machine.travel(at(when), tick=False):
        return call(**kwargs)


def _dispatch(loop, dispute, when, *targets):
    step(when, dispute_triage, dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    return step(when, dispute_dispatch, dispute=dispute, actor=loop.clerk, targets=list(targets))


@pytest.fixture
def history(loop, register):
    """March: A dispatched, accepted in 2h, answered in 24h, resolved, rated satisfied.
    B dispatched to police (accepted in 4h, answered in 24h) and heating (accepted in 34h,
    answered late on 2 April), resolved in April and rated unsatisfied (so reopened: no longer
    resolved). C registered in April at the community, nothing more. Elsewhere: a dispute of
    the outsider's district, and one registered on New Year's Eve 2025."""
    a = step("2026-03-02 09:00", register)
    (a1,) = _dispatch(loop, a, "2026-03-02 10:00", {"responder": loop.police})
    step("2026-03-02 12:00", dispatch_accept, dispatch=a1, actor=loop.responder)
    step("2026-03-03 12:00", dispatch_answer, dispatch=a1, actor=loop.responder, answer="已调解")
    a.refresh_from_db()
    _a, token_a = step("2026-03-03 14:00", dispute_review_close, dispute=a, actor=loop.clerk)
    step("2026-03-04 09:00", rating_submit, token=token_a, score=5)

    b = step("2026-03-05 09:00", register)
    b1, b2 = _dispatch(
        loop,
        b,
        "2026-03-05 10:00",
        {"responder": loop.police, "deadline": at("2026-03-20 18:00")},
        {"responder": loop.heating, "deadline": at("2026-03-20 18:00")},
    )
    step("2026-03-05 14:00", dispatch_accept, dispatch=b1, actor=loop.responder)
    b2.refresh_from_db()
    step("2026-03-06 20:00", dispatch_accept, dispatch=b2, actor=loop.heating_user)
    b1.refresh_from_db()
    step("2026-03-06 14:00", dispatch_answer, dispatch=b1, actor=loop.responder, answer="已处理")
    b2.refresh_from_db()
    step("2026-04-02 10:00", dispatch_answer, dispatch=b2, actor=loop.heating_user, answer="已修")
    b.refresh_from_db()
    _b, token_b = step("2026-04-02 11:00", dispute_review_close, dispute=b, actor=loop.clerk)
    step("2026-04-03 09:00", rating_submit, token=token_b, score=2)

    c = step("2026-04-10 09:00", register, organisation=loop.community, actor=loop.grid)
    elsewhere = step(
        "2026-03-10 09:00", register, organisation=loop.outsider_org, actor=loop.outsider
    )
    new_year_eve = step("2025-12-31 23:30", register)
    _fresh(loop)
    return {"A": a, "B": b, "C": c, "a1": a1, "b1": b1, "b2": b2, "X": elsewhere, "Y": new_year_eve}


def _fresh(loop):
    """The tree's paths as stored (the fixture's objects may hold them from before their
    siblings were added)."""
    for organisation in (loop.centre, loop.community, loop.outsider_org):
        organisation.refresh_from_db()
    return loop


def _months(**values) -> list:
    """12 months, `m3=2` style, zero elsewhere."""
    return [values.get(f"m{m}", 0) for m in range(1, 13)]


def _none_months(**values) -> list:
    return [values.get(f"m{m}") for m in range(1, 13)]


def test_every_figure_and_month(loop, history):
    figures = {f.name: f for f in year_figures(loop.clerk, loop.centre, YEAR)}
    assert figures["registered"].months == _months(m3=2, m4=1)
    assert figures["registered"].value == 3
    # B's unsatisfied rating reopened it: the ledger no longer counts it as resolved
    assert figures["resolved"].months == _months(m3=1) and figures["resolved"].value == 1
    assert figures["dispatched"].months == _months(m3=3) and figures["dispatched"].value == 3
    assert figures["accepted"].months == _months(m3=3)
    # March accepts: 2h, 4h, 34h → median 4, p90 = 4 + 0.8 × 30 = 28
    assert figures["accept_p50"].months == _none_months(m3=Decimal("4.0"))
    assert figures["accept_p90"].months == _none_months(m3=Decimal("28.0"))
    assert figures["accept_p50"].value == Decimal("4.0")
    # the heating company accepted after 34h, past its 24h acceptance time
    assert figures["accepted_late"].months == _months(m3=1)
    assert figures["answered"].months == _months(m3=2, m4=1)
    # March answers: 24h and 24h; April: from 6 March 20:00 to 2 April 10:00 = 638h
    assert figures["answer_p50"].months == _none_months(m3=Decimal("24.0"), m4=Decimal("638.0"))
    assert figures["answer_p90"].months == _none_months(m3=Decimal("24.0"), m4=Decimal("638.0"))
    # the year: 24, 24, 638 → median 24, p90 = 24 + 0.8 × 614 = 515.2
    assert figures["answer_p50"].value == Decimal("24.0")
    assert figures["answer_p90"].value == Decimal("515.2")
    assert figures["answered_late"].months == _months(m4=1)
    assert figures["rated"].months == _months(m3=1, m4=1) and figures["rated"].value == 2
    assert figures["satisfied"].months == _months(m3=1) and figures["satisfied"].value == 1
    assert figures["satisfied_rate"].months == _none_months(m3=Decimal("100.0"), m4=Decimal("0.0"))
    assert figures["satisfied_rate"].value == Decimal("50.0")


def test_without_postgresql_the_same_figures(loop, history, monkeypatch):
    """`make run` uses SQLite: the percentiles are interpolated in Python, the same way."""
    on_postgresql = {f.name: f for f in year_figures(loop.clerk, loop.centre, YEAR)}
    monkeypatch.setattr(connection, "vendor", "sqlite")
    elsewhere = {f.name: f for f in year_figures(loop.clerk, loop.centre, YEAR)}
    assert elsewhere == on_postgresql
    assert elsewhere["answer_p90"].value == Decimal("515.2")


def test_the_community_sees_only_its_subtree(loop, history):
    figures = {f.name: f for f in year_figures(loop.grid, loop.community, YEAR)}
    assert figures["registered"].months == _months(m4=1)
    assert figures["dispatched"].value == 0
    assert figures["accept_p50"].months == [None] * 12


@pytest.mark.parametrize(
    ("figure", "month", "keys"),
    [
        ("registered", 3, "AB"),
        ("registered", 4, "C"),
        ("registered", None, "ABC"),
        ("resolved", 3, "A"),
        ("resolved", 4, ""),
        ("dispatched", 3, ["a1", "b1", "b2"]),
        ("accepted", 3, ["a1", "b1", "b2"]),
        ("accepted_late", 3, ["b2"]),
        ("answered", 3, ["a1", "b1"]),
        ("answered", 4, ["b2"]),
        ("answered_late", 4, ["b2"]),
        ("answered_late", 3, []),
    ],
)
def test_drill_down_is_exactly_what_is_counted(loop, history, figure, month, keys):
    listed = set(
        figure_records(loop.clerk, loop.centre, YEAR, figure, month).values_list("pk", flat=True)
    )
    assert listed == {history[k].pk for k in keys}


def test_rating_lists(loop, history):
    rated = figure_records(loop.clerk, loop.centre, YEAR, "rated", None)
    assert {r.dispute_id for r in rated} == {history["A"].pk, history["B"].pk}
    satisfied = figure_records(loop.clerk, loop.centre, YEAR, "satisfied", 4)
    assert list(satisfied) == []


def test_every_number_on_the_page_equals_its_list(loop, history, client):
    login(client, loop.clerk)
    page = client.get(reverse("cases:figures"), {"organisation": loop.centre.pk, "year": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert "table-responsive" in html and "闭环时效与满意度" in html
    links = re.findall(r'<a href="(/cases/figures/list/\?[^"]+)"[^>]*>([^<]+)</a>', html)
    counted = [(url, text) for url, text in links if text.strip().isdigit()]
    assert len(counted) > 20
    for url, text in counted:
        drill = client.get(url.replace("&amp;", "&"))
        assert drill.status_code == 200
        count = re.search(r'data-testid="drill-count">(\d+)<', drill.content.decode()).group(1)
        assert count == text.strip(), url


def test_ledger_links_here_and_menu_entry(loop, client):
    login(client, loop.clerk)
    ledger = client.get(reverse("case_reports:ledger")).content.decode()
    assert f'href="{reverse("cases:figures")}?organisation=' in ledger
    nav = re.search(r'data-testid="main-nav">(.*?)</ul>', ledger, re.S)[1]
    assert f'href="{reverse("cases:figures")}"' in nav


def test_an_outsider_organisation_is_404(loop, history, client):
    login(client, loop.clerk)
    for name in ("cases:figures", "cases:figures_list"):
        response = client.get(
            reverse(name),
            {"organisation": loop.outsider_org.pk, "year": YEAR, "figure": "registered"},
        )
        assert response.status_code == 404
    assert client.get(reverse("cases:figures"), {"organisation": "abc"}).status_code == 404
    assert (
        client.get(
            reverse("cases:figures_list"), {"organisation": loop.centre.pk, "figure": "nope"}
        ).status_code
        == 404
    )


def test_the_outsider_sees_none_of_the_centres_records(loop, history, client):
    login(client, loop.outsider)
    figures = {f.name: f for f in year_figures(loop.outsider, loop.outsider_org, YEAR)}
    assert figures["registered"].value == 1 and figures["dispatched"].value == 0


def test_bad_year_or_month_is_400_with_the_field_error(loop, client):
    login(client, loop.clerk)
    page = client.get(reverse("cases:figures"), {"organisation": loop.centre.pk, "year": "x"})
    assert page.status_code == 400 and 'data-testid="year-error"' in page.content.decode()
    assert client.get(reverse("cases:figures"), {"year": "1999"}).status_code == 400
    listing = client.get(
        reverse("cases:figures_list"), {"figure": "registered", "year": YEAR, "month": "13"}
    )
    assert listing.status_code == 400 and 'data-testid="form-errors"' in listing.content.decode()


def test_percentile_matches_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([2.0, 34.0, 4.0], 0.9) == pytest.approx(28.0)


def _loops(loop, register, count, start_day):
    for n in range(count):
        day = start_day + n % 20
        dispute = step(f"2026-05-{day:02d} 09:00", register)
        (dispatch,) = _dispatch(
            loop, dispute, f"2026-05-{day:02d} 10:00", {"responder": loop.police}
        )
        step(f"2026-05-{day:02d} 11:00", dispatch_accept, dispatch=dispatch, actor=loop.responder)
        dispatch.refresh_from_db()
        step(
            f"2026-05-{day:02d} 15:00",
            dispatch_answer,
            dispatch=dispatch,
            actor=loop.responder,
            answer="已处理",
        )


def test_query_count_is_flat(loop, register, client):
    login(client, loop.clerk)
    url = reverse("cases:figures")
    params = {"organisation": loop.centre.pk, "year": YEAR}
    _loops(loop, register, 3, 1)
    client.get(url, params)  # warm the session and navigation caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    _loops(loop, register, 17, 1)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, params)
    assert page.status_code == 200
    assert 'data-value="20"' in page.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_supervisor_of_the_district_may_choose_the_street(loop, history, client):
    supervisor = member(loop.centre, Role.SUPERVISOR, username="street_supervisor")
    login(client, supervisor)
    page = client.get(reverse("cases:figures"), {"organisation": loop.centre.pk, "year": YEAR})
    assert page.status_code == 200 and 'data-figure="registered" data-value="3"' in (
        page.content.decode()
    )
