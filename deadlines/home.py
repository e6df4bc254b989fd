"""The deadlines' panel on the home page: counts of the deadline list as each link shows it."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.home import Panel, Tile

from .selectors import deadline_page_queryset

COUNT_LIMIT = 999


def deadline_tile(user, label, params: dict, *, tone="secondary", testid="") -> Tile:
    queryset, _filters = deadline_page_queryset(user, params)
    return Tile(
        label=label,
        count=queryset.order_by()[: COUNT_LIMIT + 1].count(),
        url=f"{reverse('deadlines:list')}?{urlencode(params)}",
        tone=tone,
        limit=COUNT_LIMIT,
        testid=testid,
    )


def home_panels(user) -> list[Panel]:
    return [
        Panel(
            title=_("期限"),
            order=30,
            testid="home-deadlines",
            tiles=[
                deadline_tile(user, _("已超期"), {"overdue": "1"}, tone="danger",
                              testid="tile-deadlines-overdue"),
                deadline_tile(user, _("今日届满"), {"due": "today"}, tone="warning",
                              testid="tile-deadlines-today"),
                deadline_tile(user, _("7日内届满"), {"due": "week"},
                              testid="tile-deadlines-week"),
            ],
        )
    ]  # fmt: skip


def extension_requests_awaiting(user):
    """待我审批: requests to extend a clock that name `user` (common.approvals)."""
    from common.approvals import AwaitingItem, group_of, who_asked

    from .models import DeadlineExtensionRequest

    return group_of(
        "extensions", _("延长期限"),
        DeadlineExtensionRequest.objects.filter(
            approver=user, status=DeadlineExtensionRequest.Status.PENDING
        ).select_related("deadline", "requested_by").order_by("requested_at", "pk"),
        lambda r: AwaitingItem(r.deadline.label, f"{r.reason} · {who_asked(r)}",
                               r.requested_at, reverse("deadlines:extension_request",
                                                       args=[r.pk])),
        order=10,
    )  # fmt: skip
