"""Reading export files: .xlsx (openpyxl read-only) or .csv (UTF-8 / GB18030), streamed."""

import codecs
import csv
import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.parsers.expat import ExpatError

from .columns import HEADER_LOOKUP, REQUIRED_COLUMNS, FileProblem, normalise_header

# How far down a header row may sit (exports often carry a title line or two above it).
HEADER_SEARCH_ROWS = 10


def file_kind(name: str) -> str:
    lowered = (name or "").lower()
    if lowered.endswith(".xlsx"):
        return "xlsx"
    if lowered.endswith(".csv"):
        return "csv"
    return ""


def sha256_of(fileobj: IO[bytes]) -> str:
    """Content hash, streamed in 1 MiB blocks (the idempotency key of an import)."""
    digest = hashlib.sha256()
    fileobj.seek(0)
    for block in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(block)
    fileobj.seek(0)
    return digest.hexdigest()


UNREADABLE_XLSX = (
    "无法读取该 Excel 文件：文件已损坏、不完整、不是 .xlsx 格式或已加密。"
    "请用 Excel 打开后另存为 .xlsx 再上传。"
)
UNREADABLE_CSV = (
    "无法读取该 CSV 文件：文件含二进制内容或已损坏。"
    "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再上传。"
)
# What parsing untrusted bytes as .xlsx can raise: a bad or truncated zip, a missing part,
# malformed XML, and (defusedxml, which openpyxl uses when installed) entity declarations —
# DefusedXmlException is a ValueError.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    OSError,
    SyntaxError,  # xml.etree.ElementTree.ParseError
    ExpatError,
)


def _iter_xlsx(fileobj: IO[bytes]) -> Iterator[tuple]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    errors = (*_XLSX_ERRORS, InvalidFileException)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except errors as exc:
        raise FileProblem(UNREADABLE_XLSX, unreadable=True) from exc
    try:
        rows = iter(workbook.worksheets[0].iter_rows(values_only=True))
        while True:
            # The sheet's XML is parsed as it is read: a truncated part or an entity bomb
            # shows up here, not at load_workbook.
            try:
                row = next(rows)
            except StopIteration:
                return
            except errors as exc:
                raise FileProblem(UNREADABLE_XLSX, unreadable=True) from exc
            yield row
    finally:
        workbook.close()


def _detect_encoding(fileobj: IO[bytes]) -> str:
    """UTF-8 (with or without BOM) or GB18030, as Excel on a Chinese Windows saves CSV."""
    head = fileobj.read(64 * 1024)
    fileobj.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is not a reason to give up.
        if exc.start < len(head) - 4:
            return "gb18030"
    return "utf-8"


def _iter_csv(fileobj: IO[bytes]) -> Iterator[list[str]]:
    encoding = _detect_encoding(fileobj)
    text = io.TextIOWrapper(fileobj, encoding=encoding, errors="strict", newline="")
    try:
        for row in csv.reader(text):
            # Python's csv reads NUL bytes into cells; no text export has them (and
            # PostgreSQL refuses them): the file is binary or damaged.
            if any("\x00" in cell for cell in row):
                raise FileProblem(UNREADABLE_CSV, unreadable=True)
            yield row
    except UnicodeDecodeError as exc:
        raise FileProblem(
            "CSV 文件编码无法识别，请另存为 UTF-8 或 GBK 编码后重新上传。", unreadable=True
        ) from exc
    except csv.Error as exc:  # a NUL byte, a field over the size limit: not a text CSV
        raise FileProblem(UNREADABLE_CSV, unreadable=True) from exc
    finally:
        text.detach()


def sniff_problem(fileobj: IO[bytes], kind: str) -> str:
    """A quick look at an upload before it is stored: the message if it is plainly not a
    readable file of its kind (not a zip with a workbook; a CSV with binary content), else
    "". Deeper damage is found while validating."""
    fileobj.seek(0)
    try:
        if kind == "xlsx":
            if not zipfile.is_zipfile(fileobj):
                return UNREADABLE_XLSX
            fileobj.seek(0)
            with zipfile.ZipFile(fileobj) as archive:
                names = set(archive.namelist())
            # Every .xlsx has these; the workbook part's exact name is read from them later.
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                return UNREADABLE_XLSX
            return ""
        head = fileobj.read(64 * 1024)
        if b"\x00" in head:
            return UNREADABLE_CSV
        return ""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return UNREADABLE_XLSX if kind == "xlsx" else UNREADABLE_CSV
    finally:
        fileobj.seek(0)


def iter_raw_rows(fileobj: IO[bytes], kind: str) -> Iterator[tuple[int, tuple]]:
    """(1-based row number as Excel shows it, cell values), streaming, blank rows included."""
    fileobj.seek(0)
    rows = _iter_xlsx(fileobj) if kind == "xlsx" else _iter_csv(fileobj)
    for number, row in enumerate(rows, start=1):
        yield number, tuple(row)


def is_blank(row: tuple) -> bool:
    return all(value is None or str(value).strip() == "" for value in row)


@dataclass
class Header:
    row_number: int
    positions: dict[str, int]  # column key → index in the row


def read_header(rows: Iterator[tuple[int, tuple]]) -> Header:
    """Find the header row in the first few rows and map its cells to our columns."""
    best: Header | None = None
    for number, row in rows:
        positions: dict[str, int] = {}
        for index, cell in enumerate(row):
            key = HEADER_LOOKUP.get(normalise_header(cell))
            if key and key not in positions:
                positions[key] = index
        if best is None or len(positions) > len(best.positions):
            best = Header(number, positions)
        if any(column.key in positions for column in REQUIRED_COLUMNS) and len(positions) >= 3:
            best = Header(number, positions)
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if best is None or not best.positions:
        raise FileProblem(
            "未找到表头行：请确认第一行（或标题下方）为“工单编号、来电时间……”等列名。"
        )
    missing = [column.label for column in REQUIRED_COLUMNS if column.key not in best.positions]
    if missing:
        raise FileProblem(
            "缺少必填列：" + "、".join(f"“{label}”" for label in missing) + "。",
            column="、".join(missing),
            row=best.row_number,
        )
    return best
