"""Role-based navigation. Apps register their menu entries in AppConfig.ready().

An entry is shown to users with one of its roles (none: everyone signed in) and, when it has
a `visible` test, only if `visible(user)` says so — for pages a role alone does not decide
(the court figures: a clerk of a court, not of a mediation committee). The menu is built
once per request (`items_for_request`), and each entry's URL is reversed once per process.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: everyone signed in
    order: int = 100
    icon: str = ""
    # an extra test for who sees the entry (called only for users the roles let through)
    visible: Callable | None = field(default=None, compare=False)


_registry: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _registry:
            _registry.append(item)


@lru_cache(maxsize=256)
def _url(url_name: str, script_prefix: str, urlconf) -> str | None:
    """The entry's URL: the same for every request under one script prefix and URLconf, so
    it is reversed once per process (reverse costs ~20 µs an entry on every page otherwise)."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    roles = user.role_set()
    prefix, urlconf = get_script_prefix(), get_urlconf()
    visible = []
    for item in sorted(_registry, key=lambda i: (i.order, i.label)):
        if not user.is_superuser:
            if item.roles and not (roles & item.roles):
                continue
            if item.visible is not None and not item.visible(user):
                continue
        url = _url(item.url_name, prefix, urlconf)
        if url is None:
            continue
        visible.append({"label": item.label, "url": url, "icon": item.icon, "name": item.url_name})
    return visible


def items_for_request(request) -> list[dict]:
    """`items_for(request.user)`, computed once per request: a page that renders several
    templates with the request (fragments, e-mails) builds the menu once."""
    cached = getattr(request, "_fq_nav_items", None)
    if cached is None:
        cached = items_for(request.user)
        request._fq_nav_items = cached
    return cached
