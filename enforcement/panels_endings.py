"""The case page's endings panel (结案与终本) and its next steps (enf-endings): the settlement
being performed with its instalments and the guarantees it names, the 终本 conditions (which
are missing), the pending request, the periodic checks after 终本 and the resumed case,
judicial relief, the ending."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .case_data import may_hold
from .models import (
    CONCLUDED_STATUSES,
    ApprovalStatus,
    CaseStatus,
    EnforcementGuarantee,
    FinalCheckSchedule,
    FinalConclusionRequest,
    JudicialRelief,
    Settlement,
    SettlementStatus,
)
from .selectors import acting_roles
from .states import COURT_STAFF


def endings_panel_context(case, user, *, with_conditions: bool = False) -> dict | None:
    """A handful of queries, each only where the case's state can have the record; the 终本
    conditions (a dozen queries) only on the endings page (`with_conditions`)."""
    if case.status in (CaseStatus.URGING, CaseStatus.URGING_PERFORMED):
        return None
    settlements = (
        list(case.settlements.prefetch_related("instalments").order_by("-pk")[:1])
        if may_hold(case, Settlement)
        else []
    )
    settlement = settlements[0] if settlements else None
    guarantees = []
    if settlement is not None and may_hold(case, EnforcementGuarantee):
        from .services.guarantee import guarantee_period_ends_on

        guarantees = list(settlement.guarantees.order_by("pk"))
        for guarantee in guarantees:
            guarantee.period_ends_on = guarantee_period_ends_on(guarantee)
    conditions = None
    if with_conditions and case.status == CaseStatus.IN_PROGRESS:
        from .services.final import final_conditions

        conditions = final_conditions(case)
    final_request = None
    if case.status in (CaseStatus.IN_PROGRESS, CaseStatus.TERMINATED_ROUND) and may_hold(
        case, FinalConclusionRequest
    ):
        final_request = case.final_requests.select_related("ruling").order_by("-pk").first()
    schedule, checks = None, []
    if case.status in CONCLUDED_STATUSES:
        schedule = (
            FinalCheckSchedule.objects.filter(case=case).select_related("resumed_case").first()
        )
        checks = list(schedule.checks.order_by("-cycle")[:5]) if schedule else []
    return {
        "case": case,
        "settlement": settlement,
        "instalments": list(settlement.instalments.all()) if settlement else [],
        "guarantees": guarantees,
        "conditions": conditions,
        "final_request": final_request,
        "schedule": schedule,
        "checks": checks,
        "reliefs": list(case.reliefs.select_related("applicant").order_by("-pk")[:5])
        if may_hold(case, JudicialRelief)
        else [],
        "endings": list(case.endings.select_related("document").order_by("-ended_at")[:3])
        if case.status in CONCLUDED_STATUSES
        else [],
        "may_act": bool(acting_roles(user, case.court) & COURT_STAFF),
        "today": timezone.localdate(),
    }


def endings_next_steps_prefetch(cases) -> None:
    ids = [c.pk for c in cases if c.status == CaseStatus.SETTLEMENT]
    settlements = {}
    if ids:
        for settlement in Settlement.objects.filter(
            case_id__in=ids, status=SettlementStatus.PERFORMING
        ).prefetch_related("instalments"):
            settlements[settlement.case_id] = settlement
    for case in cases:
        case._endings_settlement = settlements.get(case.pk)


def _steps(case, settlement) -> list[str]:
    if case.status != CaseStatus.SETTLEMENT or settlement is None:
        return []
    unpaid = [i for i in settlement.instalments.all() if i.paid < i.amount]
    if not unpaid:
        return [_("登记和解协议履行完毕")]
    first = unpaid[0]
    return [
        _("跟进和解第%(n)d期履行（%(d)s 前 %(a)s 元）")
        % {"n": first.number, "d": first.due_on.isoformat(), "a": first.outstanding}
    ]


def endings_next_steps(case) -> list[str]:
    if hasattr(case, "_endings_settlement"):
        return _steps(case, case._endings_settlement)
    if case.status != CaseStatus.SETTLEMENT:
        return []
    settlement = case.settlements.filter(status=SettlementStatus.PERFORMING).first()
    return _steps(case, settlement)


__all__ = [
    "ApprovalStatus",
    "endings_next_steps",
    "endings_next_steps_prefetch",
    "endings_panel_context",
]
