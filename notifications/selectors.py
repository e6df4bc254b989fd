from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404

from .models import Delivery, Notification


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).prefetch_related("deliveries")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get_for_user(user, pk) -> Notification:
    notification = Notification.objects.filter(recipient=user, pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def deadlines_deliveries(model, ids) -> dict[int, list[Delivery]]:
    """Deliveries of the notifications about these records, by record id (one query)."""
    content_type = ContentType.objects.get_for_model(model)
    result: dict[int, list[Delivery]] = {}
    rows = (
        Delivery.objects.filter(
            notification__content_type=content_type, notification__object_id__in=list(ids)
        )
        .select_related("notification__recipient")
        .order_by("notification__created_at", "pk")
    )
    for delivery in rows:
        result.setdefault(delivery.notification.object_id, []).append(delivery)
    return result
