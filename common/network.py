"""The client's address, the same for the audit trail, django-axes and API throttling.

`X-Forwarded-For` is believed only when the request comes from a configured proxy
(settings.TRUSTED_PROXIES, CIDR list from DJANGO_TRUSTED_PROXIES). Anyone else could write
any address into it: to frame someone in the audit trail, to lock a clerk out, or to dodge
the login limits by claiming a new address for every attempt.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(address) -> bool:
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The peer address; behind a trusted proxy, the nearest X-Forwarded-For address that
    is not itself one of our proxies (entries further left were written by the client)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if not is_trusted_proxy(peer):
        return str(peer) if peer is not None else None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        hop = _address(entry)
        if hop is None:
            break  # garbage: stop believing the header here
        if not is_trusted_proxy(hop):
            return str(hop)
    return str(peer)
