"""Bulk import of disputes from a 12345-hotline style export (.xlsx or .csv).

The journey is upload → validate → preview → confirm → apply, one `ImportBatch` per upload:

- **upload** (`import_batch_upload`) stores the file, hashes it (SHA-256 of the bytes) and
  validates it inline when it is small, else on the worker;
- **validate** (`import_batch_validate`) streams the file (openpyxl read-only or csv), checks
  every row with `common.validators` and the case vocabularies, keeps a masked preview of the
  first rows and writes a row-by-row error report (.xlsx; personal values masked);
- **confirm** (`import_batch_confirm`) is refused while any row is invalid: a file imports
  whole or not at all;
- **apply** (`import_batch_apply`) writes every row in ONE transaction, in batches of
  `CHUNK_SIZE` with `bulk_create`: the disputes, their parties (found or created through the
  blind index), their parties' links and one timeline event "registered" per dispute, exactly
  what `cases.services.dispute_register` writes for a dispute — but instead of one audit entry
  per dispute it writes ONE audit entry for the whole import, on the batch, that summarises it
  (file hash, rows, created, already imported). Large files are applied by a Celery task.

Idempotency: a file whose hash was already imported into the same organisation adds nothing
(the batch is marked a duplicate), and rows whose (organisation, channel, 工单编号) already
exist are skipped and counted as "already imported" (the unique constraint on Dispute is the
backstop under races).

Personal data: ID numbers and phones never reach logs; the preview and the error report hold
masked values only; the uploaded file is deleted from storage as soon as it is no longer needed
(after a successful import, or when validation fails and the user must upload a fixed file).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import logging
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.services import audit_create, audit_transition
from common import pii
from common.masking import mask_id_number, mask_name, mask_phone
from common.money import to_yuan
from common.statemachine import TransitionNotAllowed
from common.validators import (
    normalise_id_number,
    normalise_mobile,
    validate_id_number,
    validate_mobile,
)
from organisations.models import Organisation
from organisations.selectors import get_for_user_or_404, scope_queryset

from . import conf
from .models import (
    Category,
    Dispute,
    DisputeEvent,
    DisputeParty,
    ImportBatch,
    Party,
    PartyRole,
    ReferenceSequence,
    RiskLevel,
    SourceChannel,
)
from .services import dispute_search_tokens

logger = logging.getLogger(__name__)

# Rows validated / written per round trip: big enough for bulk_create to pay off, small
# enough that one chunk's objects stay a few megabytes.
CHUNK_SIZE = 1000
PREVIEW_ROWS = 20
# Errors kept row by row in the report; past this the report says how many more there were.
MAX_REPORTED_ERRORS = 5000
# How far down a header row may sit (exports often carry a title line or two above it).
HEADER_SEARCH_ROWS = 10


# --- columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the canonical Chinese header, used in messages and the template
    aliases: tuple[str, ...] = ()
    required: bool = False
    personal: str = ""  # "id" / "phone" / "name": how to mask the value in reports


COLUMNS: tuple[Column, ...] = (
    Column("source_reference", "工单编号", ("工单号", "受理编号", "编号", "来电编号"), True),
    Column("registered_at", "来电时间", ("受理时间", "登记时间", "来电日期", "诉求时间"), True),
    Column(
        "applicant_name", "诉求人", ("来电人", "来电人姓名", "姓名", "诉求人姓名"), True, "name"
    ),
    Column(
        "applicant_id_number", "身份证号", ("身份证号码", "证件号码", "公民身份号码"), False, "id"
    ),
    Column(
        "applicant_phone", "联系电话", ("来电号码", "手机号码", "联系方式", "电话"), True, "phone"
    ),
    Column("category", "诉求类别", ("纠纷类别", "诉求类型", "类别", "问题类别"), True),
    Column("facts", "诉求内容", ("来电内容", "诉求描述", "事项描述", "内容"), True),
    Column("place", "发生地点", ("事发地点", "事发地址", "地址", "地点")),
    Column("street", "所属街道", ("街道", "所属乡镇", "乡镇/街道", "所属乡镇（街道）")),
    Column("community", "所属社区", ("社区", "村/社区", "所属村（社区）", "所属村社区")),
    Column("street_community", "所属街道/社区", ("街道/社区", "所属区域")),
    Column(
        "respondent_name",
        "被反映人",
        ("被诉方", "被反映对象", "对方当事人", "被申请人"),
        False,
        "name",
    ),
    Column("amount_in_dispute", "涉及金额", ("涉案金额", "争议金额", "涉及金额（元）", "金额")),
    Column("risk_level", "风险等级", ("风险级别",)),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED_COLUMNS = tuple(column for column in COLUMNS if column.required)

_HEADER_JUNK = re.compile(r"[\s*＊:：]")


def normalise_header(value: Any) -> str:
    text = str(value or "")
    text = text.replace("（", "(").replace("）", ")")
    return _HEADER_JUNK.sub("", text)


_HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.label, *_column.aliases):
        _HEADER_LOOKUP[normalise_header(_name)] = _column.key


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong type, no header row, missing columns)."""

    def __init__(self, message: str, *, column: str = "", row: int | None = None):
        super().__init__(message)
        self.message = message
        self.column = column
        self.row = row


