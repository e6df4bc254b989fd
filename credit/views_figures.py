"""The court's 信用惩戒 figures (`/credit/figures/?court=&year=`) and the records behind each
number (`/credit/figures/entries/?court=&year=&figure=&month=`), for court supervisors.

A court outside the reader's scope, and an unknown figure, are 404 (never "forbidden": a
court not theirs is not theirs to know about); a bad year or month is the form again with
the error beside the field (400)."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms_figures import CourtYearForm

from . import figures

PAGE_SIZE = 50


class FiguresForm(CourtYearForm):
    pass


class EntriesForm(FiguresForm):
    figure = forms.ChoiceField(label=_("指标"))
    month = forms.TypedChoiceField(
        label=_("月份"), coerce=int, required=False, empty_value=None,
        choices=[("", "")] + [(m, m) for m in figures.MONTHS],
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = [(name, f.label) for name, f in figures.FIGURES.items()]


def _parse(request, form_class):
    """(form, court, year) — or the form alone when it is to be shown again with errors.
    The court must be one of the reader's: anything else is a 404, as is a reader with
    no court to read."""
    courts = list(figures.courts_for(request.user))
    if not courts:
        raise Http404
    form = form_class(request.GET or None, courts=courts)
    if request.GET and not form.is_valid():
        if "court" in form.errors or "figure" in form.errors:
            raise Http404
        return form, courts, None, None
    data = form.cleaned_data if request.GET else {}
    court = next((c for c in courts if c.pk == data.get("court")), None)
    if court is None:
        court = figures.own_court(request.user, courts)
    return form, courts, court, data.get("year") or timezone.localdate().year


def entries_url(court, year, figure, month=None) -> str:
    query = {"court": court.pk, "year": year, "figure": figure}
    if month is not None:
        query["month"] = month
    return f"{reverse('credit:figures_entries')}?{urlencode(query)}"


@login_required
def court_figures(request):
    form, courts, court, year = _parse(request, FiguresForm)
    context = {"form": form, "courts": courts, "court": court, "year": year}
    if court is None:
        return render(request, "credit/figures.html", context, status=400)
    rows = figures.court_year_figures(court, year)
    context["sections"] = [
        (
            label,
            [
                {
                    "row": row,
                    "total_url": entries_url(court, year, row.name),
                    "months": [
                        (month, value, entries_url(court, year, row.name, month))
                        for month, value in zip(figures.MONTHS, row.months, strict=True)
                    ],
                }
                for row in section_rows
            ],
        )
        for label, section_rows in figures.sections(rows)
    ]
    context["months"] = figures.MONTHS
    return render(request, "credit/figures.html", context)


@login_required
def figure_entries(request):
    if not request.GET:  # a list of what? (the figure is required)
        raise Http404
    form, courts, court, year = _parse(request, EntriesForm)
    context = {"form": form, "courts": courts, "court": court, "year": year}
    if court is None:
        return render(request, "credit/figures_entries.html", context, status=400)
    figure, month = form.cleaned_data["figure"], form.cleaned_data.get("month")
    queryset, _source = figures.figure_entries(court, year, figure, month)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        definition=figures.FIGURES[figure],
        month=month,
        page=page,
        entries=[{"pk": r.pk, "kind": r._meta.model_name, **figures.entry_row(r)} for r in page],
        query_string=query.urlencode(),
        figures_url=f"{reverse('credit:figures')}?{urlencode({'court': court.pk, 'year': year})}",
    )
    return render(request, "credit/figures_entries.html", context)
