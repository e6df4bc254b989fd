"""待我审批: what waits for the user's own decision, across the apps, on one page and as a
panel of the home page.

The law names who decides — the court's president signs a coercive measure, a 终本 ruling,
a consumption restriction; the approving authority extends a clock — and each app records
that person on the request (`approver`). Each app registers a provider here in its
`ready()`: `provider(user) -> AwaitingGroup | None`, one query (two when there are more
than `SHOWN`) over the requests still pending that name `user`. The decision itself is
made on the record's own page, by its own service: this page only leads there.

Only members who may be named (supervisors, administrators) are asked: for everyone else
the page is empty without a query.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organisations.roles import Role

from .home import Panel, Tile

SHOWN = 100
APPROVER_ROLES = {Role.SUPERVISOR, Role.ADMIN}


@dataclass(frozen=True)
class AwaitingItem:
    title: str
    detail: str  # the case number, who asked
    requested_at: datetime | None
    url: str


@dataclass(frozen=True)
class AwaitingGroup:
    key: str  # the page's anchor and test id
    label: str
    count: int
    items: list[AwaitingItem]
    order: int = 100


Provider = Callable[[object], "AwaitingGroup | None"]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def may_be_named(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role_set() & APPROVER_ROLES))


def awaiting_for(user) -> list[AwaitingGroup]:
    """The groups with something waiting for `user`, in their order."""
    if not may_be_named(user):
        return []
    groups = [group for provider in _providers if (group := provider(user)) and group.count]
    return sorted(groups, key=lambda group: (group.order, group.key))


def group_of(
    key: str, label, queryset: QuerySet, present: Callable, *, order: int = 100
) -> AwaitingGroup:
    """A group from a provider's queryset (ordered, related rows selected): the first
    `SHOWN` rows, and the count, read only when they are more."""
    rows = list(queryset[: SHOWN + 1])
    count = len(rows) if len(rows) <= SHOWN else queryset.order_by().count()
    return AwaitingGroup(
        key=key, label=str(label), count=count, items=[present(row) for row in rows[:SHOWN]],
        order=order,
    )  # fmt: skip


def who_asked(record) -> str:
    user = record.requested_by
    return (user.full_name or user.username) if user else ""


def home_panels(user) -> list[Panel]:
    """The home page's 待我审批: a tile a kind, each leading to its part of the page."""
    if not may_be_named(user):
        return []
    page = reverse("approvals")
    groups = awaiting_for(user)
    tiles = [
        Tile(group.label, group.count, f"{page}#{group.key}", tone="primary",
             testid=f"tile-approvals-{group.key}")
        for group in groups
    ] or [Tile(_("待我审批"), 0, page, testid="tile-approvals-none")]  # fmt: skip
    return [Panel(title=_("待我审批"), order=5, testid="home-approvals", tiles=tiles)]
