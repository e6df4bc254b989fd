"""The public credit lookup (no login): /gs/ — like 中国执行信息公开网's 失信/限消 search.

POST only for searches, so names and ID numbers never appear in a URL, a proxy log or the
browser history. Each search is counted against the client's address (per minute and per
day) before anything else, then needs a solved challenge (common.challenge).
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from common.challenge import challenge_issue
from common.throttling import throttle_page, throttled_response

from .forms import PURPOSE, LookupForm
from .selectors import public_lookup

TEMPLATE = "credit/public/lookup.html"


def _render(request, context, status=200):
    context["challenge_url"] = reverse("credit_public:challenge")
    return render(request, TEMPLATE, context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    if request.method == "GET":
        return _render(request, {"form": LookupForm()})
    for scope in ("credit_lookup", "credit_lookup_day"):
        refused = throttled_response(request, scope, template="credit/public/limited.html")
        if refused is not None:
            return refused
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _render(request, {"form": form}, status=400)
    result = public_lookup(
        name=form.cleaned_data["name"],
        identity=form.cleaned_data["identity"],
        kind=form.identity_kind,
    )
    # the answered form keeps the name but not the number: a shared screen shows less
    answered = LookupForm(initial={"name": form.cleaned_data["name"]})
    return _render(
        request, {"form": answered, "result": result, "searched_name": form.cleaned_data["name"]}
    )


@never_cache
@require_GET
@throttle_page("challenge")
def challenge(request):
    """A new challenge picture for the lookup form ("换一张")."""
    fresh = challenge_issue(purpose=PURPOSE)
    return JsonResponse({"token": fresh.token, "image": fresh.image_data_uri})
