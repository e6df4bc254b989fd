"""Reads of inquiries, findings, clues and controls. Everything is scoped through its case
(enforcement.selectors.enforcement_scope): outside the user's courts it does not exist
(404 by page and API)."""

from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from .models import (
    AssetClass,
    AssetClue,
    AssetControl,
    AssetFinding,
    AssetInquiry,
    ControlStatus,
    EnforcementCase,
    InquiryTarget,
    TargetStatus,
)
from .selectors import enforcement_scope

ZERO = Decimal("0.00")


def _cases(user):
    return enforcement_scope(user).values("pk")


def inquiry_scope(user) -> QuerySet[AssetInquiry]:
    return AssetInquiry.objects.filter(case__in=_cases(user))


def with_progress(queryset: QuerySet[AssetInquiry]) -> QuerySet[AssetInquiry]:
    """Each inquiry with its progress counted (one query, whatever the number of targets)."""
    return queryset.annotate(
        targets_total=Count("targets"),
        targets_done=Count("targets", filter=Q(targets__status=TargetStatus.DONE)),
        targets_failed=Count("targets", filter=Q(targets__status=TargetStatus.FAILED)),
        targets_running=Count("targets", filter=Q(targets__status=TargetStatus.RUNNING)),
    )


def inquiry_get_for_user(user, pk) -> AssetInquiry:
    try:
        return (
            with_progress(inquiry_scope(user))
            .select_related("case", "requested_by")
            .prefetch_related(
                Prefetch(
                    "targets",
                    queryset=InquiryTarget.objects.select_related("debtor").order_by("pk"),
                )
            )
            .get(pk=pk)
        )
    except (AssetInquiry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def finding_scope(user) -> QuerySet[AssetFinding]:
    return AssetFinding.objects.filter(case__in=_cases(user)).select_related("debtor")


def finding_get_for_user(user, pk) -> AssetFinding:
    try:
        return finding_scope(user).select_related("case", "case__court").get(pk=pk)
    except (AssetFinding.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def clue_scope(user) -> QuerySet[AssetClue]:
    return AssetClue.objects.filter(case__in=_cases(user)).select_related(
        "submitted_by", "debtor", "checked_by"
    )


def clue_get_for_user(user, pk) -> AssetClue:
    try:
        return clue_scope(user).select_related("case", "case__court").get(pk=pk)
    except (AssetClue.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def control_scope(user) -> QuerySet[AssetControl]:
    return AssetControl.objects.filter(case__in=_cases(user)).select_related("debtor")


def control_get_for_user(user, pk) -> AssetControl:
    try:
        return (
            control_scope(user)
            .select_related("case", "case__court", "finding", "clue")
            .prefetch_related("actions")
            .get(pk=pk)
        )
    except (AssetControl.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- money on the case ----------------------------------------------------------------


def amount_frozen(case: EnforcementCase, *, exclude_pk=None) -> Decimal:
    """Money frozen and not yet deducted, over the case's live deposit freezes."""
    rows = AssetControl.objects.filter(
        case=case, status=ControlStatus.ACTIVE, asset_class=AssetClass.DEPOSIT
    )
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    totals = rows.aggregate(frozen=Sum("amount"), deducted=Sum("deducted_amount"))
    return (totals["frozen"] or ZERO) - (totals["deducted"] or ZERO)


def amount_received(case: EnforcementCase) -> Decimal:
    """Money recovered on the case so far, from the case-fund ledger: every receipt
    (deductions, auctions, voluntary payments, a guarantor's) net of reversals, less what
    was refunded to the debtor."""
    from .selectors_funds import case_fund_summary

    summary = case_fund_summary(case)
    return summary.received - summary.refunded


def amount_outstanding(case: EnforcementCase) -> Decimal:
    """What is still owed: the amount ordered less what has been received."""
    return max(ZERO, case.amount_ordered - amount_received(case))
