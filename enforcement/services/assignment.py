"""确定承办人: a filed case goes to an enforcement officer of the same court within the
assignment clock (7 days; 3 for priority cases by default). The suggestion is the officer
with the fewest open cases; several cases can be assigned at once (to one officer, or each
to whoever is least loaded at that moment). The "assign" transition meets the assignment
clock (done late is recorded as late and shown), starts the 3-day clock for the 执行通知书
and 报告财产令 owned by the officer (enf-notices meets it), and hands the 6-month limit to
the officer. Reassignment needs a reason and moves the officer's open clocks on the case.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, snapshot
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from deadlines.services import deadline_meet, deadline_owner_set

from ..models import CaseStatus, EnforcementCase
from ..selectors import acting_roles
from ..selectors_filing import (
    ASSIGNMENT,
    NOTICE_ISSUE,
    TIME_LIMIT,
    case_clock,
    case_clocks,
    officer_loads,
    officers_of_court,
)
from ..states import ASSIGNING_STAFF, case_machine
from .filing import case_clock_start


@dataclass(frozen=True)
class Suggestion:
    officer: object
    open_cases: int
    suggested: bool


def officer_suggestions(court) -> list[Suggestion]:
    """The court's officers, fewest open cases first; the first is the suggestion."""
    loads = officer_loads(court)
    return [
        Suggestion(officer=officer, open_cases=load, suggested=index == 0)
        for index, (officer, load) in enumerate(loads)
    ]


def _check_officer(court, officer) -> None:
    if officer is None or not officers_of_court(court).filter(pk=officer.pk).exists():
        raise ValidationError({"officer": [_("只能指定本院的执行员为承办人。")]})


def _require_assigner(actor, court) -> None:
    if not (acting_roles(actor, court) & ASSIGNING_STAFF):
        raise PermissionDenied(_("只有本院立案人员或院领导可以确定承办人。"))


@transaction.atomic
def case_assign(*, case, officer, actor, note: str = "") -> EnforcementCase:
    """确定承办人 (filed → in progress)."""
    _require_assigner(actor, case.court)
    _check_officer(case.court, officer)
    refusal = case_machine.refusal(case, "assign", actor)
    if refusal:
        raise TransitionNotAllowed(refusal)
    now = timezone.now()

    def after(assigned):
        clock = case_clock(assigned, ASSIGNMENT)
        if clock is not None and clock.state in (Deadline.State.PENDING, Deadline.State.PAUSED,
                                                 Deadline.State.MISSED):  # fmt: skip
            deadline_meet(clock, actor=actor)
        limit = case_clock(assigned, TIME_LIMIT)
        if limit is not None and limit.is_open:
            deadline_owner_set(limit, owner=officer, actor=actor, note=_("确定承办人"))
        case_clock_start(assigned, NOTICE_ISSUE, actor=actor, owner=officer, start=now)

    return case_machine.apply(
        case, "assign", actor=actor, note=(note or "").strip() or str(officer),
        changes={"officer": officer, "assigned_at": now}, after=after,
    )  # fmt: skip


def assignment_late(case) -> bool | None:
    """Whether the assignment was (or is) past its clock; None when there is no clock."""
    clock = case_clock(case, ASSIGNMENT)
    if clock is None:
        return None
    if clock.state == Deadline.State.MISSED:
        return True
    if clock.state == Deadline.State.PENDING:
        return clock.due_at < timezone.now()
    return False


@transaction.atomic
def cases_assign_bulk(*, cases, actor, officer=None, note: str = "") -> dict:
    """Assign several cases at once: all to `officer`, or (officer None) each to the
    court's least-loaded officer at that moment. Each case is assigned or refused on its
    own: {"assigned": [(case, officer)], "refused": [(case, reason)]}."""
    assigned, refused = [], []
    loads: dict[int, dict] = {}
    for case in cases:
        try:
            with transaction.atomic():
                target = officer
                if target is None:
                    court_loads = loads.setdefault(
                        case.court_id, {s.officer: s.open_cases for s in
                                        officer_suggestions(case.court)},
                    )  # fmt: skip
                    if not court_loads:
                        raise ValidationError({"officer": [_("本院没有执行员。")]})
                    target = min(court_loads, key=lambda o: (court_loads[o], o.pk))
                done = case_assign(case=case, officer=target, actor=actor, note=note)
                if officer is None:
                    loads[case.court_id][target] += 1
                assigned.append((done, target))
        except (ValidationError, TransitionNotAllowed, PermissionDenied) as exc:
            message = getattr(exc, "message", None) or "；".join(
                getattr(exc, "messages", None) or [str(exc)]
            )
            refused.append((case, message))
    return {"assigned": assigned, "refused": refused}


@transaction.atomic
def case_reassign(*, case, officer, actor, reason: str) -> EnforcementCase:
    """Another officer of the court takes the case over (with a reason); the open clocks
    the previous officer held on the case move to the new one."""
    _require_assigner(actor, case.court)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请写明更换承办人的理由。")]})
    locked = EnforcementCase.objects.select_for_update().get(pk=case.pk)
    if locked.status not in (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED):
        raise TransitionNotAllowed(
            _("当前状态为“%(s)s”，不能更换承办人。") % {"s": locked.get_status_display()}
        )
    _check_officer(locked.court, officer)
    if locked.officer_id == officer.pk:
        raise ValidationError({"officer": [_("新承办人与原承办人相同。")]})
    previous = locked.officer
    before = snapshot(locked)
    locked.officer = officer
    locked.save(update_fields=["officer", "updated_at"])
    audit_change(
        locked, actor=actor, before=before,
        note=_("更换承办人：%(a)s → %(b)s；理由：%(r)s") % {"a": previous, "b": officer, "r": reason},
    )  # fmt: skip
    for clock in case_clocks(locked).filter(state__in=Deadline.OPEN_STATES):
        if clock.owner_id in (None, getattr(previous, "pk", None)) and clock.kind != ASSIGNMENT:
            deadline_owner_set(clock, owner=officer, actor=actor, note=reason)
    case.officer = officer
    return locked
