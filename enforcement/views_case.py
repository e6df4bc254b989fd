"""The case page's "show all" pages: every party and every deadline of one case, paged
(the case page lists the first of each)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .case_page import all_case_deadlines, all_case_parties
from .selectors import case_get_for_user

PAGE_SIZE = 50


@login_required
@require_GET
def case_parties_page(request, pk):
    case = case_get_for_user(request.user, pk)
    page = Paginator(all_case_parties(case), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enforcement/case_parties.html", {"case": case, "page": page})


@login_required
@require_GET
def case_deadlines_page(request, pk):
    case = case_get_for_user(request.user, pk)
    page = Paginator(all_case_deadlines(case), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enforcement/case_deadlines.html", {"case": case, "page": page})
