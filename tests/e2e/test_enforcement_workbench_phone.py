"""An officer works through 我的案件 on a phone (390×844): the overdue case first as a card,
the next page by its link, the case page readable without sideways scrolling; the clerk
assigns two filed cases from the court's list on the same phone."""

from playwright.sync_api import expect

from enforcement.models import CaseStatus, EnforcementCase
from tests.conftest import PASSWORD
from tests.e2e.layout import laid_out_width
from tests.enforcement import conftest as enforcement_fixtures
from tests.enforcement.conftest import make_case
from tests.enforcement.workbench_fixtures import start_clock

eworld = enforcement_fixtures.eworld


def test_officer_workbench_on_a_phone(base_url, eworld, phone_page, login, screenshot):
    late = make_case(eworld.court, eworld.clerk, officer=eworld.officer, is_livelihood=True)
    start_clock(late, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=-2)
    for _number in range(50):
        make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    login(phone_page, "officer", PASSWORD)
    phone_page.goto("/enforcement/")
    cards = phone_page.get_by_test_id("case-card")
    expect(cards).to_have_count(50)
    first = cards.first
    expect(first).to_contain_text(late.case_number)
    expect(first.get_by_test_id("overdue-badge")).to_be_visible()
    expect(first.get_by_test_id("priority-livelihood")).to_be_visible()
    expect(phone_page.get_by_test_id("workbench-table")).to_be_hidden()
    assert laid_out_width(phone_page) <= 390
    screenshot(phone_page, "workbench")

    phone_page.get_by_test_id("next-page").click()
    expect(phone_page.get_by_test_id("case-card")).to_have_count(1)

    phone_page.goto("/enforcement/")
    phone_page.get_by_test_id("case-card").first.click()
    expect(phone_page.get_by_test_id("case-number")).to_have_text(late.case_number)
    expect(phone_page.get_by_test_id("timeline")).to_contain_text("发出执行通知书及报告财产令")
    assert laid_out_width(phone_page) <= 390
    screenshot(phone_page, "case-page")


def test_clerk_assigns_from_the_list_on_a_phone(
    base_url, eworld, phone_page, login, screenshot, monkeypatch
):
    from enforcement import views

    def case_assign(*, case, officer, actor, note=""):  # the assignment service, recorded
        EnforcementCase.objects.filter(pk=case.pk).update(
            officer=officer, status=CaseStatus.IN_PROGRESS
        )

    monkeypatch.setattr(views, "case_assign", case_assign)
    filed = [make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED) for _n in range(3)]
    login(phone_page, "enf_clerk", PASSWORD)
    phone_page.goto("/enforcement/cases/?status=filed")
    cards = phone_page.get_by_test_id("case-cards")
    for case in filed[:2]:
        cards.get_by_label(case.case_number).check()
    phone_page.get_by_label("分配给承办人").select_option(label="赵执行")
    assert laid_out_width(phone_page) <= 390
    screenshot(phone_page, "court-list-selected")
    phone_page.get_by_test_id("bulk-assign-button").click()
    expect(phone_page.locator(".alert")).to_contain_text("已将2件案件分配给赵执行")
    assigned = EnforcementCase.objects.filter(officer=eworld.second_officer)
    assert set(assigned.values_list("pk", flat=True)) == {filed[0].pk, filed[1].pk}
    screenshot(phone_page, "court-list-assigned")