# --- reading files -------------------------------------------------------------------------


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


def _iter_xlsx(fileobj: IO[bytes]) -> Iterator[tuple]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem("无法读取该 Excel 文件，请确认文件为 .xlsx 格式且未加密。") from exc
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
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
        yield from csv.reader(text)
    except UnicodeDecodeError as exc:
        raise FileProblem("CSV 文件编码无法识别，请另存为 UTF-8 或 GBK 编码后重新上传。") from exc
    finally:
        text.detach()


def iter_raw_rows(fileobj: IO[bytes], kind: str) -> Iterator[tuple[int, tuple]]:
    """(1-based row number as Excel shows it, cell values), streaming, blank rows included."""
    fileobj.seek(0)
    rows = _iter_xlsx(fileobj) if kind == "xlsx" else _iter_csv(fileobj)
    for number, row in enumerate(rows, start=1):
        yield number, tuple(row)


def _is_blank(row: tuple) -> bool:
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
            key = _HEADER_LOOKUP.get(normalise_header(cell))
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


# --- validating rows -----------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str  # Chinese column label, or "" for the whole row / file
    message: str
    value: str = ""  # masked


@dataclass
class CleanRow:
    row: int
    source_reference: str
    registered_at: datetime.datetime
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    category: str
    facts: str
    place: str
    organisation_id: int
    respondent_name: str = ""
    amount_in_dispute: Decimal | None = None
    risk_level: str = ""

    def preview(self, organisation_names: dict[int, str], category_labels: dict) -> dict:
        """A masked, JSON-safe summary for the preview table."""
        return {
            "row": self.row,
            "source_reference": self.source_reference,
            "registered_at": timezone.localtime(self.registered_at).strftime("%Y-%m-%d %H:%M"),
            "applicant": mask_name(self.applicant_name),
            "phone": mask_phone(self.applicant_phone),
            "category": str(category_labels.get(self.category, self.category)),
            "organisation": organisation_names.get(self.organisation_id, ""),
            "facts": self.facts[:40],
            "ok": True,
            "errors": [],
        }


@dataclass
class Vocabulary:
    """What a row's words may map to; built once per import from the case models."""

    categories: dict[str, str]  # normalised label or alias → value
    category_labels: dict[str, str]  # value → label
    risk_levels: dict[str, str]
    default_risk_level: str
    organisations: dict[str, int]  # name / short name → id, within the import's subtree
    organisation_names: dict[int, str]
    root_organisation_id: int
    max_lengths: dict[str, int] = field(default_factory=dict)


def _normalise_word(value: str) -> str:
    return re.sub(r"[\s/／、·]", "", value or "")


def category_lookup(choices) -> dict[str, str]:
    """Label, value and common hotline spellings (…纠纷, 欠薪) → category value."""
    lookup: dict[str, str] = {}
    for value, label in choices:
        label = str(label)
        for word in (value, label, *label.split("/")):
            word = _normalise_word(word)
            if word:
                lookup.setdefault(word, value)
                lookup.setdefault(word + "纠纷", value)
                lookup.setdefault(word.removesuffix("纠纷"), value)
    return lookup


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 工单编号 or a phone typed as a number in Excel
    return str(value).strip()


_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日",
)


def parse_datetime_cell(value: Any) -> datetime.datetime | None:
    """Excel dates or the usual written forms; naive values are Beijing time."""
    if isinstance(value, datetime.datetime):
        parsed = value
    elif isinstance(value, datetime.date):
        parsed = datetime.datetime.combine(value, datetime.time())
    else:
        text = _cell_text(value)
        parsed = None
        for fmt in _DATETIME_FORMATS:
            try:
                parsed = datetime.datetime.strptime(text, fmt)  # noqa: DTZ007 (made aware below)
                break
            except ValueError:
                continue
        if parsed is None:
            return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def _masked(column: Column, value: Any) -> str:
    text = _cell_text(value)
    if column.personal == "id":
        return mask_id_number(text)
    if column.personal == "phone":
        return mask_phone(text)
    if column.personal == "name":
        return mask_name(text)
    return text[:30]


