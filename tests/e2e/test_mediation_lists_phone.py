"""The mediation lists on a phone (390×844), with the shared list components: the mediator's
week opens on count tiles above cards; the committee's list is cards with the filters one
tap away and "加载更多" appending the next keyset page in place; the court clerk's list of
judicial confirmations is cards too. Nothing is wider than the screen."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from mediation import views
from mediation.services import (
    confirmation_apply,
    mediation_case_request,
    mediation_receipt_sign,
    mediator_assign,
    session_log,
)
from tests.conftest import PASSWORD
from tests.mediation import conftest as mediation_fixtures
from tests.mediation.confirmation_fixtures import make_agreed
from tests.mediation.conftest import parties

mworld = mediation_fixtures.mworld
delegated = mediation_fixtures.delegated


def _fits(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_week_and_lists_on_a_phone(
    base_url, mworld, delegated, phone_page, login, screenshot, monkeypatch
):
    signed = mediation_receipt_sign(case=delegated, actor=mworld.zhang)
    session_log(
        case=signed, actor=mworld.zhang, record="双方陈述漏水经过", place="团结社区红色驿站",
        next_session_at=timezone.now() + datetime.timedelta(days=2),
    )  # fmt: skip
    for number in range(4):
        case = mediation_case_request(
            organisation=mworld.committee, actor=mworld.committee_clerk, category="neighbour",
            facts=f"{number + 3}号楼楼道堆放杂物，占用消防通道，邻里多次争吵。", parties=parties(),
        )  # fmt: skip
        mediator_assign(case=case, mediator=mworld.zhang_profile, actor=mworld.committee_clerk)

    login(phone_page, "zhang", PASSWORD)
    phone_page.goto("/mediation/week/")
    tiles = phone_page.get_by_test_id("week-tiles")
    expect(tiles.get_by_test_id("tile-waiting").locator(".fq-tile-count")).to_have_text("4")
    waiting = phone_page.get_by_test_id("week-waiting")
    expect(waiting.locator(".fq-record-card")).to_have_count(4)
    expect(phone_page.get_by_test_id("week-session").first).to_contain_text("团结社区红色驿站")
    assert _fits(phone_page)
    card = waiting.locator(".fq-record-card").first.bounding_box()
    assert card["height"] < 200, "a card is a few lines, not a column of single characters"
    screenshot(phone_page, "week")

    # the committee's list: cards, filters folded, two at a time to page through
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    phone_page.goto("/mediation/")
    cards = phone_page.get_by_test_id("case-list").locator(".fq-record-card")
    expect(cards).to_have_count(2)
    expect(phone_page.get_by_test_id("filters")).to_be_hidden()
    assert _fits(phone_page)
    screenshot(phone_page, "committee-list")
    phone_page.get_by_test_id("next-page").click()
    expect(cards).to_have_count(4)  # appended in place, same page
    assert "after=" not in phone_page.url
    phone_page.get_by_test_id("next-page").click()
    expect(cards).to_have_count(5)
    expect(phone_page.get_by_test_id("next-page")).to_have_count(0)
    phone_page.get_by_role("button", name="筛选").click()
    expect(phone_page.get_by_test_id("filters")).to_be_visible()
    assert _fits(phone_page)
    screenshot(phone_page, "committee-list-all")

    # the court clerk's list of applications on a phone
    agreement = make_agreed(mworld, concluded_at=timezone.now() - datetime.timedelta(days=1))
    confirmation_apply(
        agreement=agreement, court=mworld.court, actor=mworld.zhang,
        applicants=list(agreement.case.case_parties.all()), subject_matter="civil",
    )  # fmt: skip
    phone_page.context.clear_cookies()
    login(phone_page, "court_clerk", PASSWORD)
    phone_page.goto("/mediation/confirmations/")
    row = phone_page.get_by_test_id("confirmation-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("待受理")
    assert _fits(phone_page)
    screenshot(phone_page, "court-confirmations")
