"""The case's 执行担保 page (enf-guarantee): offer (with the applicant's consent), the
president's decision, the debtor's performance or enforcement against the guarantor, and
what the guarantor paid.

Thin: parse the posted fields, call one service, redirect. Bad input re-renders the page
with the message by the field (400); a refusal (the wrong state, not the approver, the period
not ended) is a message and a redirect back. Another court's case: 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.statemachine import TransitionNotAllowed

from .models import GuaranteeKind, GuaranteeStatus, GuarantorKind
from .selectors import acting_roles, case_get_for_user
from .services import guarantee as service
from .states import COURT_STAFF
from .views_endings import _approvers

STEPS = ("offer", "approve", "refuse", "discharge", "enforce", "receipt")


def _page(request, case, *, errors=None, step="", status=200):
    guarantees = list(
        case.guarantees.select_related(
            "guarantor_party",
            "approver",
            "requested_by",
            "settlement",
            "decision",
            "enforcement_ruling",
        ).order_by("-pk")
    )
    current = next(
        (g for g in guarantees if g.status in (GuaranteeStatus.OFFERED, GuaranteeStatus.SUSPENDED,
                                               GuaranteeStatus.SECURING,
                                               GuaranteeStatus.ENFORCED)), None)  # fmt: skip
    for guarantee in guarantees:
        guarantee.period_ends_on = service.guarantee_period_ends_on(guarantee)
    received = service.guarantor_received(current) if current is not None else None
    return render(
        request,
        "enforcement/guarantee/page.html",
        {
            "case": case,
            "guarantees": guarantees,
            "current": current,
            "received": received,
            "left": (current.amount - received) if current is not None else None,
            "can_act": bool(acting_roles(request.user, case.court) & COURT_STAFF),
            "is_approver": current is not None and current.approver_id == request.user.pk,
            "approvers": _approvers(case),
            "kinds": GuaranteeKind.choices,
            "guarantor_kinds": GuarantorKind.choices,
            "latest": service.latest_suspension_day(),
            "max_period": service.MAX_GUARANTEE_PERIOD_MONTHS,
            "errors": errors or {},
            "failed_step": step,
            "posted": request.POST if errors else {},
        },
        status=status,
    )


@login_required
def guarantee_page(request, pk):
    case = case_get_for_user(request.user, pk)
    return _page(request, case)


def _current(case, *statuses):
    record = case.guarantees.filter(status__in=statuses).order_by("-pk").first()
    if record is None:
        raise TransitionNotAllowed(_("本案没有处于该状态的执行担保。"))
    return record


def _run(step, request, case):
    post, user = request.POST, request.user
    if step == "offer":
        raw = post.get("approver") or ""
        approver = _approvers(case).filter(pk=int(raw)).first() if raw.isdigit() else None
        return service.guarantee_offer(
            case=case, actor=user, kind=post.get("kind", ""),
            guarantor_kind=post.get("guarantor_kind", ""),
            guarantor_name=post.get("guarantor_name", ""),
            guarantor_id_number=post.get("guarantor_id_number", ""),
            guarantor_credit_code=post.get("guarantor_credit_code", ""),
            guarantor_address=post.get("guarantor_address", ""),
            guarantor_phone=post.get("guarantor_phone", ""),
            property_description=post.get("property_description", ""),
            amount=post.get("amount", ""), suspension_until=post.get("suspension_until", ""),
            applicant_consent=post.get("applicant_consent") == "on",
            consent_note=post.get("consent_note", ""), reason=post.get("reason", ""),
            approver=approver, guarantee_period_months=post.get("guarantee_period_months", ""),
        )  # fmt: skip
    if step == "approve":
        return service.guarantee_approve(
            guarantee=_current(case, GuaranteeStatus.OFFERED), actor=user,
            note=post.get("note", ""),
        )  # fmt: skip
    if step == "refuse":
        return service.guarantee_refuse(
            guarantee=_current(case, GuaranteeStatus.OFFERED), actor=user,
            note=post.get("note", ""),
        )  # fmt: skip
    if step == "discharge":
        return service.guarantee_discharge(
            guarantee=_current(case, GuaranteeStatus.SUSPENDED), actor=user,
            note=post.get("note", ""),
        )  # fmt: skip
    if step == "enforce":
        return service.guarantee_enforce(
            guarantee=_current(case, GuaranteeStatus.SUSPENDED, GuaranteeStatus.SECURING),
            actor=user, applied_on=post.get("applied_on", ""), note=post.get("note", ""),
            early=post.get("early") == "on", told_by=post.get("told_by", ""),
        )  # fmt: skip
    return service.guarantee_receipt_record(
        guarantee=_current(case, GuaranteeStatus.ENFORCED), actor=user,
        amount=post.get("amount", ""), received_on=post.get("received_on", ""),
        note=post.get("note", ""),
    )  # fmt: skip


@login_required
@require_POST
def guarantee_step(request, pk, step):
    case = case_get_for_user(request.user, pk)
    if step not in STEPS:
        raise Http404
    try:
        _run(step, request, case)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return _page(request, case, errors=errors, step=step, status=400)
    except (TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc) or _("无权办理。"))
        return redirect("enforcement:guarantee", case.pk)
    messages.success(request, _("已办理。"))
    return redirect("enforcement:guarantee", case.pk)
