"""On a phone (390×844): the officer finds the debtor unwilling and lists him; the president
signs the restriction order; the debtor pays in full (the case is performed); the officer
removes the listing and lifts the restriction within the 3 working days; the performance
certificate verifies on the public page. (The public lookup is credit-public's.)"""

import re

from playwright.sync_api import expect

from credit.models import Listing, Removal, Restriction
from documents import converter
from enforcement.states import case_machine
from tests.conftest import PASSWORD
from tests.credit.conftest import fake_pdf, paid_in_full
from tests.enforcement import conftest as enforcement_fixtures

eworld = enforcement_fixtures.eworld
case = enforcement_fixtures.case


def test_officer_lists_debtor_pays_sanctions_lifted_certificate_verifies(
    eworld, case, phone_page, login, screenshot, monkeypatch
):
    monkeypatch.setattr(converter, "docx_to_pdf", fake_pdf)
    page = phone_page
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
    screenshot(page, "listing-form")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("已公布")
    expect(page.get_by_test_id("record-documents")).to_contain_text("纳入失信被执行人名单决定书")
    screenshot(page, "listing")

    page.context.clear_cookies()
    login(page, "enf_president", PASSWORD)
    page.goto("/credit/")
    page.get_by_test_id("to-decide").get_by_role("link").first.click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("status")).to_have_text("生效中")
    assert Restriction.objects.get().state == "in_force"

    paid_in_full(case, eworld.officer)
    case_machine.apply(case, "performed", actor=eworld.officer, note="被执行人全部履行")
    page.context.clear_cookies()
    login(page, "officer", PASSWORD)
    page.goto("/credit/")
    removals = page.get_by_test_id("open-removals").get_by_role("link")
    expect(removals).to_have_count(2)
    for _ in range(2):
        page.goto("/credit/")
        page.get_by_test_id("open-removals").get_by_role("link").first.click()
        expect(page.get_by_test_id("due")).to_contain_text("三个工作日")
        page.get_by_test_id("execute").click()
        expect(page.get_by_test_id("status")).to_have_text("已删除")
    screenshot(page, "removed")
    assert Listing.objects.get().publication == "removed"
    assert not any(r.is_late for r in Removal.objects.all())

    page.goto(f"/credit/debtors/{Listing.objects.get().debtor_id}/")
    expect(page.get_by_test_id("listing-publication")).to_have_text("已删除")
    page.go_back()
    page.goto(f"/credit/removals/{Removal.objects.order_by('pk').last().pk}/")
    page.get_by_test_id("certificate").click()
    documents = page.get_by_test_id("record-documents")
    expect(documents).to_contain_text("履行完毕证明")
    documents.get_by_role("link", name=re.compile(r"^[0-9A-Z]{4}-")).click()
    expect(page.get_by_test_id("verify-valid")).to_be_visible()
    expect(page.get_by_test_id("verify-facts")).to_contain_text("王**")
    screenshot(page, "verified")
