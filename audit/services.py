"""Writing audit entries. Call these inside the transaction that makes the change."""

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile

from .context import current
from .models import AuditEntry


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, FieldFile):
        return value.name or None
    return str(value)


def _masked_fields(instance) -> set[str]:
    return set(getattr(instance, "audit_masked_fields", ()))


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The audited state of a record: its concrete fields, personal fields masked."""
    masked = _masked_fields(instance)
    excluded = set(getattr(instance, "audit_exclude_fields", ()))
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded:
            continue
        value = getattr(instance, field.attname)
        data[field.name] = "***" if field.name in masked and value else _json_safe(value)
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _organisation_id(instance) -> int | None:
    field = getattr(instance, "audit_organisation_field", "organisation")
    if not field:
        return None
    *path, last = field.split("__")
    value = instance
    for part in path:
        value = getattr(value, part, None)
        if value is None:
            return None
    try:
        model_field = value._meta.get_field(last)
    except (AttributeError, FieldDoesNotExist):
        model_field = None
    if getattr(model_field, "many_to_one", False):
        # The foreign key's column: no query when only `organisation_id` is set (bulk writes).
        return getattr(value, model_field.attname, None)
    value = getattr(value, last, None)
    return value.pk if isinstance(value, models.Model) else value


def _entry(
    instance, *, actor, action, changes=None, transition="", transition_label="", note=""
) -> AuditEntry:
    """The entry for `instance`, not saved: `_write` saves one, bulk writers many."""
    context = current()
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=actor_user,
        actor_name=str(actor) if actor_user else (str(actor) if actor else "系统"),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        organisation_id=_organisation_id(instance),
        changes=changes or {},
        transition=transition,
        transition_label=transition_label,
        note=note,
        channel=context.channel,
        ip=context.ip,
        path=context.path,
    )


def _write(instance, **kwargs) -> AuditEntry:
    entry = _entry(instance, **kwargs)
    entry.save(force_insert=True)
    return entry


def audit_create_entry(instance, *, actor, note="") -> AuditEntry:
    """The entry `audit_create` would write, not saved: for bulk writers, which save many
    with `audit_bulk_write` in the transaction that created the records."""
    after = snapshot(instance)
    changes = {key: {"before": None, "after": value} for key, value in after.items()}
    return _entry(
        instance, actor=actor, action=AuditEntry.Action.CREATE, changes=changes, note=note
    )


def audit_create(instance, *, actor, note="") -> AuditEntry:
    entry = audit_create_entry(instance, actor=actor, note=note)
    entry.save(force_insert=True)
    return entry


def audit_change_entry(instance, *, actor, before: dict[str, Any], note="") -> AuditEntry | None:
    """The entry `audit_change` would write, not saved (None if nothing changed)."""
    changes = diff(before, snapshot(instance))
    if not changes:
        return None
    return _entry(
        instance, actor=actor, action=AuditEntry.Action.CHANGE, changes=changes, note=note
    )


def audit_change(instance, *, actor, before: dict[str, Any], note="") -> AuditEntry | None:
    """`before` is `snapshot(instance)` taken before the change; no entry if nothing changed."""
    entry = audit_change_entry(instance, actor=actor, before=before, note=note)
    if entry is not None:
        entry.save(force_insert=True)
    return entry


def audit_bulk_write(entries, *, batch_size: int = 1000) -> list[AuditEntry]:
    """Save entries built by `audit_*_entry` in few INSERTs. Call it inside the transaction
    that made the records, after they have their primary keys (the entries hold them)."""
    entries = [entry for entry in entries if entry is not None]
    if any(entry.object_id == "None" for entry in entries):
        raise ValueError("audit entries built before their records were saved")
    return AuditEntry.objects.bulk_create(entries, batch_size=batch_size)


def audit_transition(
    instance,
    *,
    actor,
    transition: str,
    before: dict,
    after: dict,
    note="",
    transition_label: str = "",
):
    entry = audit_transition_entry(
        instance,
        actor=actor,
        transition=transition,
        before=before,
        after=after,
        note=note,
        transition_label=transition_label,
    )
    entry.save(force_insert=True)
    return entry


def audit_transition_entry(
    instance,
    *,
    actor,
    transition: str,
    before: dict,
    after: dict,
    note="",
    transition_label: str = "",
) -> AuditEntry:
    """The entry `audit_transition` would write, not saved: for bulk writers (e.g. the
    deadline sweep marking a batch missed), which save many with `audit_bulk_write` in the
    transaction that made the transitions."""
    masked = _masked_fields(instance)
    changes = {
        key: {
            "before": "***" if key in masked else _json_safe(before[key]),
            "after": "***" if key in masked else _json_safe(after[key]),
        }
        for key in before
        if before[key] != after[key]
    }
    return _entry(
        instance,
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        changes=changes,
        transition=transition,
        transition_label=transition_label,
        note=note,
    )


def audit_delete(instance, *, actor, note="") -> AuditEntry:
    before = snapshot(instance)
    changes = {key: {"before": value, "after": None} for key, value in before.items()}
    return _write(
        instance, actor=actor, action=AuditEntry.Action.DELETE, changes=changes, note=note
    )


def audit_personal_view(instance, *, actor, fields: list[str], note="") -> AuditEntry:
    """A full (unmasked) view of a person's ID number or phone."""
    return _write(
        instance,
        actor=actor,
        action=AuditEntry.Action.VIEW_PERSONAL,
        changes={"fields": fields},
        note=note,
    )
