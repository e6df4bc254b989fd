"""The screening ledger (矛盾纠纷排查台账): selectors, one aggregate query per table.

For an organisation's subtree and a period [start, end) (Asia/Shanghai, end exclusive):

- **存量 stock**: registered before `start` and not closed off (销号) before `start` — what the
  period inherits;
- **增量 new**: registered in the period;
- **排查 screened** = 存量 + 增量 (stock and new are disjoint by construction);
- **变量 changed**: disputes whose situation changed in the period: at least one timeline
  event in the period of a kind in `CHANGE_EVENT_KINDS` (re-triaged, escalated / flagged for
  supervision, bundled, handed back, reopened after an unsatisfied rating, referred to
  mediation or court). Counted once per dispute however many such events it had. Routine
  progress along the loop (dispatched, accepted, answered) is not a change of situation;
- **化解 resolved**: `resolved_at` in the period (the centre accepted the answer: 交卷);
- **销号 closed**: `closed_at` in the period (the loop ended: rated, or concluded);
- **在办 in progress** (weekly report): registered before `end`, neither resolved nor closed
  before `end`;
- **超期 overdue** (weekly report): in progress at `end` with a completion deadline
  (`due_at`) before `end`.

**化解率 resolution rate** = 化解 ÷ 排查 (DOMAIN.md: "resolved / screened", Huangnan 739 of
746 = 99.1%), shown with one decimal, half up. The denominator is a setting,
`CASES_RESOLUTION_RATE_DENOMINATOR`: "screened" (default, 存量 + 增量) or "new" (增量 only,
as some districts report it). With a zero denominator the rate is shown as "—".

Figures read each dispute's own timestamps as they stand (a reopened dispute loses its
resolved/closed time, so a reopened dispute that had been closed in an earlier period counts
as open again there). Each figure is a `Q` over Dispute from `figure_condition`, used both
for the count and for the drill-down list, so the list behind a number is exactly the
disputes counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from organisations.selectors import scope_queryset

from .models import Dispute, DisputeEvent

LEDGER_FIGURES = ("stock", "new", "changed", "resolved", "closed")
REPORT_FIGURES = ("stock", "new", "resolved", "closed", "in_progress", "overdue")
FIGURE_LABELS = {
    "stock": _("存量"),
    "new": _("增量"),
    "screened": _("排查"),
    "changed": _("变量"),
    "resolved": _("化解"),
    "closed": _("销号"),
    "in_progress": _("在办"),
    "overdue": _("超期"),
}
FIGURE_HELP = {
    "stock": _("期初未销号的纠纷：期初之前登记、期初时尚未销号"),
    "new": _("本期新登记的纠纷"),
    "screened": _("存量 + 增量"),
    "changed": _("本期内情况发生变化的纠纷：重新研判、督办、打包、退回、评卷不满意重办、移交"),
    "resolved": _("本期内交卷确认化解的纠纷"),
    "closed": _("本期内销号（闭环结束）的纠纷"),
    "in_progress": _("期末尚未化解、尚未销号的纠纷"),
    "overdue": _("期末在办且已超过办结期限的纠纷"),
}
DRILLABLE_FIGURES = (*LEDGER_FIGURES, "screened", "in_progress", "overdue")

# Timeline event kinds that mean "the situation changed" (变量), from DisputeEvent.Kind:
# a responder handed it back, the centre sent the answer back, an unsatisfied rating
# reopened it, it was put under supervision (督办), bundled, escalated as a bundle, or
# referred to mediation / court, or given back by mediation (移交退回). A second 研判
# (re-triage) counts too; see figure_condition.
CHANGE_EVENT_KINDS = (
    DisputeEvent.Kind.HANDED_BACK,
    DisputeEvent.Kind.SENT_BACK,
    DisputeEvent.Kind.REOPENED,
    DisputeEvent.Kind.FLAGGED,
    DisputeEvent.Kind.BUNDLED,
    DisputeEvent.Kind.ESCALATED,
    DisputeEvent.Kind.REFERRED,
    DisputeEvent.Kind.REFERRAL_RETURNED,
)


@dataclass(frozen=True)
class Period:
    """[start, end), both aware datetimes."""

    start: datetime.datetime
    end: datetime.datetime

    @classmethod
    def from_dates(cls, start: datetime.date, end: datetime.date) -> Period:
        """Dates as Beijing calendar days, `end` exclusive."""
        tz = timezone.get_default_timezone()
        return cls(
            datetime.datetime.combine(start, datetime.time(), tzinfo=tz),
            datetime.datetime.combine(end, datetime.time(), tzinfo=tz),
        )

    @classmethod
    def week_of(cls, day: datetime.date) -> Period:
        """The Monday–Sunday week containing `day`."""
        monday = day - datetime.timedelta(days=day.weekday())
        return cls.from_dates(monday, monday + datetime.timedelta(days=7))

    @property
    def start_date(self) -> datetime.date:
        return timezone.localtime(self.start).date()

    @property
    def end_date(self) -> datetime.date:
        """Exclusive end, as a date."""
        return timezone.localtime(self.end).date()

    @property
    def last_date(self) -> datetime.date:
        return self.end_date - datetime.timedelta(days=1)


def figure_condition(figure: str, period: Period) -> Q:
    """The `Q` over Dispute selecting exactly the disputes counted in `figure`."""
    start, end = period.start, period.end
    not_closed_before_start = Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    stock = Q(registered_at__lt=start) & not_closed_before_start
    new = Q(registered_at__gte=start, registered_at__lt=end)
    in_progress = (
        Q(registered_at__lt=end)
        & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=end))
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    )
    if figure == "stock":
        return stock
    if figure == "new":
        return new
    if figure == "screened":
        return stock | new
    if figure == "changed":
        in_period = DisputeEvent.objects.filter(dispute=OuterRef("pk"), at__gte=start, at__lt=end)
        earlier_triage = DisputeEvent.objects.filter(
            dispute=OuterRef("dispute"), kind=DisputeEvent.Kind.TRIAGED, at__lt=OuterRef("at")
        )
        return Q(Exists(in_period.filter(kind__in=CHANGE_EVENT_KINDS))) | Q(
            Exists(in_period.filter(kind=DisputeEvent.Kind.TRIAGED).filter(Exists(earlier_triage)))
        )
    if figure == "resolved":
        return Q(resolved_at__gte=start, resolved_at__lt=end)
    if figure == "closed":
        return Q(closed_at__gte=start, closed_at__lt=end)
    if figure == "in_progress":
        return in_progress
    if figure == "overdue":
        return in_progress & Q(due_at__lt=end)
    raise ValueError(f"unknown ledger figure {figure!r}")


def _aggregates(period: Period, figures) -> dict:
    return {name: Count("pk", filter=figure_condition(name, period)) for name in figures}


def resolution_rate(resolved: int, screened: int, new: int | None = None) -> Decimal | None:
    """化解率 as a percentage with one decimal (half up), or None when the denominator is 0."""
    denominator_kind = getattr(settings, "CASES_RESOLUTION_RATE_DENOMINATOR", "screened")
    denominator = new if denominator_kind == "new" and new is not None else screened
    if not denominator:
        return None
    rate = Decimal(resolved) * 100 / Decimal(denominator)
    return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_rate(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{rate}%"


def disputes_in_subtree(user, organisation: Organisation) -> QuerySet[Dispute]:
    """Disputes registered by `organisation` or any unit below it, within the user's scope."""
    queryset = Dispute.objects.filter(organisation__path__startswith=organisation.path)
    return scope_queryset(queryset, user)


