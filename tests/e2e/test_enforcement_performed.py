"""执行完毕 in the browser: a case paid in full and paid out, with a deposit still frozen, an
exit restriction under way and a consumption restriction in force; the officer concludes it
on the endings page; the page shows it concluded, the ending with the control lifted, and
the case page shows the freeze lifted, the exit restriction ended and the restriction's
removal started (credit, 3 working days)."""

from decimal import Decimal

from playwright.sync_api import expect

from enforcement.models import AssetKind, CaseStatus, ControlStatus, MeasureKind, ReceiptSource
from enforcement.services import measures
from enforcement.services.clues import clue_check, clue_record
from enforcement.services.controls import control_freeze
from tests.conftest import PASSWORD
from tests.enforcement import conftest as enforcement_fixtures
from tests.enforcement import notices_fixtures
from tests.enforcement.endings_fixtures import debtor_of, restrict
from tests.enforcement.funds_fixtures import pay_out, receive

eworld = enforcement_fixtures.eworld
fast_pdf = notices_fixtures.fast_pdf


def test_officer_concludes_a_fully_paid_case_and_its_measures_are_lifted(
    base_url, eworld, page, login, screenshot, fast_pdf
):
    case = enforcement_fixtures.make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                                          principal=Decimal("38600.00"), debtor="胡某")  # fmt: skip
    hu = debtor_of(case)
    clue = clue_record(case=case, actor=eworld.officer, kind=AssetKind.BANK_ACCOUNT,
                       description="工资卡", institution="中国农业银行乌海分行", debtor=hu,
                       identifier="6228480000000000000")  # fmt: skip
    clue = clue_check(clue=clue, actor=eworld.officer, found=True, result="属实",
                      estimated_value="12000.00")  # fmt: skip
    freeze = control_freeze(case=case, actor=eworld.officer, clue=clue, amount="12000.00")
    exit_ban = measures.measure_request(case=case, kind=MeasureKind.EXIT_RESTRICTION, subject=hu,
                                        actor=eworld.officer, reason="拒不履行，限制出境")  # fmt: skip
    measures.measure_execute(measure=exit_ban, actor=eworld.officer, note="已通知边检")
    restrict(case, eworld)
    # 胡某 pays in full; the applicant is paid
    receipt = receive(case, Decimal("38600.00"), eworld.clerk, source=ReceiptSource.VOLUNTARY,
                      payer="胡某")  # fmt: skip
    pay_out(receipt, requester=eworld.clerk, approver=eworld.president)

    login(page, "officer", PASSWORD)
    page.goto(f"/enforcement/cases/{case.pk}/endings/")
    form = page.get_by_test_id("form-performed")
    form.locator("input[name=note]").fill("被执行人全部履行，案款已发放")
    screenshot(page, "before")
    form.get_by_role("button").click()
    expect(page.locator("h1")).to_contain_text("执行完毕")
    ending = page.get_by_test_id("endings-ending")
    expect(ending).to_contain_text("执行完毕")
    expect(ending).to_contain_text("解除控制措施 1 项")
    expect(page.get_by_test_id("form-performed")).to_have_count(0)
    screenshot(page, "concluded")

    page.goto(case.get_absolute_url())
    expect(page.get_by_test_id(f"control-{freeze.pk}")).to_have_attribute("data-status", "lifted")
    expect(page.get_by_test_id(f"measure-{exit_ban.pk}")).to_contain_text("已结束")
    expect(page.get_by_test_id("removals")).to_contain_text("全部履行完毕")
    expect(page.get_by_test_id("removals")).to_contain_text("待删除")
    screenshot(page, "case-page")

    case.refresh_from_db()
    freeze.refresh_from_db()
    assert case.status == CaseStatus.PERFORMED and freeze.status == ControlStatus.LIFTED
