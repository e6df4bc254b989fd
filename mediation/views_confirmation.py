"""Pages for the agreement's document and the judicial confirmation: generate the 调解协议书
(a completeness refusal lists what is missing), record the joint application, and the court
clerk's list and confirmation page (accept, refuse, confirm with the ruling, reject, ask the
president for the 10-day extension)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import history_for
from common import keyset
from common.statemachine import TransitionNotAllowed
from deadlines.selectors import approvers_for, extension_requests_for

from . import confirmation_clocks as clocks
from . import confirmation_selectors as cselectors
from . import presenters, selectors, services
from .confirmation_states import confirmation_machine
from .forms_confirmation import (
    AgreementDocumentForm,
    ConfirmationApplyForm,
    ConfirmForm,
    ExtensionForm,
    ReasonForm,
)
from .models import ConfirmationStatus
from .services.confirmation import agreement_documents
from .states import MEDIATING, case_roles

LIST_PAGE_SIZE = 50


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def agreement_context(request, case, agreement) -> dict:
    """What the agreement page adds: its documents, the generate form, the confirmations and
    the application form (for those who may use them)."""
    if agreement is None:
        return {}
    roles = case_roles(case, request.user)
    may_mediate = bool(roles & MEDIATING)
    window = clocks.last_clock(agreement, clocks.WINDOW)
    confirmations = list(cselectors.confirmations_for_agreement(agreement))
    live = any(
        c.status in (ConfirmationStatus.APPLIED, ConfirmationStatus.ACCEPTED,
                     ConfirmationStatus.CONFIRMED) for c in confirmations
    )  # fmt: skip
    has_document = agreement_documents(agreement).filter(status="issued").exists()
    context = {
        "window_clock": window,
        "confirmations": confirmations,
        "document_form": AgreementDocumentForm() if may_mediate and not has_document else None,
    }
    if may_mediate and not live:
        context["apply_form"] = ConfirmationApplyForm(
            parties=selectors.case_parties(case),
            initial={
                "applied_on": timezone.localdate(),
                "court": case.court_id,
                "applicants": [str(p.pk) for p in selectors.case_parties(case)],
            },
        )
    return context


@login_required
@require_POST
def agreement_document(request, pk):
    case = selectors.case_get_for_user(request.user, pk)
    agreement = selectors.case_agreement(case)
    if agreement is None:
        messages.error(request, _("尚未达成调解协议。"))
        return redirect("mediation:agreement", pk=case.pk)
    form = AgreementDocumentForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                document = services.agreement_document_generate(
                    agreement=agreement, actor=request.user, **form.cleaned_data
                )
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("调解协议书已生成：%(n)s") % {"n": document.number})
    return redirect("mediation:agreement", pk=case.pk)


@login_required
@require_POST
def confirmation_apply(request, pk):
    case = selectors.case_get_for_user(request.user, pk)
    agreement = selectors.case_agreement(case)
    if agreement is None:
        messages.error(request, _("尚未达成调解协议。"))
        return redirect("mediation:agreement", pk=case.pk)
    form = ConfirmationApplyForm(request.POST, parties=selectors.case_parties(case))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
        return redirect("mediation:agreement", pk=case.pk)
    try:
        with transaction.atomic():
            confirmation = services.confirmation_apply(
                agreement=agreement,
                court=form.cleaned_data["court"],
                actor=request.user,
                applicants=[int(p) for p in form.cleaned_data["applicants"]],
                subject_matter=form.cleaned_data["subject_matter"],
                applied_on=form.cleaned_data["applied_on"],
            )
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("司法确认申请已登记。"))
        return redirect("mediation:confirmation_detail", pk=confirmation.pk)
    return redirect("mediation:agreement", pk=case.pk)


@login_required
@require_POST
def termination_document(request, pk):
    case = selectors.case_get_for_user(request.user, pk)
    try:
        with transaction.atomic():
            document = services.termination_document_generate(case=case, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("终止调解告知书已出具：%(n)s") % {"n": document.number})
    return redirect("mediation:detail", pk=case.pk)


@login_required
def confirmation_list(request):
    """The court clerk's list of applications, newest first, as cards with keyset pages."""
    status = request.GET.get("status", "")
    page = keyset.keyset_page(
        cselectors.confirmation_list(request.user, status=status),
        field="recorded_at",
        after=request.GET.get("after", ""),
        size=LIST_PAGE_SIZE,
    )
    context = {
        "page": page,
        "cards": presenters.confirmation_cards(page.items),
        **keyset.page_links(request.GET, page),
    }
    if request.headers.get("HX-Request"):
        return render(request, "mediation/partials/cards_page.html", context)
    context.update(status=status, statuses=ConfirmationStatus.choices)
    return render(request, "mediation/confirmation_list.html", context)


