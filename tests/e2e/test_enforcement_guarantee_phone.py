"""执行担保 in the browser (enf-guarantee): the officer, on a phone, offers company 丙's
guarantee with the applicant's consent (first without it: the message by the field); the
president approves on a desktop and the case page shows the suspension in its panel."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.layout import laid_out_width
from tests.enforcement import conftest as enforcement_fixtures

eworld = enforcement_fixtures.eworld

CREDIT_CODE = "91110000802100433B"


def test_officer_offers_a_guarantee_president_approves(
    base_url, eworld, phone_page, page, login, screenshot
):
    case = enforcement_fixtures.make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                                          debtor="乙公司")  # fmt: skip
    until = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    login(phone_page, "officer", PASSWORD)
    phone_page.goto(case.get_absolute_url())
    phone_page.get_by_test_id("guarantee-link").click()
    form = phone_page.get_by_test_id("form-offer")
    form.locator("select[name=kind]").select_option("undertaking")
    form.locator("select[name=guarantor_kind]").select_option("organisation")
    form.locator("input[name=guarantor_name]").fill("丙公司")
    form.locator("input[name=guarantor_credit_code]").fill(CREDIT_CODE)
    form.locator("input[name=amount]").fill("60000.00")
    form.locator("input[name=suspension_until]").fill(until)
    form.locator("select[name=approver]").select_option(str(eworld.president.pk))
    assert laid_out_width(phone_page) <= 390
    form.get_by_role("button").click()
    expect(phone_page.locator("[data-field=applicant_consent]")).to_contain_text("申请执行人同意")
    screenshot(phone_page, "no-consent")
    form = phone_page.get_by_test_id("form-offer")
    form.locator("input[name=applicant_consent]").check()
    form.locator("input[name=suspension_until]").fill(until)
    form.get_by_role("button").click()
    expect(phone_page.get_by_test_id("guarantee-record")).to_contain_text("待院长审批")
    expect(phone_page.get_by_test_id("awaiting-approver")).to_contain_text("吴院长")
    expect(phone_page.get_by_test_id("form-approve")).to_have_count(0)
    screenshot(phone_page, "offered")

    login(page, "enf_president", PASSWORD)
    page.goto(f"/enforcement/cases/{case.pk}/guarantee/")
    page.get_by_test_id("form-approve").get_by_role("button").click()
    expect(page.get_by_test_id("guarantee-record")).to_contain_text("暂缓执行中")

    phone_page.goto(case.get_absolute_url())
    panel = phone_page.get_by_test_id("guarantee-panel")
    expect(panel).to_contain_text("暂缓执行至")
    expect(panel).to_contain_text("丙公司")
    screenshot(phone_page, "case-page")
