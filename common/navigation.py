"""Role-based navigation. Apps register their menu entries in AppConfig.ready()."""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: everyone signed in
    order: int = 100
    icon: str = ""


_registry: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _registry:
            _registry.append(item)


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    roles = user.role_set()
    visible = []
    for item in sorted(_registry, key=lambda i: (i.order, i.label)):
        if item.roles and not (roles & item.roles) and not user.is_superuser:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": item.label, "url": url, "icon": item.icon, "name": item.url_name})
    return visible
