"""The enforcement pages' small pieces: a registered panel rendered with its own context,
the case's priority badges, a deadline's urgency."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
    from deadlines.registry import get_kind

    registered = get_kind(kind) if kind else None
    return str(registered.label) if registered else stored_label


# Badges as filters, not includes: a list renders them for 50 rows twice (table and phone
# cards), and an include costs ten times what a filter does.

_STATUS_CSS = {
    "performed": "text-bg-success",
    "suspended": "text-bg-warning",
    "filed": "text-bg-info",
    "urging": "text-bg-info",
    "terminated_round": "text-bg-secondary",
    "terminated": "text-bg-secondary",
    "bankruptcy": "text-bg-secondary",
    "urging_performed": "text-bg-secondary",
}


@register.filter
def status_badge(case) -> str:
    from enforcement.models import CaseStatus

    try:
        label = CaseStatus(case.status).label
    except ValueError:
        label = case.status
    css = _STATUS_CSS.get(case.status, "text-bg-primary")
    return format_html('<span class="badge {}" data-testid="status">{}</span>', css, label)


@register.filter
def priority_badges(case) -> str:
    badges = []
    for flag, testid, css, icon, label in _PRIORITY_BADGES:
        if getattr(case, flag):
            icon_html = format_html('<i class="bi bi-{}"></i> ', icon) if icon else ""
            badges.append(
                format_html(
                    '<span class="badge {}" data-testid="{}">{}{}</span>',
                    css,
                    testid,
                    icon_html,
                    label,
                )  # fmt: skip
            )
    return mark_safe("".join(badges))  # noqa: S308 - each part escaped by format_html


_PRIORITY_BADGES = (
    ("is_enterprise", "priority-enterprise", "text-bg-light border text-primary", "building",
     _("涉企")),
    ("is_livelihood", "priority-livelihood", "text-bg-light border text-danger", "heart",
     _("涉民生")),
    ("is_small_claim", "priority-small", "text-bg-light border text-success", "lightning",
     _("小额快执")),
    ("application_late", "application-late", "text-bg-warning", "", _("超过申请执行期间")),
)  # fmt: skip
