"""Issue #11's browser journey, on a phone (390×844), through the pages each person uses:

1. the officer finds the debtor able but unwilling (失信) and lists him; the listing asks
   the president (吴院长) for the consumption restriction, which only he signs;
2. the public lookup (offline challenge) shows the debtor's masked entry;
3. the debtor pays the whole debt into the court's case account: the officer records the
   receipt, proposes the payout to the applicant, the president (a second person) approves
   it, the officer pays it with the bank reference — nothing is owed, nothing held;
4. the case is marked 执行完毕 (no page carries that transition yet: the state machine is
   called as the officer, the one step not taken in the browser); this starts one removal
   per sanction with its 3-working-day deadline;
5. the officer executes both removals within the deadline (the staff search by two
   characters of the name shows both records removed);
6. the public lookup no longer finds the debtor;
7. the 履行完毕证明 is issued and verifies on the public verification page.

(It replaces tests/e2e/test_credit_officer_phone.py, which marked a money case performed
without paying, which the funds guard now refuses.)"""

import re

import pytest
from playwright.sync_api import expect

from common import challenge
from credit.models import Listing, Removal, Restriction
from deadlines.models import Deadline
from documents import converter
from enforcement.services.funds import funds_performance_refusal
from enforcement.states import case_machine
from tests.conftest import PASSWORD
from tests.credit.conftest import fake_pdf
from tests.e2e.layout import laid_out_width
from tests.enforcement import conftest as enforcement_fixtures
from tests.enforcement.conftest import ID_DEBTOR

eworld = enforcement_fixtures.eworld
case = enforcement_fixtures.case


def public_lookup(page, name, identity):
    page.goto("/gs/")
    page.get_by_test_id("lookup-name").fill(name)
    page.get_by_test_id("lookup-identity").fill(identity)
    page.get_by_test_id("challenge-answer").fill("7")
    page.get_by_test_id("lookup-submit").click()


