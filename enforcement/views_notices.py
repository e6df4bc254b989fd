"""Pages of the notices: the case's notices page (the panel, full width), issuing, service,
the asset report and its check, revoking, the proof-of-service download.

Thin: fetch through the scoped getters (404 outside), call one service, re-render the form
with field errors on bad input (400), say why a refused step was refused (409)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.downloads import stored_file_response
from common.statemachine import TransitionNotAllowed

from . import selectors_notices as nselectors
from .forms_notices import (
    AssetItemFormSet,
    AssetReportCheckForm,
    AssetReportForm,
    NoticeIssueForm,
    RevokeForm,
    ServiceRecordForm,
)
from .models import CaseStatus, EnforcementRole, NoticeKind
from .panels_notices import notices_panel_context
from .selectors import case_get_for_user
from .services import asset_reports, notice_service
from .services import notices as services


def _back(case_pk: int):
    """Back to the case page, at the notices panel."""
    return redirect(reverse("enforcement:detail", args=[case_pk]) + "#notices")


@require_GET
@login_required
def notices_page(request, pk):
    """The case's notices, service and asset report (the case page shows the same panel)."""
    case = case_get_for_user(request.user, pk)
    context = notices_panel_context(case, request.user) or {"notices_panel": None}
    return render(request, "enforcement/notices/page.html", {"case": case, **context})


@require_http_methods(["GET", "POST"])
@login_required
def notice_issue(request, pk):
    case = case_get_for_user(request.user, pk)
    services.require_staff(case, request.user)
    states = nselectors.notice_states(case)
    kinds = [
        kind for kind in services.required_kinds(case)
        if nselectors.live_notice_state(states, kind) is None
    ]  # fmt: skip
    form = NoticeIssueForm(
        request.POST or None,
        kinds=kinds,
        days_range=services.report_days_range(),
        initial={"kinds": kinds, "report_days": services.default_report_days(case.court)},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            issued, taken = form.call_service(
                lambda: services.notices_issue(
                    case=case,
                    kinds=form.cleaned_data["kinds"],
                    actor=request.user,
                    report_days=form.cleaned_data.get("report_days"),
                )
            )
            if taken == 200:
                messages.success(
                    request,
                    _("已发出：%(list)s")
                    % {"list": "、".join(f"{n.get_kind_display()}{n.document.number}"
                                         for n in issued)},
                )  # fmt: skip
                return _back(case.pk)
            status = taken
    missing = {
        NoticeKind(kind).label: services.notice_missing_elements(case, kind) for kind in kinds
    }
    return render(
        request,
        "enforcement/notices/issue.html",
        {
            "case": case,
            "form": form,
            "kinds": kinds,
            "missing": {k: v for k, v in missing.items() if v},
            "may_issue": bool(kinds) and case.status == CaseStatus.IN_PROGRESS,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def service_record(request, pk):
    notice = nselectors.notice_get_for_user(request.user, pk)
    case = notice.case
    services.require_staff(case, request.user)
    served = set(notice.services.values_list("recipient_id", flat=True))
    recipients = [p for p in notice_service.service_recipients(notice) if p.pk not in served]
    form = ServiceRecordForm(request.POST or None, request.FILES or None, recipients=recipients)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            recipient = next(p for p in recipients if p.pk == data.pop("recipient"))
            _record, taken = form.call_service(
                lambda: notice_service.service_record(
                    notice=notice, recipient=recipient, actor=request.user, **data
                )
            )
            if taken == 200:
                messages.success(
                    request, _("已登记向%(n)s送达%(t)s。") % {"n": recipient.name,
                                                              "t": notice.get_kind_display()}
                )  # fmt: skip
                return _back(case.pk)
            status = taken
    return render(
        request,
        "enforcement/notices/service_form.html",
        {"case": case, "notice": notice, "form": form, "live": services.notice_is_live(notice)},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def asset_report_new(request, pk):
    order = nselectors.notice_get_for_user(request.user, pk)
    case = order.case
    services.require_staff(case, request.user)
    reported = set(order.asset_reports.values_list("debtor_id", flat=True))
    debtors = [
        p for p in services.case_parties(case, EnforcementRole.DEBTOR) if p.pk not in reported
    ]
    form = AssetReportForm(request.POST or None, debtors=debtors)
    items = AssetItemFormSet(request.POST or None, prefix="items")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and items.is_valid():
            data = dict(form.cleaned_data)
            debtor = next(p for p in debtors if p.pk == data.pop("debtor"))
            _report, taken = form.call_service(
                lambda: asset_reports.asset_report_receive(
                    order=order,
                    debtor=debtor,
                    actor=request.user,
                    items=[f.cleaned_data for f in items.forms if f.cleaned_data],
                    **data,
                )
            )
            if taken == 200:
                messages.success(request, _("已登记%(n)s的财产报告。") % {"n": debtor.name})
                return _back(case.pk)
            status = taken
    return render(
        request,
        "enforcement/notices/report_form.html",
        {"case": case, "order": order, "form": form, "items": items},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def asset_report_check(request, pk):
    report = nselectors.asset_report_get_for_user(request.user, pk)
    case = report.order.case
    services.require_staff(case, request.user)
    form = AssetReportCheckForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            _checked, taken = form.call_service(
                lambda: asset_reports.asset_report_check(
                    report=report, actor=request.user, **form.cleaned_data
                )
            )
            if taken == 200:
                messages.success(request, _("财产报告已核查。"))
                return _back(case.pk)
            status = taken
    return render(
        request,
        "enforcement/notices/check_form.html",
        {"case": case, "report": report, "form": form},
        status=status,
    )


@require_POST
@login_required
def notice_revoke(request, pk):
    notice = nselectors.notice_get_for_user(request.user, pk)
    services.require_staff(notice.case, request.user)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销原因。"))
    else:
        try:
            services.notice_revoke(
                notice=notice, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已撤销%(t)s。") % {"t": notice.get_kind_display()})
    return _back(notice.case_id)


@require_GET
@login_required
def service_proof(request, pk):
    """The proof of service, for whoever may read the case (404 otherwise); audited."""
    record = nselectors.service_record_get_for_user(request.user, pk)
    if not record.proof_file:
        raise Http404
    notice_service.service_proof_read(record=record, actor=request.user)
    return stored_file_response(
        record.proof_file.name,
        filename=record.proof_name or "proof",
        content_type=record.proof_content_type,
        storage=record.proof_file.storage,
    )
