"""The case page's funds panel (案款) and the funds next step ("发放案款（期限）")."""

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .case_data import may_hold
from .models import DisbursementStatus, FundDisbursement, FundReceipt
from .selectors import court_roles
from .selectors_funds import case_fund_summary, receipt_states, receipt_states_of
from .states_funds import FUNDS_STAFF, approver_roles

RECENT = 10


def funds_panel_context(case, user) -> dict | None:
    """Receipts (with what each still holds and its payout deadline), disbursements by
    status (the latest ten listed), balance and outstanding. Hidden on act-only cases
    without money. A fixed number of queries whatever the number of applicants."""
    summary = case_fund_summary(case)
    if not case.is_money_case and not summary.received:
        return None
    states = receipt_states(case, with_clocks=True) if may_hold(case, FundReceipt) else []
    by_status, recent = {}, []
    if may_hold(case, FundDisbursement):  # the case page knows when there is none
        by_status = {
            row["status"]: row
            for row in FundDisbursement.objects.filter(case=case)
            .values("status")
            .annotate(count=Count("id"), total=Sum("amount"))
        }
        recent = list(
            FundDisbursement.objects.filter(case=case)
            .select_related("payee", "recipient")
            .order_by("-requested_at", "-id")[:RECENT]
        )
    roles = court_roles(user, case.court)
    return {
        "case": case,
        "summary": summary,
        "receipts": states,
        "by_status": [
            (DisbursementStatus(status).label, row["count"], row["total"])
            for status, row in sorted(by_status.items())
        ],
        "recent_disbursements": recent,
        "today": timezone.localdate(),
        "may_handle": bool(roles & FUNDS_STAFF),
        "may_approve": bool(roles & approver_roles()),
        "pending_approval": by_status.get(DisbursementStatus.REQUESTED, {}).get("count", 0),
    }


STEPS_ATTRIBUTE = "_funds_next_steps"


def funds_next_steps(case) -> list[str]:
    """What the ledger expects next: pay out money held (with the deadline), approve or pay
    the disbursements waiting. A list page calls `funds_next_steps_prefetch` first."""
    if hasattr(case, STEPS_ATTRIBUTE):
        return list(getattr(case, STEPS_ATTRIBUTE))
    funds_next_steps_prefetch([case])  # the case page: read now, not kept on the object
    return list(case.__dict__.pop(STEPS_ATTRIBUTE))


def funds_next_steps_prefetch(cases, *, only=None) -> None:
    """The funds' next steps of many cases in six queries, kept on each case (none when
    `only`, the cases having any receipt or disbursement, is empty)."""
    cases = list(cases)
    ids = [case.pk for case in cases if only is None or case.pk in only]
    receipts = (
        list(FundReceipt.objects.filter(case_id__in=ids).order_by("received_on", "id"))
        if ids
        else []
    )
    states = receipt_states_of(receipts, with_clocks=True) if receipts else []
    counts: dict[tuple[int, str], int] = (
        {
            (case_id, status): count
            for case_id, status, count in FundDisbursement.objects.filter(
                case_id__in=ids,
                status__in=(DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED),
            )
            .values_list("case_id", "status")
            .annotate(count=Count("id"))
        }
        if ids
        else {}
    )
    for case in cases:
        steps = []
        for state in states:
            if state.receipt.case_id != case.pk or state.reversed or state.available <= 0:
                continue
            due = state.clock.due_at if state.clock else None
            steps.append(
                _("发放案款 %(amount)s（期限 %(due)s）")
                % {
                    "amount": f"¥{state.available:,.2f}",
                    "due": timezone.localtime(due).strftime("%Y-%m-%d") if due else "—",
                }
            )
        requested = counts.get((case.pk, DisbursementStatus.REQUESTED))
        approved = counts.get((case.pk, DisbursementStatus.APPROVED))
        if requested:
            steps.append(_("审批案款发放（%(n)d 笔）") % {"n": requested})
        if approved:
            steps.append(_("支付已批准的案款（%(n)d 笔）") % {"n": approved})
        setattr(case, STEPS_ATTRIBUTE, steps)
