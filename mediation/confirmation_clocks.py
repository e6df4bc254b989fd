"""The judicial confirmation's clocks (DOMAIN.md, Legal rules / Mediation; calendar days,
the start day not counted, an end on a day off rolls forward):

- `mediation.confirmation_window`: 30 days from the agreement taking effect for the joint
  application; reminders 7 and 1 days ahead go to the mediator, so the parties can be told
  before the window closes (the statutory kind, re-registered: no pause, no approval).
  An application after its due day is refused.
- `mediation.confirmation_acceptance`: the court decides within 3 days whether to accept.
- `mediation.confirmation_ruling`: the court rules within 15 days of accepting, extendable
  by 10 days with the court president's approval (an extension request the court's own
  supervisor decides: `approving_unit` = the court).
"""

from django.utils.translation import gettext_lazy as _

from deadlines import selectors as deadline_selectors
from deadlines import services as deadline_services
from deadlines.models import Deadline
from deadlines.registry import register_kind

WINDOW = "mediation.confirmation_window"
ACCEPTANCE = "mediation.confirmation_acceptance"
RULING = "mediation.confirmation_ruling"
RULING_EXTENSION_DAYS = 10


def _court(deadline):
    return deadline.subject.court


def register_kinds() -> None:
    register_kind(
        WINDOW,
        label=_("司法确认申请期间"),
        unit="calendar_days",
        amount=30,
        basis=_(
            "经人民调解委员会调解达成调解协议后，双方当事人可以自调解协议生效之日起三十日内共同向"
            "人民法院申请司法确认。"
        ),
        lead_times=(7, 1),
        pausable=False,
        extension_by_request=False,
    )
    register_kind(
        ACCEPTANCE,
        label=_("司法确认受理期限"),
        unit="calendar_days",
        amount=3,
        basis=_("人民法院收到司法确认申请后，应当在三日内决定是否受理。"),
        lead_times=(1,),
        pausable=False,
        extension_by_request=False,
    )
    register_kind(
        RULING,
        label=_("司法确认审查期限"),
        unit="calendar_days",
        amount=15,
        basis=_(
            "人民法院受理司法确认申请后，应当在十五日内作出是否确认的决定；因特殊情况需要延长的，"
            "经本院院长批准，可以延长十日。"
        ),
        lead_times=(3, 1),
        approving_unit=_court,
        pausable=False,
    )


def open_clock(subject, kind) -> Deadline | None:
    return (
        deadline_selectors.deadlines_for(subject)
        .filter(kind=kind, state__in=Deadline.OPEN_STATES)
        .first()
    )


def last_clock(subject, kind) -> Deadline | None:
    return deadline_selectors.deadlines_for(subject).filter(kind=kind).order_by("-pk").first()


def window_start(agreement, *, actor) -> Deadline:
    case = agreement.case
    owner = case.mediator.user if case.mediator_id and case.mediator.user_id else None
    return deadline_services.deadline_start(
        subject=agreement,
        kind=WINDOW,
        organisation=case.organisation,
        owner=owner,
        actor=actor,
        start=agreement.concluded_at,
    )


def meet(subject, kind, *, actor) -> None:
    clock = open_clock(subject, kind)
    if clock is not None:
        deadline_services.deadline_meet(clock, actor=actor)
