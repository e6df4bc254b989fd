"""One per-address budget for the public verification page and API (django-ratelimit).

The page and the API share the group, so switching between them buys no extra guesses.
The limit (`DOCUMENTS_VERIFY_RATE`, e.g. "30/m") is read on each request. The counter lives
in the default cache: Redis in production (atomic increments); the address is
`common.network.client_ip` (X-Forwarded-For believed only from the trusted proxies).
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

GROUP = "documents.verify"


def _rate(group, request) -> str:
    return settings.DOCUMENTS_VERIFY_RATE


def verification_limited(request) -> bool:
    """Count this request against the caller's address; True once over the limit."""
    return is_ratelimited(request=request, group=GROUP, key="ip", rate=_rate, increment=True)
