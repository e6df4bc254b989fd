"""Rate limits (DRF throttling) for the endpoints anyone can reach.

Scopes (rates in settings.THROTTLE_RATES, per client address as common.network sees it):
  token   POST /api/auth/token/ (password → API token)
  rating  the resident's rating page /r/<token>/
  public  any future endpoint that answers without a login
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


def throttle_page(scope: str):
    """The same throttle for a plain Django view: too many requests answer 429."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            throttle = ClientScopedRateThrottle()
            if not throttle.allow_request(request, _PageView(scope)):
                wait = throttle.wait()
                response = render(request, "errors/429.html", status=429)
                if wait is not None:
                    response["Retry-After"] = str(int(wait) + 1)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
