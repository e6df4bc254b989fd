"""A court's enforcement year in figures (执行质效), from the portal's own records.

For one court (the enforcing court, `EnforcementCase.court`) and one calendar year
(Asia/Shanghai, 1 January to 1 January), each figure with its 12 months:

- **收案 filed**: cases filed in the year (`filed_at`), split 首次执行 (执) / 恢复执行 (执恢)
  by `case_type`; **申请执行标的 ordered**: their principal + interest + costs;
- **结案 concluded**: cases whose status is a conclusion (执行完毕, 终本, 终结, 执转破) and
  whose `concluded_at` is in the year. A case is counted once, at its latest conclusion
  (a 终本 case later terminated moves to the termination's year);
- **实际执行 performed** and **终本 final**: the concluded cases whose status is one of
  `ENFORCEMENT_FIGURES_PERFORMED_STATUSES` / `ENFORCEMENT_FIGURES_FINAL_STATUSES`
  (enforcement/conf.py); 实际执行率 and 终本率 are these ÷ 结案;
- **未结 open**: filed before the moment and not concluded by it, at each month's end (the
  year's figure: at the year's end, or now while the year runs);
- **执行到位金额 recovered**: money received into the court's case accounts in the year
  (`FundReceipt.received_on`), receipts reversed as mistakes (冲正) left out; 执行到位率 =
  recovered ÷ ordered (both the year's);
- **案款发放周期 payout cycle**: over the payouts to applicants paid in the year
  (`FundDisbursement.paid_on`), the mean days from their receipt's arrival to payment;
- **超期未结 overdue**: cases still open whose 6-month limit (the case's latest
  enforcement.time_limit clock) is past due and not met, by the month it fell due;
- **强制措施 measures**: coercive measures decided in the year (`decided_at`, status in
  `ENFORCEMENT_FIGURES_MEASURE_STATUSES`), by kind.

Each figure is one aggregate query per court and year (GROUP BY month, or one row of
filtered counts), never a loop over the year's rows; the drill-down (`figure_cases`) is
built from the same conditions, so the list behind a number is exactly what it counts.
Case figures count cases (one month each, so the months add up to the year); money, payouts
and measures count their own records, and the drill-down lists the cases they belong to
with the same total (`figure_total`).

Courts are never ranked against each other here: a page shows one court's own year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deadlines.models import Deadline
from organisations.models import Organisation
from organisations.roles import Role

from . import conf
from .models import (
    CONCLUDED_STATUSES,
    OPEN_STATUSES,
    PRE_FILING_STATUSES,
    CaseStatus,
    CaseType,
    CoerciveMeasure,
    DisbursementKind,
    DisbursementStatus,
    EnforcementCase,
    EntryKind,
    FundDisbursement,
    FundEntry,
    FundReceipt,
    MeasureKind,
)
from .selectors import COURT_KINDS
from .selectors_filing import TIME_LIMIT

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONTHS = tuple(range(1, 13))

# figure name → (label, formula shown under it); measure figures are added by kind below
LABELS = {
    "filed": (_("收案"), _("本年度立案的执行案件（立案时间在本年度）")),
    "filed_first": (_("首次执行"), _("收案中案件类型为“执”的案件")),
    "filed_resumed": (_("恢复执行"), _("收案中案件类型为“执恢”的案件")),
    "concluded": (
        _("结案"),
        _("结案时间在本年度、状态为执行完毕、终结本次执行程序、终结执行或移送破产审查的案件"),
    ),
    "open": (
        _("未结"),
        _("立案在该时点之前、至该时点尚未结案的案件；年度数为年末（本年度为当前）的未结数"),
    ),
    "performed": (
        _("实际执行"),
        # the configured statuses are named on the page (_configured_formulas)
        _("结案中状态为%(statuses)s的案件（和解协议履行完毕、执行中自动履行的，状态亦为执行完毕）"),
    ),
    "performed_rate": (_("实际执行率"), _("实际执行率 = 实际执行结案数 ÷ 结案数")),
    "final": (_("终本结案"), _("结案中状态为%(statuses)s的案件")),
    "final_rate": (_("终本率"), _("终本率 = 终本结案数 ÷ 结案数")),
    "ordered": (_("申请执行标的（元）"), _("本年度收案的本金、利息及费用之和")),
    "recovered": (_("执行到位金额（元）"), _("本年度到账的案款（冲正的到账不计）")),
    "recovered_rate": (_("执行到位率"), _("执行到位率 = 执行到位金额 ÷ 申请执行标的")),
    "payout_cycle": (
        _("案款发放周期（天）"),
        _("本年度支付给申请执行人的每笔发放，自该笔案款到账之日至支付之日的平均天数"),
    ),
    "overdue": (
        _("超期未结"),
        _("六个月执行期限（含延长）在该月届满、至今未结且期限未完成的案件"),
    ),
    "measures": (_("强制措施"), _("本年度决定（批准）的拘传、罚款、拘留等强制措施（项）")),
}
MEASURE_PREFIX = "measure_"
for measure_kind in MeasureKind:
    LABELS[f"{MEASURE_PREFIX}{measure_kind.value}"] = (
        measure_kind.label,
        _("本年度决定的该类措施（项）"),
    )

# the figures a drill-down list exists for (rates link their numerator's list instead)
LISTED = (
    "filed", "filed_first", "filed_resumed", "concluded", "open", "performed", "final",
    "ordered", "recovered", "payout_cycle", "overdue", "measures",
    *(f"{MEASURE_PREFIX}{kind.value}" for kind in MeasureKind),
)  # fmt: skip


# --- periods ------------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[1 January, next 1 January) in the portal's time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def period_bounds(year: int, month: int | None) -> tuple[datetime.datetime, datetime.datetime]:
    """The year, or one month of it."""
    if month is None:
        return year_bounds(year)
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=zone)
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return start, end


def _moment(end: datetime.datetime, now: datetime.datetime) -> datetime.datetime:
    """Where "open" is read for a period ending at `end`: its end, or now if sooner."""
    return min(end, now)


# --- conditions (shared by the counts and the lists) --------------------------------------


def _filed(start, end) -> Q:
    return Q(filed_at__gte=start, filed_at__lt=end) & ~Q(status__in=PRE_FILING_STATUSES)


def _concluded(start, end) -> Q:
    return Q(status__in=CONCLUDED_STATUSES, concluded_at__gte=start, concluded_at__lt=end)


def _open_at(moment) -> Q:
    return (
        Q(filed_at__lt=moment)
        & (Q(concluded_at__isnull=True) | Q(concluded_at__gte=moment))
        & ~Q(status__in=PRE_FILING_STATUSES)
    )


def performed_statuses() -> tuple[str, ...]:
    return tuple(conf.get("ENFORCEMENT_FIGURES_PERFORMED_STATUSES"))


def final_statuses() -> tuple[str, ...]:
    return tuple(conf.get("ENFORCEMENT_FIGURES_FINAL_STATUSES"))


def status_words(statuses) -> str:
    """The statuses' names as the page states them (unknown values shown as they are)."""
    labels = dict(CaseStatus.choices)
    return "、".join(str(labels.get(status, status)) for status in statuses)


