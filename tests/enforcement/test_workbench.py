"""The officer's workbench (我的案件): own open cases, next step and its deadline, overdue
first then soonest due, keyset pages, one query for the page whatever its length."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline
from enforcement import panels
from enforcement.models import CaseStatus
from enforcement.selectors_lists import workbench_figures, workbench_page

from .conftest import make_case
from .workbench_fixtures import start_clock


@pytest.fixture
def desk(eworld):
    """The officer's cases: one due in 5 days, one overdue, one with no clock, one whose
    only clock is done; another officer's case and a concluded one of theirs."""
    soon = make_case(eworld.court, eworld.clerk, officer=eworld.officer, is_small_claim=True)
    start_clock(soon, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=5)
    start_clock(soon, "enforcement.time_limit", actor=eworld.clerk, due_in_days=150)
    late = make_case(eworld.court, eworld.clerk, officer=eworld.officer, is_livelihood=True)
    start_clock(late, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=-2)
    idle = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    done = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    met = start_clock(done, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=-9)
    Deadline.objects.filter(pk=met.pk).update(state=Deadline.State.MET, closed_at=timezone.now())
    theirs = make_case(eworld.court, eworld.clerk, officer=eworld.second_officer)
    concluded = make_case(
        eworld.court, eworld.clerk, officer=eworld.officer, status=CaseStatus.PERFORMED
    )
    return {"soon": soon, "late": late, "idle": idle, "done": done, "theirs": theirs,
            "concluded": concluded}  # fmt: skip


def test_overdue_first_then_soonest_then_no_clock(eworld, desk):
    page = workbench_page(eworld.officer)
    order = [case.pk for case in page.items]
    assert order[:2] == [desk["late"].pk, desk["soon"].pk]
    assert set(order[2:]) == {desk["idle"].pk, desk["done"].pk}
    assert desk["theirs"].pk not in order and desk["concluded"].pk not in order
    soonest = page.items[1]
    assert soonest.next_deadline_kind == "enforcement.notice_issue"


def test_keyset_pages_follow_the_same_order(eworld, desk):
    first = workbench_page(eworld.officer, size=2)
    assert first.has_more
    second = workbench_page(eworld.officer, after=first.next_cursor, size=2)
    assert not second.has_more
    assert [c.pk for c in first.items + second.items] == [
        c.pk for c in workbench_page(eworld.officer).items
    ]


def test_figures(eworld, desk):
    figures = workbench_figures(eworld.officer)
    assert (figures.open, figures.overdue, figures.due_soon) == (4, 1, 1)


def test_page_shows_next_step_deadline_badges_and_days(client, eworld, desk):
    panels.register_next_step(_say_serve)
    try:
        client.force_login(eworld.officer)
        response = client.get(reverse("enforcement:workbench"))
    finally:
        panels._next_step_providers.remove(_say_serve)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(desk["late"].case_number) < html.index(desk["soon"].case_number)
    assert "发出执行通知书及报告财产令" in html
    assert "送达报告财产令" in html  # from the registered provider
    assert 'data-testid="priority-livelihood"' in html
    assert 'data-testid="priority-small"' in html
    assert 'data-testid="overdue-badge"' in html  # the phone cards
    assert 'data-testid="figure-overdue"' in html
    assert desk["theirs"].case_number not in html


def _say_serve(case):
    return ["送达报告财产令"] if case.is_money_case else []


def test_next_page_link(client, eworld):
    for _number in range(3):
        make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    client.force_login(eworld.officer)
    from enforcement import views

    original = views.PAGE_SIZE
    views.PAGE_SIZE = 2
    try:
        first = client.get(reverse("enforcement:workbench"))
        assert first.context["next_url"]
        second = client.get(reverse("enforcement:workbench") + first.context["next_url"])
    finally:
        views.PAGE_SIZE = original
    assert len(first.context["page"].items) == 2
    assert len(second.context["page"].items) == 1


def test_one_query_for_the_page_however_many_rows(client, eworld, django_assert_max_num_queries):
    make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    client.force_login(eworld.officer)
    client.get(reverse("enforcement:workbench"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("enforcement:workbench"))
    for number in range(20):
        case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
        start_clock(case, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=number - 5)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("enforcement:workbench"))
    assert len(response.context["page"].items) == 21


def test_an_outsider_has_an_empty_desk(client, eworld, desk):
    client.force_login(eworld.outsider)
    response = client.get(reverse("enforcement:workbench"))
    assert response.status_code == 200
    assert not response.context["page"].items


def test_days_since_filing(client, eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    type(case).objects.filter(pk=case.pk).update(
        filed_at=timezone.now() - datetime.timedelta(days=12)
    )
    client.force_login(eworld.officer)
    html = client.get(reverse("enforcement:workbench")).content.decode()
    assert "立案 12 天" in html


def test_the_prepared_reads_answer_as_the_orm(eworld, desk):
    """The workbench's ids and the page's clocks (prepared statements on PostgreSQL) are the
    ORM's answers: own open cases of the courts worked in, each case's soonest open clock."""
    from django.db.models import F

    from common.lookups import AnyOf
    from enforcement.selectors_lists import (
        _case_content_type,
        _officer_open_case_ids,
        _soonest_open_deadlines,
        officer_open_cases,
        open_deadline_condition,
    )

    ids = _officer_open_case_ids(eworld.officer)
    assert sorted(ids) == sorted(officer_open_cases(eworld.officer).values_list("pk", flat=True))
    assert {desk["soon"].pk, desk["late"].pk, desk["idle"].pk, desk["done"].pk} == set(ids)
    assert _officer_open_case_ids(eworld.outsider) == []
    expected = {}
    for row in (
        Deadline.objects.filter(content_type=_case_content_type())
        .filter(AnyOf(F("object_id"), ids))
        .filter(open_deadline_condition())
        .order_by("object_id", "due_at", "pk")
        .values_list("object_id", "pk", "due_at", "kind", "label")
    ):
        expected.setdefault(row[0], row)
    assert _soonest_open_deadlines(ids) == expected
    assert set(expected) == {desk["soon"].pk, desk["late"].pk}
    assert expected[desk["soon"].pk][3] == "enforcement.notice_issue"
