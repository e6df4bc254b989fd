"""Document types and who may read a record's documents.

A document type names its .docx template (under documents/docx/), its Chinese title, the
prefix of its number and the **legally required elements**: the named fields the data must
carry before anything is issued. `document_issue` refuses data that lacks any of them and
lists each missing element by its label.

Element kinds decide how a value is checked and how it reaches the template:

- ``text``: a non-blank string;
- ``date``: a `datetime.date` (or ISO ``YYYY-MM-DD`` string), printed ``2026年11月30日``;
- ``money``: Decimal yuan (a float is refused), printed as ``.figures`` (¥12,345.60) and
  ``.capitals`` (壹万贰仟叁佰肆拾伍元陆角整) through `common.money`;
- ``list``: a non-empty list of dicts, each checked against the element's own ``fields``.

An element with ``required=False`` is checked for its kind when present and may be absent.

Apps whose records carry documents register a getter for the record model
(`register_subject`): `getter(user, pk)` returns the record or raises Http404, exactly as the
record's own page does, so a document is read only by those who may read its record. A
record model that registered a history getter (`audit.registry.register_history`) needs
nothing more: that getter is used.

Apps whose court cases number their documents by the case number (`document_issue(...,
case_number=…)`) register how that case's row is locked (`register_case_number_lock`):
their issuers hold that lock while numbering, and `document_supersede` takes the same one
before it numbers a replacement, so two documents of one case never count the same 之N.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import models

TEMPLATE_DIR = Path(__file__).resolve().parent / "docx"


@dataclass(frozen=True)
class Element:
    name: str
    label: str
    kind: str = "text"  # text | date | money | list
    fields: tuple["Element", ...] = ()
    required: bool = True

    def __post_init__(self):
        if self.kind not in {"text", "date", "money", "list"}:
            raise ValueError(f"Unknown element kind {self.kind!r} for {self.name}")
        if (self.kind == "list") != bool(self.fields):
            raise ValueError(f"Element {self.name}: a list has fields, nothing else does")


@dataclass(frozen=True)
class DocumentType:
    code: str
    title: str
    template: str  # file name under documents/docx/
    number_prefix: str  # e.g. 调协字 → （2026）新华调委调协字第3号
    elements: tuple[Element, ...]
    # Which list element holds the parties whose masked names the public page shows.
    parties_element: str = "parties"
    description: str = ""

    @property
    def template_path(self) -> Path:
        return TEMPLATE_DIR / self.template


_types: dict[str, DocumentType] = {}
_subject_getters: dict[str, Callable] = {}
_case_number_locks: list[Callable[[str], bool]] = []


def register_type(document_type: DocumentType) -> DocumentType:
    if document_type.code in _types and _types[document_type.code] != document_type:
        raise ValueError(f"Document type {document_type.code} registered twice")
    _types[document_type.code] = document_type
    return document_type


def get_type(code: str) -> DocumentType:
    try:
        return _types[code]
    except KeyError as exc:
        raise LookupError(f"Unknown document type {code!r}") from exc


def all_types() -> list[DocumentType]:
    return sorted(_types.values(), key=lambda t: t.code)


def register_subject(model: type[models.Model], getter: Callable) -> None:
    """`getter(user, pk)` returns the record or raises Http404 (the record page's getter)."""
    _subject_getters[model._meta.label_lower] = getter


def subject_getter_for(label: str) -> Callable | None:
    """The registered getter, else the record's history getter, else None (no access)."""
    getter = _subject_getters.get(label)
    if getter is not None:
        return getter
    from audit.registry import getter_for

    return getter_for(label)


def register_case_number_lock(lock: Callable[[str], bool]) -> None:
    """`lock(case_number)` takes, for the rest of the transaction, the row lock the app's
    issuers hold while they number a document in that case's form, and returns True; it
    returns False (locking nothing) when the number is not one of the app's cases."""
    if lock not in _case_number_locks:
        _case_number_locks.append(lock)


def lock_case_number(case_number: str) -> bool:
    """Lock the case that `case_number` belongs to; False when no app knows it."""
    return any(lock(case_number) for lock in _case_number_locks)
