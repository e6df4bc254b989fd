"""The screening ledger on a hand-built history: exact figures, drill-down sets, scoping."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.ledger import Period, ledger_by_branch, ledger_disputes, ledger_figures, resolution_rate
from cases.models import DisputeEvent
from tests.cases.reports_world import area, make_dispute  # noqa: F401

K = DisputeEvent.Kind
WEEK = Period.from_dates(datetime.date(2026, 11, 16), datetime.date(2026, 11, 23))


@pytest.fixture
def history(area):  # noqa: F811
    """Week 47 of 2026 (Mon 16 – Sun 22 November) seen from 新华街道综治中心's subtree."""
    s, t, x = area.street, area.tuanjie, area.xinhuaxi
    c = area.clerk
    d = {
        # open since before the week, put under supervision during it → 存量, 变量, 在办
        "A": make_dispute(
            s,
            c,
            registered="2026-11-01 09:00",
            due="2026-11-30 18:00",
            changes=((K.FLAGGED, "2026-11-17 10:00"),),
        ),
        # resolved and closed off before the week → in no figure
        "B": make_dispute(
            s,
            c,
            registered="2026-11-02 09:00",
            resolved="2026-11-10 09:00",
            closed="2026-11-12 09:00",
        ),
        # resolved before, closed off during the week → 存量, 销号
        "C": make_dispute(
            s,
            c,
            registered="2026-11-03 09:00",
            resolved="2026-11-10 09:00",
            closed="2026-11-17 09:00",
        ),
        # resolved and closed during the week; sent back long before → 存量, 化解, 销号
        "D": make_dispute(
            s,
            c,
            registered="2026-11-05 09:00",
            resolved="2026-11-18 09:00",
            closed="2026-11-20 09:00",
            category="property_management",
            changes=((K.SENT_BACK, "2026-11-06 09:00"),),
        ),
        # new on Monday morning, triaged twice (re-triage), resolved → 增量, 变量, 化解
        "E": make_dispute(
            t,
            c,
            registered="2026-11-16 09:00",
            resolved="2026-11-19 15:00",
            changes=((K.TRIAGED, "2026-11-16 10:00"), (K.TRIAGED, "2026-11-18 10:00")),
        ),
        # new, dispatched (routine), past its deadline at week end → 增量, 在办, 超期
        "F": make_dispute(
            x,
            c,
            registered="2026-11-20 09:00",
            due="2026-11-21 18:00",
            changes=((K.DISPATCHED, "2026-11-20 10:00"),),
        ),
        # the last minute of Sunday → 增量, 在办
        "G": make_dispute(t, c, registered="2026-11-22 23:59"),
        # the first minute of next Monday → outside the week
        "H": make_dispute(x, c, registered="2026-11-23 00:00"),
        # the last minute before the week, first triage during it → 存量, 在办
        "I": make_dispute(
            t, c, registered="2026-11-15 23:59", changes=((K.TRIAGED, "2026-11-16 08:00"),)
        ),
        # closed off at the very start of the week → still 存量 (not closed *before* start), 销号
        "J": make_dispute(x, c, registered="2026-11-10 09:00", closed="2026-11-16 00:00"),
        # elsewhere: another street of the district, and another district
        "K": make_dispute(area.haibei, area.supervisor, registered="2026-11-17 09:00"),
        "L": make_dispute(area.outsider_org, area.outsider, registered="2026-11-17 09:00"),
    }
    return d


def refs(history, *keys):
    return {history[k].pk for k in keys}


def test_exact_figures_for_the_street(area, history, django_assert_num_queries):  # noqa: F811
    area.clerk.active_memberships  # noqa: B018 - the scope's one lookup, cached per request
    with django_assert_num_queries(1):  # all eight figures: one aggregate query
        figures = ledger_figures(area.clerk, area.street, WEEK)
    assert figures.stock == 5  # A C D I J
    assert figures.new == 3  # E F G
    assert figures.screened == 8
    assert figures.changed == 2  # A (督办), E (再次研判)
    assert figures.resolved == 2  # D E
    assert figures.closed == 3  # C D J
    assert figures.in_progress == 4  # A F G I
    assert figures.overdue == 1  # F
    assert figures.rate == Decimal("25.0")
    assert figures.rate_display == "25.0%"


@pytest.mark.parametrize(
    ("figure", "keys"),
    [
        ("stock", "ACDIJ"),
        ("new", "EFG"),
        ("screened", "ACDIJEFG"),
        ("changed", "AE"),
        ("resolved", "DE"),
        ("closed", "CDJ"),
        ("in_progress", "AFGI"),
        ("overdue", "F"),
    ],
)
def test_drill_down_lists_exactly_the_disputes_counted(area, history, figure, keys):  # noqa: F811
    listed = set(
        ledger_disputes(area.clerk, area.street, WEEK, figure).values_list("pk", flat=True)
    )
    assert listed == refs(history, *keys)