def measure_statuses() -> tuple[str, ...]:
    return tuple(conf.get("ENFORCEMENT_FIGURES_MEASURE_STATUSES"))


def _case_condition(figure: str, start, end) -> Q | None:
    """Q over EnforcementCase for the figures that count cases by one date of theirs."""
    if figure in ("filed", "ordered"):
        return _filed(start, end)
    if figure == "filed_first":
        return _filed(start, end) & Q(case_type=CaseType.ENFORCEMENT)
    if figure == "filed_resumed":
        return _filed(start, end) & Q(case_type=CaseType.RESUMED)
    if figure == "concluded":
        return _concluded(start, end)
    if figure == "performed":
        return _concluded(start, end) & Q(status__in=performed_statuses())
    if figure == "final":
        return _concluded(start, end) & Q(status__in=final_statuses())
    return None


def court_cases(court) -> QuerySet[EnforcementCase]:
    return EnforcementCase.objects.filter(court=court)


def receipts_in(court, start, end) -> QuerySet[FundReceipt]:
    """The court's receipts that arrived in [start, end), reversed ones left out."""
    reversed_receipt = FundEntry.objects.filter(
        receipt=OuterRef("pk"), kind=EntryKind.RECEIPT, reversed_by__isnull=False
    )
    return FundReceipt.objects.filter(
        case__court=court,
        received_on__gte=timezone.localtime(start).date(),
        received_on__lt=timezone.localtime(end).date(),
    ).exclude(Exists(reversed_receipt))


def payouts_in(court, start, end) -> QuerySet[FundDisbursement]:
    """Payouts to applicants paid in [start, end)."""
    return FundDisbursement.objects.filter(
        case__court=court,
        kind=DisbursementKind.PAYOUT,
        status=DisbursementStatus.PAID,
        paid_on__gte=timezone.localtime(start).date(),
        paid_on__lt=timezone.localtime(end).date(),
    )


