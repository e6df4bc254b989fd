"""One per-address budget for the public verification page and API (django-ratelimit).

The page and the API share the group, so switching between them buys no extra guesses.
The limit (`DOCUMENTS_VERIFY_RATE`, e.g. "30/m") is read on each request. The counter lives
in the default cache: Redis in production (atomic increments); the address is
`common.network.client_ip` (X-Forwarded-For believed only from the trusted proxies).
"""

import ipaddress

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from common.network import client_ip

GROUP = "documents.verify"


def _rate(group, request) -> str:
    return settings.DOCUMENTS_VERIFY_RATE


def _address(group, request) -> str:
    """The caller's address, an IPv6 caller by its /64 (as django-ratelimit's "ip" key).
    Without a usable peer address (a unix-socket server) such callers share one budget, as
    DRF's throttles do (common.throttling); the "ip" key failed on it with a 500."""
    address = client_ip(request)
    if not address:
        return "unknown"
    prefix = 64 if ipaddress.ip_address(address).version == 6 else 32
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def verification_limited(request) -> bool:
    """Count this request against the caller's address; True once over the limit."""
    return is_ratelimited(request=request, group=GROUP, key=_address, rate=_rate, increment=True)
