"""Thin views: parse, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import history_for
from common.statemachine import TransitionNotAllowed

from . import services
from .calendar import official_years
from .forms import DecisionForm, ExtendForm, ReasonForm
from .models import CalendarDay, Deadline
from .registry import get_kind
from .selectors import (
    OPEN,
    approvers_for,
    deadline_get_for_user,
    deadline_page_queryset,
    extension_request_get_for_user,
    extension_requests_for,
    extension_requests_to_decide,
    local_rules,
    rule_table,
)
from .states import DEADLINE_MACHINE, PAGE_ACTIONS


@login_required
def deadline_list(request):
    params = request.GET.copy()
    params.pop("page", None)
    queryset, filters = deadline_page_queryset(request.user, params)
    page = Paginator(queryset.prefetch_related("subject"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "deadlines/deadline_list.html",
        {
            "page": page,
            "states": [(OPEN, _("未完结（进行中、已中止）")), *Deadline.State.choices],
            **filters,
            "query_string": params.urlencode(),
        },
    )


@login_required
def deadline_detail(request, pk):
    deadline = deadline_get_for_user(request.user, pk)
    handled_on_record = services.generic_handling_refusal(deadline)
    actions = [
        t for t in DEADLINE_MACHINE.available(deadline, request.user) if t.name in PAGE_ACTIONS
    ]
    kind = get_kind(deadline.kind)
    # a clock extended only on a recorded fact (e.g. both parties' consent) is extended on
    # its record's page, not by asking an approver
    by_request = kind is None or kind.extension_by_request
    if handled_on_record:  # the record's workflow pauses and extends it, not this page
        actions, by_request = [], False
    return render(
        request,
        "deadlines/deadline_detail.html",
        {
            "deadline": deadline,
            "actions": actions,
            "extend_form": ExtendForm(approvers=approvers_for(deadline)) if by_request else None,
            "extension_requests": extension_requests_for(deadline),
            "history": history_for(deadline)[:10],
            "handled_on_record": handled_on_record,
        },
    )


# Meet and cancel are not here: the owning app's own steps close its clocks.
_ACTIONS = {
    "pause": lambda d, user, reason: services.deadline_pause(d, actor=user, reason=reason),
    "resume": lambda d, user, reason: services.deadline_resume(d, actor=user),
}


@login_required
@require_POST
def deadline_action(request, pk, action):
    deadline = deadline_get_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if action not in _ACTIONS or not form.is_valid():
        messages.error(request, _("无效的操作。"))
        return redirect("deadlines:detail", pk=pk)
    try:
        services.require_generic_handling(deadline)
        _ACTIONS[action](deadline, request.user, form.cleaned_data["reason"])
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已保存。"))
    return redirect("deadlines:detail", pk=pk)


@login_required
@require_POST
def deadline_extend(request, pk):
    """Ask for an extension; the named approver decides it on the request's page."""
    deadline = deadline_get_for_user(request.user, pk)
    form = ExtendForm(request.POST, approvers=approvers_for(deadline))
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("deadlines:detail", pk=pk)
    data = form.cleaned_data
    try:
        services.require_generic_handling(deadline)
        services.deadline_extension_request(
            deadline,
            actor=request.user,
            approver=data["approver"],
            reason=data["reason"],
            new_due_at=data["new_due_date"],
            amount=data["amount"],
            unit=data["unit"],
        )
    except (ValidationError, TransitionNotAllowed) as exc:
        messages.error(request, getattr(exc, "message", None) or "；".join(exc.messages))
    else:
        messages.success(request, _("已提交延长申请，待审批人审批。"))
    return redirect("deadlines:detail", pk=pk)


@login_required
def extension_request_list(request):
    """The requests that name me as approver."""
    return render(
        request,
        "deadlines/extension_request_list.html",
        {
            "requests": extension_requests_to_decide(request.user).order_by(
                "status", "-requested_at"
            )
        },
    )


@login_required
def extension_request_detail(request, pk):
    extension_request = extension_request_get_for_user(request.user, pk)
    can_decide = (
        extension_request.approver_id == request.user.pk
        and extension_request.status == extension_request.Status.PENDING
    )
    return render(
        request,
        "deadlines/extension_request_detail.html",
        {
            "extension_request": extension_request,
            "can_decide": can_decide,
            "history": history_for(extension_request)[:10],
        },
    )


_DECISIONS = {
    "approve": services.deadline_extension_approve,
    "refuse": services.deadline_extension_refuse,
}


@login_required
@require_POST
def extension_request_decide(request, pk, decision):
    # Only the named approver finds the request here; anyone else gets 404.
    extension_request = get_object_or_404(extension_requests_to_decide(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if decision not in _DECISIONS or not form.is_valid():
        messages.error(request, _("无效的操作。"))
        return redirect("deadlines:extension_request", pk=pk)
    try:
        _DECISIONS[decision](extension_request, actor=request.user, note=form.cleaned_data["note"])
    except (ValidationError, TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(
            request,
            getattr(exc, "message", None) or "；".join(getattr(exc, "messages", [str(exc)])),
        )
    else:
        messages.success(request, _("已审批。"))
    return redirect("deadlines:extension_request", pk=pk)


@login_required
def rule_list(request):
    organisation = request.user.primary_organisation
    return render(
        request,
        "deadlines/rule_list.html",
        {
            "organisation": organisation,
            "rows": rule_table(organisation),
            "local_rules": local_rules(),
            "calendar_days": CalendarDay.objects.filter(
                date__year__gte=timezone.localdate().year - 1
            ),
            "official_years": official_years(),
        },
    )
