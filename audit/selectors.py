from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .models import AuditEntry
from .registry import related_for


def history_for(instance):
    """A record's audit history, newest first (uses audit_object_idx), with the entries of
    the records registered as part of its story (e.g. a dispute's dispatches)."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    condition = Q(content_type=content_type, object_id=str(instance.pk))
    for queryset in related_for(instance):
        # object_id is text: the (few) related ids are read once, not joined per row
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        if ids:
            related_type = ContentType.objects.get_for_model(queryset.model)
            condition |= Q(content_type=related_type, object_id__in=ids)
    return AuditEntry.objects.filter(condition).select_related("actor")