def measures_in(court, start, end, kind: str | None = None) -> QuerySet[CoerciveMeasure]:
    measures = CoerciveMeasure.objects.filter(
        case__court=court,
        status__in=measure_statuses(),
        decided_at__gte=start,
        decided_at__lt=end,
    )
    return measures if kind is None else measures.filter(kind=kind)


def overdue_clocks(court, start, end, now) -> QuerySet[Deadline]:
    """The 6-month clocks behind 超期未结: of the court's open cases, each case's latest
    enforcement.time_limit clock, when it fell due in [start, end) and is past due and not
    met by now (pending past its due time, or missed and not closed). One row per case:
    read case by case through the open clocks' index (deadline_subject_open_idx)."""
    clocks = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(EnforcementCase), kind=TIME_LIMIT
    )
    newer = clocks.filter(object_id=OuterRef("object_id")).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    return (
        clocks.filter(
            Q(state=Deadline.State.PENDING, due_at__lt=now)
            | Q(state=Deadline.State.MISSED, closed_at__isnull=True),
            due_at__gte=start,
            due_at__lt=min(end, now),
            object_id__in=court_cases(court).filter(status__in=OPEN_STATUSES).values("pk"),
        )
        .exclude(Exists(newer))
        .order_by()
    )


# --- the figures ---------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    label: str
    formula: str
    kind: str  # "count" | "money" | "rate" | "days"
    value: object = None  # int | Decimal | None (no denominator, or not yet)
    months: list = field(default_factory=lambda: [None] * 12)
    # for rates: the figure whose list stands behind the number
    listed_as: str = ""
    note: str = ""  # e.g. the payouts a cycle is taken over

    @property
    def list_name(self) -> str:
        return self.listed_as or self.name


def _figure(name: str, kind: str, **extra) -> Figure:
    label, formula = LABELS[name]
    return Figure(name=name, label=str(label), formula=str(formula), kind=kind, **extra)


def _rate(numerator, denominator) -> Decimal | None:
    """A percentage with one decimal place; None when there is nothing to divide by."""
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _by_month(rows, key: str) -> dict[int, object]:
    return {row["month"]: row[key] for row in rows}


def _month_values(by_month: dict, months_shown: tuple[int, ...], empty) -> list:
    return [by_month.get(m, empty) if m in months_shown else None for m in MONTHS]


def _year_value(months: list, empty):
    present = [v for v in months if v is not None]
    return sum(present, empty) if present else empty


def shown_months(year: int, now) -> tuple[int, ...]:
    """The months that have begun (a running year has no figures for its future)."""
    today = timezone.localtime(now).date()
    if year < today.year:
        return MONTHS
    if year > today.year:
        return ()
    return tuple(range(1, today.month + 1))


