"""Reads of commission and cross-enforcement (enf-commission).

Scope, in one place with enforcement/selectors.py (`enforcement_scope` adds
`shared_case_condition`):
- a court that receives a commission sees that one case (its parties, the basis, the
  commission) while the commission is open (requested or registered) — nothing else of the
  sending court; it acts only on the commission (services/commission.py checks
  `acting_roles` in the receiving court), never on the case's measures or money;
- a court a case was moved away from (交叉/指定/提级执行) keeps read access to it; the new
  enforcing court is `case.court` and acts on it as on its own.
This module imports only the models, so enforcement/selectors.py can import it.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import COMMISSION_OPEN_STATUSES, CaseTransfer, Commission


def shared_case_condition(courts) -> Q:
    """Q over EnforcementCase: cases shared with `courts` (a queryset of court pks)."""
    commissioned = Commission.objects.filter(
        receiving_court__in=courts, status__in=COMMISSION_OPEN_STATUSES
    ).values("case_id")
    moved_away = CaseTransfer.objects.filter(from_court__in=courts).values("case_id")
    return Q(pk__in=commissioned) | Q(pk__in=moved_away)


def commissions_received(user) -> QuerySet[Commission]:
    """Commissions sent to a court the user works in (or supervises), newest first."""
    from .selectors import courts_visible_to

    if not user or not user.is_authenticated:
        return Commission.objects.none()
    queryset = Commission.objects.select_related("case", "sending_court", "receiving_court")
    if user.is_superuser:
        return queryset.order_by("-requested_at", "-pk")
    return queryset.filter(receiving_court__in=courts_visible_to(user).values("pk")).order_by(
        "-requested_at", "-pk"
    )


def commissions_of_case(case) -> QuerySet[Commission]:
    return (
        case.commissions.select_related(
            "receiving_court", "sending_court", "requested_by", "registered_by",
            "receiving_officer", "ended_by", "letter",
        )
        .prefetch_related("reports__reported_by")
        .order_by("-requested_at", "-pk")
    )  # fmt: skip


def commission_get_for_user(user, pk) -> Commission:
    """The permission-checked fetch of a commission: the sending court's scope (through the
    case) or the receiving court's; else 404."""
    from .selectors import case_get_for_user

    try:
        commission = Commission.objects.select_related(
            "case", "case__court", "case__court__region", "sending_court",
            "receiving_court", "receiving_court__region",
        ).get(pk=pk)  # fmt: skip
    except (Commission.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if commissions_received(user).filter(pk=commission.pk).exists():
        return commission
    case_get_for_user(user, commission.case_id)
    return commission


def transfers_of_case(case) -> QuerySet[CaseTransfer]:
    return case.transfers.select_related(
        "from_court", "to_court", "from_officer", "to_officer", "decided_by"
    ).order_by("-decided_at", "-pk")
