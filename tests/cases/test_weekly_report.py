"""The weekly report: figures per unit and category, the Excel layout, the page, scoping."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from cases.ledger import Period
from cases.reports import parse_week, weekly_report, weekly_report_xlsx
from tests.cases.reports_world import area, make_dispute  # noqa: F401

WEEK = Period.from_dates(datetime.date(2026, 11, 16), datetime.date(2026, 11, 23))
TITLE = "新华街道综治中心矛盾纠纷排查化解周报表（2026年第47周 11月16日—11月22日）"


@pytest.fixture
def week(area):  # noqa: F811
    s, t, x, c = area.street, area.tuanjie, area.xinhuaxi, area.clerk
    # 本级: open since October (存量, 在办) and one resolved + closed in the week
    make_dispute(s, c, registered="2026-10-20 09:00")
    make_dispute(s, c, registered="2026-11-10 09:00", resolved="2026-11-18 09:00",
                 closed="2026-11-19 09:00", category="property_management")  # fmt: skip
    # 团结社区: two new, one resolved; one overdue
    make_dispute(t, c, registered="2026-11-16 10:00", resolved="2026-11-20 10:00",
                 category="labour_wages")  # fmt: skip
    make_dispute(t, c, registered="2026-11-17 10:00", due="2026-11-20 18:00")
    # 新华西社区: nothing this week (listed with zeros); 海北街道 is not in this report
    make_dispute(area.haibei, area.supervisor, registered="2026-11-17 09:00")
    make_dispute(x, c, registered="2026-11-24 09:00")  # next week


def test_week_parsing():
    assert parse_week("2026-W47") == WEEK
    assert parse_week("2026-11-19") == WEEK
    assert parse_week("", today=datetime.date(2026, 11, 25)) == WEEK  # last full week
    assert parse_week("nonsense", today=datetime.date(2026, 11, 24)) == WEEK


def test_report_rows_and_totals(area, week):  # noqa: F811
    report = weekly_report(area.clerk, area.street, WEEK)
    assert report.title == TITLE
    labels = [row.label for row in report.rows]
    assert labels == ["本级", "团结社区居委会", "新华西社区居委会"]
    own, tuanjie, xinhuaxi = report.rows
    # 存量 增量 排查 化解 销号 在办 超期 化解率
    assert own.cells() == [2, 0, 2, 1, 1, 1, 0, "50.0%"]
    assert tuanjie.cells() == [0, 2, 2, 1, 0, 1, 1, "50.0%"]
    assert xinhuaxi.cells() == [0, 0, 0, 0, 0, 0, 0, "—"]
    totals = report.totals
    assert (totals.stock, totals.new, totals.resolved, totals.closed) == (2, 2, 2, 1)
    assert (totals.in_progress, totals.overdue, totals.rate_display) == (2, 1, "50.0%")
    categories = {row.label: row.cells() for row in report.category_rows}
    assert categories == {
        "邻里": [1, 1, 2, 0, 0, 2, 1, "0.0%"],
        "物业": [1, 0, 1, 1, 1, 0, 0, "100.0%"],
        "劳动争议/欠薪": [0, 1, 1, 1, 0, 0, 0, "100.0%"],
    }


@time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC))
def test_xlsx_layout(area, week):  # noqa: F811
    report = weekly_report(area.clerk, area.street, WEEK)
    content = weekly_report_xlsx(report, filled_by="赵中心")
    sheet = load_workbook(io.BytesIO(content)).active

    assert sheet.title == "2026年第47周"
    assert sheet["A1"].value == TITLE
    assert "A1:J1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "填报单位（盖章）：新华街道综治中心"
    assert sheet["F2"].value == "统计时间：2026年11月16日至2026年11月22日"
    assert sheet["A3"].value == "一、分单位统计"
    header = [sheet.cell(4, col).value for col in range(1, 11)]
    assert header == [
        "序号",
        "单位",
        "存量",
        "增量",
        "排查",
        "化解",
        "销号",
        "在办",
        "超期",
        "化解率",
    ]
    assert [sheet.cell(5, col).value for col in range(1, 11)] == [
        1, "本级", 2, 0, 2, 1, 1, 1, 0, 0.5
    ]  # fmt: skip
    # 化解率 is a number the sheet shows as a percentage (so it can be summed and charted)
    assert sheet["J5"].number_format == "0.0%" and sheet["J8"].number_format == "0.0%"
    assert [sheet.cell(6, col).value for col in range(2, 11)] == [
        "团结社区居委会", 0, 2, 2, 1, 0, 1, 1, 0.5
    ]  # fmt: skip
    assert sheet["B7"].value == "新华西社区居委会"
    assert [sheet.cell(8, col).value for col in range(1, 11)] == [
        "合计", None, 2, 2, 4, 2, 1, 2, 1, 0.5
    ]  # fmt: skip
    assert sheet["C5"].border.left.style == "thin" and sheet["J8"].border.bottom.style == "thin"
    assert sheet["A10"].value == "二、分类别统计"
    assert sheet["B11"].value == "纠纷类别"
    assert sheet["B12"].value == "邻里"
    signature_row = next(
        row for row in sheet.iter_rows(values_only=True) if row[0] and "填报人" in str(row[0])
    )
    assert signature_row[0].startswith("填报人：赵中心")
    assert "审核人：" in signature_row[0]
    assert "填报日期：2026年11月23日" in signature_row[0]
    assert sheet.page_setup.orientation == "landscape"


def test_page_and_download(area, week, client_for):  # noqa: F811
    client = client_for(area.clerk)
    params = {"organisation": area.street.pk, "week": "2026-W47"}
    page = client.get(reverse("case_reports:weekly"), params).content.decode()
    assert TITLE in page
    assert "团结社区居委会" in page and "合计" in page and "50.0%" in page
    # the category table has its totals row too
    assert 'data-testid="weekly-category-totals"' in page

    response = client.get(reverse("case_reports:weekly_xlsx"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == TITLE


def test_outsider_gets_404(area, week, client_for):  # noqa: F811
    client = client_for(area.outsider)
    params = {"organisation": area.street.pk, "week": "2026-W47"}
    assert client.get(reverse("case_reports:weekly"), params).status_code == 404
    assert client.get(reverse("case_reports:weekly_xlsx"), params).status_code == 404


def test_a_community_cannot_report_for_its_street(area, week, client_for):  # noqa: F811
    client = client_for(area.community_clerk)
    params = {"organisation": area.street.pk, "week": "2026-W47"}
    assert client.get(reverse("case_reports:weekly"), params).status_code == 404
    own = client.get(
        reverse("case_reports:weekly"), {"organisation": area.tuanjie.pk, "week": "2026-W47"}
    )
    assert own.status_code == 200
    assert "团结社区居委会矛盾纠纷排查化解周报表" in own.content.decode()


def test_xlsx_neutralises_formulas_and_keeps_numbers(area, week):  # noqa: F811
    """A unit named like a formula is written as text; the figures stay numbers."""
    area.tuanjie.name = '=HYPERLINK("http://evil","团结")'
    area.tuanjie.save()
    report = weekly_report(area.clerk, area.street, WEEK)
    sheet = load_workbook(io.BytesIO(weekly_report_xlsx(report))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.value for c in cells if c.data_type == "f"]
    labels = [c.value for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert labels == ['\'=HYPERLINK("http://evil","团结")']
    assert any(isinstance(c.value, int) and c.value > 0 for c in cells)
