from django import template
from django.urls import NoReverseMatch
from django.utils import timezone

register = template.Library()


@register.filter
def case_url(case) -> str:
    """The enforcement case page, once the workbench provides it (else no link)."""
    try:
        return case.get_absolute_url()
    except NoReverseMatch:
        return ""


@register.filter
def late_at(removal, now) -> bool:
    """Open past its due moment, or done after it."""
    if removal.due_at is None or removal.state == "refused":
        return False
    return (removal.done_at or now or timezone.now()) > removal.due_at
