"""Enforcement's panels on the home page (工作台): the officer's own cases (the workbench's
tiles) and, for the court's clerks and presidents, what waits on the court's list. Each
count is of the list its link opens, read as that list reads it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.home import Panel, Tile
from organisations.roles import Role

from . import selectors_lists as lists
from .models import CaseStatus

COUNT_LIMIT = 999


def workbench_tiles(user, figures: lists.WorkbenchFigures) -> list[Tile]:
    mine = f"{reverse('enforcement:list')}?officer={user.pk}"
    return [
        Tile(_("在办"), figures.open, f"{mine}", tone="primary", testid="figure-open"),
        Tile(_("已超期"), figures.overdue, f"{mine}&overdue=on", tone="danger",
             testid="figure-overdue"),
        Tile(_("7日内届满"), figures.due_soon, reverse("enforcement:workbench"),
             tone="warning", testid="figure-due-soon"),
    ]  # fmt: skip


def _court_tile(user, label, filters: dict, query: str, **kwargs) -> Tile:
    queryset = lists.court_case_list(user, filters=filters).order_by()
    return Tile(
        label, queryset[: COUNT_LIMIT + 1].count(), f"{reverse('enforcement:list')}?{query}",
        limit=COUNT_LIMIT, **kwargs,
    )  # fmt: skip


def home_panels(user) -> list[Panel]:
    roles = user.role_set()
    panels = []
    if Role.ENFORCEMENT_OFFICER in roles:
        # the tiles whose link lists exactly the cases counted (the workbench's "due within
        # 7 days" opens the whole workbench, soonest first; the clocks' panel counts those)
        mine = [
            tile for tile in workbench_tiles(user, lists.workbench_figures(user))
            if tile.testid != "figure-due-soon"
        ]  # fmt: skip
        panels.append(Panel(
            title=_("执行 · 我的案件"), order=8, testid="home-enforcement-mine", tiles=mine,
        ))  # fmt: skip
    if roles & {Role.CLERK, Role.SUPERVISOR} and lists.court_ids_for(user):
        panels.append(Panel(
            title=_("执行案件"), order=9, testid="home-enforcement-court",
            tiles=[
                _court_tile(user, _("已立案待分配"), {"status": CaseStatus.FILED},
                            f"status={CaseStatus.FILED}", tone="primary",
                            testid="tile-enforcement-filed"),
                _court_tile(user, _("有超期期限"), {"overdue": True}, "overdue=on",
                            tone="danger", testid="tile-enforcement-overdue"),
            ],
        ))  # fmt: skip
    return panels
