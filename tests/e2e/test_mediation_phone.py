"""A mediator logs a session on a phone (390×844): from "my week" to the saved record, the
form asking for five things up front; then records the agreement reached, with a money
obligation, on the same phone."""

from decimal import Decimal

from playwright.sync_api import expect

from mediation.models import Agreement, Session
from mediation.services import mediation_receipt_sign
from tests.conftest import PASSWORD
from tests.e2e.layout import laid_out_width
from tests.factories import image_bytes
from tests.mediation import conftest as mediation_fixtures

# the mediation tests' fixtures, used here as they are
mworld = mediation_fixtures.mworld
delegated = mediation_fixtures.delegated


def test_mediator_logs_a_session_on_a_phone(
    base_url, mworld, delegated, phone_page, login, screenshot
):
    case = mediation_receipt_sign(case=delegated, actor=mworld.zhang)
    login(phone_page, "zhang", PASSWORD)
    phone_page.goto("/mediation/week/")
    waiting = phone_page.get_by_test_id("week-waiting")
    expect(waiting).to_contain_text(case.reference)
    waiting.get_by_text(case.reference).click()
    phone_page.get_by_test_id("log-session").click()

    form = phone_page.get_by_test_id("session-form")
    # five things up front; the rest folded under 更多
    expect(form.locator("label.form-label:visible")).to_have_count(5)
    expect(form.get_by_label("下次调解时间")).to_be_hidden()
    form.get_by_label("地点").fill("团结社区红色驿站")
    form.get_by_label("当事人", exact=True).check()
    form.get_by_label("物业公司").check()
    form.get_by_label("调解笔录（要点）").fill("双方陈述漏水经过，约定由物业先行维修。")
    form.get_by_label("照片、材料").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": image_bytes("PNG")}]
    )
    assert laid_out_width(phone_page) <= 390
    screenshot(phone_page, "session-form")
    form.get_by_test_id("submit").click()

    expect(phone_page.get_by_test_id("status")).to_have_text("调解中")
    expect(phone_page.get_by_test_id("sessions")).to_contain_text("团结社区红色驿站")
    screenshot(phone_page, "case-after-session")
    session = Session.objects.get(case=case)
    assert session.files.count() == 1
    assert sorted(session.attendees.values_list("kind", flat=True)) == ["party", "property_company"]

    # the agreement reached in that session, recorded on the phone too
    phone_page.goto(f"/mediation/{case.pk}/agreement/")
    form = phone_page.get_by_test_id("agreement-form")
    form.locator("[name=terms]").fill(
        "物业公司赔偿维修费一千五百元，于二〇二七年六月三十日前付清。"
    )
    form.locator("[name=o0_obligor]").select_option(index=1)
    form.locator("[name=o0_obligee]").select_option(index=2)
    form.locator("[name=o0_kind]").select_option("money")
    form.locator("[name=o0_amount]").fill("1500.00")
    form.locator("[name=o0_due_date]").fill("2027-06-30")
    assert laid_out_width(phone_page) <= 390
    screenshot(phone_page, "agreement-form")
    form.get_by_test_id("submit").click()

    expect(phone_page.get_by_test_id("agreement")).to_be_visible()
    expect(phone_page.get_by_test_id("obligation")).to_contain_text("1,500.00")
    obligation = Agreement.objects.get(case=case).obligations.get()
    assert obligation.amount == Decimal("1500.00") and str(obligation.due_date) == "2027-06-30"
    assert obligation.obligor_id != obligation.obligee_id
