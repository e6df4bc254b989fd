from django import template
from django.db.models import Count, Window

from ..models import Notification

register = template.Library()

BELL_SHOWN = 5


@register.simple_tag(takes_context=True)
def bell_data(context) -> dict:
    """Unread count and the latest five unread, for the navbar bell on every page: one
    indexed query (the count a window over the user's unread rows), only the columns the
    bell prints."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread": 0, "latest": []}
    latest = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .annotate(unread_total=Window(Count("pk")))
        .only("pk", "title", "created_at")
        .order_by("-created_at", "-pk")[:BELL_SHOWN]
    )
    return {"unread": latest[0].unread_total if latest else 0, "latest": latest}