@dataclass
class LedgerFigures:
    stock: int = 0
    new: int = 0
    changed: int = 0
    resolved: int = 0
    closed: int = 0
    in_progress: int = 0
    overdue: int = 0

    @property
    def screened(self) -> int:
        return self.stock + self.new

    @property
    def rate(self) -> Decimal | None:
        return resolution_rate(self.resolved, self.screened, self.new)

    @property
    def rate_display(self) -> str:
        return format_rate(self.rate)

    def add(self, other: LedgerFigures) -> None:
        for name in ("stock", "new", "changed", "resolved", "closed", "in_progress", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            "stock": self.stock,
            "new": self.new,
            "screened": self.screened,
            "changed": self.changed,
            "resolved": self.resolved,
            "closed": self.closed,
            "in_progress": self.in_progress,
            "overdue": self.overdue,
            "resolution_rate": None if self.rate is None else str(self.rate),
            "resolution_rate_display": self.rate_display,
        }


@dataclass
class Ledger:
    organisation: Organisation
    period: Period
    figures: LedgerFigures
    rows: list[tuple[Organisation | None, LedgerFigures]] = field(default_factory=list)


def ledger_figures(user, organisation: Organisation, period: Period) -> LedgerFigures:
    """The five ledger figures (and 在办/超期) for a subtree: one aggregate query."""
    counts = disputes_in_subtree(user, organisation).aggregate(
        **_aggregates(period, (*LEDGER_FIGURES, "in_progress", "overdue"))
    )
    return LedgerFigures(**counts)


def ledger_by_branch(
    user, organisation: Organisation, period: Period, *, figures=None
) -> list[tuple[Organisation, bool, LedgerFigures]]:
    """Figures per direct sub-organisation (each over its own subtree), one grouped query.

    Returns (organisation, is_own, figures) rows: the organisation's own disputes first
    ("本级", only if it has any), then each child in tree order, children without any dispute
    included with zeros so the report lists every unit.
    """
    figures = figures or (*LEDGER_FIGURES, "in_progress", "overdue")
    branch_length = len(organisation.path) + Organisation.steplen
    grouped = (
        disputes_in_subtree(user, organisation)
        .annotate(branch=Substr("organisation__path", 1, branch_length))
        .values("branch")
        .order_by()
        .annotate(**_aggregates(period, figures))
    )
    by_branch = {row.pop("branch"): LedgerFigures(**row) for row in grouped}
    rows: list[tuple[Organisation, bool, LedgerFigures]] = []
    own = by_branch.get(organisation.path)
    if own is not None:
        rows.append((organisation, True, own))
    for child in Organisation.objects.get_children(organisation).order_by("path"):
        rows.append((child, False, by_branch.get(child.path, LedgerFigures())))
    return rows


def ledger_by_category(
    user, organisation: Organisation, period: Period, *, figures=None
) -> list[tuple[str, str, LedgerFigures]]:
    """(category value, label, figures) for each category with any dispute in the figures."""
    from .models.choices import Category

    figures = figures or (*LEDGER_FIGURES, "in_progress", "overdue")
    grouped = (
        disputes_in_subtree(user, organisation)
        .values("category")
        .order_by()
        .annotate(**_aggregates(period, figures))
    )
    found = {row.pop("category"): LedgerFigures(**row) for row in grouped}
    rows = []
    for value, label in Category.choices:
        counts = found.get(value)
        if counts is not None and any(counts.as_dict()[name] for name in figures):
            rows.append((value, str(label), counts))
    return rows


def ledger_disputes(user, organisation: Organisation, period: Period, figure: str) -> QuerySet:
    """The disputes behind one figure (the drill-down list), newest first."""
    if figure not in DRILLABLE_FIGURES:
        raise ValueError(f"unknown ledger figure {figure!r}")
    return (
        disputes_in_subtree(user, organisation)
        .filter(figure_condition(figure, period))
        .select_related("organisation")
        .order_by("-registered_at", "-pk")
    )