def court_year_figures(court, year: int, *, now=None) -> list[Figure]:
    """All figures of the court's year: seven aggregate queries, whatever the number of
    cases (filing, conclusions, open at each month's end, the overdue, receipts, payouts,
    measures)."""
    now = now or timezone.now()
    start, end = year_bounds(year)
    months = shown_months(year, now)
    cases = court_cases(court).order_by()

    filed_rows = list(
        cases.filter(_filed(start, end))
        .annotate(month=ExtractMonth("filed_at"))
        .values("month")
        .annotate(
            filed=Count("pk"),
            filed_first=Count("pk", filter=Q(case_type=CaseType.ENFORCEMENT)),
            filed_resumed=Count("pk", filter=Q(case_type=CaseType.RESUMED)),
            ordered=Sum(F("principal") + F("interest") + F("costs")),
        )
        .order_by("month")
    )
    concluded_rows = list(
        cases.filter(_concluded(start, end))
        .annotate(month=ExtractMonth("concluded_at"))
        .values("month")
        .annotate(
            concluded=Count("pk"),
            performed=Count("pk", filter=Q(status__in=performed_statuses())),
            final=Count("pk", filter=Q(status__in=final_statuses())),
        )
        .order_by("month")
    )
    open_values = _open_counts(cases, year, months, now)
    overdue_rows = list(
        overdue_clocks(court, start, end, now)
        .annotate(month=ExtractMonth("due_at"))
        .values("month")
        .annotate(n=Count("object_id"))
        .order_by("month")
    )
    receipt_rows = list(
        receipts_in(court, start, end)
        .order_by()
        .annotate(month=ExtractMonth("received_on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by("month")
    )
    payout_rows = list(
        payouts_in(court, start, end)
        .order_by()
        .annotate(month=ExtractMonth("paid_on"))
        .values("month")
        .annotate(n=Count("pk"), days=Sum(F("paid_on") - F("receipt__received_on")))
        .order_by("month")
    )
    measure_rows = list(
        measures_in(court, start, end)
        .order_by()
        .annotate(month=ExtractMonth("decided_at"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
        .order_by("month", "kind")
    )

    result: dict[str, Figure] = {}
    for name in ("filed", "filed_first", "filed_resumed"):
        values = _month_values(_by_month(filed_rows, name), months, 0)
        result[name] = _figure(name, "count", months=values, value=_year_value(values, 0))
    for name in ("concluded", "performed", "final"):
        values = _month_values(_by_month(concluded_rows, name), months, 0)
        result[name] = _figure(name, "count", months=values, value=_year_value(values, 0))
    result["open"] = _figure(
        "open", "count", months=open_values,
        value=next((v for v in reversed(open_values) if v is not None), None),
    )  # fmt: skip
    for rate, numerator in (("performed_rate", "performed"), ("final_rate", "final")):
        top, bottom = result[numerator], result["concluded"]
        result[rate] = _figure(
            rate, "rate", listed_as=numerator, value=_rate(top.value, bottom.value),
            months=[_rate(t, b) for t, b in zip(top.months, bottom.months, strict=True)],
        )  # fmt: skip
    ordered = _month_values(_by_month(filed_rows, "ordered"), months, ZERO)
    result["ordered"] = _figure(
        "ordered", "money", months=ordered, value=_year_value(ordered, ZERO)
    )
    recovered = _month_values(_by_month(receipt_rows, "total"), months, ZERO)
    result["recovered"] = _figure(
        "recovered", "money", months=recovered, value=_year_value(recovered, ZERO)
    )
    result["recovered_rate"] = _figure(
        "recovered_rate", "rate", listed_as="recovered",
        value=_rate(result["recovered"].value, result["ordered"].value),
        months=[_rate(r, o) for r, o in zip(recovered, ordered, strict=True)],
    )  # fmt: skip
    result["payout_cycle"] = _cycle_figure(payout_rows, months)
    overdue = _month_values(_by_month(overdue_rows, "n"), months, 0)
    result["overdue"] = _figure("overdue", "count", months=overdue, value=_year_value(overdue, 0))
    measure_counts: dict[str, dict[int, int]] = {}
    for row in measure_rows:
        measure_counts.setdefault(row["kind"], {})[row["month"]] = row["n"]
    totals = {m: sum(by.get(m, 0) for by in measure_counts.values()) for m in MONTHS}
    values = _month_values(totals, months, 0)
    result["measures"] = _figure("measures", "count", months=values, value=_year_value(values, 0))
    for kind in MeasureKind:
        name = f"{MEASURE_PREFIX}{kind.value}"
        values = _month_values(measure_counts.get(kind.value, {}), months, 0)
        result[name] = _figure(name, "count", months=values, value=_year_value(values, 0))
    for name, statuses in (("performed", performed_statuses()), ("final", final_statuses())):
        result[name].formula = result[name].formula % {"statuses": status_words(statuses)}
    for figure in result.values():
        if figure.kind == "money":
            figure.value = _money(figure.value)
            figure.months = [None if v is None else _money(v) for v in figure.months]
    return list(result.values())


def _money(value) -> Decimal:
    return (value or ZERO).quantize(CENT)


def _open_counts(cases, year: int, months: tuple[int, ...], now) -> list:
    """Open at each shown month's end (or now, for the running month): one row of filtered
    counts over the cases filed before the last moment and not concluded before the first."""
    if not months:
        return [None] * 12
    moments = {m: _moment(period_bounds(year, m)[1], now) for m in months}
    first, last = moments[months[0]], moments[months[-1]]
    counts = (
        cases.filter(filed_at__lt=last)
        .filter(Q(concluded_at__isnull=True) | Q(concluded_at__gte=first))
        .aggregate(
            **{f"m{m}": Count("pk", filter=_open_at(moment)) for m, moment in moments.items()}
        )
    )
    return [counts[f"m{m}"] if m in moments else None for m in MONTHS]


def _cycle_figure(rows, months) -> Figure:
    by_month = {row["month"]: (row["n"], row["days"]) for row in rows}
    values = []
    total_n, total_days = 0, 0
    for m in MONTHS:
        if m not in months:
            values.append(None)
            continue
        n, days = by_month.get(m, (0, None))
        day_count = days.days if days is not None else 0
        total_n += n
        total_days += day_count
        values.append(_mean_days(day_count, n))
    figure = _figure("payout_cycle", "days", months=values, value=_mean_days(total_days, total_n))
    figure.note = str(_("（共 %(n)d 笔发放）") % {"n": total_n})
    return figure


def _mean_days(days: int, n: int) -> Decimal | None:
    if not n:
        return None
    return (Decimal(days) / Decimal(n)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- the lists behind the figures -----------------------------------------------------------


def figure_cases(court, year: int, figure: str, month: int | None = None, *, now=None):
    """The cases behind one figure (of the year, or of one month), and nothing else: the
    same condition as the count. Unknown figures and months not begun are a 404."""
    now = now or timezone.now()
    if figure not in LISTED:
        raise Http404
    if month is not None and month not in shown_months(year, now):
        raise Http404
    start, end = period_bounds(year, month)
    cases = court_cases(court)
    condition = _case_condition(figure, start, end)
    if condition is not None:
        return cases.filter(condition)
    if figure == "open":
        return cases.filter(_open_at(_moment(end, now)))
    if figure == "overdue":
        return cases.filter(pk__in=overdue_clocks(court, start, end, now).values("object_id"))
    return cases.filter(pk__in=_records(court, figure, start, end).values("case_id"))


def _records(court, figure: str, start, end) -> QuerySet:
    if figure == "recovered":
        return receipts_in(court, start, end)
    if figure == "payout_cycle":
        return payouts_in(court, start, end)
    if figure == "measures":
        return measures_in(court, start, end)
    if figure.startswith(MEASURE_PREFIX):
        return measures_in(court, start, end, kind=figure.removeprefix(MEASURE_PREFIX))
    raise Http404


def figure_total(court, year: int, figure: str, month: int | None = None, *, now=None) -> dict:
    """What the drill-down list adds up to, read from the listed cases' own records: the
    number of cases, and for money, payouts and measures their total (one query)."""
    now = now or timezone.now()
    start, end = period_bounds(year, month)
    cases = figure_cases(court, year, figure, month, now=now).order_by()
    return {"amount": None, "payouts": None, "days": None, "measures": None} | _total(
        court, figure, cases, start, end
    )


def _total(court, figure, cases, start, end) -> dict:
    if figure == "ordered":
        row = cases.aggregate(n=Count("pk"), total=Sum(F("principal") + F("interest") + F("costs")))
        return {"cases": row["n"], "amount": _money(row["total"])}
    if figure in ("recovered", "payout_cycle") or figure.startswith("measure"):
        records = _records(court, figure, start, end).filter(case__in=cases.values("pk"))
        if figure == "recovered":
            row = records.aggregate(n=Count("case", distinct=True), total=Sum("amount"))
            return {"cases": row["n"], "amount": _money(row["total"])}
        if figure == "payout_cycle":
            row = records.aggregate(
                n=Count("case", distinct=True), payouts=Count("pk"),
                days=Sum(F("paid_on") - F("receipt__received_on")),
            )  # fmt: skip
            days = row["days"].days if row["days"] is not None else 0
            return {
                "cases": row["n"],
                "payouts": row["payouts"],
                "days": _mean_days(days, row["payouts"]),
            }
        row = records.aggregate(n=Count("case", distinct=True), measures=Count("pk"))
        return {"cases": row["n"], "measures": row["measures"]}
    return {"cases": cases.count()}


# --- who reads them --------------------------------------------------------------------------

FIGURES_ROLES = frozenset({Role.SUPERVISOR})


def courts_for(user) -> QuerySet[Organisation]:
    """The courts whose figures the user may read: a court supervisor's (院长, 执行局长) own
    court and, for a higher court's supervisor, the courts in its region. Clerks, officers,
    other courts and government units read none (404)."""
    if not user or not user.is_authenticated:
        return Organisation.objects.none()
    courts = Organisation.objects.filter(kind__in=COURT_KINDS)
    if user.is_superuser:
        return courts.order_by("path")
    condition = Q(pk__in=[])
    for membership in user.active_memberships:
        own = membership.organisation
        if own.kind in COURT_KINDS and membership.role in FIGURES_ROLES:
            condition |= Q(pk=own.pk) | Q(region__path__startswith=own.region.path)
    return courts.filter(condition).order_by("path")


def figures_menu_visible(user) -> bool:
    """The menu entry: supervisors of a court (no query: memberships come with the user)."""
    return any(
        m.organisation.kind in COURT_KINDS and m.role in FIGURES_ROLES
        for m in user.active_memberships
    )


def court_get_for_user(user, pk) -> Organisation:
    try:
        return courts_for(user).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
