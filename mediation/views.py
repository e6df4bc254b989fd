"""Mediation pages: the committee's list, the case page with its actions, the phone
session form, "my week", the roster and the registration form. Thin: parse, call one
service or selector, render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.selectors import history_for
from common.downloads import stored_file_response
from common.keyset import page_links
from common.statemachine import TransitionNotAllowed
from organisations.selectors import organisations_visible_to

from . import clocks, presenters, selectors, services, views_confirmation
from .forms import (
    AgreementForm,
    AssignForm,
    CaseForm,
    ExtendForm,
    ReasonForm,
    ReassignForm,
    ReceiptForm,
    SessionForm,
    WithdrawForm,
)
from .models import Language, MediatorKind, Source, Specialty, Status
from .states import case_actions, case_roles
from .states import mediation_machine as machine

PAGE_SIZE = 50


def _add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- list ----------------------------------------------------------------------------------


@login_required
def case_list(request):
    """The committee's list — and the court's: the same page shows a court clerk the cases
    their court delegated or entrusted (`mediation_scope`). Cards at every width, keyset
    pages ("加载更多" appends the next page in place with htmx)."""
    filters = {
        "status": request.GET.get("status", "")
        if request.GET.get("status") in Status.values
        else "",
        "source": request.GET.get("source", "")
        if request.GET.get("source") in Source.values
        else "",
        "q": request.GET.get("q", "")[:60],
        "mine": request.GET.get("mine") == "1",
        "open": request.GET.get("open") == "1",
    }
    page = selectors.keyset_page(
        selectors.for_cards(selectors.case_list(request.user, filters=filters)),
        after=request.GET.get("after", ""),
        size=PAGE_SIZE,
    )
    context = {
        "page": page,
        "cards": presenters.case_cards(page.items),
        **page_links(request.GET, page),
    }
    if request.headers.get("HX-Request"):
        return render(request, "mediation/partials/cards_page.html", context)
    context.update(
        filters=filters,
        statuses=Status.choices,
        sources=Source.choices,
        filtered=any(filters.values()),
    )
    return render(request, "mediation/case_list.html", context)


# --- detail and steps ------------------------------------------------------------------------


def _detail_context(request, case, forms=None) -> dict:
    forms = forms or {}
    user = request.user
    roles = case_roles(case, user)
    actions = {t.name for t in case_actions(case, user)}
    parties = selectors.case_parties(case)
    may_manage = bool(roles & {"mediator", "clerk", "admin", "court_clerk"})
    context = {
        "case": case,
        "parties": parties,
        "sessions": selectors.case_sessions(case),
        "files": case.files.filter(session__isnull=True).order_by("uploaded_at"),
        "agreement": selectors.case_agreement(case),
        "actions": actions,
        "may_log": case.is_open
        and bool(roles & {"mediator", "clerk", "admin", "assigned_mediator"}),
        "history": history_for(case)[:20],
        "period_clock": clocks.period_clock(case),
        "may_issue_termination": case.status == Status.FAILED and services.case_may_act(case, user),
    }
    if case.is_open and may_manage:
        context["suggestions"] = [
            s for s in selectors.mediator_suggestions(case) if s.mediator.pk != case.mediator_id
        ]
        context["assign_form"] = forms.get("assign") or AssignForm(
            mediators=selectors.mediator_candidates(case).filter(is_active=True).order_by("name")
        )
    if "sign_receipt" in actions:
        context["receipt_form"] = forms.get("receipt") or ReceiptForm()
    if "fail" in actions:
        context["fail_form"] = forms.get("fail") or ReasonForm()
    if "withdraw" in actions:
        context["withdraw_form"] = forms.get("withdraw") or WithdrawForm()
    if (
        case.is_open
        and case.source != Source.COURT_ENTRUSTED
        and context["period_clock"] is not None
        and context["may_log"]
    ):
        context["extend_form"] = forms.get("extend") or ExtendForm(parties=parties)
    return context


def _detail_page(request, pk, *, forms=None, status=200):
    case = selectors.case_get_for_user(request.user, pk)
    return render(
        request, "mediation/case_detail.html", _detail_context(request, case, forms), status=status
    )


@login_required
def case_detail(request, pk):
    return _detail_page(request, pk)


def case_step(form_name: str):
    """POST-only steps on the case page. Bad input re-renders the page with the bound form
    beside its fields (400); a refusal becomes a message and a redirect back."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(request, pk):
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            case = selectors.case_get_for_user(request.user, pk)
            try:
                form = view(request, case)
            except TransitionNotAllowed as exc:
                messages.error(request, exc.message)
            except PermissionDenied as exc:
                messages.error(request, str(exc) or _("无权执行此操作。"))
            else:
                if form is not None:
                    return _detail_page(request, pk, forms={form_name: form}, status=400)
            return redirect("mediation:detail", pk=case.pk)

        return wrapper

    return decorate


