"""Validating rows: each row checked with `common.validators` and the case vocabularies.

Nothing here writes: the same checks run at validation and again, row by row, at apply.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Category, Dispute, Party, RiskLevel
from common.masking import mask_id_number, mask_name, mask_phone
from common.money import to_yuan
from common.validators import (
    normalise_id_number,
    normalise_mobile,
    validate_id_number,
    validate_mobile,
)
from organisations.models import Organisation
from organisations.selectors import organisations_under

from .columns import COLUMNS_BY_KEY, Column, FileProblem
from .reading import Header, is_blank, iter_raw_rows, read_header

PREVIEW_ROWS = 20
# Rows past the first PREVIEW_ROWS that are still shown because they need a look (an ID
# number on file under another name).
PREVIEW_WARNING_ROWS = 50
# Rows whose ID numbers are looked up together (one query for the chunk).
IDENTITY_CHECK_CHUNK = 1000
# Errors kept row by row in the report; past this the report says how many more there were.
MAX_REPORTED_ERRORS = 5000


@dataclass
class RowError:
    row: int
    column: str  # Chinese column label, or "" for the whole row / file
    message: str
    value: str = ""  # masked
    unreadable: bool = False  # a file problem: not a spreadsheet we can read at all


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

    def error_preview(self, number: int, row: tuple, errors: list[RowError]) -> dict:
        """The preview line of a row with errors: what the row holds, masked as the report
        masks it (names and phones), so the user sees which row it is; plus the errors."""

        def cell(key: str, limit: int = 30) -> str:
            value = self._get(row, key)
            column = COLUMNS_BY_KEY[key]
            return _masked(column, value) if column.personal else _cell_text(value)[:limit]

        registered_at = parse_datetime_cell(self._get(row, "registered_at"))
        places = [cell(key) for key in ("street", "community", "street_community")]
        return {
            "row": number,
            "source_reference": cell("source_reference"),
            "registered_at": timezone.localtime(registered_at).strftime("%Y-%m-%d %H:%M")
            if registered_at
            else cell("registered_at"),
            "applicant": cell("applicant_name"),
            "phone": cell("applicant_phone"),
            "category": cell("category"),
            "organisation": " / ".join(place for place in places if place),
            "facts": cell("facts", 40),
            "ok": False,
            "errors": [f"{e.column}：{e.message}" if e.column else e.message for e in errors],
        }

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
        if is_blank(raw):
            continue
        clean, errors = validator.validate(number, raw)
        yield number, raw, clean, errors


def validate_file(fileobj: IO[bytes], kind: str, vocabulary: Vocabulary) -> ValidationResult:
    """Stream the whole file once; memory stays bounded (errors are capped, rows not kept)."""
    result = ValidationResult()
    pending: list[tuple[CleanRow, dict | None]] = []
    visible = Dispute.objects.filter(
        organisation__in=organisations_under(
            Organisation.objects.get(pk=vocabulary.root_organisation_id)
        )
    )

    def check_identities() -> None:
        """Warn (never refuse) where an ID number is on file under another name: the row
        is imported under the name in the file, and the clerk sees it before confirming."""
        from cases.selectors import party_name_conflicts

        conflicts = party_name_conflicts(
            parties=[
                {"name": clean.applicant_name, "id_number": clean.applicant_id_number}
                for clean, _preview in pending
            ],
            visible=visible,
        )
        for conflict in conflicts:
            clean, preview = pending[conflict.position]
            if preview is None and len(result.preview) < PREVIEW_ROWS + PREVIEW_WARNING_ROWS:
                preview = clean.preview(vocabulary.organisation_names, vocabulary.category_labels)
                result.preview.append(preview)
            if preview is not None:
                preview.setdefault("warnings", []).append(name_conflict_warning(conflict))
        pending.clear()

    try:
        rows = iter_raw_rows(fileobj, kind)
        validator = RowValidator(read_header(rows), vocabulary)
        for _number, _raw in rows:
            if is_blank(_raw):
                continue
            clean, errors = validator.validate(_number, _raw)
            result.total_rows += 1
            if errors:
                result.error_rows += 1
                room = MAX_REPORTED_ERRORS - len(result.errors)
                result.errors.extend(errors[: max(room, 0)])
                result.errors_dropped += max(len(errors) - max(room, 0), 0)
            else:
                result.valid_rows += 1
            preview = None
            if len(result.preview) < PREVIEW_ROWS:
                if clean is not None:
                    preview = clean.preview(
                        vocabulary.organisation_names, vocabulary.category_labels
                    )
                    result.preview.append(preview)
                else:
                    result.preview.append(validator.error_preview(_number, _raw, errors))
            if clean is not None and not errors and clean.applicant_id_number:
                pending.append((clean, preview))
                if len(pending) >= IDENTITY_CHECK_CHUNK:
                    check_identities()
        if pending:
            check_identities()
    except FileProblem as problem:
        result.file_problem = RowError(
            problem.row or 0, problem.column, problem.message, unreadable=problem.unreadable
        )
    if result.file_problem is None and result.total_rows == 0:
        result.file_problem = RowError(0, "", "文件中没有数据行。")
    return result


def name_conflict_warning(conflict) -> str:
    """The preview's warning: the name on file is named only if recorded in the importing
    organisation's scope (masked, as the preview is); otherwise only that it differs."""
    if conflict.known_names:
        return _(
            "该身份证号已登记为“%(known)s”，与本行姓名“%(entered)s”不同；"
            "确认导入将按本行姓名登记，请核对。"
        ) % {
            "known": "、".join(mask_name(name) for name in conflict.known_names[:3]),
            "entered": mask_name(conflict.entered_name),
        }
    return _(
        "该身份证号已在其他单位以不同姓名登记；确认导入将按本行姓名“%(entered)s”登记，请核对。"
    ) % {"entered": mask_name(conflict.entered_name)}


_ORGANISATION_SUFFIXES = (
    "社会治理综合服务中心",
    "综治中心",
    "居民委员会",
    "村民委员会",
    "居委会",
    "村委会",
)


def build_vocabulary(organisation: Organisation) -> Vocabulary:
    """Categories, risk levels and the units a row may name, for imports into `organisation`.

    A row names its unit as a street or community (所属街道 / 所属社区). That matches an
    organisation in the subtree by its name or short name, by its name without the usual
    suffix (团结社区居委会 → 团结社区), or by the name of its region (新华街道 → the centre
    located in 新华街道), preferring centres and community committees, then the shallowest.
    """
    subtree = list(
        organisations_under(organisation).select_related("region").order_by("depth", "path")
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
