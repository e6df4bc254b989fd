"""Rate limits (DRF throttling) for the endpoints anyone can reach.

Scopes (rates in settings.THROTTLE_RATES, per client address as common.network sees it):
  token   POST /api/auth/token/ (password → API token)
  rating  the resident's rating page /r/<token>/
  public  any future endpoint that answers without a login
  credit_lookup, credit_lookup_day  the public credit lookup's searches (per minute, per day)
  challenge  a fresh challenge picture for the public pages
  partner_feed  (per agency, not per address) the partner agencies' credit feed
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from rest_framework.throttling import ScopedRateThrottle

from common.network import client_ip


class ClientScopedRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle keyed on the trusted client address, with the rates read from
    settings at request time (DRF binds its rates at import, which tests cannot change)."""

    def get_rate(self):
        return settings.THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request) or "unknown"


class _PageView:
    def __init__(self, scope: str):
        self.throttle_scope = scope


def throttled_response(request, scope: str, *, template: str = "errors/429.html"):
    """Count this request against `scope` for the client address: None while within the
    rate, else the 429 page (with Retry-After) to answer instead. For views that limit
    only some requests (a lookup's POST, not the empty form)."""
    throttle = ClientScopedRateThrottle()
    if throttle.allow_request(request, _PageView(scope)):
        return None
    wait = throttle.wait()
    response = render(request, template, status=429)
    if wait is not None:
        response["Retry-After"] = str(int(wait) + 1)
    return response


def throttle_page(scope: str):
    """The same throttle for a plain Django view: too many requests answer 429."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refused = throttled_response(request, scope)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
