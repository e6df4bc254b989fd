"""Pages for bulk import, the screening ledger and the weekly report. Thin: parse, call, render."""

import datetime
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.statemachine import TransitionNotAllowed
from organisations.models import Organisation
from organisations.roles import Role
from organisations.selectors import (
    organisation_get_for_user,
    organisations_visible_to,
    roles_in_scope_of,
)

from .imports import (
    COLUMNS,
    import_batch_confirm,
    import_batch_get_for_user,
    import_batch_list_for_user,
    import_batch_upload,
    import_max_bytes,
    import_progress,
)
from .ledger import (
    DRILLABLE_FIGURES,
    FIGURE_HELP,
    FIGURE_LABELS,
    LEDGER_FIGURES,
    Period,
    ledger_by_branch,
    ledger_disputes,
    ledger_figures,
)
from .models import ImportBatch, SourceChannel
from .reports import (
    RATE_NOTE,
    parse_week,
    weekly_report,
    weekly_report_filename,
    weekly_report_xlsx,
)

IMPORT_ROLES = {Role.CLERK, Role.SUPERVISOR, Role.ADMIN}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _default_organisation(user) -> Organisation | None:
    primary = user.primary_organisation
    if primary is not None:
        return primary
    return organisations_visible_to(user).order_by("path").first()


def _organisation_from(request, param="organisation") -> Organisation:
    """The organisation named in the query (404 outside scope), else the user's own."""
    value = request.GET.get(param) or request.POST.get(param)
    if value:
        try:
            return organisation_get_for_user(request.user, int(value))
        except ValueError as exc:
            raise Http404 from exc
    organisation = _default_organisation(request.user)
    if organisation is None:
        raise Http404
    return organisation


def _organisation_choices(user) -> list[tuple[int, str]]:
    """(pk, name indented by depth) for the organisation pickers."""
    return [
        (pk, "\u3000" * max(depth - 1, 0) + name)
        for pk, name, depth in organisations_visible_to(user)
        .order_by("path")
        .values_list("pk", "name", "depth")
    ]


# --- import ----------------------------------------------------------------------------------


class ImportUploadForm(forms.Form):
    organisation = forms.TypedChoiceField(label="导入单位", coerce=int)
    source_channel = forms.ChoiceField(
        label="来源渠道", choices=SourceChannel.choices, initial=SourceChannel.HOTLINE_12345
    )
    file = forms.FileField(label="文件（.xlsx 或 .csv）")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = _organisation_choices(user)
        default = _default_organisation(user)
        if default is not None:
            self.fields["organisation"].initial = default.pk


@login_required
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organisation = organisation_get_for_user(request.user, form.cleaned_data["organisation"])
        if not (roles_in_scope_of(request.user, organisation) & IMPORT_ROLES):
            raise PermissionDenied
        try:
            batch = import_batch_upload(
                organisation=organisation,
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
                source_channel=form.cleaned_data["source_channel"],
            )
        except ValidationError as exc:
            for field_name, errors in exc.message_dict.items():
                form.add_error(field_name if field_name in form.fields else None, errors)
        else:
            return redirect("case_reports:import_detail", pk=batch.pk)
    recent = import_batch_list_for_user(request.user)[:10]
    return render(
        request,
        "cases/imports/upload.html",
        {
            "form": form,
            "recent": recent,
            "columns": COLUMNS,
            "max_mb": import_max_bytes() // (1024 * 1024),
        },
    )


@login_required
def import_template(request):
    """The blank import template: accepted headers and a notes sheet (填写说明)."""
    from .imports.template import import_template_xlsx

    return _attachment(import_template_xlsx(), "12345工单导入模板.xlsx")


@login_required
def import_detail(request, pk):
    batch = import_batch_get_for_user(request.user, pk)
    context = {
        "batch": batch,
        "progress": import_progress(batch),
        "Status": ImportBatch.Status,
        "can_confirm": batch.status == ImportBatch.Status.VALID
        and bool(roles_in_scope_of(request.user, batch.organisation) & IMPORT_ROLES),
    }
    if request.headers.get("HX-Request"):
        return render(request, "cases/imports/partials/status.html", context)
    return render(request, "cases/imports/detail.html", context)


@login_required
@require_POST
def import_confirm(request, pk):
    batch = import_batch_get_for_user(request.user, pk)
    if not (roles_in_scope_of(request.user, batch.organisation) & IMPORT_ROLES):
        raise PermissionDenied
    try:
        batch = import_batch_confirm(batch=batch, actor=request.user)
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
    else:
        if batch.status == ImportBatch.Status.DONE:
            messages.success(
                request,
                f"导入完成：新增纠纷 {batch.created_count} 件，已导入过跳过 {batch.skipped_count} 件。",
            )
        elif batch.status == ImportBatch.Status.FAILED:
            messages.error(request, batch.failure)
        else:
            messages.info(request, "文件较大，已转入后台导入，本页会自动刷新进度。")
    return redirect("case_reports:import_detail", pk=batch.pk)


