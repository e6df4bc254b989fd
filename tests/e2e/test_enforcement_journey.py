"""Issue #10's journey across all of part 1, in a desktop browser, as the court's people do it:

the clerk records a judgment (20,000.00 owed), files the application at once (the case gets
its （2026）蒙0302执N号 number) and assigns it to the officer; the officer issues the 执行通知书
and the 报告财产令, runs an online inquiry (the simulated provider answers; the worker's
task runs here), freezes the 20,000.00 found at the post-office bank and, once the
freeze-to-deduct wait has passed, deducts it; the deduction lands in the case-fund ledger;
the officer proposes the payout, the president approves it (a second person), the officer
pays it, and the case's fund balance reads ¥0.00."""

from django.utils import timezone
from playwright.sync_api import expect

from enforcement.inquiry.runner import run
from enforcement.models import (
    AssetControl,
    AssetInquiry,
    EnforcementCase,
    EnforcementNotice,
    FundDisbursement,
    FundReceipt,
)
from enforcement.services.funds import case_fund_summary
from tests.conftest import PASSWORD
from tests.enforcement import conftest as enforcement_fixtures
from tests.enforcement import notices_fixtures
from tests.enforcement.assets_fixtures import script_story5

eworld = enforcement_fixtures.eworld
fast_pdf = notices_fixtures.fast_pdf


