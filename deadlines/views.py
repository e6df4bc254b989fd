"""Thin views: parse, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import history_for
from common.statemachine import TransitionNotAllowed

from . import services
from .calendar import official_years
from .forms import ExtendForm, ReasonForm
from .models import CalendarDay, Deadline
from .selectors import (
    OPEN,
    approvers_for,
    deadline_get_for_user,
    deadline_page_queryset,
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
    actions = [
        t for t in DEADLINE_MACHINE.available(deadline, request.user) if t.name in PAGE_ACTIONS
    ]
    return render(
        request,
        "deadlines/deadline_detail.html",
        {
            "deadline": deadline,
            "actions": actions,
            "extend_form": ExtendForm(approvers=approvers_for(deadline)),
            "history": history_for(deadline)[:10],
        },
    )


_ACTIONS = {
    "meet": lambda d, user, reason: services.deadline_meet(d, actor=user),
    "pause": lambda d, user, reason: services.deadline_pause(d, actor=user, reason=reason),
    "resume": lambda d, user, reason: services.deadline_resume(d, actor=user),
    "cancel": lambda d, user, reason: services.deadline_cancel(d, actor=user, reason=reason),
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
    deadline = deadline_get_for_user(request.user, pk)
    form = ExtendForm(request.POST, approvers=approvers_for(deadline))
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("deadlines:detail", pk=pk)
    data = form.cleaned_data
    try:
        services.deadline_extend(
            deadline,
            actor=request.user,
            approved_by=data["approved_by"],
            reason=data["reason"],
            new_due_at=data["new_due_date"],
            amount=data["amount"],
            unit=data["unit"],
        )
    except (ValidationError, TransitionNotAllowed) as exc:
        messages.error(request, getattr(exc, "message", None) or "；".join(exc.messages))
    else:
        messages.success(request, _("已延长。"))
    return redirect("deadlines:detail", pk=pk)


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
