"""Pages for agreement compliance (履行情况), complaint meetings (吐槽大会) and legal
consultations (法律咨询). Thin: parse, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.selectors import dispute_scope
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

from . import selectors, selectors_compliance, services
from .forms_compliance import ConsultationForm, IssueForm, MeetingForm, PaymentForm
from .models import MediatorKind
from .services import case_may_act
from .services.meetings import MEETING_ROLES

LIST_SIZE = 50


# --- compliance ------------------------------------------------------------------------


@login_required
def compliance(request, pk):
    """The agreement's instalments: due, paid, overdue; a payment form for those who act."""
    case = selectors.case_get_for_user(request.user, pk)
    agreement = selectors.case_agreement(case)
    if agreement is None:
        raise Http404
    may_record = case_may_act(case, request.user)
    form = PaymentForm(request.POST or None) if may_record else None
    status = 200
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            instalment = selectors_compliance.instalment_scope(request.user).filter(
                pk=form.cleaned_data["instalment"], obligation__agreement=agreement
            )
            instalment = instalment.first()
            if instalment is None:
                raise Http404
            try:
                services.instalment_record_payment(
                    instalment=instalment,
                    actor=request.user,
                    amount=form.cleaned_data["amount"],
                    paid_on=form.cleaned_data["paid_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("履行情况已登记。"))
                return redirect("mediation:compliance", pk=case.pk)
    rows = selectors_compliance.instalments_with_status(agreement)
    state = selectors_compliance.agreement_compliance_status(rows)
    context = {
        "case": case,
        "agreement": agreement,
        "instalments": rows,
        "state": state,
        "state_label": selectors_compliance.AGREEMENT_STATUS_LABELS[state],
        "form": form,
    }
    return render(request, "mediation/compliance.html", context, status=status)


# --- complaint meetings ----------------------------------------------------------------


def _meeting_organisations(user):
    return [m.organisation for m in user.active_memberships if m.role in MEETING_ROLES]


@login_required
def meeting_list(request):
    meetings = list(selectors_compliance.meeting_list(request.user)[:LIST_SIZE])
    return render(
        request,
        "mediation/meeting_list.html",
        {"meetings": meetings, "can_create": bool(_meeting_organisations(request.user))},
    )


@login_required
def meeting_create(request):
    organisations = _meeting_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = MeetingForm(request.POST or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            organisation = next(
                o for o in organisations if o.pk == form.cleaned_data["organisation"]
            )
            try:
                meeting = services.complaint_meeting_create(
                    organisation=organisation,
                    actor=request.user,
                    held_on=form.cleaned_data["held_on"],
                    place=form.cleaned_data["place"],
                    attendees=form.cleaned_data["attendees"],
                    notes=form.cleaned_data["notes"],
                    issues=form.issue_rows(),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("吐槽大会已记录。"))
                return redirect("mediation:meeting_detail", pk=meeting.pk)
    return render(request, "mediation/meeting_form.html", {"form": form}, status=status)


@login_required
def meeting_detail(request, pk):
    meeting = selectors_compliance.meeting_get_for_user(request.user, pk)
    may_act = bool(MEETING_ROLES & roles_in_scope_of(request.user, meeting.organisation))
    form = IssueForm(request.POST or None) if may_act else None
    status = 200
    if request.method == "POST":
        if not may_act:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                services.meeting_issue_add(meeting=meeting, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("问题已记录。"))
                return redirect("mediation:meeting_detail", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "issues": selectors_compliance.meeting_issues(meeting),
        "form": form,
        "may_act": may_act,
    }
    return render(request, "mediation/meeting_detail.html", context, status=status)


@login_required
@require_POST
def meeting_issue_dispute(request, pk):
    """One click: the issue becomes a dispute in the cases loop."""
    issue = selectors_compliance.meeting_issues_for_user(request.user).filter(pk=pk).first()
    if issue is None:
        raise Http404
    try:
        dispute = services.meeting_issue_to_dispute(issue=issue, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("已登记为矛盾纠纷 %(ref)s，进入吹哨答卷流程。") % {"ref": dispute.reference}
        )
    return redirect("mediation:meeting_detail", pk=issue.meeting_id)


# --- legal consultations ---------------------------------------------------------------


@login_required
def consultation_list(request):
    consultations = list(selectors_compliance.consultation_list(request.user)[:LIST_SIZE])
    experts = _experts_for(request.user)
    return render(
        request,
        "mediation/consultation_list.html",
        {"consultations": consultations, "can_create": bool(experts)},
    )


def _experts_for(user):
    """Experts the user may record for: themselves, or (clerks) their unit's experts."""
    experts = selectors.mediator_scope(user).filter(
        kind=MediatorKind.CHIEF_LEGAL_EXPERT, is_active=True
    )
    own = list(experts.filter(user=user))
    if own:
        return own
    units = [
        m.organisation_id for m in user.active_memberships if m.role in (Role.CLERK, Role.ADMIN)
    ]
    return list(experts.filter(organisation_id__in=units).order_by("name"))


@login_required
def consultation_create(request):
    experts = _experts_for(request.user)
    if not experts:
        raise PermissionDenied
    form = ConsultationForm(request.POST or None, experts=experts)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            expert = next(e for e in experts if e.pk == data.pop("expert"))
            reference = data.pop("dispute").strip()
            dispute = None
            if reference:
                dispute = dispute_scope(request.user).filter(reference=reference).first()
                if dispute is None:
                    form.add_error("dispute", _("找不到该矛盾纠纷。"))
            if not form.errors:
                try:
                    services.legal_consultation_record(
                        expert=expert, actor=request.user, dispute=dispute, **data
                    )
                except ValidationError as exc:
                    form.add_service_errors(exc)
                else:
                    messages.success(request, _("法律咨询已记录。"))
                    return redirect("mediation:consultations")
    return render(request, "mediation/consultation_form.html", {"form": form}, status=status)


@login_required
@require_GET
def consultation_detail(request, pk):
    consultation = selectors_compliance.consultation_get_for_user(request.user, pk)
    return render(request, "mediation/consultation_detail.html", {"c": consultation})
