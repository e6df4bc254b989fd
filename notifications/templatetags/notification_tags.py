from django import template

from ..selectors import notifications_for, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def bell_data(context) -> dict:
    """Unread count and the latest five, for the navbar bell (two small indexed queries)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread": 0, "latest": []}
    return {
        "unread": unread_count(user),
        "latest": list(notifications_for(user).filter(read_at__isnull=True)[:5]),
    }
