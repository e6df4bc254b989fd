from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import CharField, IntegerField, Q, Value
from django.db.models.functions import Cast

from .models import AuditEntry
from .registry import related_for


def _related_ids(querysets) -> dict[int, list[str]]:
    """The related records' ids by content type, read in one query (a UNION of the
    querysets' ids) however many kinds of records a history gathers."""
    parts = []
    for queryset in querysets:
        content_type = ContentType.objects.get_for_model(queryset.model)
        parts.append(
            queryset.order_by()
            .annotate(
                history_type=Value(content_type.pk, output_field=IntegerField()),
                history_id=Cast("pk", CharField()),
            )
            .values_list("history_type", "history_id")
        )
    if not parts:
        return {}
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    ids: dict[int, list[str]] = {}
    for content_type_id, object_id in rows:
        ids.setdefault(content_type_id, []).append(object_id)
    return ids


def latest_history(instance, limit: int) -> list[AuditEntry]:
    """The newest `limit` entries of `history_for(instance)` (no actor joined: entries carry
    the actor's name). The record's own entries and its related records' are each read
    newest first and cut (the own ones an index range of audit_object_idx), in one UNION
    ALL, then merged: a record with thousands of entries and hundreds of related records
    costs what a short one does, where one ORDER BY over the whole OR would sort them all."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    newest = ("-at", "-pk")
    parts = [
        AuditEntry.objects.filter(content_type=content_type, object_id=str(instance.pk)).order_by(
            *newest
        )[:limit]
    ]
    for related_type, ids in _related_ids(related_for(instance)).items():
        parts.append(
            AuditEntry.objects.filter(content_type_id=related_type, object_id__in=ids).order_by(
                *newest
            )[:limit]
        )
    if len(parts) == 1:
        rows = list(parts[0])
    elif connections[parts[0].db].features.supports_slicing_ordering_in_compound:
        rows = list(parts[0].union(*parts[1:], all=True))
    else:
        # SQLite (`make run`) takes no LIMIT inside a UNION's parts: the same cut parts, each
        # read on its own (one query per kind of related record)
        rows = [entry for part in parts for entry in part]
    return sorted(rows, key=lambda e: (e.at, e.pk), reverse=True)[:limit]


def history_for(instance):
    """A record's audit history, newest first (uses audit_object_idx), with the entries of
    the records registered as part of its story (e.g. a dispute's dispatches)."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    condition = Q(content_type=content_type, object_id=str(instance.pk))
    # object_id is text: the (few) related ids are read once, not joined per row
    for related_type, ids in _related_ids(related_for(instance)).items():
        condition |= Q(content_type_id=related_type, object_id__in=ids)
    return AuditEntry.objects.filter(condition).select_related("actor")
