"""待我审批 and the home page's enforcement panels: what waits for a president's own
decision, across measures and credit, in one place; the officer's and the court's counts
on the home page are those of the lists they open."""

import re

import pytest
from django.urls import reverse

from common.approvals import awaiting_for
from credit.services import imposing as credit_services
from enforcement.models import CaseStatus, EnforcementRole
from enforcement.services import measures as measure_services
from organisations.roles import Role
from tests.factories import member

from .conftest import make_case


def debtor(case):
    return case.case_parties.get(role=EnforcementRole.DEBTOR)


@pytest.fixture
def pending(eworld, case):
    measure = measure_services.measure_request(
        case=case, kind="fine", subject=debtor(case), actor=eworld.officer,
        approver=eworld.president, reason="经传唤无正当理由拒不到场，拒不履行。",
        amount="5000.00",
    )  # fmt: skip
    restriction = credit_services.restriction_request(
        case_party=debtor(case), reasons="未按执行通知书指定的期间履行", approver=eworld.president,
        actor=eworld.officer,
    )  # fmt: skip
    return measure, restriction


def tile_count(html: str, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}".*?(\d+)', html, re.S)
    assert match, testid
    return int(match.group(1))


def test_the_president_sees_what_waits_for_his_own_decision(client, eworld, pending):
    measure, restriction = pending
    client.force_login(eworld.president)
    home = client.get("/").content.decode()
    assert tile_count(home, "tile-approvals-measures") == 1
    assert tile_count(home, "tile-approvals-restrictions") == 1
    page = client.get(reverse("approvals"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{measure.get_absolute_url()}"' in html
    assert f'href="{restriction.get_absolute_url()}"' in html
    assert measure.case.case_number in html and "李执行" in html  # the case, who asked


def test_nobody_else_sees_them(client, eworld, pending):
    other_president = member(eworld.other_court, Role.SUPERVISOR, username="other_president")
    client.force_login(other_president)
    html = client.get(reverse("approvals")).content.decode()
    assert 'data-testid="approvals-empty"' in html
    assert "tile-approvals-measures" not in client.get("/").content.decode()
    client.force_login(eworld.officer)  # the one who asked decides nothing
    assert "home-approvals" not in client.get("/").content.decode()


def test_a_decided_request_leaves_the_inbox(client, eworld, pending):
    measure, restriction = pending
    measure_services.measure_approve(measure=measure, actor=eworld.president)
    credit_services.restriction_refuse(restriction=restriction, actor=eworld.president,
                                       note="暂不必要")  # fmt: skip
    assert awaiting_for(eworld.president) == []
    client.force_login(eworld.president)
    assert 'data-testid="approvals-empty"' in client.get(reverse("approvals")).content.decode()


def test_members_who_cannot_be_named_are_asked_nothing(eworld, django_assert_num_queries):
    assert eworld.clerk.active_memberships  # the request has read them already
    with django_assert_num_queries(0):
        assert awaiting_for(eworld.clerk) == []


def test_more_than_shown_are_counted(eworld, case, monkeypatch):
    from common import approvals

    monkeypatch.setattr(approvals, "SHOWN", 1)
    for _number in range(3):
        other = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
        measure_services.measure_request(
            case=other, kind="fine", subject=debtor(other), actor=eworld.officer,
            approver=eworld.president, reason="拒不履行", amount="1000.00",
        )  # fmt: skip
    [group] = awaiting_for(eworld.president)
    assert (group.count, len(group.items)) == (3, 1)


def test_the_home_page_counts_the_officers_and_the_courts_lists(client, eworld):
    for _number in range(2):
        make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    for _number in range(3):
        make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED)
    make_case(eworld.other_court, eworld.outsider, status=CaseStatus.FILED)
    client.force_login(eworld.officer)
    home = client.get("/").content.decode()
    assert tile_count(home, "figure-open") == 2
    client.force_login(eworld.clerk)
    home = client.get("/").content.decode()
    assert tile_count(home, "tile-enforcement-filed") == 3
    listed = client.get(reverse("enforcement:list"), {"status": CaseStatus.FILED})
    assert listed.context["exact_total"] == 3
    client.force_login(eworld.outsider)
    assert tile_count(client.get("/").content.decode(), "tile-enforcement-filed") == 1


def test_the_api_answers_the_same(api_for, eworld, pending):
    measure, restriction = pending
    groups = api_for(eworld.president).get("/api/approvals/").json()
    assert {g["key"]: g["count"] for g in groups} == {"measures": 1, "restrictions": 1}
    urls = {item["url"] for g in groups for item in g["items"]}
    assert urls == {measure.get_absolute_url(), restriction.get_absolute_url()}
    assert api_for(eworld.outsider).get("/api/approvals/").json() == []
    assert api_for(None).get("/api/approvals/").status_code in (401, 403)
