"""An enforcement officer on a phone (390×844): issues the 执行通知书 and the 报告财产令,
records that both were served on the debtor, then the debtor's asset report and its check.
Every page fits the phone's width."""

from playwright.sync_api import expect

from enforcement.models import AssetReport, EnforcementNotice, ServiceRecord
from tests.conftest import PASSWORD
from tests.e2e.layout import laid_out_width
from tests.enforcement import conftest as enforcement_fixtures
from tests.enforcement import notices_fixtures

eworld = enforcement_fixtures.eworld
money_case = notices_fixtures.money_case
fast_pdf = notices_fixtures.fast_pdf


def fits(page) -> None:
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 391)
        .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 80))""")
    assert laid_out_width(page) <= 390, wide


def test_officer_issues_and_serves_the_notices_on_a_phone(
    base_url, eworld, money_case, fast_pdf, phone_page, login, screenshot
):
    login(phone_page, "officer", PASSWORD)
    phone_page.goto(f"/enforcement/cases/{money_case.pk}/notices/")
    panel = phone_page.get_by_test_id("notices-panel")
    expect(panel).to_contain_text("尚未发出执行通知书")
    fits(phone_page)
    screenshot(phone_page, "before")
    panel.get_by_test_id("issue-link").click()

    form = phone_page.get_by_test_id("issue-form")
    expect(form.get_by_label("执行通知书")).to_be_checked()
    expect(form.get_by_label("报告财产令")).to_be_checked()
    expect(form.get_by_label("被执行人报告财产期限（日）")).to_have_value("7")
    fits(phone_page)
    screenshot(phone_page, "issue-form")
    form.get_by_test_id("submit").click()

    expect(phone_page.get_by_test_id("served-state").first).to_have_text("1名被执行人未送达")
    notice, order = EnforcementNotice.objects.order_by("pk")
    expect(panel).to_contain_text(order.document.number)
    fits(phone_page)
    screenshot(phone_page, "issued")

    for target in (notice, order):
        phone_page.get_by_test_id(f"notice-{target.pk}").get_by_test_id("record-service").click()
        form = phone_page.get_by_test_id("service-form")
        form.get_by_label("受送达人").select_option(label="被执行人：王被执")
        form.get_by_label("送达方式").select_option(label="直接送达")
        form.get_by_label("签收人", exact=True).fill("王被执")
        form.get_by_label("签收人身份").fill("本人")
        fits(phone_page)
        screenshot(phone_page, f"service-form-{target.kind}")
        form.get_by_test_id("submit").click()
        expect(phone_page.get_by_test_id(f"notice-{target.pk}").get_by_test_id("served-state"))\
            .to_have_text("已送达全部被执行人")  # fmt: skip
    assert ServiceRecord.objects.count() == 2

    phone_page.get_by_test_id("record-report").click()
    form = phone_page.get_by_test_id("report-form")
    form.get_by_label("报告内容摘要").fill("名下住房一套，工资收入")
    item = form.get_by_test_id("item-0")
    item.get_by_label("财产类别").select_option(label="土地使用权、房屋等不动产")
    item.get_by_label("财产情况").fill("团结社区3号楼住房一套")
    item.get_by_label("价值/余额（元）").fill("350000.00")
    fits(phone_page)
    screenshot(phone_page, "report-form")
    form.get_by_test_id("submit").click()

    expect(phone_page.get_by_test_id("report-state")).to_have_text("已报告，待核查")
    phone_page.get_by_test_id("check-link").click()
    form = phone_page.get_by_test_id("check-form")
    form.get_by_label("属实").check()
    form.get_by_test_id("submit").click()
    expect(phone_page.get_by_test_id("report-state")).to_have_text("已核查")
    fits(phone_page)
    screenshot(phone_page, "done")
    assert AssetReport.objects.get().check_result == "consistent"