def switch_user(page, login, username):
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def test_clerk_files_officer_inquires_freezes_deducts_and_pays_out(
    base_url, eworld, fast_pdf, page, login, screenshot
):
    today = timezone.localdate()
    script_story5(today)  # the debtor's three bank accounts, 20,000.00 at 邮储

    # --- the clerk: basis → application → filed with its number → assigned -----------------
    login(page, "enf_clerk", PASSWORD)
    page.goto("/enforcement/filing/")
    page.get_by_test_id("new-basis").click()
    form = page.get_by_test_id("basis-form")
    form.get_by_label("作出机关").fill("海勃湾区人民法院")
    form.get_by_label("文书编号").fill("（2026）蒙0302民初520号")
    form.get_by_label("生效日期").fill("2026-09-01")
    form.locator("#id_deadlines-0-due_date").fill("2026-09-11")
    form.locator("#id_deadlines-0-amount").fill("20000.00")
    form.get_by_test_id("submit").click()

    form = page.get_by_test_id("application-form")
    form.get_by_label("直接立案").check()
    form.get_by_label("申请执行日期").fill(f"{today:%Y-%m-%d}")
    form.get_by_label("本金（元）").fill("20000.00")
    rows = form.get_by_test_id("party-row")
    rows.nth(0).get_by_label("诉讼地位").select_option("applicant")
    rows.nth(0).get_by_label("姓名/名称").fill("刘某")
    rows.nth(0).get_by_label("身份证号码").fill(enforcement_fixtures.ID_APPLICANT)
    rows.nth(1).get_by_label("诉讼地位").select_option("debtor")
    rows.nth(1).get_by_label("姓名/名称").fill("陈某")
    rows.nth(1).get_by_label("身份证号码").fill(enforcement_fixtures.ID_DEBTOR)
    rows.nth(1).get_by_label("送达地址").fill("海勃湾区新华街道团结社区3号楼")
    form.get_by_test_id("submit").click()

    case = EnforcementCase.objects.get()
    assert case.case_number == f"（{today.year}）蒙0302执{case.number_sequence}号"
    expect(page.get_by_test_id("case-number")).to_have_text(case.case_number)
    expect(page.get_by_test_id("status")).to_have_text("已立案待分配")
    assign = page.get_by_test_id("assign-form")
    assign.get_by_label("承办人").select_option(str(eworld.officer.pk))
    assign.get_by_role("button", name="确定承办人").click()
    expect(page.get_by_test_id("status")).to_have_text("执行中")
    case.refresh_from_db()
    assert case.officer == eworld.officer

    # --- the officer: the two notices ------------------------------------------------------
    switch_user(page, login, "officer")
    page.goto(f"/enforcement/cases/{case.pk}/notices/")
    page.get_by_test_id("notices-panel").get_by_test_id("issue-link").click()
    form = page.get_by_test_id("issue-form")
    expect(form.get_by_label("执行通知书")).to_be_checked()
    expect(form.get_by_label("报告财产令")).to_be_checked()
    form.get_by_test_id("submit").click()
    notice, order = EnforcementNotice.objects.filter(case=case).order_by("pk")
    panel = page.get_by_test_id("notices-panel")
    expect(panel).to_contain_text(notice.document.number)
    expect(panel).to_contain_text(order.document.number)

    # --- the online inquiry, run by the worker's task here --------------------------------
    page.goto(f"/enforcement/cases/{case.pk}/assets/")
    page.get_by_test_id("inquiry-submit").click()
    expect(page.get_by_test_id("inquiry-progress")).to_contain_text("已反馈 0 / 1")
    run(inquiry_ids=[AssetInquiry.objects.get(case=case).pk])
    page.reload()
    findings = page.get_by_test_id("findings")
    expect(findings.locator("li")).to_have_count(3)
    post_office = findings.locator("li", has_text="中国邮政储蓄银行")
    post_office.get_by_test_id("finding-control-open").click()
    post_office.get_by_label("冻结金额（元）").fill("20000.00")
    post_office.get_by_test_id("finding-control-submit").click()
    expect(page.get_by_test_id("frozen-total")).to_have_text("¥20,000.00")
    control = AssetControl.objects.get(case=case)
    assert control.deductible_on > today  # the freeze-to-deduct wait

    # Fifteen days pass (the wait, as the court's rule sets it): move the freeze back in time
    # instead of the clock, so the server, the browser and the database agree on "today".
    waited = control.deductible_on - today
    AssetControl.objects.filter(pk=control.pk).update(
        effective_on=control.effective_on - waited,
        deductible_on=today,
        expires_on=control.expires_on - waited,
    )
    page.reload()
    row = page.get_by_test_id(f"control-{control.pk}")
    expect(row.get_by_test_id("control-deductible")).to_contain_text("可扣划")
    row.get_by_test_id("control-deduct").locator("summary").click()
    deduct = row.get_by_test_id("control-deduct-form")
    deduct.get_by_label("扣划金额（元）").fill("20000.00")
    deduct.get_by_test_id("control-deduct-submit").click()
    expect(page.get_by_test_id(f"control-{control.pk}")).to_contain_text("已扣划 ¥20,000.00")

    # --- the money in the case-fund ledger, the payout, a second person's approval ---------
    receipt = FundReceipt.objects.get(case=case)
    assert (receipt.source, str(receipt.amount), receipt.control_id) == (
        "deduction", "20000.00", control.pk
    )  # fmt: skip
    page.goto(f"/enforcement/cases/{case.pk}/funds/")
    expect(page.get_by_test_id("funds-balance")).to_have_text("¥20,000.00")
    page.get_by_test_id(f"propose-{receipt.pk}").click()
    expect(page.get_by_test_id("funds-rows")).to_contain_text("1 笔待审批")
    expect(page.get_by_test_id(f"approve-{receipt.pk}")).to_have_count(0)  # not their own

    switch_user(page, login, "enf_president")
    page.goto(f"/enforcement/cases/{case.pk}/funds/")
    page.get_by_test_id(f"approve-{receipt.pk}").click()
    expect(page.get_by_test_id(f"row-{receipt.pk}")).not_to_contain_text("待审批")

    switch_user(page, login, "officer")
    page.goto(f"/enforcement/cases/{case.pk}/funds/")
    pay = page.get_by_test_id(f"pay-{receipt.pk}")
    pay.get_by_label("银行流水号").fill("PSBC20261201001")
    pay.get_by_role("button").click()
    expect(page.get_by_test_id("funds-balance")).to_have_text("¥0.00")
    expect(page.get_by_test_id("funds-paid")).to_have_text("¥20,000.00")
    expect(page.get_by_test_id("funds-outstanding")).to_have_text("¥0.00")

    payout = FundDisbursement.objects.get(case=case)
    assert payout.status == "paid" and payout.decided_by == eworld.president
    assert payout.requested_by == eworld.officer and payout.bank_reference == "PSBC20261201001"
    summary = case_fund_summary(case)
    assert (str(summary.balance), str(summary.paid_to_applicants)) == ("0.00", "20000.00")
    page.goto(f"/enforcement/cases/{case.pk}/")
    expect(page.get_by_test_id("case-number")).to_have_text(case.case_number)
    screenshot(page, "case-page-paid", full_page=False)
    page.goto(f"/enforcement/cases/{case.pk}/funds/")
    screenshot(page, "funds-paid")
    # the case's history (操作记录) tells every part of it
    page.goto(f"/audit/enforcement/enforcementcase/{case.pk}/")
    history = page.get_by_test_id("history-table")
    for subject in ("执行通知文书", "网络查控", "财产控制措施", "案款到账", "案款发放/退还"):
        expect(history).to_contain_text(subject)
