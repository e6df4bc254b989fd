"""An officer on a phone (390×844) runs an online inquiry on a case, watches it come back,
and freezes an account from a finding; the page then says when deduction is possible."""

from django.utils import timezone
from playwright.sync_api import expect

from enforcement.inquiry.runner import run
from enforcement.models import AssetControl, AssetInquiry
from tests.conftest import PASSWORD
from tests.e2e.layout import laid_out_width
from tests.enforcement import conftest as enforcement_fixtures
from tests.enforcement.assets_fixtures import script_story5, story5_case

eworld = enforcement_fixtures.eworld


def test_officer_inquires_and_freezes_on_a_phone(base_url, eworld, phone_page, login, screenshot):
    case = story5_case(eworld)
    script_story5(timezone.localdate())
    login(phone_page, "officer", PASSWORD)
    phone_page.goto(f"/enforcement/cases/{case.pk}/assets/")
    expect(phone_page.get_by_test_id("no-inquiry")).to_be_visible()
    phone_page.get_by_test_id("inquiry-submit").click()
    expect(phone_page.get_by_test_id("inquiry-progress")).to_contain_text("已反馈 0 / 1")
    screenshot(phone_page, "inquiry-running")

    run(inquiry_ids=[AssetInquiry.objects.get(case=case).pk])  # the worker's part
    # the running inquiry's section refreshes itself (htmx, every 2 s)
    expect(phone_page.get_by_test_id("inquiries")).to_contain_text("发现财产 3 项", timeout=10_000)
    phone_page.reload()
    findings = phone_page.get_by_test_id("findings")
    expect(findings.locator("li")).to_have_count(3)
    first = findings.locator("li").first
    first.get_by_test_id("finding-control-open").click()
    first.get_by_label("冻结金额（元）").fill("1.00")
    assert laid_out_width(phone_page) <= 390
    screenshot(phone_page, "freeze-form")
    first.get_by_test_id("finding-control-submit").click()

    control = AssetControl.objects.get(case=case)
    expect(phone_page.get_by_test_id(f"control-{control.pk}")).to_contain_text(
        f"{control.deductible_on:%Y-%m-%d} 起可扣划"
    )
    expect(phone_page.get_by_test_id("frozen-total")).to_have_text("¥1.00")
    assert laid_out_width(phone_page) <= 390
    screenshot(phone_page, "after-freeze")