def _run(form, call, success: str, request):
    """Call the service with the form's data; None when done, else the form with errors."""
    if form.is_valid():
        try:
            with transaction.atomic():
                call(form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
            return form
        messages.success(request, success)
        return None
    return form


@case_step("receipt")
def case_sign(request, case):
    refusal = machine.refusal(case, "sign_receipt", request.user)
    if refusal:
        raise TransitionNotAllowed(refusal)
    return _run(
        ReceiptForm(request.POST),
        lambda d: services.mediation_receipt_sign(
            case=case, actor=request.user, signed_at=d.get("signed_at")
        ),
        _("已签收，调解期限开始计算。"),
        request,
    )


@case_step("assign")
def case_assign(request, case):
    form = AssignForm(
        request.POST, mediators=selectors.mediator_candidates(case).filter(is_active=True)
    )
    return _run(
        form,
        lambda d: services.mediator_assign(
            case=case, mediator=d["mediator"], actor=request.user, reason=d.get("reason", "")
        ),
        _("已指派调解员。"),
        request,
    )


@case_step("fail")
def case_fail(request, case):
    refusal = machine.refusal(case, "fail", request.user)
    if refusal:
        raise TransitionNotAllowed(refusal)
    return _run(
        ReasonForm(request.POST),
        lambda d: services.mediation_fail(case=case, actor=request.user, reason=d["reason"]),
        _("已终止调解，已告知委派/移交单位。"),
        request,
    )


@case_step("withdraw")
def case_withdraw(request, case):
    refusal = machine.refusal(case, "withdraw", request.user)
    if refusal:
        raise TransitionNotAllowed(refusal)
    return _run(
        WithdrawForm(request.POST),
        lambda d: services.mediation_withdraw(case=case, actor=request.user, note=d["reason"]),
        _("已记录调解撤诉。"),
        request,
    )


@case_step("extend")
def case_extend(request, case):
    form = ExtendForm(request.POST, parties=selectors.case_parties(case))
    return _run(
        form,
        lambda d: services.mediation_extend_with_consent(
            case=case,
            actor=request.user,
            days=d["days"],
            manner=d["manner"],
            consenting_parties=list(d["consenting_parties"]),
            note=d.get("note", ""),
        ),
        _("已记录双方当事人同意，调解期限已延长。"),
        request,
    )


@login_required
def session_new(request, pk):
    """The phone form: a mediator logs a session in under a minute."""
    case = selectors.case_get_for_user(request.user, pk)
    if not (case.is_open and services.case_may_act(case, request.user)):
        messages.error(request, _("只有本案调解员或调解组织的人员可以记录调解。"))
        return redirect("mediation:detail", pk=case.pk)
    form = SessionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.session_log(
                    case=case,
                    actor=request.user,
                    held_at=data["held_at"],
                    place=data["place"],
                    record=data["record"],
                    attendees=form.attendee_rows(),
                    next_steps=data["next_steps"],
                    next_session_at=data.get("next_session_at"),
                    photos=data["photos"],
                    planned=data["planned"],
                )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("mediation:detail", pk=case.pk)
        except ValidationError as exc:
            _add_service_errors(form, exc)
            form.ask_to_reselect_files(request.FILES)
        else:
            messages.success(request, _("调解记录已保存。"))
            return redirect("mediation:detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "mediation/session_form.html", {"case": case, "form": form}, status=status
    )


@login_required
def agreement(request, pk):
    """Record the agreement (调解协议) with its obligations; shows it once recorded."""
    case = selectors.case_get_for_user(request.user, pk)
    recorded = selectors.case_agreement(case)
    form = None
    status = 200
    if recorded is None and "agree" in {t.name for t in case_actions(case, request.user)}:
        form = AgreementForm(request.POST or None, parties=selectors.case_parties(case))
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    with transaction.atomic():
                        services.mediation_agree(
                            case=case,
                            actor=request.user,
                            terms=form.cleaned_data["terms"],
                            is_oral=form.cleaned_data["is_oral"],
                            obligations=form.obligations(),
                        )
                except ValidationError as exc:
                    _add_service_errors(form, exc)
                except TransitionNotAllowed as exc:
                    messages.error(request, exc.message)
                    return redirect("mediation:detail", pk=case.pk)
                else:
                    messages.success(request, _("调解协议已记录。"))
                    return redirect("mediation:agreement", pk=case.pk)
    elif request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    return render(
        request,
        "mediation/agreement.html",
        {
            "case": case,
            "agreement": recorded,
            "form": form,
            **views_confirmation.agreement_context(request, case, recorded),
        },
        status=status,
    )


@login_required
def file_download(request, pk):
    stored = selectors.file_get_for_user(request.user, pk)
    services.mediation_file_read(stored=stored, actor=request.user)
    return stored_file_response(
        stored.file.name, filename=stored.original_name, content_type=stored.content_type
    )


# --- my week, roster, registration ----------------------------------------------------------


@login_required
def week(request):
    """The mediator's week on a phone: counts at the top (each a link to its section), then
    the matters waiting, the week's sessions and the deadlines, as cards."""
    week = selectors.my_week(request.user)
    deadlines = presenters.deadline_cards(week.deadlines)
    return render(
        request,
        "mediation/week.html",
        {
            "week": week,
            "tiles": presenters.week_tiles(week, deadlines),
            "waiting_cards": presenters.case_cards(week.waiting, waiting=True),
            "session_cards": presenters.session_cards(week.sessions),
            "deadline_cards": deadlines,
        },
    )


@login_required
def roster(request):
    visible = organisations_visible_to(request.user)
    courts = visible.filter(kind__in=("court", "tribunal")).order_by("path")
    court = courts.filter(pk=request.GET.get("court") or 0).first()
    specialty = request.GET.get("specialty", "")
    language = request.GET.get("language", "")
    mediators = selectors.roster(
        request.user,
        court=court,
        specialty=specialty if specialty in Specialty.values else "",
        language=language if language in Language.values else "",
        q=request.GET.get("q", "")[:30],
    )[:200]
    return render(
        request,
        "mediation/roster.html",
        {
            "mediators": mediators,
            "courts": courts,
            "court": court,
            "specialties": Specialty.choices,
            "languages": Language.choices,
            "kinds": MediatorKind.choices,
            "specialty": specialty,
            "language": language,
            "q": request.GET.get("q", ""),
        },
    )


@login_required
def mediator_detail(request, pk):
    mediator = selectors.mediator_get_for_user(request.user, pk)
    open_cases = selectors.case_list(request.user, filters={"mediator": mediator.pk, "open": True})
    form = ReassignForm(
        request.POST or None,
        mediators=selectors.mediator_scope(request.user)
        .filter(is_active=True)
        .exclude(pk=mediator.pk),
    )
    result = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    result = services.mediators_reassign_bulk(
                        from_mediator=mediator,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                        to_mediator=form.cleaned_data.get("to_mediator"),
                        mark_left=form.cleaned_data["mark_left"],
                    )
            except ValidationError as exc:
                _add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                status = 200
                messages.success(request, _("已改派 %(n)d 件。") % {"n": len(result["moved"])})
    return render(
        request,
        "mediation/mediator_detail.html",
        {"mediator": mediator, "open_cases": open_cases[:100], "form": form, "result": result},
        status=status,
    )


@login_required
def case_create(request):
    visible = organisations_visible_to(request.user)
    form = CaseForm(request.POST or None, user=request.user, visible=visible)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "organisation": data["organisation"],
            "actor": request.user,
            "category": data["category"],
            "facts": data["facts"],
            "parties": form.parties(),
            "amount_in_dispute": data.get("amount_in_dispute"),
            "language": data["language"],
        }
        try:
            with transaction.atomic():
                if data["source"] == Source.COURT_DELEGATED:
                    case = services.mediation_case_delegate(
                        court=data.get("court"), court_reference=data["court_reference"], **common
                    )
                elif data["source"] == Source.COURT_ENTRUSTED:
                    case = services.mediation_case_entrust(
                        court=data.get("court"),
                        court_reference=data["court_reference"],
                        simplified_procedure=data["simplified_procedure"],
                        **common,
                    )
                else:
                    case = services.mediation_case_request(source=data["source"], **common)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("无权登记。"))
        else:
            messages.success(request, _("已登记调解案件 %(ref)s。") % {"ref": case.reference})
            return redirect(reverse("mediation:detail", args=[case.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "mediation/case_form.html", {"form": form}, status=status)
