"""What each user sees, in a browser, on the demo data: every role's home page opens on
counts of today's work, each count equal to the rows of the list it links to; phones get the
dispute list as cards with nothing wider than the screen."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from organisations.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# (login, phone?) — grid workers, mediators and responders work on phones
ROLES = [
    ("clerk", False),
    ("officer", False),
    ("centre", False),
    ("supervisor", False),
    ("president", False),
    ("grid", True),
    ("mediator", True),
    ("responder", True),
]
ROWS = (
    "[data-testid=dispute-row]:visible, [data-testid=dispute-card]:visible, "
    "[data-testid=inbox-item], [data-testid=deadline-row], "
    "[data-testid=case-row]:visible, [data-testid=case-card]:visible, "
    "[data-testid=approval-item]"
)


@pytest.fixture
def demo_data(transactional_db):
    call_command("load_demo", verbosity=0)


def _no_horizontal_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(("username", "phone"), ROLES)
def test_home_counts_match_the_linked_lists(
    demo_data, page, phone_page, login, screenshot, username, phone
):
    tab = phone_page if phone else page
    login(tab, username, DEMO_PASSWORD)
    expect(tab.get_by_test_id("today")).to_be_visible()
    tiles = tab.locator(".fq-tile")
    links = [
        (tile.get_attribute("data-testid"), tile.get_attribute("href"),
         int(tile.locator(".fq-tile-count").get_attribute("data-count")))
        for tile in tiles.all()
    ]  # fmt: skip
    assert links, f"{username}: no counts on the home page"
    assert sum(count for _id, _href, count in links), f"{username}: home shows no work at all"
    screenshot(tab, f"home-{username}")
    for testid, href, count in links:
        assert count <= 50, "the demo's counts fit one page of each list"
        tab.goto(href)
        # a link to a part of a page (待我审批's kinds) counts that part's rows
        part = tab.locator(f"#{href.split('#')[1]}") if "#" in href else tab
        assert part.locator(ROWS).count() == count, f"{username} {testid}: {href}"
        if phone:
            assert _no_horizontal_overflow(tab), f"{username}: {href} is wider than the phone"


def test_dispute_list_is_cards_on_a_phone(demo_data, phone_page, page, login, screenshot):
    login(phone_page, "centre", DEMO_PASSWORD)
    phone_page.goto("/cases/")
    cards = phone_page.get_by_test_id("dispute-card")
    expect(cards.first).to_be_visible()
    expect(phone_page.get_by_test_id("dispute-table")).to_be_hidden()
    assert _no_horizontal_overflow(phone_page)
    first = cards.first.bounding_box()
    assert first["height"] < 200, "a card is a few lines, not a column of single characters"
    # every dispute of the page as a card, as many as the total above says
    total = phone_page.get_by_test_id("total").inner_text()
    assert f"共 {cards.count()} 条" == total and cards.count() > 10
    screenshot(phone_page, "dispute-cards")
    # the filters are one tap away, not a screenful above the list
    expect(phone_page.get_by_test_id("filters")).to_be_hidden()
    phone_page.get_by_role("button", name="筛选").click()
    expect(phone_page.get_by_test_id("filters")).to_be_visible()

    # desktop: the table, with the applicant
    login(page, "centre", DEMO_PASSWORD)
    page.goto("/cases/")
    expect(page.get_by_test_id("dispute-table")).to_be_visible()
    expect(page.get_by_role("columnheader", name="申请人")).to_be_visible()


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("zh-hans", 1000)])
def test_a_long_menu_wraps_instead_of_widening_the_page(
    demo_data, browser, base_url, login, screenshot, language, width
):
    """A supervisor has the most menu items; in English (longer words) on a 1280 px
    desktop, or in Chinese on a small laptop, they once ran off the right edge, taking the
    bell and the user menu with them."""
    context = browser.new_context(viewport={"width": width, "height": 800}, base_url=base_url)
    try:
        tab = context.new_page()
        login(tab, "supervisor", DEMO_PASSWORD)
        context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
        tab.goto("/")
        screenshot(tab, f"menu-{language}-{width}")
        assert _no_horizontal_overflow(tab)
        expect(tab.get_by_test_id("user-menu")).to_be_in_viewport(ratio=1)
    finally:
        context.close()
