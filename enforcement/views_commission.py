"""The case's commission page (委托执行与交叉执行, enf-commission) and the receiving court's
list of commissions it received.

Thin: parse the posted fields, call one service, redirect. Bad input re-renders the page
with the message by the field (400); a refusal (wrong state, wrong side) is a message and a
redirect back. A court that neither sends nor receives: 404 (case_get_for_user).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.statemachine import TransitionNotAllowed
from organisations.models import Membership, Organisation

from .models import Commission, TransferKind
from .panels_commission import commission_panel_context
from .selectors import case_get_for_user
from .selectors_commission import commissions_received
from .services import commission as service

STEPS = ("request", "register", "refuse", "report", "finish", "return", "withdraw", "transfer")


def _page(request, case, *, errors=None, step="", status=200):
    user = request.user
    context = commission_panel_context(case, user) or {"case": case}
    may_transfer = service.transfer_refusal(case, user) is None
    higher = service.supervising_courts(user, case.court) if may_transfer else []
    target_courts = (
        Organisation.objects.filter(
            kind=Organisation.Kind.COURT, region__path__startswith=higher[0].region.path
        ).order_by("path")
        if higher
        else Organisation.objects.none()
    )
    receiving = context.get("receiving", [])
    for commission in receiving:
        commission.receiving_court_officers = list(service.officers_of(commission.receiving_court))
    transfer_officers = (
        Membership.objects.filter(
            organisation__in=target_courts, role__in=service.OFFICER_ROLES, is_active=True,
            user__is_active=True,
        )
        .select_related("user", "organisation")
        .order_by("organisation__path", "user_id")[:500]
        if may_transfer
        else []
    )  # fmt: skip
    return render(
        request,
        "enforcement/commission/page.html",
        {
            "case": case,
            "panel_html": render_to_string("enforcement/commission/panel.html", context, request),
            "may_request": context.get("may_request", False),
            "receiving": receiving,
            "transfer_officers": transfer_officers,
            "open_sent": [c for c in context.get("commissions", []) if c.is_open]
            if context.get("may_request")
            else [],
            "courts": Organisation.objects.filter(kind=Organisation.Kind.COURT)
            .exclude(path__startswith=case.court.path)
            .order_by("path")
            if context.get("may_request")
            else [],
            "may_transfer": may_transfer,
            "target_courts": target_courts,
            "transfer_kinds": [
                (k, label) for k, label in TransferKind.choices if k != TransferKind.ELEVATED
            ],
            "errors": errors or {},
            "failed_step": step,
            "posted": request.POST if errors else {},
        },
        status=status,
    )


@login_required
def commission_page(request, pk):
    case = case_get_for_user(request.user, pk)
    return _page(request, case)


def _commission(case, post) -> Commission:
    pk = service.clean_pk(post.get("commission"))
    commission = (
        Commission.objects.filter(case=case, pk=pk)
        .select_related("receiving_court", "sending_court")
        .first()
        if pk
        else None
    )
    if commission is None:
        raise Http404
    return commission


def _run(step, request, case):
    post, user = request.POST, request.user
    if step == "request":
        return service.commission_request(
            case=case, actor=user, receiving_court=post.get("receiving_court"),
            matters=post.get("matters", ""), assets_note=post.get("assets_note", ""),
        )  # fmt: skip
    if step == "transfer":
        return service.case_transfer(
            case=case, actor=user, to_court=post.get("to_court"), officer=post.get("officer"),
            reason=post.get("reason", ""), kind=post.get("kind", ""),
        )  # fmt: skip
    commission = _commission(case, post)
    if step == "register":
        return service.commission_register(
            commission=commission, actor=user, officer=post.get("officer"),
            receiving_number=post.get("receiving_number", ""),
        )  # fmt: skip
    if step == "refuse":
        return service.commission_refuse(
            commission=commission, actor=user, reason=post.get("reason", "")
        )
    if step == "report":
        return service.commission_report(
            commission=commission, actor=user, text=post.get("text", ""),
            amount_recovered=post.get("amount_recovered", ""),
        )  # fmt: skip
    if step in ("finish", "return"):
        return service.commission_finish(
            commission=commission, actor=user, result=post.get("result", ""),
            amount_recovered=post.get("amount_recovered", ""), returned=step == "return",
        )  # fmt: skip
    return service.commission_withdraw(
        commission=commission, actor=user, reason=post.get("reason", "")
    )


@login_required
@require_POST
def commission_step(request, pk, step):
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
        return redirect("enforcement:commission", case.pk)
    messages.success(request, _("已办理。"))
    if not _still_visible(request, case):
        # a finished, returned or refused commission: the receiving court no longer sees
        # the case — back to its list of received commissions
        return redirect("enforcement:commission_received")
    return redirect("enforcement:commission", case.pk)


def _still_visible(request, case) -> bool:
    try:
        case_get_for_user(request.user, case.pk)
    except Http404:
        return False
    return True


@login_required
def received_page(request):
    """The commissions sent to the user's court(s): the open ones link to their case."""
    commissions = list(commissions_received(request.user)[:200])
    return render(request, "enforcement/commission/received.html", {"commissions": commissions})
