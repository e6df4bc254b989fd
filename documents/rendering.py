"""From data to a filled .docx: completeness check, values for print, the QR code.

`missing_elements` lists what the law requires and the data lacks (by label, in order);
`template_context` turns checked data into what the template prints (money in figures and
capitals, dates in Chinese); `render_docx` fills the type's template with docxtpl.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

import segno
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from common.money import amount_in_capitals, format_yuan, to_yuan

from .registry import DocumentType, Element


@dataclass(frozen=True)
class PrintedAmount:
    """A sum as documents print it: ¥12,345.60 and 壹万贰仟叁佰肆拾伍元陆角整."""

    value: Decimal

    @property
    def figures(self) -> str:
        return format_yuan(self.value)

    @property
    def capitals(self) -> str:
        return amount_in_capitals(self.value, zheng_after_jiao=True)

    def __str__(self):
        return self.figures


def chinese_date(value: datetime.date) -> str:
    """2026年11月30日 (no leading zeros, as documents are dated)."""
    return f"{value.year}年{value.month}月{value.day}日"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        raise TypeError("a date, not a moment")
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value).strip())


def _problems(elements: tuple[Element, ...], data: dict, prefix: str = "") -> list[str]:
    problems = []
    for element in elements:
        label = f"{prefix}{element.label}"
        value = data.get(element.name) if isinstance(data, dict) else None
        if _blank(value) or (element.kind == "list" and not value):
            if element.required:
                problems.append(label)
            continue
        if element.kind == "date":
            try:
                _as_date(value)
            except (TypeError, ValueError):
                problems.append(_("%(label)s（日期格式不正确）") % {"label": label})
        elif element.kind == "money":
            try:
                to_yuan(value)
            except (TypeError, ValueError):
                problems.append(_("%(label)s（金额格式不正确）") % {"label": label})
        elif element.kind == "list":
            if not isinstance(value, list | tuple):
                problems.append(_("%(label)s（应为列表）") % {"label": label})
                continue
            for index, item in enumerate(value, start=1):
                item_prefix = _("%(label)s第%(n)s项：") % {"label": label, "n": index}
                if not isinstance(item, dict):
                    problems.append(item_prefix.rstrip("："))
                    continue
                problems.extend(_problems(element.fields, item, item_prefix))
        elif not isinstance(value, str):
            problems.append(_("%(label)s（应为文字）") % {"label": label})
    return problems


def missing_elements(document_type: DocumentType, data: dict) -> list[str]:
    """The labels of required elements that `data` lacks or gives in the wrong form."""
    return _problems(document_type.elements, data or {})


def check_complete(document_type: DocumentType, data: dict) -> None:
    """Refuse incomplete data: a ValidationError whose messages are the missing elements."""
    problems = missing_elements(document_type, data)
    if problems:
        raise ValidationError(
            [
                ValidationError(
                    _("%(title)s缺少法定要素：%(element)s")
                    % {"title": document_type.title, "element": problem},
                    code="missing_element",
                )
                for problem in problems
            ]
        )


def _printable(elements: tuple[Element, ...], data: dict) -> dict:
    values = {}
    for element in elements:
        value = data.get(element.name)
        if _blank(value):
            values[element.name] = ""
        elif element.kind == "date":
            values[element.name] = chinese_date(_as_date(value))
        elif element.kind == "money":
            values[element.name] = PrintedAmount(to_yuan(value))
        elif element.kind == "list":
            values[element.name] = [_printable(element.fields, item) for item in value]
        else:
            values[element.name] = value.strip()
    return values


def template_context(document_type: DocumentType, data: dict) -> dict:
    """Only the declared elements reach the template (a stray key prints nothing)."""
    return _printable(document_type.elements, data)


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    # error correction M: still reads when a seal or a fold covers part of it
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def render_docx(document_type: DocumentType, context: dict, *, verify_url: str) -> bytes:
    template = DocxTemplate(document_type.template_path)
    full_context = {
        **context,
        "qr": InlineImage(template, io.BytesIO(qr_png(verify_url)), width=Mm(22)),
        "verify_url": verify_url,
    }
    # autoescape: a party named "A & B <公司>" prints as written, not as broken XML
    template.render(full_context, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
