"""The enforcement pages' small pieces: a registered panel rendered with its own context,
the case's priority badges, a deadline's urgency."""

from django import template
from django.utils import timezone
from django.utils.translation import ngettext

from enforcement import presenters_lists

register = template.Library()


@register.simple_tag(takes_context=True)
def case_panel(context, panel, data):
    """Render one registered panel (enforcement/panels.py): its template sees the page's
    context plus the keys of the dict its context function returned (and `panel_data`)."""
    panel_template = context.template.engine.get_template(panel.template)
    with context.push(panel_data=data, **data):
        return panel_template.render(context)


@register.filter
def days_since(moment) -> int | None:
    """Whole days from `moment` (a date-time) to today, Beijing time."""
    if moment is None:
        return None
    return (timezone.localdate() - timezone.localtime(moment).date()).days


@register.filter
def filed_days(filed_at) -> str:
    """ "立案 12 天" (a filter: the card shows it for 50 rows)."""
    days = days_since(filed_at)
    if days is None:
        return ""
    return ngettext("立案 %(n)d 天", "立案 %(n)d 天", days) % {"n": days}


@register.filter
def is_past(moment) -> bool:
    return moment is not None and moment < timezone.now()


@register.filter
def kind_words(kind: str, stored_label: str = "") -> str:
    """A deadline kind in the reader's language (the registered label), else the label
    stored on the deadline."""
    return presenters_lists.kind_words(kind, stored_label)


# Badges as filters, not includes: an include costs ten times what a filter does. (The
# lists compute their rows' badges once a page: enforcement/presenters_lists.py.)


@register.filter
def status_badge(case) -> str:
    return presenters_lists.status_badge(case.status)


@register.filter
def priority_badges(case) -> str:
    return presenters_lists.priority_badges(case)
