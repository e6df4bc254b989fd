"""Story 5's payout on a phone (390×844): the officer records the deduction, proposes the
payout by shares; the president approves it; the officer pays it with the bank reference."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.layout import laid_out_width
from tests.enforcement import conftest as enforcement_fixtures

eworld = enforcement_fixtures.eworld
case = enforcement_fixtures.case


def test_officer_and_president_pay_out_a_deduction_on_a_phone(
    base_url, eworld, case, phone_page, login, screenshot
):
    login(phone_page, "officer", PASSWORD)
    phone_page.goto(f"/enforcement/cases/{case.pk}/funds/")
    form = phone_page.get_by_test_id("receipt-form")
    form.get_by_label("到账金额（元）").fill("31775.00")
    form.get_by_label("来源").select_option("deduction")
    form.get_by_label("说明").fill("冻结期满扣划")
    form.get_by_test_id("submit-receipt").click()
    expect(phone_page.get_by_test_id("funds-balance")).to_have_text("¥31,775.00")
    phone_page.get_by_role("button", name="按份额拟定发放").click()
    expect(phone_page.get_by_test_id("funds-rows")).to_contain_text("1 笔待审批")
    assert laid_out_width(phone_page) <= 390
    screenshot(phone_page, "proposed")

    phone_page.context.clear_cookies()
    login(phone_page, "enf_president", PASSWORD)
    phone_page.goto(f"/enforcement/cases/{case.pk}/funds/")
    phone_page.get_by_role("button", name="批准", exact=True).click()

    phone_page.context.clear_cookies()
    login(phone_page, "officer", PASSWORD)
    phone_page.goto(f"/enforcement/cases/{case.pk}/funds/")
    pay = phone_page.locator("[data-testid^=pay-]")
    pay.get_by_label("银行流水号").fill("ICBC20261201001")
    pay.get_by_role("button").click()
    expect(phone_page.get_by_test_id("funds-balance")).to_have_text("¥0.00")
    expect(phone_page.get_by_test_id("funds-paid")).to_have_text("¥31,775.00")
    expect(phone_page.get_by_test_id("funds-outstanding")).to_have_text("¥19,995.00")
    assert laid_out_width(phone_page) <= 390
    screenshot(phone_page, "paid")
