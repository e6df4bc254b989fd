"""Story 10 (seed 002), the whistle loop in a browser: a grid worker registers a complaint
on a phone; the centre triages and dispatches it; the heating company accepts and answers;
the centre closes it; the resident rates it through the no-login link."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Dispute, DisputeStatus
from organisations import demo
from tests.factories import image_bytes

pytestmark = pytest.mark.browser

PNG = image_bytes("PNG")


@pytest.fixture
def haibowan(transactional_db):
    context: dict = {}
    demo.load(context)
    return context


def _logout(page):
    page.context.clear_cookies()


def test_whistle_loop(haibowan, browser, phone_page, page, login, screenshot, base_url):
    # 出卷: the grid worker, on a phone
    login(phone_page, "grid", demo.DEMO_PASSWORD)
    phone_page.goto("/cases/report/")
    phone_page.get_by_label("什么问题").select_option("property_management")
    phone_page.get_by_label("情况描述").fill("团结社区5号楼暖气不热，室温只有12度，老人受冻。")
    phone_page.get_by_label("地点").fill("团结社区5号楼2单元")
    phone_page.get_by_label("反映人姓名").fill("王秀英")
    phone_page.get_by_label("反映人电话").fill("13947300001")
    phone_page.get_by_label("现场照片").set_input_files(
        files=[{"name": "scene.png", "mimeType": "image/png", "buffer": PNG}]
    )
    screenshot(phone_page, "phone-intake")
    phone_page.get_by_test_id("submit").click()
    expect(phone_page.get_by_test_id("status")).to_have_text("待研判")
    dispute = Dispute.objects.get()
    assert dispute.attachments.count() == 1

    # 研判 + 吹哨: the street centre, on a desktop
    login(page, "centre", demo.DEMO_PASSWORD)
    page.goto(f"/cases/{dispute.pk}/")
    triage = page.get_by_test_id("triage-form")
    triage.get_by_label("难易程度").select_option("complex")
    triage.get_by_label("主责单位").select_option(label="乌海市热力公司海勃湾分公司")
    triage.get_by_role("button", name="提交研判").click()
    expect(page.get_by_test_id("status")).to_have_text("待吹哨")
    dispatch_form = page.get_by_test_id("dispatch-form")
    dispatch_form.get_by_label("乌海市热力公司海勃湾分公司").check()
    dispatch_form.get_by_role("button", name="吹哨").click()
    expect(page.get_by_test_id("status")).to_have_text("已吹哨")

    # 应哨 + 答卷: the heating company
    responder_context = browser.new_context(
        base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    responder = responder_context.new_page()
    login(responder, "heating", demo.DEMO_PASSWORD)
    responder.goto("/cases/inbox/")
    responder.get_by_test_id("inbox").get_by_text(dispute.reference).click()
    responder.get_by_test_id("accept").click()
    responder.get_by_label("处置情况").fill(
        "已派维修工排查，更换5号楼2单元堵塞阀门，室温恢复到20度。"
    )
    responder.get_by_test_id("submit-answer").click()
    expect(responder.get_by_test_id("answer")).to_contain_text("更换")
    responder_context.close()

    # 交卷: the centre reviews and closes; the page shows the rating link and SMS text
    page.goto(f"/cases/{dispute.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("待交卷")
    page.get_by_test_id("review-form").get_by_role("button", name="确认化解").click()
    expect(page.get_by_test_id("status")).to_have_text("待评卷")
    rating_url = page.get_by_test_id("rating-url").get_attribute("href")
    expect(page.get_by_test_id("rating-sms")).to_contain_text("【枫桥】")
    screenshot(page, "dispute-page")

    # 评卷: the resident, on her phone, without logging in
    resident_context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    resident = resident_context.new_page()
    resident.goto(rating_url)
    resident.get_by_label("满意", exact=True).check()
    resident.get_by_label("意见建议").fill("师傅来得很快，谢谢！")
    resident.get_by_test_id("submit-rating").click()
    expect(resident.get_by_test_id("rate-done")).to_be_visible()
    resident_context.close()

    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CLOSED and dispute.resolved_at and dispute.closed_at
    page.goto(f"/cases/{dispute.pk}/")
    expect(page.get_by_test_id("timeline")).to_contain_text(re.compile("评卷.*销号", re.S))

    # LEDGER: the screening ledger and its resolution rate move (added by the ledger work;
    # the dispute above is 增量 1, 化解 1, 销号 1 for 新华街道综治中心's period).
    today = timezone.localdate()
    period = f"start={today:%Y-%m-%d}&end={today + datetime.timedelta(days=1):%Y-%m-%d}"
    page.goto(f"/cases/ledger/?{period}")  # the centre clerk's own organisation by default
    expect(page.locator('[data-figure="new"]')).to_have_text("1")
    expect(page.locator('[data-figure="resolved"]')).to_have_text("1")
    expect(page.locator('[data-figure="closed"]')).to_have_text("1")
    expect(page.get_by_test_id("ledger-rate")).to_have_text("100.0%")
    page.get_by_test_id("ledger-closed").click()
    expect(page.get_by_test_id("drill-table")).to_contain_text(dispute.reference)
    screenshot(page, "ledger")