class RowValidator:
    """Checks one row at a time and remembers what it needs across rows (duplicate 工单编号)."""

    def __init__(self, header: Header, vocabulary: Vocabulary):
        self.header = header
        self.vocabulary = vocabulary
        self.seen_references: dict[str, int] = {}
        self.now = timezone.now()

    def _get(self, row: tuple, key: str) -> Any:
        index = self.header.positions.get(key)
        if index is None or index >= len(row):
            return None
        return row[index]

    def validate(self, number: int, row: tuple) -> tuple[CleanRow | None, list[RowError]]:
        errors: list[RowError] = []
        vocabulary = self.vocabulary

        def error(key: str, message: str) -> None:
            column = COLUMNS_BY_KEY[key]
            errors.append(
                RowError(number, column.label, message, _masked(column, self._get(row, key)))
            )

        def text(key: str) -> str:
            value = _cell_text(self._get(row, key))
            limit = vocabulary.max_lengths.get(key)
            if limit and len(value) > limit:
                error(key, f"长度不能超过{limit}个字符。")
            return value

        def required(key: str) -> str:
            value = text(key)
            if not value:
                error(key, f"“{COLUMNS_BY_KEY[key].label}”不能为空。")
            return value

        reference = required("source_reference")
        if reference:
            first = self.seen_references.get(reference)
            if first is not None:
                error("source_reference", f"工单编号与第{first}行重复。")
            else:
                self.seen_references[reference] = number

        registered_at = None
        raw_time = self._get(row, "registered_at")
        if _cell_text(raw_time) == "":
            error("registered_at", "“来电时间”不能为空。")
        else:
            registered_at = parse_datetime_cell(raw_time)
            if registered_at is None:
                error("registered_at", "无法识别的时间，请使用“2025-11-16 09:30”格式。")
            elif registered_at > self.now + datetime.timedelta(minutes=5):
                error("registered_at", "来电时间晚于当前时间。")

        applicant_name = required("applicant_name")

        id_number = text("applicant_id_number")
        if id_number:
            id_number = normalise_id_number(id_number)
            try:
                validate_id_number(id_number)
            except ValidationError as exc:
                error("applicant_id_number", exc.messages[0])

        phone = required("applicant_phone")
        if phone:
            phone = normalise_mobile(phone)
            try:
                validate_mobile(phone)
            except ValidationError as exc:
                error("applicant_phone", exc.messages[0])

        category = ""
        category_text = required("category")
        if category_text:
            category = vocabulary.categories.get(_normalise_word(category_text), "")
            if not category:
                options = "、".join(vocabulary.category_labels.values())
                error("category", f"未知的诉求类别“{category_text}”，可选：{options}。")

        facts = required("facts")
        place = text("place")

        organisation_id = self._organisation(row, error)

        respondent_name = text("respondent_name")

        amount = None
        raw_amount = _cell_text(self._get(row, "amount_in_dispute")).replace(",", "")
        raw_amount = raw_amount.removesuffix("元").replace("¥", "").replace("￥", "")
        if raw_amount:
            try:
                amount = to_yuan(raw_amount)
                if amount < 0:
                    error("amount_in_dispute", "涉及金额不能为负数。")
            except (ValueError, InvalidOperation):
                error("amount_in_dispute", "涉及金额应为数字（元），如 12000 或 95874.11。")

        risk_level = vocabulary.default_risk_level
        risk_text = text("risk_level")
        if risk_text:
            risk_level = vocabulary.risk_levels.get(_normalise_word(risk_text), "")
            if not risk_level:
                options = "、".join(sorted(set(vocabulary.risk_levels) - {"", None}))
                error("risk_level", f"未知的风险等级“{risk_text}”，可选：{options}。")

        if errors:
            return None, errors
        return (
            CleanRow(
                row=number,
                source_reference=reference,
                registered_at=registered_at,
                applicant_name=applicant_name,
                applicant_id_number=id_number,
                applicant_phone=phone,
                category=category,
                facts=facts,
                place=place,
                organisation_id=organisation_id,
                respondent_name=respondent_name,
                amount_in_dispute=amount,
                risk_level=risk_level,
            ),
            [],
        )

    def _organisation(self, row: tuple, error) -> int:
        """所属街道 / 所属社区 (or one combined column) → an organisation in the subtree."""
        vocabulary = self.vocabulary
        street = _cell_text(self._get(row, "street"))
        community = _cell_text(self._get(row, "community"))
        combined = _cell_text(self._get(row, "street_community"))
        if combined and not (street or community):
            parts = [p for p in re.split(r"[/／\-—]", combined) if p.strip()]
            street = parts[0].strip() if parts else ""
            community = parts[-1].strip() if len(parts) > 1 else ""
        for key, name in (("community", community), ("street", street)):
            if not name:
                continue
            organisation_id = vocabulary.organisations.get(_normalise_word(name))
            if organisation_id is None:
                column_key = (
                    key if self.header.positions.get(key) is not None else "street_community"
                )
                error(column_key, f"“{name}”不是本单位下属的街道或社区，请核对名称。")
                return vocabulary.root_organisation_id
            return organisation_id
        return vocabulary.root_organisation_id


