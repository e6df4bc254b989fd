"""The case's endings page (enf-endings): settlement and its performance, 终本 (the
conditions, the request, the president's decision), resumption, termination, 执转破,
执行完毕 and judicial relief.

Thin: parse the posted fields, call one service, redirect. Bad input re-renders the page
with the message by the field (400); a refusal (an unmet condition, the wrong state, not the
approver) is a message and a redirect back. Another court's case: 404. The settlement's form
(SettlementForm, with the guarantee the agreement names) shows every error beside its field
on the first submit, with what was typed.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.statemachine import TransitionNotAllowed
from organisations.models import User

from .forms_endings import SettlementForm, SettlementGuaranteeForm
from .models import (
    CaseParty,
    EnforcementRole,
    FinalConclusionRequest,
    HeardBy,
    JudicialRelief,
    Settlement,
    SettlementStatus,
    TerminationGround,
)
from .panels_endings import endings_panel_context
from .selectors import case_get_for_user
from .services import endings, final, final_checks, relief, settlement
from .services.guarantee import settlement_guarantee_add

STEPS = (
    "settle", "pay", "breach", "final_request", "final_approve", "final_refuse", "resume",
    "terminate", "bankruptcy", "performed", "relief_request", "relief_approve", "relief_refuse",
)  # fmt: skip


def _approvers(case):
    return User.objects.filter(
        memberships__organisation=case.court, memberships__role="supervisor",
        memberships__is_active=True,
    ).distinct().order_by("pk")  # fmt: skip


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationError({"date": [_("请填写正确的日期。")]}) from None


def _page(request, case, *, errors=None, step="", status=200, settle_form=None):
    context = endings_panel_context(case, request.user, with_conditions=True) or {"case": case}
    return render(
        request,
        "enforcement/endings/page.html",
        {
            "case": case,
            "panel_html": render_to_string("enforcement/endings/panel.html", context, request),
            "approvers": _approvers(case),
            "applicants": CaseParty.objects.filter(case=case, role=EnforcementRole.APPLICANT),
            "grounds": TerminationGround.choices,
            "heard_choices": HeardBy.choices,
            "settlement": case.settlements.filter(status=SettlementStatus.PERFORMING).first(),
            "pending_request": case.final_requests.filter(status="pending").first(),
            "pending_reliefs": case.reliefs.filter(status="pending"),
            "already_resumed": case.resumptions.exists(),
            "errors": errors or {},
            "failed_step": step,
            "posted": request.POST if errors else {},
            "settle_form": settle_form or SettlementForm(),
        },
        status=status,
    )


@login_required
def endings_page(request, pk):
    case = case_get_for_user(request.user, pk)
    return _page(request, case)


def _settle(request, case):
    """执行和解, with the guarantee the agreement names when the clerk filled it in: one
    service call records both (settlement_record(guarantee=…)) or neither."""
    endings.require_staff(case, request.user)
    form = SettlementForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        _created, status = form.call_service(
            lambda: settlement.settlement_record(
                case=case,
                actor=request.user,
                signed_on=data["signed_on"],
                terms=data["terms"],
                total=data["total"],
                instalments=form.instalments,
                guarantor=data["guarantor"],
                guarantee=form.guarantee,
            )  # fmt: skip
        )
        if status == 200:
            messages.success(request, _("已办理。"))
            return redirect("enforcement:endings", case.pk)
        if status == 409:  # the case no longer in progress: the form is gone from the page
            messages.error(request, form.non_field_errors()[0])
            return redirect("enforcement:endings", case.pk)
    form.focus_first_error()
    if not form.errors:
        form.guarantee_form.focus_first_error()
    return _page(request, case, step="settle", status=status, settle_form=form)


def _run(step, request, case):
    post, user = request.POST, request.user
    if step in ("pay", "breach"):
        current = Settlement.objects.filter(case=case, status=SettlementStatus.PERFORMING).first()
        if current is None:
            raise TransitionNotAllowed(_("本案没有正在履行的和解协议。"))
        if step == "pay":
            return settlement.settlement_payment_record(
                settlement=current, actor=user, amount=post.get("amount"),
                paid_on=post.get("paid_on"), note=post.get("note", ""),
            )  # fmt: skip
        return settlement.settlement_breach(
            settlement=current, actor=user, applied_on=post.get("applied_on"),
            note=post.get("note", ""),
        )  # fmt: skip
    if step == "final_request":
        approver = _approvers(case).filter(pk=post.get("approver") or 0).first()
        return final.final_request(
            case=case, actor=user, approver=approver, work_done=post.get("work_done", ""),
            applicant_heard_on=_date(post.get("applicant_heard_on")),
            applicant_heard_by=post.get("applicant_heard_by", ""),
            applicant_opinion=post.get("applicant_opinion", ""),
            debtor_missing=post.get("debtor_missing") == "on",
            debtor_search=post.get("debtor_search", ""),
            credit_reason=post.get("credit_reason", ""),
            report_reason=post.get("report_reason", ""),
        )  # fmt: skip
    if step in ("final_approve", "final_refuse"):
        record = FinalConclusionRequest.objects.filter(
            case=case, pk=post.get("request") or 0
        ).first()
        if record is None:
            raise Http404
        if step == "final_approve":
            return final.final_approve(request=record, actor=user, note=post.get("note", ""))
        return final.final_refuse(request=record, actor=user, note=post.get("note", ""))
    if step == "resume":
        return final_checks.case_resume(
            case=case,
            actor=user,
            reason=post.get("reason", ""),
            applicant_asked=post.get("applicant_asked") == "on",
        )
    if step == "terminate":
        return endings.case_terminate(
            case=case, actor=user, ground=post.get("ground", ""), reason=post.get("reason", "")
        )
    if step == "bankruptcy":
        return endings.case_bankruptcy_transfer(
            case=case, actor=user, receiving_court=post.get("receiving_court", ""),
            consent=post.get("consent", ""), reason=post.get("reason", ""),
        )  # fmt: skip
    if step == "performed":
        return endings.case_performed(case=case, actor=user, note=post.get("note", ""))
    if step == "relief_request":
        applicant = CaseParty.objects.filter(case=case, pk=post.get("applicant") or 0).first()
        if applicant is None:
            raise ValidationError({"applicant": [_("请选择本案的申请执行人。")]})
        approver = _approvers(case).filter(pk=post.get("approver") or 0).first()
        return relief.relief_request(
            case=case, applicant=applicant, actor=user, approver=approver,
            amount=post.get("amount"), hardship=post.get("hardship", ""),
        )  # fmt: skip
    record = JudicialRelief.objects.filter(case=case, pk=post.get("relief") or 0).first()
    if record is None:
        raise Http404
    return relief.relief_decide(
        relief=record, actor=user, approve=step == "relief_approve", note=post.get("note", "")
    )


@login_required
@require_POST
def endings_step(request, pk, step):
    case = case_get_for_user(request.user, pk)
    if step not in STEPS:
        raise Http404
    try:
        if step == "settle":
            return _settle(request, case)
        result = _run(step, request, case)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return _page(request, case, errors=errors, step=step, status=400)
    except (TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc) or _("无权办理。"))
        return redirect("enforcement:endings", case.pk)
    messages.success(request, _("已办理。"))
    if step == "resume":
        return redirect(result.get_absolute_url())
    return redirect("enforcement:endings", case.pk)


@require_http_methods(["GET", "POST"])
@login_required
def settlement_guarantee_new(request, pk):
    """The guarantee the settlement being performed names (执行和解协议约定的担保): a person
    or an organisation guarantees the debtor's performance up to an amount. The service
    checks and records it (with the audit entry); bad input comes back beside the fields,
    as typed (400); a settlement no longer performing is said above the form (409)."""
    case = case_get_for_user(request.user, pk)
    endings.require_staff(case, request.user)
    current = case.settlements.filter(status=SettlementStatus.PERFORMING).first()
    if current is None:
        messages.error(request, _("本案没有正在履行的和解协议。"))
        return redirect("enforcement:endings", case.pk)
    form = SettlementGuaranteeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            added, taken = form.call_service(
                lambda: settlement_guarantee_add(
                    settlement=current, actor=request.user, **form.cleaned_data
                )
            )
            if taken == 200:
                messages.success(
                    request,
                    _("已登记和解协议的担保：%(g)s，以 %(a)s 元为限。")
                    % {"g": added.guarantor_name, "a": added.amount},
                )
                return redirect(reverse("enforcement:detail", args=[case.pk]) + "#endings")
            status = taken
        form.focus_first_error()
    return render(
        request,
        "enforcement/endings/guarantee_form.html",
        {"case": case, "settlement": current, "form": form},
        status=status,
    )
