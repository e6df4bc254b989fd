"""The committee's list, the court's lists and the mediator's week with the shared list
components: record cards, count tiles and the keyset pager ("加载更多" in place with htmx,
the next page as a page without JavaScript, back to page 1)."""

import datetime
import re

import pytest

from mediation import views, views_confirmation
from mediation.models import MediationCase
from mediation.services import (
    confirmation_apply,
    mediation_case_request,
    mediation_receipt_sign,
    session_log,
)

from .confirmation_fixtures import make_agreed
from .conftest import parties

pytestmark = pytest.mark.django_db


def cards(html: str, prefix: str = "case-") -> list[str]:
    return re.findall(rf'data-testid="{prefix}(\d+)"', html)


def next_url(html: str) -> str:
    match = re.search(r'<a class="btn[^"]*" href="(\?[^"]*)"[^>]*data-testid="next-page"', html)
    return match.group(1).replace("&amp;", "&") if match else ""


@pytest.fixture
def five_cases(mworld, delegated):
    for number in range(4):
        mediation_case_request(
            organisation=mworld.committee, actor=mworld.committee_clerk, category="neighbour",
            facts=f"第{number}号楼道堆物纠纷", parties=parties(),
        )  # fmt: skip
    return list(MediationCase.objects.order_by("-received_at", "-id"))


def test_the_committee_list_is_cards_paged_by_keyset_with_htmx_in_place(
    mworld, five_cases, client_for, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = client_for(mworld.committee_clerk)
    first = client.get("/mediation/", {"source": "", "q": ""}).content.decode()
    assert 'class="fq-record-card' in first and 'data-testid="case-list"' in first
    assert cards(first) == [str(c.pk) for c in five_cases[:2]]
    assert "待签收" in first and "当事人申请" in first  # status and source as words
    assert 'data-testid="first-page"' not in first
    # without JavaScript: the next page as a page, with the filters kept and a way back
    second_url = next_url(first)
    assert "after=" in second_url and "source=" in second_url
    second = client.get("/mediation/" + second_url).content.decode()
    assert cards(second) == [str(c.pk) for c in five_cases[2:4]]
    assert 'data-testid="first-page"' in second and "<html" in second
    # with htmx: only the next cards and their own pager, which replaces the old one
    more = client.get("/mediation/" + next_url(second), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in more and 'data-testid="filters"' not in more
    assert cards(more) == [str(five_cases[4].pk)]
    assert next_url(more) == ""  # the last page has no "more"


def test_the_court_sees_its_delegated_cases_in_the_same_list(
    mworld, five_cases, delegated, client_for
):
    page = client_for(mworld.court_clerk).get("/mediation/").content.decode()
    assert cards(page) == [str(delegated.pk)]  # not the committee's own requests
    assert "海勃湾区人民法院" in page and "诉前委派" in page


def test_the_list_has_no_per_row_queries(mworld, five_cases, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(mworld.committee_clerk)
    client.get("/mediation/")
    with CaptureQueriesContext(connection) as five:
        client.get("/mediation/")
    for number in range(5):
        mediation_case_request(
            organisation=mworld.committee, actor=mworld.committee_clerk, category="tenancy",
            facts=f"押金纠纷{number}", parties=parties(),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as ten:
        page = client.get("/mediation/").content.decode()
    assert len(cards(page)) == 10
    assert len(ten) == len(five)


def test_the_week_opens_on_tiles_that_count_its_sections(mworld, delegated, client_for):
    signed = mediation_receipt_sign(case=delegated, actor=mworld.zhang)
    from django.utils import timezone

    session_log(
        case=signed, actor=mworld.zhang, record="双方到场", place="团结社区红色驿站",
        next_session_at=timezone.now() + datetime.timedelta(days=3),
    )  # fmt: skip
    waiting = mediation_case_request(
        organisation=mworld.committee, actor=mworld.zhang, category="neighbour",
        facts="邻居装修噪音扰民", parties=parties(),
    )  # fmt: skip
    from mediation.services import mediator_assign

    mediator_assign(case=waiting, mediator=mworld.zhang_profile, actor=mworld.committee_clerk)
    page = client_for(mworld.zhang).get("/mediation/week/").content.decode()

    def tile(testid):
        match = re.search(
            rf'href="(#[\w-]+)" data-testid="{testid}">\s*<span class="fq-tile-count" '
            r'data-count="(\d+)"',
            page,
        )
        assert match, testid
        return match.group(1), int(match.group(2))

    assert tile("tile-waiting") == ("#week-waiting", 1)
    anchor, sessions = tile("tile-sessions")
    assert anchor == "#week-sessions" and sessions == page.count('data-testid="week-session"')
    anchor, deadlines = tile("tile-deadlines")
    assert anchor == "#week-deadlines" and deadlines == page.count('data-testid="week-deadline"')
    assert deadlines >= 1  # the next session's reminder
    assert 'id="week-waiting"' in page and cards(page) == [str(waiting.pk)]
    assert sessions >= 1 and "团结社区红色驿站" in page


def test_a_user_without_a_mediator_profile_has_an_empty_week(mworld, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(mworld.committee_clerk)
    client.get("/mediation/week/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/mediation/week/").content.decode()
    assert "没有等待您处理的案件" in page and "本周暂无调解" in page
    assert not any("mediation_session" in q["sql"] for q in queries.captured_queries)


def test_the_court_confirmation_list_is_cards_with_keyset_pages(mworld, client_for, monkeypatch):
    import time_machine

    from documents import converter

    from .confirmation_fixtures import BEIJING, fake_pdf

    monkeypatch.setattr(converter, "docx_to_pdf", fake_pdf)  # each application's document
    monkeypatch.setattr(views_confirmation, "LIST_PAGE_SIZE", 2)
    confirmations = []
    for number in range(3):
        agreement = make_agreed(mworld, applicant=f"甲{number}", respondent=f"乙{number}")
        moment = datetime.datetime(2026, 11, 20, 9, number, tzinfo=BEIJING)
        with time_machine.travel(moment, tick=False):
            confirmations.append(
                confirmation_apply(
                    agreement=agreement, court=mworld.court, actor=mworld.zhang,
                    applicants=list(agreement.case.case_parties.all()), subject_matter="civil",
                )
            )  # fmt: skip
    client = client_for(mworld.court_clerk)
    first = client.get("/mediation/confirmations/").content.decode()
    assert first.count('data-testid="confirmation-row"') == 2
    assert "待受理" in first and "已申请" in first
    newest = [str(c.pk) for c in reversed(confirmations)]
    links = re.findall(
        r'href="/mediation/confirmations/(\d+)/" data-testid="confirmation-row"', first
    )
    assert links == newest[:2]
    more = client.get(
        "/mediation/confirmations/" + next_url(first), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert re.findall(r'confirmations/(\d+)/" data-testid="confirmation-row"', more) == newest[2:]
    assert (
        client_for(mworld.outsider)
        .get("/mediation/confirmations/")
        .content.decode()
        .count('data-testid="confirmation-row"')
        == 0
    )
