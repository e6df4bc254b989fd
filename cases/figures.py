"""The disputes year in figures (闭环时效与满意度): one organisation's subtree, one calendar year
(Asia/Shanghai), 12 months, every number backed by exactly the records it counts.

- **登记 registered** and **化解 resolved**: the screening ledger's own conditions
  (`cases.ledger.figure_condition` "new" and "resolved") for each month — one definition;
- **吹哨 dispatched**: dispatches whose `dispatched_at` is in the month;
- **应哨 accepted** with the median and 90th-percentile hours from dispatch to accept, over
  the dispatches accepted (`accepted_at`) in the month;
- **逾期应哨 accepted late**: of those, the ones accepted past their acceptance due time
  (`accepted_late`, decided by the loop when accepting);
- **答卷 answered** with the median and 90th-percentile hours from accept (or, if never
  accepted, dispatch) to answer, over the dispatches answered (`answered_at`) in the month;
- **逾期答卷 answered late**: of those, the ones answered past their deadline — the
  dispatch's `answered_late`, set by the loop at the moment of answering against its
  `deadline` (the deadline engine's clock);
- **评价 rated**: rating links used (`used_at`) in the month; **满意 satisfied**: of those,
  `satisfied` (score ≥ 3); 满意率 = 满意 ÷ 评价, one decimal half up, "—" when none rated.

Percentiles are `percentile_cont` (linear interpolation) in PostgreSQL, one GROUP BY month
query per figure; other databases (SQLite for `make run`) read the year's two timestamps
per row and interpolate the same way in Python. Counts are one query per record kind.
Dispatches and ratings are scoped through their dispute (`disputes_in_subtree`), like the
ledger and the dispute list.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation

from .ledger import Period, disputes_in_subtree, figure_condition
from .models import Dispatch, Rating

MONTHS = tuple(range(1, 13))

# figure name → (label, definition); the kind says what the drill-down lists
DISPUTE_FIGURES = ("registered", "resolved")
DISPATCH_FIGURES = ("dispatched", "accepted", "accepted_late", "answered", "answered_late")
RATING_FIGURES = ("rated", "satisfied")
LISTED = (*DISPUTE_FIGURES, *DISPATCH_FIGURES, *RATING_FIGURES)
LABELS = {
    "registered": (_("登记"), _("期内新登记的纠纷（同排查台账“增量”）")),
    "resolved": (_("化解"), _("期内交卷确认化解的纠纷（同排查台账“化解”）")),
    "dispatched": (_("吹哨"), _("期内发出的吹哨交办")),
    "accepted": (_("应哨"), _("期内应哨的交办")),
    "accept_p50": (_("应哨用时中位数（小时）"), _("期内应哨的交办，自吹哨至应哨的小时数")),
    "accept_p90": (_("应哨用时90分位（小时）"), _("期内应哨的交办，自吹哨至应哨的小时数")),
    "accepted_late": (_("逾期应哨"), _("期内应哨、应哨时已过应哨期限的交办")),
    "answered": (_("答卷"), _("期内答卷的交办")),
    "answer_p50": (
        _("答卷用时中位数（小时）"),
        _("期内答卷的交办，自应哨（未应哨的自吹哨）至答卷的小时数"),
    ),
    "answer_p90": (
        _("答卷用时90分位（小时）"),
        _("期内答卷的交办，自应哨（未应哨的自吹哨）至答卷的小时数"),
    ),
    "answered_late": (_("逾期答卷"), _("期内答卷、答卷时已过答卷期限的交办")),
    "rated": (_("群众评价"), _("期内群众通过评价链接作出的评价")),
    "satisfied": (_("满意"), _("期内评价中满意（评分3分及以上）的")),
    "satisfied_rate": (_("满意率"), _("满意率 = 满意 ÷ 评价")),
}
# each figure that is not a count links to the list it is computed over
LIST_OF = {
    "accept_p50": "accepted",
    "accept_p90": "accepted",
    "answer_p50": "answered",
    "answer_p90": "answered",
    "satisfied_rate": "satisfied",
}
ORDER = (
    "registered",
    "resolved",
    "dispatched",
    "accepted",
    "accept_p50",
    "accept_p90",
    "accepted_late",
    "answered",
    "answer_p50",
    "answer_p90",
    "answered_late",
    "rated",
    "satisfied",
    "satisfied_rate",
)


def month_period(year: int, month: int | None) -> Period:
    """The month, or the whole year when `month` is None."""
    if month is None:
        return Period.from_dates(datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
    end = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return Period.from_dates(datetime.date(year, month, 1), end)


# --- conditions (shared by the counts and the lists) --------------------------------------


def _dispatch_condition(figure: str, period: Period) -> Q:
    start, end = period.start, period.end
    if figure == "dispatched":
        return Q(dispatched_at__gte=start, dispatched_at__lt=end)
    if figure == "accepted":
        return Q(accepted_at__gte=start, accepted_at__lt=end)
    if figure == "accepted_late":
        return Q(accepted_at__gte=start, accepted_at__lt=end, accepted_late=True)
    if figure == "answered":
        return Q(answered_at__gte=start, answered_at__lt=end)
    if figure == "answered_late":
        return Q(answered_at__gte=start, answered_at__lt=end, answered_late=True)
    raise ValueError(f"unknown dispatch figure {figure!r}")


def _rating_condition(figure: str, period: Period) -> Q:
    in_period = Q(used_at__gte=period.start, used_at__lt=period.end)
    if figure == "rated":
        return in_period
    if figure == "satisfied":
        return in_period & Q(satisfied=True)
    raise ValueError(f"unknown rating figure {figure!r}")


def _dispute_condition(figure: str, period: Period) -> Q:
    # the ledger's definitions: 增量 is what was registered, 化解 what was resolved
    return figure_condition({"registered": "new", "resolved": "resolved"}[figure], period)


def dispatches_in_subtree(user, organisation: Organisation) -> QuerySet[Dispatch]:
    return Dispatch.objects.filter(dispute__in=disputes_in_subtree(user, organisation).values("pk"))


def ratings_in_subtree(user, organisation: Organisation) -> QuerySet[Rating]:
    return Rating.objects.filter(dispute__in=disputes_in_subtree(user, organisation).values("pk"))


# --- percentiles ----------------------------------------------------------------------------


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set `percentile_cont(p) WITHIN GROUP (ORDER BY expr)`."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile(values: list[float], fraction: float) -> float | None:
    """`percentile_cont` in Python: linear interpolation between the closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _hours(value) -> Decimal | None:
    if value is None:
        return None
    seconds = value.total_seconds() if isinstance(value, datetime.timedelta) else value
    return (Decimal(str(seconds)) / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _durations_by_month(dispatches, stamp: str, since, year: int) -> dict[int, tuple]:
    """{month: (p50, p90)} as timedeltas/seconds, over the dispatches whose `stamp` is in
    the month: one grouped query in PostgreSQL, else the year's timestamps read once."""
    period = month_period(year, None)
    in_year = dispatches.filter(
        **{f"{stamp}__gte": period.start, f"{stamp}__lt": period.end}
    ).order_by()
    if connection.vendor == "postgresql":
        duration = ExpressionWrapper(F(stamp) - since, output_field=DurationField())
        rows = (
            in_year.annotate(month=ExtractMonth(stamp))
            .values("month")
            .annotate(
                p50=PercentileCont(duration, 0.5, output_field=DurationField()),
                p90=PercentileCont(duration, 0.9, output_field=DurationField()),
            )
        )
        return {row["month"]: (row["p50"], row["p90"]) for row in rows}
    by_month: dict[int, list[float]] = {}
    for end, begin in in_year.annotate(since=since).values_list(stamp, "since"):
        month = timezone.localtime(end).month
        by_month.setdefault(month, []).append((end - begin).total_seconds())
    return {m: (percentile(v, 0.5), percentile(v, 0.9)) for m, v in by_month.items()}


# --- the year --------------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    months: list = field(default_factory=list)  # 12 values, None for "no data"
    value: object = None  # the year's

    @property
    def label(self):
        return LABELS[self.name][0]

    @property
    def formula(self):
        return LABELS[self.name][1]

    @property
    def list_name(self) -> str:
        return LIST_OF.get(self.name, self.name)

    @property
    def kind(self) -> str:
        if self.name.endswith(("_p50", "_p90")):
            return "hours"
        if self.name.endswith("_rate"):
            return "rate"
        return "count"


def _counts(queryset, condition, names, year) -> dict[str, Figure]:
    """Each name's 12 monthly counts and the year's: one query of filtered counts."""
    aggregates = {}
    for name in names:
        for month in (*MONTHS, None):
            key = f"{name}__{month or 'year'}"
            aggregates[key] = Count("pk", filter=condition(name, month_period(year, month)))
    row = queryset.order_by().aggregate(**aggregates)
    return {
        name: Figure(name, [row[f"{name}__{m}"] for m in MONTHS], row[f"{name}__year"])
        for name in names
    }


def share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _timing(dispatches, stamp, since, year, name) -> tuple[Figure, Figure]:
    monthly = _durations_by_month(dispatches, stamp, since, year)
    yearly = _year_percentiles(dispatches, stamp, since, year)
    p50 = Figure(
        f"{name}_p50", [_hours(monthly.get(m, (None, None))[0]) for m in MONTHS], yearly[0]
    )
    p90 = Figure(
        f"{name}_p90", [_hours(monthly.get(m, (None, None))[1]) for m in MONTHS], yearly[1]
    )
    return p50, p90


def _year_percentiles(dispatches, stamp, since, year) -> tuple:
    period = month_period(year, None)
    in_year = dispatches.filter(
        **{f"{stamp}__gte": period.start, f"{stamp}__lt": period.end}
    ).order_by()
    if connection.vendor == "postgresql":
        duration = ExpressionWrapper(F(stamp) - since, output_field=DurationField())
        row = in_year.aggregate(
            p50=PercentileCont(duration, 0.5, output_field=DurationField()),
            p90=PercentileCont(duration, 0.9, output_field=DurationField()),
        )
        return _hours(row["p50"]), _hours(row["p90"])
    values = [
        (end - begin).total_seconds()
        for end, begin in in_year.annotate(since=since).values_list(stamp, "since")
    ]
    return _hours(percentile(values, 0.5)), _hours(percentile(values, 0.9))


def year_figures(user, organisation: Organisation, year: int) -> list[Figure]:
    """Every figure of the page, in `ORDER`: a fixed number of queries whatever the volume."""
    disputes = disputes_in_subtree(user, organisation)
    dispatches = dispatches_in_subtree(user, organisation)
    ratings = ratings_in_subtree(user, organisation)
    found = {}
    found.update(_counts(disputes, _dispute_condition, DISPUTE_FIGURES, year))
    found.update(_counts(dispatches, _dispatch_condition, DISPATCH_FIGURES, year))
    found.update(_counts(ratings, _rating_condition, RATING_FIGURES, year))
    found["accept_p50"], found["accept_p90"] = _timing(
        dispatches, "accepted_at", F("dispatched_at"), year, "accept"
    )
    found["answer_p50"], found["answer_p90"] = _timing(
        dispatches,
        "answered_at",
        Coalesce("accepted_at", "dispatched_at"),
        year,
        "answer",
    )
    rated, satisfied = found["rated"], found["satisfied"]
    found["satisfied_rate"] = Figure(
        "satisfied_rate",
        [share(s, r) for s, r in zip(satisfied.months, rated.months, strict=True)],
        share(satisfied.value, rated.value),
    )
    return [found[name] for name in ORDER]


def figure_records(user, organisation: Organisation, year: int, figure: str, month=None):
    """The records behind one figure (a month's, or the year's): disputes, dispatches or
    ratings, from the same condition as the count."""
    period = month_period(year, month)
    if figure in DISPUTE_FIGURES:
        return (
            disputes_in_subtree(user, organisation)
            .filter(_dispute_condition(figure, period))
            .select_related("organisation")
            .order_by("-registered_at", "-pk")
        )
    if figure in DISPATCH_FIGURES:
        return (
            dispatches_in_subtree(user, organisation)
            .filter(_dispatch_condition(figure, period))
            .select_related("dispute", "responder")
            .order_by("-dispatched_at", "-pk")
        )
    if figure in RATING_FIGURES:
        return (
            ratings_in_subtree(user, organisation)
            .filter(_rating_condition(figure, period))
            .select_related("dispute")
            .order_by("-used_at", "-pk")
        )
    raise ValueError(f"unknown figure {figure!r}")


def record_kind(figure: str) -> str:
    if figure in DISPUTE_FIGURES:
        return "dispute"
    if figure in DISPATCH_FIGURES:
        return "dispatch"
    return "rating"
