"""A member of the public looks a debtor up on a phone (390×844): the challenge picture, the
"换一张" button (static JS, CSP-clean), a wrong answer refused, the right one answered with
the masked entry; after the removal the same search finds nothing."""

from playwright.sync_api import expect

from common import challenge
from credit.models import CreditChange, Publication
from tests.credit import conftest as credit_fixtures
from tests.credit.publicworld import ID_HU, make_debtor_case, make_listing, set_publication
from tests.e2e.layout import laid_out_width

# the credit tests' world (court, officer, president), used as it is
eworld = credit_fixtures.eworld


def test_public_lookup_on_a_phone(
    base_url,
    eworld,
    phone_page,
    screenshot,
    monkeypatch,  # noqa: F811
):
    listing = make_listing(eworld, make_debtor_case(eworld))
    # the live server runs in this process: every picture asks 3 + 4 (the token is still
    # signed, single-use and checked by the real code)
    monkeypatch.setattr(challenge, "_draw_question", lambda: ("3 + 4 = ?", 7))

    page = phone_page
    page.goto("/gs/")
    expect(page.get_by_test_id("challenge-image")).to_be_visible()
    first_token = page.locator("[data-challenge-token]").input_value()
    page.get_by_role("button", name="换一张").click()
    expect(page.locator("[data-challenge-token]")).not_to_have_value(first_token)

    page.get_by_test_id("lookup-name").fill("胡某某")
    page.get_by_test_id("lookup-identity").fill(ID_HU)
    page.get_by_test_id("challenge-answer").fill("8")
    page.get_by_test_id("lookup-submit").click()
    expect(page.get_by_test_id("challenge-error")).to_be_visible()
    expect(page.get_by_test_id("lookup-result")).to_have_count(0)

    page.get_by_test_id("challenge-answer").fill("７")  # full-width, from a Chinese keyboard
    page.get_by_test_id("lookup-submit").click()
    entry = page.get_by_test_id("lookup-entry-listing")
    expect(entry).to_contain_text("胡**")
    expect(entry).to_contain_text(listing.debtor_id_masked)
    expect(entry).to_contain_text(listing.case.case_number)
    assert ID_HU not in page.content()
    screenshot(page, "found")
    assert laid_out_width(page) <= 390

    set_publication(listing, Publication.REMOVED, CreditChange.Action.REMOVED)
    page.get_by_test_id("lookup-identity").fill(ID_HU)
    page.get_by_test_id("challenge-answer").fill("7")
    page.get_by_test_id("lookup-submit").click()
    expect(page.get_by_test_id("lookup-none")).to_be_visible()
    screenshot(page, "removed")
