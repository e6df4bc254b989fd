"""`{% open_campaigns as campaigns %}`: the campaigns running today that the user sees (the
court list's bulk tagging)."""

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def open_campaigns(context):
    from enforcement.selectors_campaigns import campaigns_visible_to

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    today = timezone.localdate()
    return list(
        campaigns_visible_to(request.user)
        .filter(starts_on__lte=today, ends_on__gte=today)
        .order_by("name")[:50]
    )
