"""Story 3 on a phone (390×844): the clerk records the inheritance judgment, registers the
application under pre-enforcement urging with the applicant's consent, sends the two notices,
records the payment of 95,874.11 and the certificate is issued — no number, no case in the
court's list."""

from playwright.sync_api import expect

from enforcement.models import EnforcementCase
from tests.conftest import PASSWORD
from tests.e2e.layout import laid_out_width
from tests.enforcement import conftest as enforcement_fixtures
from tests.enforcement import filing_fixtures

eworld = enforcement_fixtures.eworld
fast_pdf = filing_fixtures.fast_pdf


def test_clerk_urges_on_a_phone_and_issues_the_certificate(
    base_url, eworld, phone_page, login, screenshot, fast_pdf
):
    page = phone_page
    login(page, "enf_clerk", PASSWORD)
    page.goto("/enforcement/filing/")
    page.get_by_test_id("new-basis").click()
    form = page.get_by_test_id("basis-form")
    form.get_by_label("作出机关").fill("海勃湾区人民法院")
    form.get_by_label("文书编号").fill("(2026)蒙0302民初415号")
    form.get_by_label("生效日期").fill("2026-09-01")
    form.locator("#id_deadlines-0-due_date").fill("2026-09-11")
    form.locator("#id_deadlines-0-amount").fill("95874.11")
    form.get_by_test_id("submit").click()

    form = page.get_by_test_id("application-form")
    form.get_by_label("执前督促（须申请人同意）").check()
    form.get_by_label("申请执行日期").fill("2026-11-25")
    form.get_by_label("申请人同意执前督促的方式").fill("申请执行人当面签署执前督促同意书")
    form.get_by_label("本金（元）").fill("95874.11")
    rows = form.get_by_test_id("party-row")
    rows.nth(0).get_by_label("诉讼地位").select_option("applicant")
    rows.nth(0).get_by_label("姓名/名称").fill("张申请")
    rows.nth(0).get_by_label("身份证号码").fill(enforcement_fixtures.ID_APPLICANT)
    rows.nth(1).get_by_label("诉讼地位").select_option("debtor")
    rows.nth(1).get_by_label("姓名/名称").fill("王被执")
    rows.nth(1).get_by_label("身份证号码").fill(enforcement_fixtures.ID_DEBTOR)
    screenshot(page, "application")
    form.get_by_test_id("submit").click()

    expect(page.get_by_test_id("status")).to_have_text("执前督促")
    notices = page.get_by_test_id("notices-form")
    notices.get_by_label("履行方式（收款账户或交付方式）").fill("银行转账至张申请账户")
    notices.get_by_role("button").click()
    expect(page.get_by_test_id("record-documents")).to_contain_text("履行通知书")
    page.get_by_text("督促期间履行完毕").click()
    performed = page.get_by_test_id("performed-form")
    performed.get_by_label("履行方式").fill("银行转账")
    performed.get_by_role("button").click()
    expect(page.get_by_test_id("status")).to_have_text("督促履行完毕")
    expect(page.get_by_test_id("record-documents")).to_contain_text("履行完毕证明")
    expect(page.get_by_test_id("filing-application")).to_contain_text("95,874.11")
    screenshot(page, "certificate")
    case = EnforcementCase.objects.get()
    assert case.case_number == "" and case.status == "urging_performed"
    page.goto("/enforcement/filing/")
    expect(page.get_by_test_id("urging-list")).not_to_contain_text("95,874.11")


def test_case_page_shows_filings_panels_on_a_phone(base_url, eworld, phone_page, login, screenshot):
    from enforcement.services.assignment import case_assign
    from tests.enforcement.filing_fixtures import file_case

    case = file_case(eworld, principal="51770.00", costs="1200.00", is_livelihood=True)
    case_assign(case=case, officer=eworld.officer, actor=eworld.clerk)
    page = phone_page
    login(page, "officer", PASSWORD)
    page.goto(f"/enforcement/cases/{case.pk}/")
    expect(page.get_by_test_id("filing-application")).to_contain_text("¥52,970.00")
    expect(page.get_by_test_id("late-interest")).to_contain_text("日利率 0.0175%")
    expect(page.get_by_test_id("time-limit")).to_contain_text("3个月")
    page.get_by_test_id("late-interest").get_by_text("计算过程").click()
    screenshot(page, "case-page")
    width = laid_out_width(page)
    assert width <= 390, width
