"""A street centre clerk imports a hotline export, fixes a bad row, and reads the ledger.

Upload with one bad phone → the whole file is refused with the row named; upload the fixed
file → preview → confirm → three disputes; the ledger shows 增量 3 and its drill-down lists
exactly those three; the weekly report page opens.
"""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Dispute
from tests.cases.reports_world import area, valid_id_number  # noqa: F401
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def hotline_csv(path, *, bad_phone: bool) -> str:
    now = timezone.localtime() - datetime.timedelta(minutes=2)
    when = now.strftime("%Y-%m-%d %H:%M")
    rows = [
        [
            "工单编号",
            "来电时间",
            "诉求人",
            "身份证号",
            "联系电话",
            "诉求类别",
            "诉求内容",
            "所属街道",
            "所属社区",
        ],
        [
            "RX001",
            when,
            "张三",
            valid_id_number(),
            "13800138000",
            "邻里纠纷",
            "楼上漏水",
            "新华街道",
            "团结社区",
        ],
        [
            "RX002",
            when,
            "李四",
            "",
            "1390013900" if bad_phone else "13900139000",
            "物业",
            "电梯停运",
            "新华街道",
            "新华西社区",
        ],
        ["RX003", when, "王五", "", "13700137000", "欠薪", "工资拖欠三个月", "新华街道", ""],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return str(path)


def test_import_then_ledger(page, login, area, tmp_path, screenshot):  # noqa: F811
    login(page, area.clerk.username, PASSWORD)

    page.goto("/cases/imports/")
    page.get_by_label("导入单位").select_option(str(area.street.pk))
    page.get_by_label("文件（.xlsx 或 .csv）").set_input_files(
        hotline_csv(tmp_path / "bad.csv", bad_phone=True)
    )
    page.get_by_test_id("import-upload").click()
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "invalid")
    expect(page.get_by_test_id("import-error-rows")).to_have_text("1")
    expect(page.locator('tr[data-row="3"]')).to_contain_text("请输入11位中国大陆手机号码")
    expect(page.get_by_test_id("import-error-report")).to_be_visible()
    assert Dispute.objects.count() == 0

    page.goto("/cases/imports/")
    page.get_by_label("导入单位").select_option(str(area.street.pk))
    page.get_by_label("文件（.xlsx 或 .csv）").set_input_files(
        hotline_csv(tmp_path / "good.csv", bad_phone=False)
    )
    page.get_by_test_id("import-upload").click()
    expect(page.get_by_test_id("import-preview")).to_contain_text("138****8000")
    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("import-created")).to_have_text("3")
    screenshot(page, "import-done")

    today = timezone.localdate()
    page.goto(
        f"/cases/ledger/?organisation={area.street.pk}&start={today:%Y-%m-%d}"
        f"&end={today + datetime.timedelta(days=1):%Y-%m-%d}"
    )
    expect(page.locator('[data-figure="new"]')).to_have_text("3")
    expect(page.locator('[data-figure="stock"]')).to_have_text("0")
    expect(page.locator('[data-figure="screened"]')).to_have_text("3")
    expect(page.get_by_test_id("ledger-rate")).to_have_text("0.0%")
    expect(page.get_by_test_id("ledger-branches")).to_contain_text("团结社区居委会")
    screenshot(page, "ledger")

    page.get_by_test_id("ledger-new").click()
    expect(page.get_by_test_id("drill-count")).to_have_text("3")
    for dispute in Dispute.objects.all():
        expect(page.get_by_test_id("drill-table")).to_contain_text(dispute.reference)

    page.goto(f"/cases/weekly/?organisation={area.street.pk}&week={today:%Y-%m-%d}")
    expect(page.get_by_test_id("weekly-title")).to_contain_text(
        "新华街道综治中心矛盾纠纷排查化解周报表"
    )
    expect(page.get_by_test_id("weekly-totals")).to_contain_text("3")
