from django import template

from notifications.selectors import deadlines_deliveries

from ..models import Deadline
from ..selectors import deadlines_for

register = template.Library()


@register.simple_tag
def record_deadlines(record) -> list[dict]:
    """The record's deadlines, each with the deliveries of its reminders (three queries)."""
    if record is None or getattr(record, "pk", None) is None:
        return []
    deadlines = list(deadlines_for(record))
    deliveries = deadlines_deliveries(Deadline, [d.pk for d in deadlines])
    return [{"deadline": d, "deliveries": deliveries.get(d.pk, [])} for d in deadlines]


@register.filter
def state_badge(state: str) -> str:
    return {
        "pending": "primary",
        "paused": "warning",
        "met": "success",
        "missed": "danger",
        "cancelled": "secondary",
    }.get(state, "secondary")
