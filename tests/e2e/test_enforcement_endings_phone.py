"""终本 in the browser (enf-endings): the officer, on a phone, sees which 终本 conditions hold,
asks for 终本 with the work done and the applicant heard; the president approves on a
desktop (the ruling issued); later the 6-monthly job finds a deposit and the case is resumed
— the officer follows the 终本 case's panel to the new 执恢 case."""

from django.utils import timezone
from playwright.sync_api import expect

from enforcement.inquiry.runner import run
from enforcement.inquiry.simulated import simulated_script
from enforcement.models import FinalCheck
from enforcement.services.final_checks import final_checks_collect, final_checks_start
from tests.conftest import PASSWORD
from tests.e2e.layout import laid_out_width
from tests.enforcement import conftest as enforcement_fixtures
from tests.enforcement import notices_fixtures
from tests.enforcement.endings_fixtures import FINAL_STATEMENTS, ready_for_final

eworld = enforcement_fixtures.eworld
fast_pdf = notices_fixtures.fast_pdf

NOTHING = {"kind": "social_insurance", "institution": "乌海市社会保险事业管理局",
           "identifier": "150302197504120221"}  # fmt: skip
DEPOSIT = {"kind": "bank_account", "institution": "中国建设银行乌海分行",
           "identifier": "6217000012345678901", "balance": "30000.00"}  # fmt: skip


def test_officer_concludes_by_final_and_resumes(
    base_url, eworld, phone_page, page, login, screenshot, fast_pdf
):
    today = timezone.localdate()
    simulated_script(identity=enforcement_fixtures.ID_DEBTOR, findings=[NOTHING],
                     available_from=today)  # fmt: skip
    case = enforcement_fixtures.make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                                          debtor="孙某")  # fmt: skip
    ready_for_final(case, eworld)

    login(phone_page, "officer", PASSWORD)
    phone_page.goto(f"/enforcement/cases/{case.pk}/endings/")
    conditions = phone_page.get_by_test_id("endings-conditions")
    expect(conditions).to_contain_text("听取其意见")
    form = phone_page.get_by_test_id("form-final-request")
    form.locator("textarea[name=work_done]").fill(FINAL_STATEMENTS["work_done"])
    form.locator("input[name=applicant_heard_on]").fill(today.isoformat())
    form.locator("select[name=applicant_heard_by]").select_option("signed")
    form.locator("textarea[name=applicant_opinion]").fill("同意终本")
    form.locator("textarea[name=credit_reason]").fill(FINAL_STATEMENTS["credit_reason"])
    form.locator("select[name=approver]").select_option(str(eworld.president.pk))
    assert laid_out_width(phone_page) <= 390
    screenshot(phone_page, "final-request")
    form.get_by_role("button").click()
    expect(phone_page.get_by_test_id("endings-final-request")).to_contain_text("待院长审批")

    login(page, "enf_president", PASSWORD)
    page.goto(f"/enforcement/cases/{case.pk}/endings/")
    page.get_by_test_id("form-final-approve").get_by_role("button").click()
    expect(page.locator("h1")).to_contain_text("终结本次执行程序")
    expect(page.get_by_test_id("endings-schedule")).to_contain_text("定期查询中")
    screenshot(page, "approved")

    # six months later the job finds a new deposit (the worker's part, in this process)
    simulated_script(identity=enforcement_fixtures.ID_DEBTOR, findings=[DEPOSIT],
                     available_from=today)  # fmt: skip
    schedule = case.final_check_schedule
    assert final_checks_start(today=schedule.next_due_on) == 1
    run(inquiry_ids=[FinalCheck.objects.get(schedule=schedule).inquiry_id])
    assert final_checks_collect() == 1

    phone_page.goto(f"/enforcement/cases/{case.pk}/endings/")
    resumed_link = phone_page.get_by_test_id("endings-resumed")
    expect(resumed_link).to_contain_text("执恢1号")
    expect(phone_page.get_by_test_id("endings-panel")).to_contain_text("余额30000.00元")
    screenshot(phone_page, "found")
    expect(phone_page.get_by_test_id("form-resume")).to_have_count(0)
    resumed_link.click()
    expect(phone_page.locator("h1")).to_contain_text("执恢1号")
    screenshot(phone_page, "resumed-case")
