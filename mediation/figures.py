"""A court's mediation year in figures (诉调对接统计), from the portal's own records.

For one court and one calendar year (Asia/Shanghai, 1 January to 1 January), over the
cases that court delegated (诉前委派) or entrusted (委托调解):

- **委派 delegated**: received by the mediation organisation in the year (`received_at`),
  both sources together;
- **调解成功 settled**: an agreement concluded in the year (`Agreement.concluded_at`) — a
  settled case stays settled when the court's case is later withdrawn on it (调撤), which
  is why, in Horqin 2023, confirmed 57 + withdrawn 46 = settled 103;
- **司法确认 confirmed**: a court confirmed the agreement in the year. Judicial confirmation
  is not recorded on main yet, so nothing supplies this figure and the page says "not yet
  recorded" (never a zero that means "unknown"). The module that records it plugs its
  condition in with `figure_condition_register("confirmed", condition)`;
- **调撤 withdrawn**: the filed case withdrawn after mediation (status 调解撤诉), ended in
  the year (`ended_at`).

Each figure is a `Q` over MediationCase from `figure_condition`, used both for the count
(one aggregate query for all of them) and for the drill-down list, so the list behind a
number is exactly the cases counted (as cases.ledger does for the screening ledger).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from organisations.roles import Role
from organisations.selectors import organisations_visible_to

from .models import COURT_SOURCES, MediationCase, Status
from .selectors import LIST_RELATED, mediation_scope

FIGURES = ("delegated", "settled", "confirmed", "withdrawn")
FIGURE_LABELS = {
    "delegated": _("委派调解"),
    "settled": _("调解成功"),
    "confirmed": _("司法确认"),
    "withdrawn": _("调撤"),
}
FIGURE_HELP = {
    "delegated": _("本年度收案的诉前委派调解和委托调解案件"),
    "settled": _("本年度达成调解协议的案件（含其后调解撤诉的）"),
    "confirmed": _("本年度经人民法院司法确认的调解协议"),
    "withdrawn": _("本年度调解后原告撤回起诉的委托调解案件"),
}
COURT_KINDS = (Organisation.Kind.COURT, Organisation.Kind.TRIBUNAL)

# figure → condition(start, end) → Q over MediationCase; "confirmed" arrives when judicial
# confirmation is recorded (see figure_condition_register)
ConditionBuilder = Callable[[datetime.datetime, datetime.datetime], Q]
_registered: dict[str, ConditionBuilder] = {}


def figure_condition_register(figure: str, condition: ConditionBuilder) -> None:
    """Let the module that records a figure's events supply its condition (the judicial
    confirmation module registers "confirmed" from its AppConfig.ready())."""
    if figure not in FIGURES:
        raise ValueError(f"unknown mediation figure: {figure}")
    _registered[figure] = condition


def figure_condition_unregister(figure: str) -> None:
    _registered.pop(figure, None)


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[1 January, next 1 January) in the portal's time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def _built_in(figure: str, start, end) -> Q | None:
    if figure == "delegated":
        return Q(received_at__gte=start, received_at__lt=end)
    if figure == "settled":
        return Q(agreement__concluded_at__gte=start, agreement__concluded_at__lt=end)
    if figure == "withdrawn":
        return Q(status=Status.WITHDRAWN, ended_at__gte=start, ended_at__lt=end)
    return None


def figure_condition(figure: str, start, end) -> Q | None:
    """The cases one figure counts, or None while nothing records that figure."""
    if figure in _registered:
        return _registered[figure](start, end)
    return _built_in(figure, start, end)


def court_cases(court) -> QuerySet[MediationCase]:
    """The court's delegated and entrusted cases (served by mediation_court_idx)."""
    return MediationCase.objects.filter(court=court, source__in=COURT_SOURCES)


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    help: str
    value: int | None  # None: not recorded in the portal (yet)

    @property
    def is_recorded(self) -> bool:
        return self.value is not None


def courts_for(user) -> QuerySet[Organisation]:
    """The courts and tribunals whose figures the user may read: those in their scope."""
    return organisations_visible_to(user).filter(kind__in=COURT_KINDS).order_by("path")


FIGURES_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})


def figures_menu_visible(user) -> bool:
    """Whether the menu offers the court figures: to a clerk, supervisor or administrator of
    a court or tribunal (no query: the memberships are loaded with the user), and to a
    supervisor or administrator elsewhere whose scope holds a court (a district's 政法委, the
    governance centre's director). A mediation committee's clerk has no court to read."""
    memberships = [m for m in user.active_memberships if m.role in FIGURES_ROLES]
    if any(m.organisation.kind in COURT_KINDS for m in memberships):
        return True
    if not any(m.role != Role.CLERK for m in memberships):
        return False
    return courts_for(user).exists()


def court_get_for_user(user, pk) -> Organisation:
    try:
        return courts_for(user).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def court_year_figures(court, year: int) -> list[Figure]:
    """All recorded figures of the court's year in one aggregate query."""
    start, end = year_bounds(year)
    conditions = {name: figure_condition(name, start, end) for name in FIGURES}
    recorded = {name: q for name, q in conditions.items() if q is not None}
    # nothing counted can have been received after the year: lets the court index bound it
    # the built-in conditions follow one-to-one relations only; a registered one may join
    # a many side, so only its count is made distinct (DISTINCT costs a sort per figure)
    counts = (
        court_cases(court)
        .filter(received_at__lt=end)
        .aggregate(
            **{
                name: Count("pk", filter=q, distinct=name in _registered)
                for name, q in recorded.items()
            }
        )
    )
    return [
        Figure(
            name=name,
            label=str(FIGURE_LABELS[name]),
            help=str(FIGURE_HELP[name]),
            value=counts[name] if name in recorded else None,
        )
        for name in FIGURES
    ]


def figure_cases(user, court, year: int, figure: str) -> QuerySet[MediationCase]:
    """The cases behind one figure, newest first (for keyset pages), within the user's
    scope. An unknown figure, or one not recorded, is a 404."""
    if figure not in FIGURES:
        raise Http404
    start, end = year_bounds(year)
    condition = figure_condition(figure, start, end)
    if condition is None:
        raise Http404
    return (
        court_cases(court)
        .filter(received_at__lt=end)
        .filter(condition)
        .filter(pk__in=mediation_scope(user).values("pk"))
        .distinct()
        .select_related(*LIST_RELATED)
        .order_by("-received_at", "-id")
    )
