"""Formula injection: one helper neutralises what a spreadsheet would run; numbers stay numbers."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from common.spreadsheet import SafeCsvWriter, safe_cell, sheet_append, sheet_cell


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x","y")',
        "+86 138",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "=cmd|' /C calc'!A0",
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [Decimal("-1200.50"), -3, 2.5, 0, True, None, datetime.date(2026, 1, 1), "-1200.50", "+5",
     "张三", "a=b", "", "1-2"],
)  # fmt: skip
def test_numbers_and_ordinary_text_pass_unchanged(value):
    assert safe_cell(value) == value
    assert type(safe_cell(value)) is type(value)


def test_csv_writer_and_sheet_helpers_write_safe_cells():
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerows([["=1+1", Decimal("-5.00"), "ok"]])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'=1+1", "-5.00", "ok"]

    workbook = Workbook()
    sheet = workbook.active
    sheet_append(sheet, ["@x", Decimal("-5.25"), 3])
    sheet_cell(sheet, 2, 1, "=A1")
    saved = io.BytesIO()
    workbook.save(saved)
    read = load_workbook(io.BytesIO(saved.getvalue())).active
    assert [c.value for c in read[1]] == ["'@x", -5.25, 3]
    assert read["A2"].value == "'=A1" and read["A2"].data_type == "s"


def test_xlsx_helpers_drop_control_characters_a_workbook_cannot_hold():
    workbook = Workbook()
    sheet = workbook.active
    sheet_append(sheet, ["a\x00b\x01c", "=x\x07"])
    assert [c.value for c in sheet[1]] == ["abc", "'=x"]
