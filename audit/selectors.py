from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def history_for(instance):
    """A record's audit history, newest first (uses audit_object_idx)."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    return AuditEntry.objects.filter(
        content_type=content_type, object_id=str(instance.pk)
    ).select_related("actor")
