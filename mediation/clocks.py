"""The mediation clocks, registered with the deadline engine (MediationConfig.ready).

DOMAIN.md, Legal rules / Mediation — all counted in calendar days (the law says 日, not
工作日; the engine does not count the start day and rolls an end on a day off forward):

- 诉前委派调解 `mediation.pre_litigation`: 30 days from the mediator's signed receipt; extended
  only with both parties' recorded consent (`mediation_extend_with_consent`), never by an
  approval request — the engine refuses one (`extension_by_request=False`).
- 委托调解 `mediation.entrusted`: 15 days, `mediation.entrusted_simplified`: 7 days in simplified
  procedure. The case is already filed, so the period runs inside the court's own time
  limit: an extension is the entrusting court's decision — a request its supervisor (院长,
  庭长) approves through the engine.
- Other sources (a party's request, a referred dispute, a complaint meeting):
  `mediation.people_mediation`, one month (人民调解一般在一个月内调结; statutory in deadlines).
- `mediation.next_session`: the reminder for the next session a session log names.
"""

from django.utils.translation import gettext_lazy as _

from deadlines import selectors as deadline_selectors
from deadlines import services as deadline_services
from deadlines.models import Deadline
from deadlines.registry import register_kind

from .models import Source

PRE_LITIGATION = "mediation.pre_litigation"
ENTRUSTED = "mediation.entrusted"
ENTRUSTED_SIMPLIFIED = "mediation.entrusted_simplified"
PEOPLE_MEDIATION = "mediation.people_mediation"
NEXT_SESSION = "mediation.next_session"

PERIOD_KINDS = (PRE_LITIGATION, ENTRUSTED, ENTRUSTED_SIMPLIFIED, PEOPLE_MEDIATION)


def _entrusting_court(deadline):
    return deadline.subject.court


def register_kinds() -> None:
    register_kind(
        PRE_LITIGATION,
        label=_("诉前调解期限"),
        unit="calendar_days",
        amount=30,
        basis=_("诉前委派调解应当自调解员签收之日起三十日内完成；经双方当事人同意并记录方可延长。"),
        lead_times=(7, 1),
        pausable=False,
        extension_by_request=False,
    )
    register_kind(
        ENTRUSTED,
        label=_("委托调解期限"),
        unit="calendar_days",
        amount=15,
        basis=_("立案后委托调解的，调解期限为十五日；延长由委托法院决定。"),
        lead_times=(3, 1),
        approving_unit=_entrusting_court,
        pausable=False,
    )
    register_kind(
        ENTRUSTED_SIMPLIFIED,
        label=_("委托调解期限（简易程序）"),
        unit="calendar_days",
        amount=7,
        basis=_("适用简易程序的案件委托调解的，调解期限为七日；延长由委托法院决定。"),
        lead_times=(1,),
        approving_unit=_entrusting_court,
        pausable=False,
    )
    register_kind(
        NEXT_SESSION,
        label=_("下次调解"),
        unit="calendar_days",
        amount=1,
        basis=_("调解记录约定的下次调解时间（提醒）。"),
        lead_times=(1,),
    )


def period_kind(case) -> str:
    if case.source == Source.COURT_DELEGATED:
        return PRE_LITIGATION
    if case.source == Source.COURT_ENTRUSTED:
        return ENTRUSTED_SIMPLIFIED if case.simplified_procedure else ENTRUSTED
    return PEOPLE_MEDIATION


def _owner(case):
    return case.mediator.user if case.mediator_id and case.mediator.user_id else None


def period_start(case, *, actor, start) -> Deadline:
    return deadline_services.deadline_start(
        subject=case,
        kind=period_kind(case),
        organisation=case.organisation,
        owner=_owner(case),
        actor=actor,
        start=start,
    )


def open_clocks(case, *kinds) -> list[Deadline]:
    return list(
        deadline_selectors.deadlines_for(case).filter(
            kind__in=kinds or PERIOD_KINDS, state__in=Deadline.OPEN_STATES
        )
    )


def period_clock(case) -> Deadline | None:
    clocks = open_clocks(case, *PERIOD_KINDS)
    return clocks[0] if clocks else None


def period_meet(case, *, actor) -> None:
    """The mediation ended (agreement, failure, 调撤): its period clock is done."""
    for deadline in open_clocks(case, *PERIOD_KINDS):
        deadline_services.deadline_meet(deadline, actor=actor)


def next_session_set(case, *, actor, at) -> None:
    """One reminder for the next session: a new date replaces the old one."""
    for deadline in open_clocks(case, NEXT_SESSION):
        deadline_services.deadline_cancel(deadline, actor=actor, reason="下次调解时间已更新")
    if at is not None:
        deadline_services.deadline_start(
            subject=case,
            kind=NEXT_SESSION,
            organisation=case.organisation,
            owner=_owner(case),
            actor=actor,
            due_at=at,
        )


def next_session_held(case, *, actor) -> None:
    for deadline in open_clocks(case, NEXT_SESSION):
        deadline_services.deadline_meet(deadline, actor=actor)


def owner_changed(case, *, actor) -> None:
    """Reassignment: the open clocks follow the new mediator."""
    owner = _owner(case)
    for deadline in open_clocks(case, *PERIOD_KINDS, NEXT_SESSION):
        deadline_services.deadline_owner_set(deadline, owner=owner, actor=actor, note="改派调解员")
