from django import template
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from credit.models.sanctions import Sanction

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


@register.simple_tag
def held_elsewhere(record, held, case_court_id=None) -> str:
    """ "" when the page's user may open `record` (`held`: selectors.HeldCourts; none given:
    the page lists only the user's records); else where it is done now, to show in place
    of a link that would answer 404: moved with the case (its court is the case's court
    now, `case_court_id`) to the receiving court, or another court's."""
    if held is None or held == "" or record.court_id in held:
        return ""
    if isinstance(record, Sanction) and record.case.court_id in held:
        return ""  # the entry of a case moved to the user's court (selectors.sanctions_condition)
    court = record.court.name
    if case_court_id is not None and record.court_id == case_court_id:
        return _("已随案移送至%(court)s办理") % {"court": court}
    return _("由%(court)s办理") % {"court": court}
