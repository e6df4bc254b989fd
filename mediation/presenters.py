"""Mediation records as list cards (common/cards.py, templates/components/record_cards.html):
the committee's and the court's lists, the court figures' cases, and the mediator's week.

Everything a card prints is prepared here once per page: choice labels from a dict per
language, links from one `reverse()` per process, dates in Beijing time — no per-row
template include, `get_FOO_display()` or `{% url %}`.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Category
from common.cards import Badge, Card, choice_labels, local_day, local_minute, shorten, url_for_pk
from common.home import Tile

from .models import ConfirmationStatus, Source, Status

STATUS_TONES = {
    Status.RECEIVED: "warning",
    Status.AGREED: "success",
    Status.FAILED: "secondary",
    Status.WITHDRAWN: "info",
}
CONFIRMATION_TONES = {
    ConfirmationStatus.APPLIED: "warning",
    ConfirmationStatus.ACCEPTED: "primary",
    ConfirmationStatus.CONFIRMED: "success",
    ConfirmationStatus.NOT_ACCEPTED: "secondary",
    ConfirmationStatus.REJECTED: "secondary",
}


def case_cards(cases, *, waiting: bool = False) -> list[Card]:
    """The committee's and the court's list: reference, status, source; category and facts;
    the day received, committee, mediator, court. `waiting` (my week): what the mediator has
    to do next (sign the receipt, or hold the first session) instead of status and source."""
    statuses, sources, categories = (
        choice_labels(Status),
        choice_labels(Source),
        choice_labels(Category),
    )
    detail = url_for_pk("mediation:detail")
    mediator_word, received_word = _("调解员"), _("收案")
    to_sign = Badge(_("待签收"), "warning", testid="status")
    not_yet = Badge(_("已签收，尚未调解"), "primary", testid="status")
    cards = []
    for case in cases:
        if waiting:
            badges = [to_sign if case.status == Status.RECEIVED else not_yet]
        else:
            badges = [
                Badge(
                    statuses.get(case.status, case.status),
                    STATUS_TONES.get(case.status, "primary"),
                    testid="status",
                ),
                Badge(sources.get(case.source, case.source)),
            ]
        meta = [f"{received_word} {local_day(case.received_at)}", case.organisation.name]
        if case.mediator_id:
            meta.append(f"{mediator_word} {case.mediator.name}")
        if case.court_id:
            meta.append(
                case.court.name + (f" {case.court_reference}" if case.court_reference else "")
            )
        cards.append(
            Card(
                url=detail(case.pk),
                title=case.reference,
                badges=badges,
                line=f"{categories.get(case.category, case.category)} · "
                f"{shorten(case.facts, 40 if waiting else 60)}",
                meta=" · ".join(meta),
                testid=f"case-{case.pk}",
            )
        )
    return cards


def session_cards(sessions) -> list[Card]:
    """The week's sessions: when, which case, where; planned ones marked."""
    detail = url_for_pk("mediation:detail")
    planned = Badge(_("计划"), "warning")
    return [
        Card(
            url=detail(s.case_id),
            title=local_minute(s.held_at),
            badges=[planned] if s.is_planned else [],
            line=f"{s.case.reference} · {s.place}" if s.place else s.case.reference,
            testid="week-session",
        )
        for s in sessions
    ]


def deadline_cards(deadlines, *, now=None) -> list[Card]:
    """The week's deadlines, overdue first: what, when due, about which record."""
    now = now or timezone.now()
    detail = url_for_pk("deadlines:detail")
    overdue, due_word = Badge(_("已超期"), "danger"), _("届满")
    cards = []
    for d in deadlines:
        late = d.state == "missed" or d.due_at < now
        cards.append(
            Card(
                url=detail(d.pk),
                title=d.label,
                badges=[overdue] if late else [],
                line=(d.explanation or {}).get("subject", ""),
                meta=f"{due_word} {local_day(d.due_at)}",
                overdue=late,
                testid="week-deadline",
            )
        )
    return cards


def week_tiles(week, deadlines: list[Card]) -> list[Tile]:
    """The week at a glance: each count links to its section below."""
    overdue = any(card.overdue for card in deadlines)
    return [
        Tile(
            _("待办事项"), len(week.waiting), "#week-waiting", tone="warning", testid="tile-waiting"
        ),
        Tile(
            _("本周调解"),
            len(week.sessions),
            "#week-sessions",
            tone="primary",
            testid="tile-sessions",
        ),
        Tile(
            _("期限"),
            len(week.deadlines),
            "#week-deadlines",
            tone="danger" if overdue else "secondary",
            testid="tile-deadlines",
        ),
    ]


def confirmation_cards(confirmations) -> list[Card]:
    """The court's list of judicial confirmations: 民特 number (or 待受理), status; the
    mediation case and its committee; the day applied."""
    statuses = choice_labels(ConfirmationStatus)
    detail = url_for_pk("mediation:confirmation_detail")
    pending, applied_word = _("待受理"), _("申请日期")
    cards = []
    for c in confirmations:
        case = c.agreement.case
        cards.append(
            Card(
                url=detail(c.pk),
                title=c.case_number or pending,
                badges=[
                    Badge(
                        statuses.get(c.status, c.status),
                        CONFIRMATION_TONES.get(c.status, "light"),
                        testid="status",
                    )
                ],
                line=f"{case.reference} · {case.organisation.name}",
                meta=f"{c.court.name} · {applied_word} {c.applied_on:%Y-%m-%d}",
                testid="confirmation-row",
            )
        )
    return cards
