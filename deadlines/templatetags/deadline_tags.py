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


@register.filter
def kind_label(deadline) -> str:
    """The deadline's kind in the reader's language (the registered, translatable label);
    the stored label for a kind no app registers any more. Never the internal code."""
    from ..registry import get_kind

    kind = get_kind(deadline.kind)
    return str(kind.label) if kind else deadline.label


@register.filter
def subject_url(deadline) -> str:
    """Where the deadline's record lives, when that record has a page."""
    subject = deadline.subject
    getter = getattr(subject, "get_absolute_url", None)
    return getter() if getter else ""
