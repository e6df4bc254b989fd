"""Behaviour that moved from inline scripts to static/js/ still works under the CSP:
the language menu submits itself on change, and "add a party" adds a party form."""

import pytest
from playwright.sync_api import expect

from organisations.models import Organisation
from organisations.roles import Role
from tests.factories import OrganisationFactory, RegionFactory, member

pytestmark = pytest.mark.browser

PASSWORD = "Test#Passw0rd"


@pytest.fixture
def clerk(transactional_db):
    region = RegionFactory(name="海勃湾区")
    centre = OrganisationFactory(
        name="新华街道综治中心", kind=Organisation.Kind.GOVERNANCE_CENTRE, region=region
    )
    return member(centre, Role.CLERK, username="centre_clerk")


def test_language_menu_switches_without_an_inline_handler(page, clerk, login):
    login(page, "centre_clerk", PASSWORD)
    page.get_by_test_id("user-menu").click()
    page.get_by_label("语言").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_add_party_button_adds_a_party_form(page, clerk, login):
    login(page, "centre_clerk", PASSWORD)
    page.goto("/cases/new/")
    total = page.locator("#id_parties-TOTAL_FORMS")
    before = int(total.input_value())
    page.get_by_test_id("add-party").click()
    expect(total).to_have_value(str(before + 1))
    expect(page.locator(f"[name='parties-{before}-name']")).to_be_attached()


def test_api_docs_render_under_the_policy(page, clerk, login):
    login(page, "centre_clerk", PASSWORD)
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Fengqiao API")


def test_browsable_api_renders_under_the_policy(page, clerk, login):
    login(page, "centre_clerk", PASSWORD)
    page.goto("/api/me/")
    expect(page.locator(".response-info pre")).to_contain_text("centre_clerk")