def test_figures_per_branch(area, history):  # noqa: F811
    rows = {
        ("本级" if is_own else unit.name): f
        for unit, is_own, f in ledger_by_branch(area.clerk, area.street, WEEK)
    }
    assert list(rows) == ["本级", "团结社区居委会", "新华西社区居委会"]
    own, tuanjie, xinhuaxi = rows.values()
    assert (own.stock, own.new, own.changed, own.resolved, own.closed) == (3, 0, 1, 1, 2)
    assert (tuanjie.stock, tuanjie.new, tuanjie.changed, tuanjie.resolved) == (1, 2, 1, 1)
    assert (xinhuaxi.stock, xinhuaxi.new, xinhuaxi.closed, xinhuaxi.overdue) == (1, 1, 1, 1)


def test_the_district_sees_both_streets_but_not_the_other_district(area, history):  # noqa: F811
    figures = ledger_figures(area.supervisor, area.district_centre, WEEK)
    assert figures.new == 4  # E F G + K (海北街道)
    assert figures.stock == 5


def test_resolution_rate_formula():
    assert resolution_rate(739, 746) == Decimal("99.1")  # Huangnan
    assert resolution_rate(1, 3) == Decimal("33.3")
    assert resolution_rate(2, 3) == Decimal("66.7")
    assert resolution_rate(0, 0) is None


def test_resolution_rate_denominator_is_configurable(area, history, settings):  # noqa: F811
    settings.CASES_RESOLUTION_RATE_DENOMINATOR = "new"
    figures = ledger_figures(area.clerk, area.street, WEEK)
    assert figures.rate == Decimal("66.7")  # 2 resolved ÷ 3 new


# --- pages and API ---------------------------------------------------------------------------


def test_ledger_page_shows_figures_with_drill_down_links(area, history, client_for):  # noqa: F811
    client = client_for(area.clerk)
    url = reverse("case_reports:ledger")
    page = client.get(
        url, {"organisation": area.street.pk, "start": "2026-11-16", "end": "2026-11-23"}
    ).content.decode()
    for name, value in {
        "stock": 5,
        "new": 3,
        "screened": 8,
        "changed": 2,
        "resolved": 2,
        "closed": 3,
    }.items():
        assert f'data-figure="{name}">{value}<' in page
    assert "25.0%" in page
    drill = (
        reverse("case_reports:ledger_disputes")
        + f"?organisation={area.street.pk}&amp;start=2026-11-16&amp;end=2026-11-23&amp;figure=resolved"
    )
    assert drill in page

    listing = client.get(
        reverse("case_reports:ledger_disputes"),
        {
            "organisation": area.street.pk,
            "start": "2026-11-16",
            "end": "2026-11-23",
            "figure": "resolved",
        },
    ).content.decode()
    assert history["D"].reference in listing and history["E"].reference in listing
    assert history["A"].reference not in listing
    assert reverse("cases:detail", args=[history["D"].pk]) in listing


def test_ledger_api(area, history, api_for):  # noqa: F811
    response = api_for(area.clerk).get(
        "/api/cases/ledger/",
        {"organisation": area.street.pk, "start": "2026-11-16", "end": "2026-11-23"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["figures"] == {
        "stock": 5,
        "new": 3,
        "screened": 8,
        "changed": 2,
        "resolved": 2,
        "closed": 3,
        "in_progress": 4,
        "overdue": 1,
        "resolution_rate": "25.0",
        "resolution_rate_display": "25.0%",
    }
    assert [b["organisation_name"] for b in body["branches"]] == [
        "新华街道综治中心",
        "团结社区居委会",
        "新华西社区居委会",
    ]
    assert body["links"]["resolved"].endswith("figure=resolved")


def test_ledger_api_rejects_a_backwards_period(area, api_for):  # noqa: F811
    response = api_for(area.clerk).get(
        "/api/cases/ledger/",
        {"organisation": area.street.pk, "start": "2026-11-23", "end": "2026-11-16"},
    )
    assert response.status_code == 400
    assert response.json()["fields"]["end"] == ["结束日期须晚于起始日期。"]


def test_outsider_gets_404_on_page_drill_down_and_api(area, history, client_for, api_for):  # noqa: F811
    params = {"organisation": area.street.pk, "start": "2026-11-16", "end": "2026-11-23"}
    client = client_for(area.outsider)
    assert client.get(reverse("case_reports:ledger"), params).status_code == 404
    assert (
        client.get(reverse("case_reports:ledger_disputes"), {**params, "figure": "new"}).status_code
        == 404
    )
    assert api_for(area.outsider).get("/api/cases/ledger/", params).status_code == 404


def test_a_community_sees_only_its_own_subtree(area, history, client_for, api_for):  # noqa: F811
    params = {"start": "2026-11-16", "end": "2026-11-23"}
    api = api_for(area.community_clerk)
    assert (
        api.get("/api/cases/ledger/", {**params, "organisation": area.street.pk}).status_code == 404
    )
    body = api.get("/api/cases/ledger/", {**params, "organisation": area.tuanjie.pk}).json()
    assert (body["figures"]["stock"], body["figures"]["new"]) == (1, 2)  # I; E G