def _detail(request, confirmation, forms=None, status=200):
    forms = forms or {}
    actions = {t.name for t in confirmation_machine.available(confirmation, request.user)}
    ruling_clock = clocks.last_clock(confirmation, clocks.RULING)
    context = {
        "confirmation": confirmation,
        "agreement": confirmation.agreement,
        "case": confirmation.agreement.case,
        "applicants": confirmation.applicants.all(),
        "actions": actions,
        "acceptance_clock": clocks.last_clock(confirmation, clocks.ACCEPTANCE),
        "ruling_clock": ruling_clock,
        "history": history_for(confirmation)[:20],
        "application_document": services.application_documents(confirmation)
        .filter(status="issued")
        .first(),
    }
    if "refuse_acceptance" in actions:
        context["refuse_form"] = forms.get("refuse") or ReasonForm()
    if "confirm" in actions:
        context["confirm_form"] = forms.get("confirm") or ConfirmForm()
        context["reject_form"] = forms.get("reject") or ReasonForm()
        if ruling_clock is not None and ruling_clock.state in ruling_clock.OPEN_STATES:
            context["extension_requests"] = extension_requests_for(ruling_clock)
            if not ruling_clock.extensions.exists() and not any(
                r.status == "pending" for r in context["extension_requests"]
            ):
                context["extension_form"] = forms.get("extend") or ExtensionForm(
                    approvers=approvers_for(ruling_clock)
                )
    return render(request, "mediation/confirmation_detail.html", context, status=status)


@login_required
def confirmation_detail(request, pk):
    return _detail(request, cselectors.confirmation_get_for_user(request.user, pk))


def _step(request, pk, form_name, form_class, call, success, kwargs_for=None):
    confirmation = cselectors.confirmation_get_for_user(request.user, pk)
    form = None
    if form_class is not None:
        form = form_class(request.POST, **(kwargs_for(confirmation) if kwargs_for else {}))
    if form is not None and not form.is_valid():
        return _detail(request, confirmation, {form_name: form}, status=400)
    try:
        with transaction.atomic():
            call(confirmation, form.cleaned_data if form is not None else {})
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("无权执行此操作。"))
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return _detail(request, confirmation, {form_name: form}, status=400)
        _errors(request, exc)
    else:
        messages.success(request, success)
    return redirect("mediation:confirmation_detail", pk=confirmation.pk)


@login_required
@require_POST
def confirmation_accept(request, pk):
    return _step(
        request, pk, "", None,
        lambda c, data: services.confirmation_accept(confirmation=c, actor=request.user),
        _("已受理。"),
    )  # fmt: skip


@login_required
@require_POST
def confirmation_refuse(request, pk):
    return _step(
        request, pk, "refuse", ReasonForm,
        lambda c, data: services.confirmation_refuse_acceptance(
            confirmation=c, actor=request.user, reason=data["reason"]),
        _("已决定不予受理。"),
    )  # fmt: skip


@login_required
@require_POST
def confirmation_confirm(request, pk):
    return _step(
        request, pk, "confirm", ConfirmForm,
        lambda c, data: services.confirmation_confirm(confirmation=c, actor=request.user, **data),
        _("已裁定确认调解协议有效，裁定书已出具。"),
    )  # fmt: skip


@login_required
@require_POST
def confirmation_reject(request, pk):
    return _step(
        request, pk, "reject", ReasonForm,
        lambda c, data: services.confirmation_reject(
            confirmation=c, actor=request.user, reason=data["reason"]),
        _("已裁定驳回申请。"),
    )  # fmt: skip


@login_required
@require_POST
def confirmation_extend(request, pk):
    def approvers(confirmation):
        clock = clocks.open_clock(confirmation, clocks.RULING)
        if clock is None:
            from organisations.models import User

            return {"approvers": User.objects.none()}
        return {"approvers": approvers_for(clock)}

    return _step(
        request, pk, "extend", ExtensionForm,
        lambda c, data: services.confirmation_ruling_extension_request(
            confirmation=c, actor=request.user, approver=data["approver"], reason=data["reason"]),
        _("延长审查期限的申请已提交院长审批。"),
        kwargs_for=approvers,
    )  # fmt: skip
