"""The weekly report (矛盾纠纷排查化解周报表): one selector for the figures, one writer for Excel.

A report covers one organisation and one Monday–Sunday week in Beijing time. Its first table
has a row per direct sub-organisation (street or community; each counted over its own
subtree) plus "本级" for disputes the organisation registered itself, and a totals row; the
second table has a row per dispute category. Figures and the rate are defined once in
`cases.ledger`; this module only arranges them.

The .xlsx is laid out as a governance centre hands a report upward: a merged title row, the
reporting unit and dates, bordered tables with a totals row, a note on definitions and the
signature line 填报人 / 审核人 / 填报日期, on one landscape A4 page.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from common.spreadsheet import safe_cell, sheet_cell
from organisations.models import Organisation

from .ledger import (
    LedgerFigures,
    Period,
    ledger_by_branch,
    ledger_by_category,
)

# Columns of both tables, in order: (figure attribute, label).
REPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("stock", gettext_noop("存量")),
    ("new", gettext_noop("增量")),
    ("screened", gettext_noop("排查")),
    ("resolved", gettext_noop("化解")),
    ("closed", gettext_noop("销号")),
    ("in_progress", gettext_noop("在办")),
    ("overdue", gettext_noop("超期")),
    ("rate_display", gettext_noop("化解率")),
)
RATE_NOTE = gettext_noop(
    "说明：存量为期初尚未销号的纠纷；增量为本周新登记的纠纷；排查 = 存量 + 增量；化解为本周交卷确认化解的纠纷；"
    "销号为本周闭环销号的纠纷；在办为周末尚未化解或销号的纠纷；超期为在办且已超过办结期限的纠纷；"
    "化解率 = 化解 ÷ 排查，保留一位小数。"
)


@dataclass
class ReportRow:
    label: str
    figures: LedgerFigures
    organisation: Organisation | None = None
    category: str = ""

    def cells(self) -> list:
        return [getattr(self.figures, name) for name, _label in REPORT_COLUMNS]


@dataclass
class WeeklyReport:
    organisation: Organisation
    period: Period
    rows: list[ReportRow]
    totals: LedgerFigures
    category_rows: list[ReportRow]
    generated_at: datetime.datetime
    category_totals: LedgerFigures | None = None

    @property
    def iso_year(self) -> int:
        return self.period.start_date.isocalendar()[0]

    @property
    def iso_week(self) -> int:
        return self.period.start_date.isocalendar()[1]

    @property
    def week_param(self) -> str:
        return f"{self.iso_year}-W{self.iso_week:02d}"

    @property
    def date_range(self) -> str:
        first, last = self.period.start_date, self.period.last_date
        return f"{first.month}月{first.day}日—{last.month}月{last.day}日"

    @property
    def title(self) -> str:
        return (
            f"{self.organisation.name}矛盾纠纷排查化解周报表"
            f"（{self.iso_year}年第{self.iso_week}周 {self.date_range}）"
        )

    @property
    def period_line(self) -> str:
        first, last = self.period.start_date, self.period.last_date
        return f"统计时间：{first:%Y}年{first.month}月{first.day}日至{last:%Y}年{last.month}月{last.day}日"

    # The page speaks the reader's language; the Excel (title, period) stays in Chinese,
    # being the record handed upward.
    @property
    def page_title(self) -> str:
        first, last = self.period.start_date, self.period.last_date
        dates = _("%(m1)d月%(d1)d日—%(m2)d月%(d2)d日") % {
            "m1": first.month, "d1": first.day, "m2": last.month, "d2": last.day,
        }  # fmt: skip
        return _("%(unit)s矛盾纠纷排查化解周报表（%(year)d年第%(week)d周 %(dates)s）") % {
            "unit": self.organisation.name,
            "year": self.iso_year,
            "week": self.iso_week,
            "dates": dates,
        }

    @property
    def page_period_line(self) -> str:
        first, last = self.period.start_date, self.period.last_date
        return _("统计时间：%(first)s至%(last)s") % {
            "first": date_format(first, "DATE_FORMAT"),
            "last": date_format(last, "DATE_FORMAT"),
        }

    @property
    def column_labels(self) -> list[str]:
        return [label for _name, label in REPORT_COLUMNS]


_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{1,2})$")


def parse_week(value: str | None, *, today: datetime.date | None = None) -> Period:
    """ "2026-W47" (the HTML week input) or a date within the week; default: last full week."""
    value = (value or "").strip()
    match = _WEEK_RE.match(value.upper())
    if match:
        try:
            monday = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return Period.week_of(monday)
        except ValueError:
            pass
    if value:
        try:
            return Period.week_of(datetime.date.fromisoformat(value))
        except ValueError:
            pass
    today = today or timezone.localdate()
    return Period.week_of(today - datetime.timedelta(days=7))


def weekly_report(user, organisation: Organisation, period: Period) -> WeeklyReport:
    """The report's figures: two grouped aggregate queries (by branch, by category)."""
    rows = []
    totals = LedgerFigures()
    for unit, is_own, figures in ledger_by_branch(user, organisation, period):
        rows.append(ReportRow("本级" if is_own else unit.name, figures, organisation=unit))
        totals.add(figures)
    category_rows = [
        ReportRow(label, figures, category=value)
        for value, label, figures in ledger_by_category(user, organisation, period)
    ]
    category_totals = LedgerFigures()
    for row in category_rows:
        category_totals.add(row.figures)
    return WeeklyReport(
        category_totals=category_totals,
        organisation=organisation,
        period=period,
        rows=rows,
        totals=totals,
        category_rows=category_rows,
        generated_at=timezone.now(),
    )


