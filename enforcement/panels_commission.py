"""The case page's commission panel (委托执行与交叉执行, enf-commission) and its next steps.

The panel shows the case's commissions (each with the receiving court's reports, so the
sending court sees the progress) and the moves of the case between courts. Three queries:
the commissions, their reports (prefetched), the transfers."""

from django.utils.translation import gettext as _

from .case_data import may_hold, shared
from .models import COMMISSION_OPEN_STATUSES, CaseTransfer, Commission, CommissionStatus
from .selectors import acting_roles
from .selectors_commission import commissions_of_case, transfers_of_case
from .states import COURT_STAFF

SHOWN = 5


def commission_panel_context(case, user) -> dict | None:
    if case.status in ("urging", "urging_performed"):
        return None
    commissions = list(commissions_of_case(case)[: SHOWN + 1]) if may_hold(case, Commission) else []
    if shared(case) is not None and len(commissions) <= SHOWN:
        # the case page: every open commission is here, so the next step need not ask
        case._commission_open = sorted(
            (c for c in commissions if c.status in COMMISSION_OPEN_STATUSES),
            key=lambda c: (c.requested_at, c.pk),
        )
    commissions = commissions[:SHOWN]
    transfers = list(transfers_of_case(case)[:SHOWN]) if may_hold(case, CaseTransfer) else []
    may_request = bool(acting_roles(user, case.court) & COURT_STAFF)
    receiving = [c for c in commissions if c.is_open and acting_roles(user, c.receiving_court)]
    if not commissions and not transfers and not may_request:
        return None
    return {
        "case": case,
        "commissions": commissions,
        "transfers": transfers,
        "may_request": may_request,
        "receiving": receiving,
    }


def commission_next_steps_prefetch(cases, *, only=None) -> None:
    """The open commissions of a list page's cases (`only`: the cases having any)."""
    by_case: dict[int, list] = {c.pk: [] for c in cases}
    ids = [pk for pk in by_case if only is None or pk in only]
    if ids:
        for commission in (
            Commission.objects.filter(case_id__in=ids, status__in=COMMISSION_OPEN_STATUSES)
            .select_related("receiving_court")
            .order_by("requested_at", "pk")
        ):
            by_case[commission.case_id].append(commission)
    for case in cases:
        case._commission_open = by_case.get(case.pk, [])


def _steps(open_commissions) -> list[str]:
    steps = []
    for commission in open_commissions:
        if commission.status == CommissionStatus.REQUESTED:
            steps.append(_("等待%(court)s受托立案") % {"court": commission.receiving_court.name})
        else:
            steps.append(
                _("跟进%(court)s受托执行情况") % {"court": commission.receiving_court.name}
            )
    return steps


def commission_next_steps(case) -> list[str]:
    if hasattr(case, "_commission_open"):
        return _steps(case._commission_open)
    if case.status in ("urging", "urging_performed"):
        return []
    return _steps(
        case.commissions.filter(status__in=COMMISSION_OPEN_STATUSES)
        .select_related("receiving_court")
        .order_by("requested_at", "pk")
    )
