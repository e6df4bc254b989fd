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
