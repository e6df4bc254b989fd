"""What the cases app puts on each role's home page (工作台): counts that link to the list
that shows exactly those disputes or dispatches (same selector, same filters)."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.home import Panel, Tile
from organisations.roles import Role

from . import selectors
from .forms import ListFilterForm
from .models import DispatchStatus, DisputeStatus
from .states import CENTRE_ROLES


def _list_url(params: dict) -> str:
    return f"{reverse('cases:list')}?{urlencode(params)}"


def dispute_tile(user, label, params: dict, *, tone="secondary", testid="") -> Tile:
    """A count of the dispute list as `?params` shows it: the list's own form and selector."""
    form = ListFilterForm(
        params, organisations=selectors.organisations_visible_to(user).order_by("path")
    )
    queryset = selectors.dispute_list(user, filters=form.filters())
    return Tile(
        label=label,
        count=selectors.bounded_count(queryset),
        url=_list_url(params),
        tone=tone,
        limit=selectors.COUNT_LIMIT,
        testid=testid,
    )


def inbox_tile(user, label, params: dict, *, tone="secondary", testid="") -> Tile:
    queryset = selectors.inbox_for_user(
        user, status=params.get("status", ""), overdue=params.get("overdue") == "1"
    )
    return Tile(
        label=label,
        count=selectors.bounded_count(queryset),
        url=f"{reverse('cases:inbox')}?{urlencode(params)}",
        tone=tone,
        limit=selectors.COUNT_LIMIT,
        testid=testid,
    )


def overdue_by_unit(user, limit: int = 12) -> list[dict]:
    """Overdue open disputes per registering unit, most first; each links to its list."""
    rows = (
        selectors.dispute_list(user, filters={"overdue": True})
        .order_by()
        .values("organisation", "organisation__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "organisation__name")[:limit]
    )
    return [
        {
            "name": row["organisation__name"],
            "count": row["count"],
            "url": _list_url({"overdue": "1", "unit": row["organisation"]}),
        }
        for row in rows
    ]


def home_panels(user) -> list:
    roles = user.role_set()
    panels = []
    if user.is_superuser or roles & (CENTRE_ROLES - {Role.SUPERVISOR, Role.GRID_WORKER}):
        panels.append(
            Panel(
                title=_("今日待办 · 矛盾纠纷"),
                order=10,
                testid="home-disputes",
                tiles=[
                    dispute_tile(user, _("已超期"), {"overdue": "1"}, tone="danger",
                                 testid="tile-overdue"),
                    dispute_tile(user, _("今日到期"), {"due_today": "1"}, tone="warning",
                                 testid="tile-due-today"),
                    dispute_tile(user, _("新登记待研判"), {"status": DisputeStatus.REGISTERED},
                                 tone="primary", testid="tile-new"),
                    dispute_tile(user, _("待吹哨"), {"status": DisputeStatus.TRIAGED},
                                 testid="tile-triaged"),
                    dispute_tile(user, _("已答卷待审核"), {"status": DisputeStatus.ANSWERED},
                                 tone="primary", testid="tile-answered"),
                    dispute_tile(user, _("不满意重办"), {"status": DisputeStatus.REOPENED},
                                 testid="tile-reopened"),
                ],
            )
        )  # fmt: skip
    if roles & {Role.SUPERVISOR} or user.is_superuser:
        panels.append(
            Panel(
                title=_("督办 · 本辖区"),
                order=10,
                testid="home-supervision",
                tiles=[
                    dispute_tile(user, _("已超期"), {"overdue": "1"}, tone="danger",
                                 testid="tile-overdue"),
                    dispute_tile(user, _("今日到期"), {"due_today": "1"}, tone="warning",
                                 testid="tile-due-today"),
                    dispute_tile(user, _("督办事项"), {"flagged": "1"}, tone="primary",
                                 testid="tile-flagged"),
                ],
                template="cases/partials/home_overdue_by_unit.html",
                context={"units": overdue_by_unit(user)},
            )
        )  # fmt: skip
    if roles & {Role.RESPONDER, Role.MEDIATOR, Role.GRID_WORKER}:
        title = _("交办给本单位的事项") if Role.MEDIATOR not in roles else _("我的调解与交办事项")
        panels.append(
            Panel(
                title=title,
                order=12,
                testid="home-inbox",
                tiles=[
                    inbox_tile(user, _("超期"), {"overdue": "1"}, tone="danger",
                               testid="tile-inbox-overdue"),
                    inbox_tile(user, _("待应哨"), {"status": DispatchStatus.PENDING},
                               tone="primary", testid="tile-to-accept"),
                    inbox_tile(user, _("待答卷"), {"status": DispatchStatus.ACCEPTED},
                               tone="primary", testid="tile-to-answer"),
                ],
            )
        )  # fmt: skip
    if Role.GRID_WORKER in roles:
        recent = list(selectors.dispute_list(user, filters={"mine": True})[:5])
        panels.append(
            Panel(
                title=_("我上报的事项"),
                order=15,
                testid="home-my-reports",
                tiles=[
                    dispute_tile(user, _("在办"), {"mine": "1", "open": "1"}, tone="primary",
                                 testid="tile-mine-open"),
                    dispute_tile(user, _("已化解待评卷"),
                                 {"mine": "1", "status": DisputeStatus.RESOLVED},
                                 testid="tile-mine-resolved"),
                    dispute_tile(user, _("已销号"), {"mine": "1", "status": DisputeStatus.CLOSED},
                                 testid="tile-mine-closed"),
                ],
                template="cases/partials/home_recent.html",
                context={"disputes": recent},
            )
        )  # fmt: skip
    return panels