# --- Excel -----------------------------------------------------------------------------------

RATE_FORMAT = "0.0%"


def _xlsx_cells(figures: LedgerFigures) -> list:
    """A row's cells for Excel: counts as numbers, 化解率 as a fraction (0.991) that the
    cell formats as 99.1%, so the sheet can sum and chart it; empty when undefined."""
    cells = []
    for name, _label in REPORT_COLUMNS:
        if name == "rate_display":
            rate = figures.rate
            cells.append(None if rate is None else rate / 100)
        else:
            cells.append(getattr(figures, name))
    return cells


def weekly_report_xlsx(report: WeeklyReport, *, filled_by: str = "") -> bytes:
    """The report as an .xlsx the centre can print, sign and hand upward."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{report.iso_year}年第{report.iso_week}周"
    columns = ["序号", "单位", *report.column_labels]
    width = len(columns)
    rate_column = columns.index("化解率") + 1
    last_letter = get_column_letter(width)

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    header_font = Font(name="宋体", bold=True, size=11)
    body_font = Font(name="宋体", size=11)
    header_fill = PatternFill("solid", fgColor="D9D9D9")

    # Title, merged across the table.
    sheet.merge_cells(f"A1:{last_letter}1")
    sheet["A1"] = safe_cell(report.title)
    sheet["A1"].font = Font(name="黑体", bold=True, size=16)
    sheet["A1"].alignment = centre
    sheet.row_dimensions[1].height = 36

    # Unit and dates.
    split = max(width // 2, 2)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=split)
    sheet.merge_cells(start_row=2, start_column=split + 1, end_row=2, end_column=width)
    sheet_cell(sheet, 2, 1, f"填报单位（盖章）：{report.organisation.name}").font = body_font
    sheet_cell(sheet, 2, 1).alignment = left
    period_cell = sheet_cell(sheet, 2, split + 1, report.period_line)
    period_cell.font = body_font
    period_cell.alignment = Alignment(horizontal="right", vertical="center")

    def table(start_row: int, heading: str, first_label: str, rows: list[ReportRow], totals):
        sheet.merge_cells(start_row=start_row, start_column=1, end_row=start_row, end_column=width)
        sheet_cell(sheet, start_row, 1, heading).font = Font(name="黑体", bold=True, size=12)
        header_row = start_row + 1
        for index, label in enumerate(["序号", first_label, *report.column_labels], start=1):
            cell = sheet_cell(sheet, header_row, index, label)
            cell.font, cell.alignment, cell.border, cell.fill = (
                header_font,
                centre,
                border,
                header_fill,
            )
        row_number = header_row
        for number, row in enumerate(rows, start=1):
            row_number += 1
            values = [number, row.label, *_xlsx_cells(row.figures)]
            for index, value in enumerate(values, start=1):
                cell = sheet_cell(sheet, row_number, index, value)
                cell.font, cell.border = body_font, border
                cell.alignment = left if index == 2 else centre
                if index == rate_column:
                    cell.number_format = RATE_FORMAT
        row_number += 1
        total_values = ["合计", "", *_xlsx_cells(totals)]
        for index, value in enumerate(total_values, start=1):
            cell = sheet_cell(sheet, row_number, index, value)
            cell.font, cell.border, cell.alignment = header_font, border, centre
            if index == rate_column:
                cell.number_format = RATE_FORMAT
        sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=2)
        return row_number

    end = table(3, "一、分单位统计", "单位", report.rows, report.totals)
    end = table(end + 2, "二、分类别统计", "纠纷类别", report.category_rows, report.category_totals)

    note_row = end + 2
    sheet.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=width)
    sheet_cell(sheet, note_row, 1, RATE_NOTE).font = Font(name="宋体", size=9)
    sheet_cell(sheet, note_row, 1).alignment = left
    sheet.row_dimensions[note_row].height = 42

    sign_row = note_row + 2
    today = timezone.localdate(report.generated_at)
    signature = (
        f"填报人：{filled_by or '__________'}        审核人：__________        "
        f"填报日期：{today:%Y}年{today.month}月{today.day}日"
    )
    sheet.merge_cells(start_row=sign_row, start_column=1, end_row=sign_row, end_column=width)
    sheet_cell(sheet, sign_row, 1, signature).font = body_font
    sheet_cell(sheet, sign_row, 1).alignment = left

    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 26
    for index in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 9
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.freeze_panes = "C5"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def weekly_report_filename(report: WeeklyReport) -> str:
    return f"{report.organisation.name}周报表_{report.iso_year}年第{report.iso_week}周.xlsx"
