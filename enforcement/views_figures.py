"""The court's 执行质效 figures (`/enforcement/figures/?court=&year=`): one court's year, each
figure with its 12 months, every number a link to the cases behind it
(`/enforcement/figures/cases/?court=&year=&figure=&month=`, keyset pages). Court
supervisors only; a court outside the reader's scope is a 404."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from common.figures_rows import figure_row
from common.forms_figures import CourtYearForm

from . import figures
from . import selectors_lists as lists
from .panels import next_steps_for_many
from .presenters_lists import case_cards, case_rows, court_table_rows

PAGE_SIZE = 50

# the page's sections, in order: (title, figures)
SECTIONS = (
    (_("收案、结案与未结"), ("filed", "filed_first", "filed_resumed", "concluded", "open")),
    (_("结案质量"), ("performed", "performed_rate", "final", "final_rate", "overdue")),
    (_("执行到位与案款"), ("ordered", "recovered", "recovered_rate", "payout_cycle")),
    (_("强制措施"), ("measures", *(f"{figures.MEASURE_PREFIX}{k}" for k in
                                  figures.MeasureKind.values))),
)  # fmt: skip
HEADLINE = ("filed", "concluded", "open", "performed_rate", "final_rate", "recovered_rate")


class FiguresForm(CourtYearForm):
    pass


class FigureCasesForm(FiguresForm):
    figure = forms.ChoiceField(label=_("指标"), choices=[(f, f) for f in figures.LISTED])
    month = forms.TypedChoiceField(
        label=_("月份"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "")] + [(m, m) for m in figures.MONTHS],
    )


def _courts(user) -> list:
    courts = list(figures.courts_for(user))
    if not courts:
        raise Http404
    return courts


def _read(request, form_class, courts):
    """The form, the court and the year; a court (or figure) outside what the user may read
    is a 404, a bad year or month a 400 with the field's error."""
    form = form_class(request.GET or None, courts=courts)
    if request.GET and not form.is_valid():
        if {"court", "figure"} & set(form.errors):
            raise Http404
        return form, None, None
    data = form.cleaned_data if request.GET else {}
    court = next((c for c in courts if c.pk == data.get("court")), courts[0])
    return form, court, data.get("year") or timezone.localdate().year


def _cases_url(court, year, figure, month=None) -> str:
    query = {"court": court.pk, "year": year, "figure": figure}
    if month:
        query["month"] = month
    return f"{reverse('enforcement:figures_cases')}?{urlencode(query)}"


def _row(figure, court, year) -> dict:
    return figure_row(figure, lambda month: _cases_url(court, year, figure.list_name, month))


@login_required
@require_GET
def court_figures(request):
    courts = _courts(request.user)
    form, court, year = _read(request, FiguresForm, courts)
    month_labels = [_("%(m)d月") % {"m": m} for m in figures.MONTHS]
    context = {"form": form, "courts": courts, "month_labels": month_labels}
    if court is None:
        return render(request, "enforcement/figures.html", context, status=400)
    by_name = {f.name: _row(f, court, year) for f in figures.court_year_figures(court, year)}
    context.update(
        court=court,
        year=year,
        headline=[by_name[name] for name in HEADLINE],
        sections=[(title, [by_name[name] for name in names]) for title, names in SECTIONS],
    )
    return render(request, "enforcement/figures.html", context)


@login_required
@require_GET
def figure_cases(request):
    courts = _courts(request.user)
    if not request.GET.get("figure"):
        raise Http404
    form, court, year = _read(request, FigureCasesForm, courts)
    if court is None:
        return render(
            request, "enforcement/figures_cases.html", {"form": form, "courts": courts}, status=400
        )
    name, month = form.cleaned_data["figure"], form.cleaned_data.get("month")
    queryset = (
        figures.figure_cases(court, year, name, month)
        .select_related(*lists.PAGE_RELATED)
        .order_by("-created_at", "-id")
    )
    page = lists.court_list_page(queryset, after=request.GET.get("after", ""), size=PAGE_SIZE)
    cases = lists.attach_next_deadlines(page.items)
    for case, steps in zip(cases, next_steps_for_many(cases), strict=True):
        case.next_steps = steps
    rows = case_rows(cases)
    params = request.GET.copy()
    params.pop("after", None)
    next_url = ""
    if page.has_more:
        after = request.GET.copy()
        after["after"] = page.next_cursor
        next_url = f"?{after.urlencode()}"
    label, formula = figures.LABELS[name]
    if name in ("performed", "final"):
        statuses = figures.performed_statuses() if name == "performed" else figures.final_statuses()
        formula = formula % {"statuses": figures.status_words(statuses)}
    return render(
        request,
        "enforcement/figures_cases.html",
        {
            "form": form,
            "court": court,
            "year": year,
            "month": month,
            "figure_name": name,
            "figure_label": label,
            "figure_formula": formula,
            "total": figures.figure_total(court, year, name, month),
            "back_url": f"{reverse('enforcement:figures')}?"
            f"{urlencode({'court': court.pk, 'year': year})}",
            "page": page,
            "table_rows": court_table_rows(rows, selectable=False),
            "cards": case_cards(rows),
            "next_url": next_url,
            "first_url": f"?{params.urlencode()}",
            "is_first_page": not request.GET.get("after"),
        },
    )
