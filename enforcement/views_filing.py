"""Filing pages: the clerk's desk (urging matters, cases awaiting an officer, bulk
assignment), the basis form (by hand, or taken from a confirmed judicial confirmation), the
application form, and the case's filing workspace where urging, filing, assignment,
representatives, suspension and the extension request are done. Thin: parse, call one
service, render; a refused input re-renders the form with its errors, an illegal step comes
back as a page message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.statemachine import TransitionNotAllowed
from deadlines.selectors import approvers_for

from . import forms_filing as forms
from .models import CaseParty, CaseStatus, EnforcementRole
from .panels_filing import application_context, time_limit_context
from .selectors import case_get_for_user, enforcement_scope
from .selectors_filing import (
    TIME_LIMIT,
    bases_for_user,
    basis_get_for_user,
    case_clock,
    confirmation_get_for_user,
    enforceable_confirmations,
    filing_courts_for,
)
from .services import assignment, filing, time_limit, urging
from .states import case_machine

REFUSALS = (TransitionNotAllowed, PermissionDenied)


def _refused(request, exc) -> None:
    messages.error(request, getattr(exc, "message", None) or str(exc) or _("无权办理。"))


def _workspace(pk):
    return redirect("enforcement:filing_case", pk=pk)


# --- the desk -----------------------------------------------------------------------------


def _desk_court(request):
    courts = filing_courts_for(request.user)
    chosen = request.GET.get("court") or request.POST.get("court")
    if chosen and chosen.isdigit():
        court = courts.filter(pk=int(chosen)).first()
        if court is None:
            raise Http404
        return court, courts
    return courts.first(), courts


def _desk_context(request, court, courts, bulk_form=None) -> dict:
    scope = enforcement_scope(request.user).filter(court=court) if court else None
    awaiting = list(
        scope.filter(status=CaseStatus.FILED).select_related("basis").order_by("filed_at", "pk")
    ) if scope is not None else []  # fmt: skip
    urging_cases = list(
        scope.filter(status=CaseStatus.URGING).select_related("basis").order_by("created_at", "pk")
    ) if scope is not None else []  # fmt: skip
    suggestions = assignment.officer_suggestions(court) if court else []
    return {
        "court": court,
        "courts": courts,
        "awaiting": awaiting,
        "urging_cases": urging_cases,
        "suggestions": suggestions,
        "bulk_form": bulk_form
        or forms.BulkAssignForm(cases=awaiting, suggestions=suggestions, initial={}),
        "bases": list(bases_for_user(request.user, number=request.GET.get("q", "")[:60])[:20]),
        "q": request.GET.get("q", "")[:60],
    }


@login_required
def desk(request):
    court, courts = _desk_court(request)
    if court is None:
        raise Http404
    return render(request, "enforcement/filing/desk.html", _desk_context(request, court, courts))


@login_required
@require_POST
def bulk_assign(request):
    court, courts = _desk_court(request)
    if court is None:
        raise Http404
    context = _desk_context(request, court, courts)
    form = forms.BulkAssignForm(
        request.POST, cases=context["awaiting"], suggestions=context["suggestions"]
    )
    if not form.is_valid():
        context["bulk_form"] = form
        return render(request, "enforcement/filing/desk.html", context)
    chosen = {int(pk) for pk in form.cleaned_data["cases"]}
    cases = [case for case in context["awaiting"] if case.pk in chosen]
    result = assignment.cases_assign_bulk(
        cases=cases, actor=request.user, officer=form.cleaned_data["officer"],
        note=form.cleaned_data["note"],
    )  # fmt: skip
    for case, officer in result["assigned"]:
        messages.success(request, _("%(n)s 已分配给 %(o)s") % {"n": case.case_number, "o": officer})
    for case, reason in result["refused"]:
        messages.error(request, f"{case.case_number or case}：{reason}")
    return redirect(f"{reverse('enforcement:filing_desk')}?court={court.pk}")


# --- the basis ----------------------------------------------------------------------------


@login_required
def basis_new(request):
    courts = filing_courts_for(request.user)
    if not courts.exists():
        raise Http404
    form = forms.BasisForm(request.POST or None, courts=courts)
    deadlines = forms.DeadlineFormSet(request.POST or None, prefix="deadlines")
    if request.method == "POST" and form.is_valid() and deadlines.is_valid():
        rows = [
            row for row in (f.cleaned_data for f in deadlines.forms)
            if row and (row.get("due_date") or row.get("amount"))
        ]  # fmt: skip
        try:
            with transaction.atomic():
                basis = filing.basis_record(actor=request.user, deadlines=rows,
                                            **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error("court", str(exc))
        else:
            messages.success(request, _("执行依据已登记：%(n)s") % {"n": basis.document_number})
            return redirect("enforcement:filing_apply", pk=basis.pk)
    return render(
        request, "enforcement/filing/basis_form.html", {"form": form, "deadlines": deadlines}
    )


@login_required
def confirmations(request):
    courts = filing_courts_for(request.user)
    if not courts.exists():
        raise Http404
    rows = list(enforceable_confirmations(request.user).filter(court__in=courts)[:50])
    return render(request, "enforcement/filing/confirmations.html", {"confirmations": rows})


@login_required
@require_POST
def confirmation_take(request, pk):
    confirmation = confirmation_get_for_user(request.user, pk)
    try:
        with transaction.atomic():
            basis = filing.basis_from_confirmation(confirmation=confirmation, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("enforcement:filing_confirmations")
    except PermissionDenied as exc:
        _refused(request, exc)
        return redirect("enforcement:filing_confirmations")
    messages.success(request, _("已取得执行依据：%(n)s") % {"n": basis.document_number})
    return redirect("enforcement:filing_apply", pk=basis.pk)


# --- the application ----------------------------------------------------------------------


@login_required
def application_new(request, pk):
    basis = basis_get_for_user(request.user, pk)
    if not filing.may_file(request.user, basis.court):
        raise PermissionDenied
    confirmation = basis.judicial_confirmation
    carried = filing.confirmation_parties(confirmation) if confirmation else None
    for row in carried or []:
        row["role_label"] = EnforcementRole(row["role"]).label
    initial = {}
    if confirmation is not None:
        target = filing.confirmation_target(confirmation)
        initial = {**target, "principal": target["principal"] or None}
    form = forms.ApplicationForm(request.POST or None, initial=initial)
    parties = (
        None if carried is not None
        else forms.PartyFormSet(request.POST or None, prefix="parties")
    )  # fmt: skip
    if request.method == "POST" and form.is_valid() and (parties is None or parties.is_valid()):
        data = dict(form.cleaned_data)
        try:
            with transaction.atomic():
                case = filing.application_register(
                    basis=basis, actor=request.user,
                    parties=None if parties is None else forms.parties_from(parties),
                    **data,
                )  # fmt: skip
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if case.case_number:
                messages.success(request, _("已立案：%(n)s") % {"n": case.case_number})
            else:
                messages.success(request, _("已登记执前督促，未编立案号。"))
            return _workspace(case.pk)
    return render(
        request,
        "enforcement/filing/application_form.html",
        {"basis": basis, "form": form, "parties": parties, "carried": carried},
    )


# --- the case's filing workspace ----------------------------------------------------------


def _panels_html(request, case) -> list:
    rendered = []
    for template, context in (
        ("enforcement/filing/panels/application.html", application_context(case, request.user)),
        ("enforcement/filing/panels/time_limit.html", time_limit_context(case, request.user)),
    ):
        if context is not None:
            rendered.append(mark_safe(render_to_string(template, context, request)))  # noqa: S308
    return rendered


def _workspace_context(request, case, **bound) -> dict:
    roles_allowed = {t.name for t in case_machine.available(case, request.user)}
    suggestions = assignment.officer_suggestions(case.court)
    applicants = list(
        CaseParty.objects.filter(case=case, role=EnforcementRole.APPLICANT).order_by(
            "position", "pk"
        )[:500]
    )
    limit = case_clock(case, TIME_LIMIT)
    context = {
        "case": case,
        "panels": _panels_html(request, case),
        "allowed": roles_allowed,
        "may_file": filing.may_file(request.user, case.court),
        "notices_form": forms.UrgingNoticesForm(),
        "performed_form": forms.UrgingPerformedForm(
            initial={
                "amount_paid": case.amount_ordered if case.is_money_case else None,
                "performed_on": timezone.localdate(),
            }
        ),
        "file_form": forms.NoteForm(),
        "assign_form": forms.AssignForm(suggestions=suggestions),
        "reassign_form": forms.ReassignForm(suggestions=suggestions),
        "suspend_form": forms.ReasonForm(),
        "end_suspension_form": forms.NoteForm(),
        "extension_form": forms.ExtensionForm(approvers=approvers_for(limit) if limit else None)
        if limit
        else None,  # fmt: skip
        "representatives_form": forms.RepresentativesForm(applicants=applicants),
        "applicants": applicants,
        "suggestions": suggestions,
    }
    context.update(bound)
    return context


@login_required
def case_workspace(request, pk):
    case = case_get_for_user(request.user, pk)
    return render(request, "enforcement/filing/case.html", _workspace_context(request, case))


def _act(request, pk, *, form_key, make_form, call, success):
    """POST a workspace form: valid → the service; a field error re-renders the page with the
    form bound; an illegal step or a role refusal → page message and back."""
    case = case_get_for_user(request.user, pk)
    form = make_form(case, request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                result = call(case, form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except REFUSALS as exc:
            _refused(request, exc)
            return _workspace(case.pk)
        else:
            messages.success(request, success(case, result))
            return _workspace(case.pk)
    case.refresh_from_db()
    return render(
        request, "enforcement/filing/case.html",
        _workspace_context(request, case, **{form_key: form}),
    )  # fmt: skip


@login_required
@require_POST
def urging_notices(request, pk):
    return _act(
        request, pk, form_key="notices_form",
        make_form=lambda case, data: forms.UrgingNoticesForm(data),
        call=lambda case, data: urging.urging_notices_issue(case=case, actor=request.user, **data),
        success=lambda case, docs: _("已发出 %(a)s、%(b)s") % {"a": docs[0].number,
                                                             "b": docs[1].number},
    )  # fmt: skip


@login_required
@require_POST
def urging_performed(request, pk):
    return _act(
        request, pk, form_key="performed_form",
        make_form=lambda case, data: forms.UrgingPerformedForm(data),
        call=lambda case, data: urging.urging_performed(case=case, actor=request.user, **data),
        success=lambda case, doc: _("已出具履行完毕证明 %(n)s，不予立案。") % {"n": doc.number},
    )  # fmt: skip


@login_required
@require_POST
def file_case(request, pk):
    return _act(
        request, pk, form_key="file_form",
        make_form=lambda case, data: forms.NoteForm(data),
        call=lambda case, data: urging.urging_file(case=case, actor=request.user, **data),
        success=lambda case, filed: _("已立案：%(n)s") % {"n": filed.case_number},
    )  # fmt: skip


@login_required
@require_POST
def assign(request, pk):
    return _act(
        request, pk, form_key="assign_form",
        make_form=lambda case, data: forms.AssignForm(
            data, suggestions=assignment.officer_suggestions(case.court)),
        call=lambda case, data: assignment.case_assign(case=case, actor=request.user, **data),
        success=lambda case, done: _("承办人：%(o)s") % {"o": done.officer},
    )  # fmt: skip


@login_required
@require_POST
def reassign(request, pk):
    return _act(
        request, pk, form_key="reassign_form",
        make_form=lambda case, data: forms.ReassignForm(
            data, suggestions=assignment.officer_suggestions(case.court)),
        call=lambda case, data: assignment.case_reassign(
            case=case, actor=request.user, officer=data["officer"], reason=data["note"]),
        success=lambda case, done: _("承办人已更换为 %(o)s") % {"o": done.officer},
    )  # fmt: skip


@login_required
@require_POST
def representatives(request, pk):
    def make(case, data):
        applicants = CaseParty.objects.filter(case=case, role=EnforcementRole.APPLICANT)
        return forms.RepresentativesForm(data, applicants=applicants)

    return _act(
        request, pk, form_key="representatives_form", make_form=make,
        call=lambda case, data: filing.representatives_set(
            case=case, actor=request.user, representative=int(data["representative"]),
            represented=[int(p) for p in data["represented"]]),
        success=lambda case, leader: _("%(n)s 的代表关系已更新") % {"n": leader.name},
    )  # fmt: skip


@login_required
@require_POST
def suspend(request, pk):
    return _act(
        request, pk, form_key="suspend_form",
        make_form=lambda case, data: forms.ReasonForm(data),
        call=lambda case, data: time_limit.case_suspend(case=case, actor=request.user, **data),
        success=lambda case, done: _("已中止执行，执行期限停止计算。"),
    )  # fmt: skip


@login_required
@require_POST
def end_suspension(request, pk):
    return _act(
        request, pk, form_key="end_suspension_form",
        make_form=lambda case, data: forms.NoteForm(data),
        call=lambda case, data: time_limit.case_suspension_end(
            case=case, actor=request.user, **data),
        success=lambda case, done: _("已恢复执行，执行期限继续计算（中止期间不计入）。"),
    )  # fmt: skip


@login_required
@require_POST
def extension(request, pk):
    def make(case, data):
        limit = case_clock(case, TIME_LIMIT)
        if limit is None:
            raise Http404
        return forms.ExtensionForm(data, approvers=approvers_for(limit))

    return _act(
        request, pk, form_key="extension_form", make_form=make,
        call=lambda case, data: time_limit.time_limit_extension_request(
            case=case, actor=request.user, **data),
        success=lambda case, req: _("已报请 %(a)s 审批延长执行期限。") % {"a": req.approver},
    )  # fmt: skip
