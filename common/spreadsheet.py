"""Every CSV and Excel file the portal writes goes through here (formula injection).

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula
(and a leading tab or carriage return lets one slip past a naive check): a party's name, a
note or an organisation typed as ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` would run on
the desk of whoever opens the download. `safe_cell` prefixes such text with a single quote
``'`` so it is shown, never evaluated (OWASP "CSV injection").

Numbers stay numbers: an int, float or Decimal (a negative amount too), a bool, a date or
None passes unchanged, and so does text that is just a plain number ("-1200.50", as JSON
keeps a Decimal in the audit trail) — Excel reads it as that number and nothing else.

Use `SafeCsvWriter` for CSV, `sheet_append` / `sheet_cell` for openpyxl sheets (normal or
write-only); report code never writes a raw value itself.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """`value` as it may be written into a spreadsheet cell: text that a spreadsheet would
    run as a formula gets a leading ``'``; anything that is not text is returned as is."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class SafeCsvWriter:
    """`csv.writer` whose every cell has been through `safe_cell`."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


# Control characters an .xlsx cannot hold (openpyxl refuses the whole file over one).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_xlsx_value(value: Any) -> Any:
    """`safe_cell`, then without the control characters an .xlsx cannot hold."""
    value = safe_cell(value)
    if isinstance(value, str):
        return _XLSX_ILLEGAL.sub("", value)
    return value


def _safe_openpyxl_value(value: Any) -> Any:
    """A value or an openpyxl cell (WriteOnlyCell / Cell, for styled cells) made safe."""
    if hasattr(value, "value") and hasattr(value, "font"):
        value.value = safe_xlsx_value(value.value)
        return value
    return safe_xlsx_value(value)


def sheet_append(sheet, values: Iterable[Any]) -> None:
    """`sheet.append(values)` with each value (or styled cell) made safe."""
    sheet.append([_safe_openpyxl_value(value) for value in values])


def sheet_cell(sheet, row: int, column: int, value: Any = None):
    """`sheet.cell(row, column, value)` with the value made safe; returns the cell."""
    return sheet.cell(row, column, safe_xlsx_value(value))
