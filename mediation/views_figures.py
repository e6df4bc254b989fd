"""The court's mediation figures page (`/mediation/figures/?court=&year=[&figure=]`): the
year's four figures, each a link to the cases it counts (listed below, keyset pages)."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms_figures import CourtYearForm
from common.keyset import page_links

from . import figures, presenters, selectors

PAGE_SIZE = 50


class FiguresForm(CourtYearForm):
    figure = forms.ChoiceField(label=_("指标"), required=False)
    years_ahead = 1  # next year's delegations may already be received

    def __init__(self, *args, courts, **kwargs):
        super().__init__(*args, courts=courts, **kwargs)
        self.fields["figure"].choices = [("", "")] + [
            (name, label) for name, label in figures.FIGURE_LABELS.items()
        ]


def _figure_url(court, year, figure) -> str:
    query = urlencode({"court": court.pk, "year": year, "figure": figure})
    return f"{reverse('mediation:figures')}?{query}#figure-cases"


@login_required
def court_figures(request):
    courts = list(figures.courts_for(request.user))
    if not courts:
        raise Http404
    form = FiguresForm(request.GET or None, courts=courts)
    context = {"form": form, "courts": courts}
    if request.GET and not form.is_valid():
        if "court" in form.errors or "figure" in form.errors:
            # a court outside the user's scope is not theirs to know about
            raise Http404
        return render(request, "mediation/figures.html", context)
    data = form.cleaned_data if request.GET else {}
    court = next((c for c in courts if c.pk == data.get("court")), courts[0])
    year = data.get("year") or timezone.localdate().year
    context.update(
        court=court,
        year=year,
        figures=[
            {"figure": figure, "url": _figure_url(court, year, figure.name)}
            for figure in figures.court_year_figures(court, year)
        ],
    )
    figure_name = data.get("figure") or ""
    if figure_name:
        cases = figures.figure_cases(request.user, court, year, figure_name)
        page = selectors.keyset_page(
            selectors.for_cards(cases), after=request.GET.get("after", ""), size=PAGE_SIZE
        )
        context.update(
            figure_label=figures.FIGURE_LABELS[figure_name],
            page=page,
            cards=presenters.case_cards(page.items),
            **page_links(request.GET, page, fragment="#figure-cases"),
        )
        if request.headers.get("HX-Request"):
            return render(request, "mediation/partials/cards_page.html", context)
    return render(request, "mediation/figures.html", context)