@login_required
def import_error_report(request, pk):
    batch = import_batch_get_for_user(request.user, pk)
    if not batch.error_report:
        raise Http404
    with batch.error_report.open("rb") as handle:
        content = handle.read()
    stem = batch.original_name.rsplit(".", 1)[0]
    return _attachment(content, f"{stem}_错误报告.xlsx")


# --- ledger ----------------------------------------------------------------------------------


def _parse_period(request) -> tuple[Period, list[str]]:
    """start / end as dates, end exclusive; default: this month so far (to tomorrow)."""
    errors = []
    today = timezone.localdate()
    start = end = None
    try:
        start = (
            datetime.date.fromisoformat(request.GET["start"]) if request.GET.get("start") else None
        )
    except ValueError:
        errors.append("起始日期格式不正确，请使用 YYYY-MM-DD。")
    try:
        end = datetime.date.fromisoformat(request.GET["end"]) if request.GET.get("end") else None
    except ValueError:
        errors.append("结束日期格式不正确，请使用 YYYY-MM-DD。")
    start = start or today.replace(day=1)
    end = end or (today + datetime.timedelta(days=1))
    if end <= start:
        errors.append("结束日期须晚于起始日期。")
        end = start + datetime.timedelta(days=1)
    return Period.from_dates(start, end), errors


def _drill_url(organisation, period, figure) -> str:
    query = urlencode(
        {
            "organisation": organisation.pk,
            "start": period.start_date.isoformat(),
            "end": period.end_date.isoformat(),
            "figure": figure,
        }
    )
    return f"{reverse('case_reports:ledger_disputes')}?{query}"


@login_required
def ledger(request):
    organisation = _organisation_from(request)
    period, errors = _parse_period(request)
    figures = ledger_figures(request.user, organisation, period)
    cards = [
        {
            "name": name,
            "label": FIGURE_LABELS[name],
            "help": FIGURE_HELP[name],
            "value": getattr(figures, name),
            "url": _drill_url(organisation, period, name),
        }
        for name in ("stock", "new", "screened", "changed", "resolved", "closed")
    ]
    branches = [
        {
            "organisation": unit,
            "is_own": is_own,
            "figures": unit_figures,
            "links": {
                name: _drill_url(unit, period, name) for name in (*LEDGER_FIGURES, "screened")
            },
        }
        for unit, is_own, unit_figures in ledger_by_branch(
            request.user, organisation, period, figures=LEDGER_FIGURES
        )
    ]
    return render(
        request,
        "cases/reports/ledger.html",
        {
            "organisation": organisation,
            "organisations": _organisation_choices(request.user),
            "period": period,
            "errors": errors,
            "figures": figures,
            "cards": cards,
            "branches": branches,
            # each definition under the name of the figure it defines
            "help": [(FIGURE_LABELS[name], FIGURE_HELP[name]) for name in FIGURE_HELP],
        },
    )


def _dispute_url(pk) -> str:
    for name in ("cases:detail", "cases:dispute_detail"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return ""


@login_required
def ledger_dispute_list(request):
    organisation = _organisation_from(request)
    period, errors = _parse_period(request)
    figure = request.GET.get("figure", "")
    if figure not in DRILLABLE_FIGURES:
        raise Http404
    queryset = ledger_disputes(request.user, organisation, period, figure)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = [(dispute, _dispute_url(dispute.pk)) for dispute in page.object_list]
    query_string = urlencode(
        {
            "organisation": organisation.pk,
            "start": period.start_date.isoformat(),
            "end": period.end_date.isoformat(),
            "figure": figure,
        }
    )
    return render(
        request,
        "cases/reports/ledger_disputes.html",
        {
            "organisation": organisation,
            "period": period,
            "figure_label": FIGURE_LABELS[figure],
            "figure_help": FIGURE_HELP[figure],
            "page": page,
            "rows": rows,
            "query_string": query_string,
            "errors": errors,
        },
    )


# --- weekly report ---------------------------------------------------------------------------


@login_required
def weekly(request):
    organisation = _organisation_from(request)
    period = parse_week(request.GET.get("week"))
    report = weekly_report(request.user, organisation, period)
    previous = Period.week_of(period.start_date - datetime.timedelta(days=7))
    following = Period.week_of(period.end_date)
    return render(
        request,
        "cases/reports/weekly.html",
        {
            "report": report,
            "organisation": organisation,
            "organisations": _organisation_choices(request.user),
            "previous_week": previous.start_date.isoformat(),
            "next_week": following.start_date.isoformat(),
            "is_current_or_future": following.start_date > timezone.localdate(),
            "rate_note": RATE_NOTE,
        },
    )


@login_required
def weekly_xlsx(request):
    organisation = _organisation_from(request)
    period = parse_week(request.GET.get("week"))
    report = weekly_report(request.user, organisation, period)
    content = weekly_report_xlsx(report, filled_by=str(request.user))
    return _attachment(content, weekly_report_filename(report))
