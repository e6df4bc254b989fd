"""The credit section of the enforcement case page, and the next legal steps it suggests."""

from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.case_data import shared
from enforcement.models import CaseStatus, EnforcementRole

from .models import Certificate, Removal, Restriction
from .selectors import case_credit, held_courts
from .states import COURT_STAFF


def case_panel_context(case, user) -> dict | None:
    """None before filing (urging leaves no credit mark) and for users who are not court
    staff of the case (a higher court's supervisor still sees it: court_roles)."""
    from enforcement.selectors import court_roles

    if case.status in (CaseStatus.URGING, CaseStatus.URGING_PERFORMED):
        return None
    roles = court_roles(user, case.court)
    if not roles:
        return None
    credit = case_credit(case)
    return {
        "case": case,
        "credit": credit,
        # a record another court holds shows without a link (a restoration or certificate
        # of the court the case was moved from; the old case's entries of a 执恢 case)
        "credit_held": held_courts(user, known=[case.court_id]),
        "may_act": bool(roles & COURT_STAFF),
        "now": timezone.now(),
        "debtors": _debtors(case),
    }


def _debtors(case) -> list:
    data = shared(case)
    if data is not None:  # the case page read the parties once for all its sections
        return data.parties_of(EnforcementRole.DEBTOR)
    return [p for p in case.case_parties.all() if p.role == EnforcementRole.DEBTOR]


STEPS_ATTRIBUTE = "_credit_next_steps"


def next_steps(case) -> list[str]:
    """Open removals first (3 working days), then approvals waiting, then the certificate.
    A list page calls `next_steps_prefetch` first and this reads what it kept."""
    if hasattr(case, STEPS_ATTRIBUTE):
        return list(getattr(case, STEPS_ATTRIBUTE))
    next_steps_prefetch([case])  # the case page: read now, not kept on the object
    return list(case.__dict__.pop(STEPS_ATTRIBUTE))


def next_steps_prefetch(cases, *, only=None) -> None:
    """The credit next steps of many cases in three queries, kept on each case. `only`:
    the cases having any removal or restriction (the others' are not read)."""
    cases = list(cases)
    ids = [case.pk for case in cases if only is None or case.pk in only]
    open_removals: dict[int, list] = {}
    awaiting_approval: set[int] = set()
    if ids:
        for removal in Removal.objects.filter(
            case_id__in=ids, state__in=(Removal.State.PENDING_APPROVAL, Removal.State.PENDING)
        ).order_by("due_at"):
            open_removals.setdefault(removal.case_id, []).append(removal)
        awaiting_approval = set(
            Restriction.objects.filter(
                case_id__in=ids, state=Restriction.State.PENDING_APPROVAL
            ).values_list("case_id", flat=True)
        )
    performed = [c.pk for c in cases if c.status == CaseStatus.PERFORMED]
    certified = (
        set(
            Certificate.objects.filter(
                case_id__in=performed, kind=Certificate.Kind.PERFORMANCE
            ).values_list("case_id", flat=True)
        )
        if performed
        else set()
    )
    for case in cases:
        steps = []
        removals = open_removals.get(case.pk, [])
        for removal in removals[:3]:
            due = timezone.localtime(removal.due_at).date() if removal.due_at else None
            steps.append(
                _("删除/解除信用惩戒（%(trigger)s），期限 %(due)s")
                % {"trigger": removal.get_trigger_display(), "due": due}
            )
        if case.pk in awaiting_approval:
            steps.append(_("限制消费令待院长审批"))
        if case.status == CaseStatus.PERFORMED and not removals and case.pk not in certified:
            steps.append(_("出具履行完毕证明"))
        setattr(case, STEPS_ATTRIBUTE, steps)