@dataclass
class ValidationResult:
    total_rows: int = 0
    valid_rows: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_dropped: int = 0
    preview: list[dict] = field(default_factory=list)
    file_problem: RowError | None = None

    @property
    def ok(self) -> bool:
        return self.file_problem is None and self.error_rows == 0 and self.total_rows > 0


def iter_clean_rows(
    fileobj: IO[bytes], kind: str, vocabulary: Vocabulary
) -> Iterator[tuple[int, tuple, CleanRow | None, list[RowError]]]:
    """Every data row of the file, validated: (row number, raw row, clean row, errors)."""
    rows = iter_raw_rows(fileobj, kind)
    header = read_header(rows)
    validator = RowValidator(header, vocabulary)
    for number, raw in rows:
        if _is_blank(raw):
            continue
        clean, errors = validator.validate(number, raw)
        yield number, raw, clean, errors


def validate_file(fileobj: IO[bytes], kind: str, vocabulary: Vocabulary) -> ValidationResult:
    """Stream the whole file once; memory stays bounded (errors are capped, rows not kept)."""
    result = ValidationResult()
    try:
        for _number, _raw, clean, errors in iter_clean_rows(fileobj, kind, vocabulary):
            result.total_rows += 1
            if errors:
                result.error_rows += 1
                room = MAX_REPORTED_ERRORS - len(result.errors)
                result.errors.extend(errors[: max(room, 0)])
                result.errors_dropped += max(len(errors) - max(room, 0), 0)
            else:
                result.valid_rows += 1
            if len(result.preview) < PREVIEW_ROWS:
                if clean is not None:
                    result.preview.append(
                        clean.preview(vocabulary.organisation_names, vocabulary.category_labels)
                    )
                else:
                    result.preview.append(_error_preview(_number, _raw, errors))
    except FileProblem as problem:
        result.file_problem = RowError(problem.row or 0, problem.column, problem.message)
    if result.file_problem is None and result.total_rows == 0:
        result.file_problem = RowError(0, "", "文件中没有数据行。")
    return result


def _error_preview(number: int, raw: tuple, errors: list[RowError]) -> dict:
    by_label = {error.column: error.value for error in errors}
    return {
        "row": number,
        "source_reference": by_label.get("工单编号", ""),
        "registered_at": "",
        "applicant": "",
        "phone": "",
        "category": "",
        "organisation": "",
        "facts": "",
        "ok": False,
        "errors": [f"{e.column}：{e.message}" if e.column else e.message for e in errors],
    }


# --- the error report ----------------------------------------------------------------------


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
    sheet.append([_styled(sheet, f"导入错误报告：{file_name}", title_font)])
    summary = (
        f"共 {result.total_rows} 行，其中 {result.error_rows} 行有误。"
        "整个文件未导入，请按下列行号修改后重新上传。"
    )
    sheet.append([summary])
    sheet.append(
        [
            _styled(sheet, label, header_font, header_fill)
            for label in ("行号", "列", "值（已脱敏）", "错误说明")
        ]
    )
    problems = [result.file_problem] if result.file_problem else result.errors
    for problem in problems:
        sheet.append([problem.row or "", problem.column, problem.value, problem.message])
    if result.errors_dropped:
        sheet.append(["", "", "", f"另有 {result.errors_dropped} 处错误未列出。"])
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


# --- services ------------------------------------------------------------------------------

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# Files up to this size are validated and applied inside the request; larger ones go to the
# worker (a 2 MB hotline export is roughly 5,000 rows).
DEFAULT_INLINE_MAX_BYTES = 2 * 1024 * 1024
_ORGANISATION_SUFFIXES = (
    "社会治理综合服务中心",
    "综治中心",
    "居民委员会",
    "村民委员会",
    "居委会",
    "村委会",
)


