"""On a phone (390×844): the officer asks for a 15-day detention from the case page, a
16-day one is refused beside the field; the president approves it from the inbox as
himself; the officer records the detention and that the family was told. Every page fits
the phone's width."""

from playwright.sync_api import expect

from enforcement.models import CoerciveMeasure, MeasureStatus
from tests.conftest import PASSWORD
from tests.e2e.layout import laid_out_width
from tests.enforcement import conftest as enforcement_fixtures
from tests.enforcement import measures_fixtures

eworld = enforcement_fixtures.eworld
case = enforcement_fixtures.case
fast_pdf = measures_fixtures.fast_pdf


def fits(page) -> None:
    assert laid_out_width(page) <= 390


def test_detention_asked_approved_and_carried_out_on_a_phone(
    base_url, eworld, case, fast_pdf, phone_page, login, screenshot
):
    login(phone_page, "officer", PASSWORD)
    phone_page.goto(f"/enforcement/cases/{case.pk}/#measures")
    panel = phone_page.get_by_test_id("measures-panel")
    expect(panel).to_contain_text("尚未采取强制措施")
    panel.get_by_test_id("measure-new").click()

    form = phone_page.get_by_test_id("measure-form")
    form.locator("#measure_kind").select_option(label="拘留")
    form.get_by_label("对象").select_option(label="被执行人 王被执")
    form.get_by_label("事实和理由").fill("经拘传到案后仍拒不履行，拒不报告财产。")
    form.get_by_label("审批人（院长）").select_option(label="吴院长")
    form.get_by_label("拘留日数").fill("16")
    form.get_by_label("地点/执行机关").fill("乌海市拘留所")
    form.get_by_test_id("submit").click()
    expect(phone_page.get_by_text("拘留期限不得超过15日")).to_be_visible()
    fits(phone_page)
    screenshot(phone_page, "refused-16-days")
    phone_page.get_by_test_id("measure-form").get_by_label("拘留日数").fill("15")
    phone_page.get_by_test_id("measure-form").get_by_test_id("submit").click()
    expect(phone_page.get_by_test_id("measure-status")).to_have_text("待审批")
    expect(phone_page.get_by_test_id("approve")).to_have_count(0)
    fits(phone_page)
    screenshot(phone_page, "requested")

    phone_page.context.clear_cookies()
    login(phone_page, "enf_president", PASSWORD)
    phone_page.goto("/enforcement/measures/approvals/")
    measure = CoerciveMeasure.objects.get()
    phone_page.get_by_test_id(f"awaiting-{measure.pk}").get_by_role("link").click()
    phone_page.get_by_label("意见/理由").fill("同意拘留十五日")
    fits(phone_page)
    screenshot(phone_page, "president")
    phone_page.get_by_test_id("approve").click()
    expect(phone_page.get_by_test_id("measure-status")).to_have_text("已批准")
    expect(phone_page.get_by_test_id("measure-document")).to_be_visible()

    phone_page.context.clear_cookies()
    login(phone_page, "officer", PASSWORD)
    phone_page.goto(f"/enforcement/measures/{measure.pk}/")
    phone_page.get_by_test_id("execute-form").get_by_role("button").click()
    expect(phone_page.get_by_test_id("measure-status")).to_have_text("执行中")
    family = phone_page.get_by_test_id("family-form")
    family.get_by_label("通知了谁、以何种方式").fill("电话通知其妻李某")
    family.get_by_role("button").click()
    expect(phone_page.get_by_test_id("measure-title")).to_be_visible()
    fits(phone_page)
    screenshot(phone_page, "detained")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.EXECUTED and measure.family_notified_at
    assert measure.decided_by == eworld.president

    phone_page.goto(f"/enforcement/cases/{case.pk}/#measures")
    expect(phone_page.get_by_test_id(f"measure-{measure.pk}")).to_contain_text("执行中")
    fits(phone_page)
    screenshot(phone_page, "case-panel")
