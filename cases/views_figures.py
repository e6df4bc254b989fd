"""The disputes year in figures (`/cases/figures/?organisation=&year=`): loop timings and
satisfaction for one organisation's subtree, 12 months, every number a link to the records
behind it (`/cases/figures/list/?organisation=&year=&month=&figure=`). Open to whoever may
open the screening ledger, with its organisation choices; an organisation outside the
reader's scope is a 404, a bad year or month a 400 with the field's error."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from common.figures_rows import figure_row
from common.forms_figures import FIRST_YEAR

from . import figures
from .views_reports import _organisation_choices, _organisation_from

PAGE_SIZE = 50

SECTIONS = (
    (_("登记与化解"), ("registered", "resolved")),
    (
        _("吹哨、应哨与答卷时效"),
        (
            "dispatched",
            "accepted",
            "accept_p50",
            "accept_p90",
            "accepted_late",
            "answered",
            "answer_p50",
            "answer_p90",
            "answered_late",
        ),
    ),
    (_("群众评价"), ("rated", "satisfied", "satisfied_rate")),
)
HEADLINE = ("registered", "resolved", "accept_p50", "answer_p50", "answered_late", "satisfied_rate")


class YearForm(forms.Form):
    """The year (and, for the lists, the month and figure); the organisation is read by the
    ledger's own `_organisation_from`, so its scope and its 404 are the ledger's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.IntegerField(
            label=_("年度"),
            required=False,
            min_value=FIRST_YEAR,
            max_value=timezone.localdate().year,
        )


class FigureListForm(YearForm):
    figure = forms.ChoiceField(label=_("指标"), choices=[(f, f) for f in figures.LISTED])
    month = forms.TypedChoiceField(
        label=_("月份"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "")] + [(m, m) for m in figures.MONTHS],
    )


def _list_url(organisation, year, figure, month=None) -> str:
    query = {"organisation": organisation.pk, "year": year, "figure": figure}
    if month:
        query["month"] = month
    return f"{reverse('cases:figures_list')}?{urlencode(query)}"


def _row(figure, organisation, year) -> dict:
    return figure_row(figure, lambda month: _list_url(organisation, year, figure.list_name, month))


@login_required
@require_GET
def dispute_figures(request):
    organisation = _organisation_from(request)
    form = YearForm(request.GET)
    month_labels = [_("%(m)d月") % {"m": m} for m in figures.MONTHS]
    context = {
        "form": form,
        "organisation": organisation,
        "organisations": _organisation_choices(request.user),
        "month_labels": month_labels,
    }
    if not form.is_valid():
        return render(request, "cases/reports/figures.html", context, status=400)
    year = form.cleaned_data.get("year") or timezone.localdate().year
    by_name = {
        f.name: _row(f, organisation, year)
        for f in figures.year_figures(request.user, organisation, year)
    }
    context.update(
        year=year,
        headline=[by_name[name] for name in HEADLINE],
        sections=[(title, [by_name[name] for name in names]) for title, names in SECTIONS],
        ledger_url=f"{reverse('case_reports:ledger')}?"
        f"{urlencode({'organisation': organisation.pk, 'start': f'{year}-01-01', 'end': f'{year + 1}-01-01'})}",
    )
    return render(request, "cases/reports/figures.html", context)


@login_required
@require_GET
def dispute_figures_list(request):
    organisation = _organisation_from(request)
    form = FigureListForm(request.GET)
    if not form.is_valid():
        if "figure" in form.errors:
            raise Http404
        return render(
            request,
            "cases/reports/figures_list.html",
            {"form": form, "organisation": organisation},
            status=400,
        )
    year = form.cleaned_data.get("year") or timezone.localdate().year
    name, month = form.cleaned_data["figure"], form.cleaned_data.get("month")
    queryset = figures.figure_records(request.user, organisation, year, name, month)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {"organisation": organisation.pk, "year": year, "figure": name}
    if month:
        query["month"] = month
    label, formula = figures.LABELS[name]
    return render(
        request,
        "cases/reports/figures_list.html",
        {
            "form": form,
            "organisation": organisation,
            "year": year,
            "month": month,
            "figure_name": name,
            "figure_label": label,
            "figure_formula": formula,
            "kind": figures.record_kind(name),
            "page": page,
            "query_string": urlencode(query),
            "back_url": f"{reverse('cases:figures')}?"
            f"{urlencode({'organisation': organisation.pk, 'year': year})}",
        },
    )