def import_max_bytes() -> int:
    return getattr(settings, "CASES_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def import_inline_max_bytes() -> int:
    return getattr(settings, "CASES_IMPORT_INLINE_MAX_BYTES", DEFAULT_INLINE_MAX_BYTES)


def build_vocabulary(organisation: Organisation) -> Vocabulary:
    """Categories, risk levels and the units a row may name, for imports into `organisation`.

    A row names its unit as a street or community (所属街道 / 所属社区). That matches an
    organisation in the subtree by its name or short name, by its name without the usual
    suffix (团结社区居委会 → 团结社区), or by the name of its region (新华街道 → the centre
    located in 新华街道), preferring centres and community committees, then the shallowest.
    """
    subtree = list(
        Organisation.objects.filter(path__startswith=organisation.path)
        .select_related("region")
        .order_by("depth", "path")
    )
    preferred_kinds = (Organisation.Kind.COMMUNITY, Organisation.Kind.GOVERNANCE_CENTRE)
    by_name: dict[str, int] = {}
    by_region: dict[str, int] = {}
    for unit in sorted(subtree, key=lambda o: (o.kind not in preferred_kinds, o.depth, o.path)):
        for name in (unit.name, unit.short_name):
            word = _normalise_word(name)
            if not word:
                continue
            by_name.setdefault(word, unit.pk)
            for suffix in _ORGANISATION_SUFFIXES:
                if word.endswith(suffix) and len(word) > len(suffix):
                    by_name.setdefault(word.removesuffix(suffix), unit.pk)
        by_region.setdefault(_normalise_word(unit.region.name), unit.pk)
    lookup = {**by_region, **by_name}
    risk_levels = {}
    for value, label in RiskLevel.choices:
        for word in (value, str(label), str(label) + "风险"):
            risk_levels[_normalise_word(word)] = value
    return Vocabulary(
        categories=category_lookup(Category.choices),
        category_labels={value: str(label) for value, label in Category.choices},
        risk_levels=risk_levels,
        default_risk_level=RiskLevel.ORDINARY,
        organisations=lookup,
        organisation_names={unit.pk: unit.name for unit in subtree},
        root_organisation_id=organisation.pk,
        max_lengths={
            "source_reference": Dispute._meta.get_field("source_reference").max_length,
            "applicant_name": Party._meta.get_field("name").max_length,
            "respondent_name": Party._meta.get_field("name").max_length,
            "place": Dispute._meta.get_field("place").max_length,
        },
    )


@transaction.atomic
def import_batch_upload(
    *,
    organisation: Organisation,
    actor,
    uploaded_file,
    source_channel: str = SourceChannel.HOTLINE_12345,
) -> ImportBatch:
    """Store an uploaded export and validate it (inline if small, else on the worker).

    Refuses (ValidationError) a file that is not .xlsx/.csv or is over the size limit. A file
    whose content this organisation has already imported becomes a DUPLICATE batch that
    points at the earlier one and adds nothing.
    """
    name = (getattr(uploaded_file, "name", "") or "").rsplit("/", 1)[-1][:200]
    kind = file_kind(name)
    if not kind:
        raise ValidationError({"file": "仅支持 .xlsx 或 .csv 文件。"})
    size = uploaded_file.size
    limit = import_max_bytes()
    if size > limit:
        raise ValidationError(
            {"file": f"文件过大（{size / 1048576:.1f} MB），上限为 {limit // 1048576} MB。"}
        )
    if size == 0:
        raise ValidationError({"file": "文件为空。"})
    if source_channel not in SourceChannel.values:
        raise ValidationError({"source_channel": "未知的来源渠道。"})
    digest = sha256_of(uploaded_file)
    batch = ImportBatch(
        organisation=organisation,
        source_channel=source_channel,
        original_name=name,
        file_kind=kind,
        file_size=size,
        sha256=digest,
        created_by=actor,
    )
    previous = (
        ImportBatch.objects.filter(
            organisation=organisation, sha256=digest, status=ImportBatch.Status.DONE
        )
        .order_by("pk")
        .first()
    )
    if previous is not None:
        batch.status = ImportBatch.Status.DUPLICATE
        batch.duplicate_of = previous
        batch.total_rows = previous.total_rows
        batch.skipped_count = previous.total_rows
        batch.finished_at = timezone.now()
        batch.save()
        audit_create(
            batch, actor=actor, note=f"重复文件，与第{previous.pk}号导入相同，未导入任何数据"
        )
        return batch
    batch.file.save(f"{uuid.uuid4().hex}.{kind}", uploaded_file, save=False)
    batch.save()
    audit_create(batch, actor=actor, note="上传批量导入文件")
    logger.info("case import %s uploaded: %s bytes, %s", batch.pk, size, kind)
    if size <= import_inline_max_bytes():
        _validate(batch)
    else:
        from .tasks_imports import import_batch_validate_task

        transaction.on_commit(partial(import_batch_validate_task.delay, batch.pk))
    return batch


def import_batch_validate(*, batch_id: int) -> ImportBatch | None:
    """Validate an uploaded batch (worker entry point). Claims the batch; no-op if taken."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.UPLOADED).update(
        status=ImportBatch.Status.VALIDATING
    )
    if claimed != 1:
        return None
    batch = ImportBatch.objects.select_related("organisation").get(pk=batch_id)
    with transaction.atomic():
        _validate(batch)
    return batch


def _validate(batch: ImportBatch) -> None:
    vocabulary = build_vocabulary(batch.organisation)
    with batch.file.open("rb") as handle:
        result = validate_file(handle, batch.file_kind, vocabulary)
    batch.total_rows = result.total_rows
    batch.valid_rows = result.valid_rows
    batch.error_rows = result.error_rows
    batch.preview = result.preview
    batch.file_problem = result.file_problem.message[:300] if result.file_problem else ""
    if result.ok:
        batch.status = ImportBatch.Status.VALID
    else:
        batch.status = ImportBatch.Status.INVALID
        report = error_report_xlsx(result, file_name=batch.original_name)
        batch.error_report.save(f"import-{batch.pk}-errors.xlsx", ContentFile(report), save=False)
        # Nothing from this file will be imported: the user fixes it and uploads again.
        _delete_source(batch)
    batch.save()
    logger.info(
        "case import %s validated: %s rows, %s invalid",
        batch.pk,
        result.total_rows,
        result.error_rows,
    )


def _delete_source(batch: ImportBatch) -> None:
    if batch.file:
        batch.file.delete(save=False)


@transaction.atomic
def import_batch_confirm(*, batch: ImportBatch, actor) -> ImportBatch:
    """The user confirms a valid batch: apply it now (small) or on the worker (large)."""
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.VALID).update(
        status=ImportBatch.Status.QUEUED, confirmed_by=actor, confirmed_at=timezone.now()
    )
    if claimed != 1:
        batch.refresh_from_db()
        raise TransitionNotAllowed(
            f"该批次当前状态为“{batch.get_status_display()}”，不能确认导入。"
        )
    batch.refresh_from_db()
    if batch.file_size <= import_inline_max_bytes():
        return import_batch_apply(batch_id=batch.pk)
    from .tasks_imports import import_batch_apply_task

    transaction.on_commit(partial(import_batch_apply_task.delay, batch.pk))
    return batch


def import_batch_apply(*, batch_id: int) -> ImportBatch:
    """Write every row of a confirmed batch in one transaction, or nothing.

    Claims QUEUED → APPLYING with a conditional update (a second worker gets nothing to do).
    On any error the row writes roll back and the batch is marked FAILED with a reason that
    holds no personal data (the log gets the exception type only).
    """
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.APPLYING, started_at=timezone.now()
    )
    batch = ImportBatch.objects.select_related("organisation", "confirmed_by", "created_by").get(
        pk=batch_id
    )
    if claimed != 1:
        return batch
    try:
        with transaction.atomic():
            created, skipped = _apply_rows(batch)
            batch.status = ImportBatch.Status.DONE
            batch.created_count = created
            batch.skipped_count = skipped
            batch.finished_at = timezone.now()
            batch.save()
            actor = batch.confirmed_by or batch.created_by
            audit_transition(
                batch,
                actor=actor,
                transition="import_apply",
                transition_label="批量导入",
                before={
                    "status": ImportBatch.Status.QUEUED,
                    "created_count": 0,
                    "skipped_count": 0,
                },
                after={"status": batch.status, "created_count": created, "skipped_count": skipped},
                note=(
                    f"批量导入 {batch.original_name}（SHA-256 {batch.sha256[:12]}…）："
                    f"共 {batch.total_rows} 行，新增纠纷 {created} 件，已导入过跳过 {skipped} 件"
                ),
            )
    except Exception as exc:  # noqa: BLE001 - any failure must leave a FAILED batch behind
        # The rows rolled back; record why without leaking row content.
        # Type only: database messages can quote a value from the row.
        logger.error("case import %s failed: %s", batch_id, type(exc).__name__)
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED,
            failure=f"{type(exc).__name__}：导入未完成，数据已全部回滚，请重试或联系管理员。"[:300],
            finished_at=timezone.now(),
        )
        cache.delete(progress_key(batch_id))
        return ImportBatch.objects.get(pk=batch_id)
    _delete_source(batch)
    batch.save(update_fields=["file"])
    cache.delete(progress_key(batch_id))
    logger.info("case import %s applied: %s created, %s skipped", batch_id, created, skipped)
    return batch


def progress_key(batch_id: int) -> str:
    return f"cases:import:{batch_id}:progress"


def import_progress(batch: ImportBatch) -> int | None:
    """Rows processed so far while APPLYING (from the cache; the rows themselves are not
    visible to other connections until the single transaction commits)."""
    if batch.status != ImportBatch.Status.APPLYING:
        return None
    return cache.get(progress_key(batch.pk))


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _apply_rows(batch: ImportBatch) -> tuple[int, int]:
    vocabulary = build_vocabulary(batch.organisation)
    writer = BulkDisputeWriter(
        organisation=batch.organisation,
        actor=batch.confirmed_by or batch.created_by,
        source_channel=batch.source_channel,
        batch=batch,
    )
    created = skipped = processed = 0
    with batch.file.open("rb") as handle:
        rows = iter_clean_rows(handle, batch.file_kind, vocabulary)
        for chunk in _chunks(rows, CHUNK_SIZE):
            clean_rows = []
            for number, _raw, clean, errors in chunk:
                if errors or clean is None:
                    # The file changed under us or the vocabulary did: refuse the lot.
                    raise ImportRowInvalid(number)
                clean_rows.append(clean)
            chunk_created, chunk_skipped = writer.write(clean_rows)
            created += chunk_created
            skipped += chunk_skipped
            processed += len(clean_rows)
            cache.set(progress_key(batch.pk), processed, timeout=6 * 3600)
    return created, skipped


class ImportRowInvalid(Exception):
    def __init__(self, row: int):
        super().__init__(f"row {row} no longer validates")
        self.row = row


class BulkDisputeWriter:
    """Writes validated rows as `dispute_register` would, a chunk at a time.

    Per chunk: one query for rows already registered (skipped), one for known applicants by
    blind index (ID number, else name + phone — the rule of `party_find_or_create`), then
    `bulk_create` for new parties, disputes (gap-free references taken from the locked
    per-organisation sequence), their party links and their "registered" timeline events.

    Differences from calling the service per row, by design: no audit entry per dispute or
    party (the batch gets one summary entry), details filled into existing parties (a phone
    they lacked) are written with `bulk_update` under that same summary, and no deadline-engine
    deadline is started per imported dispute (the dispute's own `triage_due_at` is set, so
    "overdue" lists still see it).
    """

    def __init__(self, *, organisation: Organisation, actor, source_channel: str, batch=None):
        self.organisation = organisation
        self.actor = actor
        self.actor_name = str(actor) if actor else ""
        self.source_channel = source_channel
        self.batch_id = batch.pk if batch is not None else None
        self.region_of = dict(
            Organisation.objects.filter(path__startswith=organisation.path).values_list(
                "pk", "region_id"
            )
        )
        self.triage_delta = datetime.timedelta(hours=conf.get("CASES_TRIAGE_HOURS"))

    def write(self, rows: list[CleanRow]) -> tuple[int, int]:
        """(created, skipped as already imported) for one chunk."""
        existing = set(
            Dispute.objects.filter(
                source_channel=self.source_channel,
                organisation_id__in={row.organisation_id for row in rows},
                source_reference__in=[row.source_reference for row in rows],
            ).values_list("organisation_id", "source_reference")
        )
        fresh = [row for row in rows if (row.organisation_id, row.source_reference) not in existing]
        if not fresh:
            return 0, len(rows)
        applicants = self._applicants(fresh)
        respondents = self._respondents(fresh)
        references = self._references(fresh)
        disputes = []
        for row, reference, applicant, respondent in zip(
            fresh, references, applicants, respondents, strict=True
        ):
            dispute = Dispute(
                organisation_id=row.organisation_id,
                reference=reference,
                source_channel=self.source_channel,
                source_reference=row.source_reference,
                category=row.category,
                facts=row.facts,
                amount_in_dispute=row.amount_in_dispute,
                region_id=self.region_of[row.organisation_id],
                place=row.place,
                risk_level=row.risk_level,
                registered_by=self.actor,
                registered_at=row.registered_at,
                triage_due_at=row.registered_at + self.triage_delta,
            )
            names = [applicant.name] + ([respondent.name] if respondent else [])
            dispute.search_tokens = dispute_search_tokens(dispute, names)
            disputes.append(dispute)
        Dispute.objects.bulk_create(disputes, batch_size=CHUNK_SIZE)

        links = []
        events = []
        actor_user = self.actor if getattr(self.actor, "is_authenticated", False) else None
        for dispute, applicant, respondent in zip(disputes, applicants, respondents, strict=True):
            links.append(DisputeParty(dispute=dispute, party=applicant, role=PartyRole.APPLICANT))
            if respondent is not None:
                links.append(
                    DisputeParty(dispute=dispute, party=respondent, role=PartyRole.RESPONDENT)
                )
            events.append(
                DisputeEvent(
                    dispute=dispute,
                    kind=DisputeEvent.Kind.REGISTERED,
                    at=dispute.registered_at,
                    actor=actor_user,
                    actor_name=self.actor_name,
                    organisation_id=dispute.organisation_id,
                    data={
                        "source_channel": self.source_channel,
                        "linked_to": None,
                        "import_batch": self.batch_id,
                    },
                )
            )
        DisputeParty.objects.bulk_create(links, batch_size=CHUNK_SIZE)
        DisputeEvent.objects.bulk_create(events, batch_size=CHUNK_SIZE)
        return len(fresh), len(rows) - len(fresh)

    def _applicants(self, rows: list[CleanRow]) -> list[Party]:
        """The applicant Party of each row: found by blind index, else created (bulk)."""
        id_keys = {
            row.applicant_id_number: pii.id_number_index(row.applicant_id_number)
            for row in rows
            if row.applicant_id_number
        }
        phone_keys = {
            row.applicant_phone: pii.phone_index(row.applicant_phone)
            for row in rows
            if row.applicant_phone
        }

        def key(row: CleanRow) -> tuple:
            if row.applicant_id_number:
                return ("id", id_keys[row.applicant_id_number])
            return ("phone", row.applicant_name, phone_keys.get(row.applicant_phone, ""))

        found: dict[tuple, Party] = {}
        if id_keys:
            for party in Party.objects.filter(id_number_index__in=set(id_keys.values())):
                found[("id", party.id_number_index)] = party
        anonymous = [row for row in rows if not row.applicant_id_number and row.applicant_phone]
        if anonymous:
            candidates = Party.objects.filter(
                kind=Party.Kind.PERSON,
                phone_index__in={phone_keys[row.applicant_phone] for row in anonymous},
                name__in={row.applicant_name for row in anonymous},
                id_number_index="",
                credit_code="",
            ).order_by("-pk")  # the lowest pk wins below, as in party_find_or_create
            for party in candidates:
                found[("phone", party.name, party.phone_index)] = party

        to_fill: list[Party] = []
        to_create: dict[tuple, Party] = {}
        for row in rows:
            row_key = key(row)
            party = found.get(row_key)
            if party is not None:
                if row.applicant_phone and not party.phone_index and party not in to_fill:
                    pii.seal_into(party, "phone", pii.seal_phone(row.applicant_phone))
                    to_fill.append(party)
                continue
            if row_key in to_create:
                continue
            party = Party(kind=Party.Kind.PERSON, name=row.applicant_name)
            pii.seal_into(party, "id_number", pii.seal_id_number(row.applicant_id_number))
            pii.seal_into(party, "phone", pii.seal_phone(row.applicant_phone))
            to_create[row_key] = party
        if to_fill:
            Party.objects.bulk_update(
                to_fill, ["phone_encrypted", "phone_index", "phone_masked"], batch_size=CHUNK_SIZE
            )
        if to_create:
            Party.objects.bulk_create(list(to_create.values()), batch_size=CHUNK_SIZE)
            found.update(to_create)
        return [found[key(row)] for row in rows]

    def _respondents(self, rows: list[CleanRow]) -> list[Party | None]:
        """A name without an identifier cannot be matched: one new Party each (as the service)."""
        parties = [
            Party(kind=Party.Kind.PERSON, name=row.respondent_name) if row.respondent_name else None
            for row in rows
        ]
        new = [party for party in parties if party is not None]
        if new:
            Party.objects.bulk_create(new, batch_size=CHUNK_SIZE)
        return parties

    def _references(self, rows: list[CleanRow]) -> list[str]:
        """Gap-free references, the format of `dispute_register`, taken N at a time from the
        locked per-organisation, per-year sequence."""
        wanted: dict[tuple[int, int], int] = {}
        keys = []
        for row in rows:
            key = (row.organisation_id, timezone.localtime(row.registered_at).year)
            wanted[key] = wanted.get(key, 0) + 1
            keys.append(key)
        next_number: dict[tuple[int, int], int] = {}
        for organisation_id, year in sorted(wanted):
            sequence, _created = ReferenceSequence.objects.get_or_create(
                organisation_id=organisation_id, year=year
            )
            sequence = ReferenceSequence.objects.select_for_update().get(pk=sequence.pk)
            next_number[(organisation_id, year)] = sequence.last + 1
            sequence.last += wanted[(organisation_id, year)]
            sequence.save(update_fields=["last"])
        references = []
        for organisation_id, year in keys:
            number = next_number[(organisation_id, year)]
            next_number[(organisation_id, year)] = number + 1
            references.append(f"FQ{year}-{organisation_id:04d}-{number:06d}")
        return references


# --- selectors -------------------------------------------------------------------------------


def import_batch_list_for_user(user):
    """Batches of organisations the user may see, newest first."""
    return scope_queryset(
        ImportBatch.objects.select_related("organisation", "created_by"), user
    ).order_by("-created_at", "-pk")


def import_batch_get_for_user(user, pk) -> ImportBatch:
    """One batch, or 404 when it is missing or outside the user's scope."""
    return get_for_user_or_404(
        ImportBatch.objects.select_related("organisation", "created_by", "duplicate_of"),
        user,
        pk=pk,
    )
