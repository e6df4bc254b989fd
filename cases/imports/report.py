"""The row-by-row error report of a failed validation (.xlsx; personal values masked)."""

import io

from common.spreadsheet import sheet_append

from .validation import ValidationResult


def error_report_xlsx(result: ValidationResult, *, file_name: str) -> bytes:
    """行号 / 列 / 值（已脱敏）/ 错误说明, one line per error, as a small .xlsx."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误明细")
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 24
    sheet.column_dimensions["D"].width = 70
    title_font = Font(bold=True, size=13)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F2DCDB")
    sheet_append(sheet, [_styled(sheet, f"导入错误报告：{file_name}", title_font)])
    summary = (
        f"共 {result.total_rows} 行，其中 {result.error_rows} 行有误。"
        "整个文件未导入，请按下列行号修改后重新上传。"
    )
    sheet_append(sheet, [summary])
    sheet_append(
        sheet,
        [
            _styled(sheet, label, header_font, header_fill)
            for label in ("行号", "列", "值（已脱敏）", "错误说明")
        ],
    )
    problems = [result.file_problem] if result.file_problem else result.errors
    for problem in problems:
        sheet_append(sheet, [problem.row or "", problem.column, problem.value, problem.message])
    if result.errors_dropped:
        sheet_append(sheet, ["", "", "", f"另有 {result.errors_dropped} 处错误未列出。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _styled(sheet, value, font=None, fill=None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell
