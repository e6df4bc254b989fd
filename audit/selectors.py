from django.contrib.contenttypes.models import ContentType
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


def history_for(instance):
    """A record's audit history, newest first (uses audit_object_idx), with the entries of
    the records registered as part of its story (e.g. a dispute's dispatches)."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    condition = Q(content_type=content_type, object_id=str(instance.pk))
    # object_id is text: the (few) related ids are read once, not joined per row
    for related_type, ids in _related_ids(related_for(instance)).items():
        condition |= Q(content_type_id=related_type, object_id__in=ids)
    return AuditEntry.objects.filter(condition).select_related("actor")
