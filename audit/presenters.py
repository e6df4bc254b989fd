"""Audit entries in words a person reads: field labels instead of column names, choice labels
instead of codes, names instead of ids, Beijing time instead of UTC ISO strings.

The history page and its CSV export both go through `present_entries`, so they say the same
thing in the same words. Foreign keys are resolved in one query per related model for the
whole page (never one per value), and secrets that reach an entry by way of a URL (the
resident's rating link) are blanked before anything is shown.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from common.money import format_yuan
from common.redaction import scrub_secrets

from .models import AuditEntry

EMPTY = "—"
MASKED = "***"


@dataclass
class ChangeRow:
    name: str  # the model field's name, for machines (data-field in the page)
    label: str
    before: str
    after: str


@dataclass
class EntryRow:
    entry: AuditEntry
    subject: str  # "吹哨交办 · FQ… → 新华派出所" for entries of a related record, else ""
    note: str
    path: str
    changes: list[ChangeRow] = field(default_factory=list)

    @property
    def at(self) -> datetime.datetime:
        return timezone.localtime(self.entry.at)


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _local(value) -> str:
    """A stored ISO date-time (UTC) in Beijing time, like every other time on the page."""
    if not isinstance(value, str):
        return str(value)
    moment = parse_datetime(value)
    if moment is None:
        return value
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


class _Names:
    """Collects the foreign-key ids shown on a page, then fetches each model's names at once."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.names: dict[type[models.Model], dict] = {}

    def want(self, model_field, value) -> None:
        if value not in (None, "", MASKED):
            self.wanted[model_field.related_model].add(value)

    def fetch(self) -> None:
        for model, ids in self.wanted.items():
            # a model whose name reads its relations (an instalment: "赵某 → 李某 第1期")
            # says which, so they come in the same query
            manager = model._default_manager.select_related(
                *getattr(model, "audit_name_related", ())
            )
            found = manager.in_bulk([str(pk) for pk in ids])
            self.names[model] = {str(pk): str(obj) for pk, obj in found.items()}

    def name(self, model_field, value) -> str:
        names = self.names.get(model_field.related_model, {})
        # a record deleted since keeps its number, so the entry still says something
        return names.get(str(value)) or f"#{value}"


def _words(model_field, value, names: _Names, model=None) -> str:
    """One stored value as the page shows it."""
    if value is None or value == "":
        return EMPTY
    if value == MASKED:
        return MASKED
    # a code the model knows the words for (a deadline's kind from the registry)
    words_for = getattr(model, "audit_value_words", None)
    if words_for is not None and model_field is not None:
        words = words_for(model_field.name, value)
        if words is not None:
            return words
    if model_field is None:
        return scrub_secrets(str(value))
    if model_field.is_relation and model_field.many_to_one:
        return names.name(model_field, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DecimalField) and model_field.decimal_places == 2:
        # money (the portal's only two-place decimals): ¥1,500.00, as on every page
        try:
            return format_yuan(value)
        except (TypeError, ValueError, ArithmeticError):
            return str(value)
    if isinstance(model_field, models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(model_field, models.DateTimeField):
        return _local(value)
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        parsed = parse_date(value)
        return parsed.isoformat() if parsed else value
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return scrub_secrets(str(value))


def _hidden_fields(model) -> set[str]:
    """Fields recorded but not worth a reader's line: the keys of a generic relation (the
    record is named by the page) and what the model leaves out of new entries (derived or
    scheduling data that older entries and transitions may still carry)."""
    if model is None:
        return set()
    hidden = set(getattr(model, "audit_exclude_fields", ()))
    for private in model._meta.private_fields:
        if isinstance(private, GenericForeignKey):
            hidden |= {private.ct_field, private.fk_field}
    return hidden


def _label(model, name: str) -> str:
    """The field's label: its verbose_name; for a field declared without one, the model's
    `audit_field_labels`, else (a foreign key) what it points to."""
    labels = getattr(model, "audit_field_labels", {})
    if name in labels:
        return str(labels[name])
    model_field = _model_field(model, name)
    if model_field is None:
        return name
    label = str(model_field.verbose_name)
    if label == name.replace("_", " ") and model_field.is_relation and model_field.related_model:
        return str(model_field.related_model._meta.verbose_name)
    return label


def present_entries(entries, *, record=None) -> list[EntryRow]:
    """`entries` (one page) as rows of words. `record` is the record whose history this is:
    entries of other records (its dispatches, attachments…) name what they are about."""
    entries = list(entries)
    record_key = (
        (ContentType.objects.get_for_model(record, for_concrete_model=False).pk, str(record.pk))
        if record is not None
        else None
    )
    models_of = {
        entry.content_type_id: ContentType.objects.get_for_id(entry.content_type_id).model_class()
        for entry in entries
    }
    names = _Names()
    for entry in entries:
        model = models_of[entry.content_type_id]
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for name, change in changes.items():
            model_field = _model_field(model, name)
            if model_field is not None and model_field.is_relation and model_field.many_to_one:
                if isinstance(change, dict):
                    names.want(model_field, change.get("before"))
                    names.want(model_field, change.get("after"))
    names.fetch()

    rows = []
    for entry in entries:
        model = models_of[entry.content_type_id]
        subject = ""
        if record_key and (entry.content_type_id, entry.object_id) != record_key and model:
            subject = f"{model._meta.verbose_name} · {entry.object_repr}"
        row = EntryRow(
            entry=entry,
            subject=scrub_secrets(subject),
            note=scrub_secrets(entry.note),
            path=scrub_secrets(entry.path),
        )
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        if entry.action == AuditEntry.Action.VIEW_PERSONAL:
            fields = changes.get("fields") or []
            row.changes.append(
                ChangeRow(
                    name="fields",
                    label=_("查看内容"),
                    before="",
                    after="、".join(_label(model, name) for name in fields),
                )
            )
        else:
            created = entry.action == AuditEntry.Action.CREATE
            hidden = _hidden_fields(model)
            for name, change in changes.items():
                if not isinstance(change, dict) or name in hidden:
                    continue
                model_field = _model_field(model, name)
                # a new record: what it was given, not every empty field nor its number
                if created and (
                    change.get("after") in (None, "", [], {})
                    or getattr(model_field, "primary_key", False)
                ):
                    continue
                row.changes.append(
                    ChangeRow(
                        name=name,
                        label=_label(model, name),
                        before=""
                        if created
                        else _words(model_field, change.get("before"), names, model),
                        after=_words(model_field, change.get("after"), names, model),
                    )
                )
        rows.append(row)
    return rows
