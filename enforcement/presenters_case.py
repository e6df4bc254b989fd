"""Rows of the case page written in Python: the clocks (期限) and the parties of each role.

The large case (400 workers, 200 clocks) shows 20 parties a role and 30 clocks; as
template loops each row cost a `{% url %}`, two or three date and badge filters and a
dozen nodes, about a third of that page. The markup is the template's own (the
data-testid attributes are what the tests and the browser journeys find); values are
escaped with the standard library's html.escape, as enforcement/presenters_lists.py does.
"""

from html import escape as _esc

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from common.money import format_yuan
from deadlines.templatetags.deadline_tags import kind_label, state_badge

_URL_MARK = 987654321  # a pk no deadline has, replaced by each row's own
PARTIES_SHOWN = 20


def timeline_rows(open_deadlines, closed_deadlines) -> SafeString:
    """The 期限 section's list items: the open clocks (overdue in red, with the owner),
    then the latest closed ones (muted)."""
    now = timezone.now()
    url_pattern = reverse("deadlines:detail", args=[_URL_MARK])
    mark = str(_URL_MARK)
    due_word = _esc(gettext("届满"))
    overdue_badge = f' <span class="badge text-bg-danger">{_esc(gettext("超期"))}</span>'
    html = []
    for d, is_open in [(d, True) for d in open_deadlines] + [(d, False) for d in closed_deadlines]:
        url = _esc(url_pattern.replace(mark, str(d.pk)))
        label = _esc(kind_label(d))
        badge = (
            f'<span class="badge text-bg-{state_badge(d.state)}">'
            f"{_esc(str(d.get_state_display()))}</span>"
        )
        due = timezone.localtime(d.due_at).strftime("%Y-%m-%d")
        if is_open:
            past = d.due_at < now
            owner = f' <span class="text-muted">· {_esc(str(d.owner))}</span>' if d.owner else ""
            html.append(
                f'<li class="border-top pt-1 mt-1{" text-danger" if past else ""}" '
                f'data-testid="deadline-{d.pk}"><a href="{url}" class="fw-semibold">{label}</a> '
                f"{badge} {due_word} {due}{overdue_badge if past else ''}{owner}</li>"
            )
        else:
            html.append(
                f'<li class="border-top pt-1 mt-1 text-muted" data-testid="deadline-{d.pk}">'
                f'<a href="{url}">{label}</a> {badge} {due}</li>'
            )
    return mark_safe("\n".join(html))  # noqa: S308 - every value escaped above


def party_rows(parties) -> SafeString:
    """The first 20 parties of one role: name, representative badge, share, who represents
    them, the masked phone."""
    representative = f' <span class="badge text-bg-light border">{_esc(gettext("代表人"))}</span>'
    share_word = _esc(gettext("份额"))
    html = []
    for p in parties[:PARTIES_SHOWN]:
        row = _esc(p.name)
        if p.is_representative:
            row += representative
        if p.share is not None:
            row += f" · {share_word} {_esc(format_yuan(p.share))}"
        if p.represented_by_id is not None and p.represented_by is not None:
            row += " · " + _esc(gettext("由%(name)s代表") % {"name": p.represented_by.name})
        if p.phone_masked:
            row += f' · <span data-testid="party-phone">{_esc(p.phone_masked)}</span>'
        html.append(f'<li data-testid="party">{row}</li>')
    return mark_safe("\n".join(html))  # noqa: S308 - every value escaped above
