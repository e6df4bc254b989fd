"""The staff credit search page: a name (≥ 2 characters) or an ID number over every
listing and restriction the user may see (credit/search.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from .search import MIN_CHARS, credit_search, search_courts


@login_required
def search(request):
    query = request.GET.get("q", "")
    context = {"query": query, "result": None, "errors": [], "min_chars": MIN_CHARS}
    status = 200
    if query.strip():
        try:
            context["result"] = credit_search(request.user, query)
        except ValidationError as exc:
            context["errors"] = exc.message_dict.get("q", exc.messages)
            status = 400
    else:
        search_courts(request.user)
    return render(request, "credit/search.html", context, status=status)