def switch_user(page, login, username):
    page.context.clear_cookies()
    login(page, username, PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_listed_debtor_pays_into_the_court_account_and_is_restored(
    eworld, case, phone_page, login, screenshot, monkeypatch
):
    monkeypatch.setattr(converter, "docx_to_pdf", fake_pdf)
    # the live server runs in this process: every challenge picture asks 3 + 4 (the token is
    # still signed, single-use and checked by the real code)
    monkeypatch.setattr(challenge, "_draw_question", lambda: ("3 + 4 = ?", 7))
    page = phone_page

    # 1. the officer lists the debtor; the president signs the restriction order
    login(page, "officer", PASSWORD)
    page.goto(f"/credit/cases/{case.pk}/finding/")
    page.get_by_label("认定结论").select_option("unwilling")
    page.get_by_label("认定理由").fill("名下有车辆一辆，经通知拒不履行")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("findings")).to_contain_text("失信（有能力而不履行）")

    page.goto(f"/credit/cases/{case.pk}/listing/")
    page.get_by_label("失信情形").select_option("4")
    page.get_by_label("生效法律文书确定的义务").fill("给付借款本金51770元及利息")
    page.get_by_label("失信被执行人行为具体情形").fill("收到报告财产令后拒不报告财产")
    page.get_by_label("签发限制消费令的院长").select_option(label="吴院长")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("已公布")
    expect(page.get_by_test_id("record-documents")).to_contain_text("纳入失信被执行人名单决定书")
    screenshot(page, "1-listed")

    switch_user(page, login, "enf_president")
    page.goto("/credit/")
    page.get_by_test_id("to-decide").get_by_role("link").first.click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("status")).to_have_text("生效中")
    restriction = Restriction.objects.get()
    assert restriction.state == "in_force" and restriction.approver == eworld.president

    # 2. the public sees the masked entry
    page.context.clear_cookies()
    public_lookup(page, "王被执", ID_DEBTOR)
    entry = page.get_by_test_id("lookup-entry-listing")
    expect(entry).to_contain_text("王**")
    expect(entry).to_contain_text(case.case_number)
    assert ID_DEBTOR not in page.content()
    screenshot(page, "2-public-found")

    # 3. the debtor pays in full into the court account; payout requested and approved by
    # a second person, then paid
    login(page, "officer", PASSWORD)
    page.goto(f"/enforcement/cases/{case.pk}/funds/")
    form = page.get_by_test_id("receipt-form")
    form.get_by_label("到账金额（元）").fill("51770.00")
    form.get_by_label("来源").select_option("voluntary")
    form.get_by_label("说明").fill("被执行人主动缴纳全部执行款")
    form.get_by_test_id("submit-receipt").click()
    expect(page.get_by_test_id("funds-balance")).to_have_text("¥51,770.00")
    page.get_by_role("button", name="按份额拟定发放").click()
    expect(page.get_by_test_id("funds-rows")).to_contain_text("1 笔待审批")
    assert funds_performance_refusal(case) is not None  # money held: not yet performed

    switch_user(page, login, "enf_president")
    page.goto(f"/enforcement/cases/{case.pk}/funds/")
    page.get_by_role("button", name="批准", exact=True).click()

    switch_user(page, login, "officer")
    page.goto(f"/enforcement/cases/{case.pk}/funds/")
    pay = page.locator("[data-testid^=pay-]")
    pay.get_by_label("银行流水号").fill("ICBC20261201007")
    pay.get_by_role("button").click()
    expect(page.get_by_test_id("funds-balance")).to_have_text("¥0.00")
    expect(page.get_by_test_id("funds-paid")).to_have_text("¥51,770.00")
    expect(page.get_by_test_id("funds-outstanding")).to_have_text("¥0.00")
    screenshot(page, "3-paid-out")

    # 4. 执行完毕: the guard lets it through now; one removal per sanction, 3 working days
    assert funds_performance_refusal(case) is None
    case_machine.apply(case, "performed", actor=eworld.officer, note="被执行人全部履行")
    removals = list(Removal.objects.order_by("pk"))
    assert len(removals) == 2
    assert {r.trigger for r in removals} == {"full_performance"}
    for removal in removals:
        clock = Deadline.objects.get(kind="credit.removal", object_id=removal.pk)
        assert clock.due_at == removal.due_at > removal.fact_at

    # 5. the officer executes both within the deadline
    page.goto("/credit/")
    expect(page.get_by_test_id("open-removals").get_by_role("link")).to_have_count(2)
    for _ in range(2):
        page.goto("/credit/")
        page.get_by_test_id("open-removals").get_by_role("link").first.click()
        expect(page.get_by_test_id("due")).to_contain_text("三个工作日")
        page.get_by_test_id("execute").click()
        expect(page.get_by_test_id("status")).to_have_text("已删除")
    assert Listing.objects.get().publication == "removed"
    restriction.refresh_from_db()
    assert restriction.state == "lifted"
    for removal in Removal.objects.all():
        assert removal.state == "done" and removal.done_at <= removal.due_at
        assert not removal.is_late
    page.goto("/credit/")
    expect(page.get_by_test_id("late-removals")).to_contain_text("没有超期的删除/解除")
    # the staff search from the desk, by two characters of the name: both records, removed
    desk_search = page.get_by_test_id("desk-search")
    desk_search.get_by_role("searchbox").fill("被执")
    desk_search.get_by_role("button", name="查询").click()
    hits = page.get_by_test_id("search-hit")
    expect(hits).to_have_count(2)
    expect(page.get_by_test_id("search-results")).to_contain_text("失信")
    expect(page.get_by_test_id("search-results")).to_contain_text("限制消费")
    expect(hits.first).to_contain_text("已删除")
    assert ID_DEBTOR not in page.content()
    assert laid_out_width(page) <= 390
    screenshot(page, "5-removed-search")

    # 6. the public no longer finds him
    page.context.clear_cookies()
    public_lookup(page, "王被执", ID_DEBTOR)
    expect(page.get_by_test_id("lookup-none")).to_be_visible()
    expect(page.get_by_test_id("lookup-entry-listing")).to_have_count(0)
    screenshot(page, "6-public-none")

    # 7. the performance certificate verifies on the public page
    login(page, "officer", PASSWORD)
    page.goto(f"/credit/removals/{Removal.objects.order_by('pk').last().pk}/")
    page.get_by_test_id("certificate").click()
    documents = page.get_by_test_id("record-documents")
    expect(documents).to_contain_text("履行完毕证明")
    documents.get_by_role("link", name=re.compile(r"^[0-9A-Z]{4}-")).click()
    expect(page.get_by_test_id("verify-valid")).to_be_visible()
    expect(page.get_by_test_id("verify-facts")).to_contain_text("王**")
    screenshot(page, "7-certificate-verified")
    assert laid_out_width(page) <= 390
