"""The credit section of the enforcement case page, and the next legal steps it suggests."""

from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.models import CaseStatus, EnforcementRole

from .models import Certificate, Removal, Restriction
from .selectors import case_credit
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
        "may_act": bool(roles & COURT_STAFF),
        "now": timezone.now(),
        "debtors": [p for p in case.case_parties.all() if p.role == EnforcementRole.DEBTOR],
    }


def next_steps(case) -> list[str]:
    """Open removals first (3 working days), then approvals waiting, then the certificate."""
    steps = []
    open_removals = list(
        Removal.objects.filter(
            case=case, state__in=(Removal.State.PENDING_APPROVAL, Removal.State.PENDING)
        ).order_by("due_at")
    )
    for removal in open_removals[:3]:
        due = timezone.localtime(removal.due_at).date() if removal.due_at else None
        steps.append(
            _("删除/解除信用惩戒（%(trigger)s），期限 %(due)s")
            % {"trigger": removal.get_trigger_display(), "due": due}
        )
    if Restriction.objects.filter(case=case, state=Restriction.State.PENDING_APPROVAL).exists():
        steps.append(_("限制消费令待院长审批"))
    if case.status == CaseStatus.PERFORMED and not open_removals:
        if not Certificate.objects.filter(case=case, kind=Certificate.Kind.PERFORMANCE).exists():
            steps.append(_("出具履行完毕证明"))
    return steps
