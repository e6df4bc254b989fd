"""A court's 信用惩戒 year in figures, from the portal's own records: for one court and one
calendar year (Asia/Shanghai), each figure's year total and its twelve months.

Which court a record counts for: the court that decided it — the record's own `court`
(a listing or restriction order: the court that decided or signed it; a removal, a
restoration, a one-time lifting: the court that carried it out, which for work still open
when a case moved is the receiving court, credit.services.transfer; a certificate: the
court that issued it). Courts are never set side by side (DOMAIN.md "Metrics": a court
sees its own trends, not a league table): the page shows one court, chosen from the
reader's scope.

Each figure is a condition over one *source* (a model, the date that places a record in
a month, and the rows it looks at). The page reads every figure of a source in one
aggregate query (GROUP BY the month, one conditional COUNT per figure), bounded by the
court and the source's date — an index on (court, date) serves it; no row is brought into
Python. The drill-down list of a figure (and month) filters the same source by the same
condition, so the list behind a number is exactly what was counted.

"Live at year end" (在册) is not a count of events: it is the listings decided before a
moment and not lifted by it, at the end of each month (now, for the current month; future
months have no value) and at the end of the year (now, for the current year). One query
too, with a conditional COUNT per moment.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Model, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from organisations.roles import Role

from .models import (
    Certificate,
    Grade,
    Ground,
    Listing,
    OneTimeLifting,
    Removal,
    Restoration,
    Restriction,
    Trigger,
)

COURT_KINDS = (Organisation.Kind.COURT, Organisation.Kind.TRIBUNAL)
MONTHS = tuple(range(1, 13))


def zone() -> ZoneInfo:
    """The courts' calendar: months and years are counted in the portal's time zone
    (settings.TIME_ZONE, Asia/Shanghai), whatever zone a request may have activated."""
    return ZoneInfo(settings.TIME_ZONE)


# --- who may read the figures ---------------------------------------------------------------


def _supervised_courts(user) -> list[Organisation]:
    return [
        m.organisation
        for m in user.active_memberships
        if m.role == Role.SUPERVISOR and m.organisation.kind in COURT_KINDS
    ]


def figures_menu_visible(user) -> bool:
    """A court's supervisor (院长, 执行局长; a higher court's, whose scope holds the courts
    below). No query: the memberships are loaded with the user."""
    return bool(user.is_authenticated and (user.is_superuser or _supervised_courts(user)))


def courts_for(user) -> QuerySet[Organisation]:
    """The courts whose figures the user may read: those a court supervisor of theirs
    supervises (their court and, for a higher court, the courts in its region). Clerks,
    officers and supervisors of other organisations (a governance centre) read none."""
    queryset = Organisation.objects.filter(kind__in=COURT_KINDS).order_by("path")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    condition = Q(pk__in=[])
    for court in _supervised_courts(user):
        condition |= Q(region__path__startswith=court.region.path)
    return queryset.filter(condition)


def own_court(user, courts: list[Organisation]) -> Organisation:
    """The court the page opens on: the supervisor's own, else the first in scope."""
    own = {court.pk for court in _supervised_courts(user)} if user.is_authenticated else set()
    return next((c for c in courts if c.pk in own), courts[0])


# --- the figures, as data --------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Rows of one model for a court's year: `date` places a row in its month; `rows` is
    what the source looks at at all (e.g. only removals done)."""

    model: type[Model]
    date: str
    rows: Q = field(default_factory=Q)
    is_date_field: bool = False  # a DateField (no time zone) rather than a DateTimeField
    related: tuple[str, ...] = ()


SOURCES: dict[str, Source] = {
    "listings": Source(Listing, "decided_on", is_date_field=True,
                       related=("case", "court")),
    "removals": Source(Removal, "done_at", Q(state=Removal.State.DONE),
                       related=("case", "court", "listing", "restriction")),
    "restrictions": Source(
        Restriction, "decided_at",
        Q(state__in=[Restriction.State.IN_FORCE, Restriction.State.LIFTED]),
        related=("case", "court"),
    ),
    "liftings": Source(OneTimeLifting, "decided_at", Q(state=OneTimeLifting.State.APPROVED),
                       related=("restriction", "restriction__case", "court")),
    "restorations": Source(
        Restoration, "decided_at",
        Q(state__in=[Restoration.State.GRANTED, Restoration.State.REFUSED]),
        related=("case", "court", "debtor"),
    ),
    "certificates": Source(Certificate, "created_at", related=("case", "court", "party",
                                                               "document")),
}  # fmt: skip

LIVE = "listings_live"


@dataclass(frozen=True)
class FigureDef:
    name: str
    label: str
    section: str
    source: str  # a SOURCES key, or LIVE
    condition: Q | None = None  # over the source's rows; None: all of them
    level: int = 0  # 1: a part of the figure above it
    help: str = ""


SECTIONS = {
    "listing": _("失信被执行人名单"),
    "restriction": _("限制消费令"),
    "restoration": _("信用修复"),
    "oversight": _("删除时限监督"),
    "certificate": _("信用证明"),
}

# the triggers that remove a listing (a security only lifts a restriction)
LISTING_TRIGGERS = [t for t in Trigger if t != Trigger.SECURITY]


def _figures() -> list[FigureDef]:
    defs = [
        FigureDef("listed", _("纳入失信名单"), "listing", "listings",
                  help=_("本年度决定纳入的失信被执行人（按决定日期）")),
    ]  # fmt: skip
    defs += [
        FigureDef(f"listed_ground_{g.value}", format_lazy(_("情形{n}"), n=g.value), "listing",
                  "listings", Q(ground=g.value), level=1, help=g.label)
        for g in Ground
    ]  # fmt: skip
    defs += [
        FigureDef(f"listed_grade_{g.value}", format_lazy(_("{grade}失信"), grade=g.label), "listing",
                  "listings", Q(grade=g.value), level=1, help=_("按决定时的失信等级"))
        for g in Grade
    ]  # fmt: skip
    defs.append(
        FigureDef("listings_removed", _("删除/屏蔽失信信息"), "listing", "removals",
                  Q(listing__isnull=False), help=_("本年度办结的删除（按删除时间）"))
    )  # fmt: skip
    defs += [
        FigureDef(f"listings_removed_{t.value}", t.label, "listing", "removals",
                  Q(listing__isnull=False, trigger=t.value), level=1)
        for t in LISTING_TRIGGERS
    ]  # fmt: skip
    defs += [
        FigureDef(LIVE, _("在册失信名单"), "listing", LIVE,
                  help=_("年末（本年度为当前）仍在名单上的（含宽限期内待公布的）；"
                         "各月为月末（本月为当前）")),
        FigureDef("restrictions_signed", _("签发限制消费令"), "restriction", "restrictions",
                  help=_("本年度经院长批准签发的限制消费令（按批准时间）")),
        FigureDef("restrictions_lifted", _("解除限制消费令"), "restriction", "removals",
                  Q(restriction__isnull=False), help=_("本年度办结的解除（按解除时间）")),
        FigureDef("liftings_approved", _("批准单次解禁"), "restriction", "liftings",
                  help=_("本年度批准的单次解禁（按批准时间）")),
        FigureDef("restorations_decided", _("信用修复决定"), "restoration", "restorations",
                  help=_("本年度作出决定的信用修复申请（按决定时间）")),
        FigureDef("restorations_granted", _("准予修复"), "restoration", "restorations",
                  Q(state=Restoration.State.GRANTED), level=1),
        FigureDef("restorations_refused", _("不予修复"), "restoration", "restorations",
                  Q(state=Restoration.State.REFUSED), level=1),
        FigureDef("removals_late", _("逾期办结的删除/解除"), "oversight", "removals",
                  Q(done_at__gt=F("due_at")),
                  help=_("本年度办结、但晚于三个工作日期限的删除失信信息和解除限制消费")),
        FigureDef("certificates", _("出具信用证明"), "certificate", "certificates",
                  help=_("本年度出具的证明（按出具时间）")),
    ]  # fmt: skip
    defs += [
        FigureDef(f"certificates_{k.value}", k.label, "certificate", "certificates",
                  Q(kind=k.value), level=1)
        for k in Certificate.Kind
    ]  # fmt: skip
    return defs


FIGURES: dict[str, FigureDef] = {f.name: f for f in _figures()}


# --- periods --------------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[1 January, next 1 January) in the courts' calendar."""
    tz = zone()
    return datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = zone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


@dataclass(frozen=True)
class Moment:
    """A point a live count is taken at: listings decided before `before_date` (a date:
    decided_on has no time) and not lifted before `at`."""

    at: datetime.datetime
    before_date: datetime.date

    def condition(self) -> Q:
        return Q(decided_on__lt=self.before_date) & (
            Q(lifted_at__isnull=True) | Q(lifted_at__gte=self.at)
        )


def _moment(boundary: datetime.datetime, now: datetime.datetime) -> Moment | None:
    """The end of a period (its exclusive boundary), or now if the period is still running."""
    if boundary <= now:
        return Moment(boundary, boundary.date())
    return Moment(now, timezone.localtime(now, zone()).date() + datetime.timedelta(days=1))


def live_moments(year: int, now: datetime.datetime) -> tuple[Moment | None, list]:
    """The year's moment (its end, or now) and each month's (None for months to come)."""
    start, end = year_bounds(year)
    if start > now:
        return None, [None] * 12
    months = []
    for month in MONTHS:
        month_start, month_end = month_bounds(year, month)
        months.append(_moment(month_end, now) if month_start <= now else None)
    return _moment(end, now), months


# --- counting -------------------------------------------------------------------------------


@dataclass
class FigureRow:
    definition: FigureDef
    total: int | None  # None: no value (a year or month still to come)
    months: list[int | None]

    @property
    def name(self) -> str:
        return self.definition.name


def _period_filter(source: Source, start, end) -> Q:
    if source.is_date_field:
        start, end = start.date(), end.date()
    return Q(**{f"{source.date}__gte": start, f"{source.date}__lt": end})


def _source_rows(source: Source, court, start, end) -> QuerySet:
    return (
        source.model.objects.filter(court=court)
        .filter(source.rows)
        .filter(_period_filter(source, start, end))
    )


def _count_source(name: str, court, year: int) -> dict[str, list[int]]:
    """Every figure of one source: {figure: [12 monthly counts]}, in one GROUP BY query."""
    source = SOURCES[name]
    start, end = year_bounds(year)
    defs = [f for f in FIGURES.values() if f.source == name]
    rows = (
        _source_rows(source, court, start, end)
        .annotate(month=TruncMonth(source.date, tzinfo=None if source.is_date_field else zone()))
        .order_by()
        .values("month")
        .annotate(**{f.name: Count("pk", filter=f.condition) for f in defs})
    )
    counts = {f.name: [0] * 12 for f in defs}
    for row in rows:  # at most twelve rows
        for f in defs:
            counts[f.name][row["month"].month - 1] = row[f.name]
    return counts


def _live_rows(court, year: int) -> QuerySet[Listing]:
    """The court's listings live at some moment of the year: decided before its end and
    not lifted before its start."""
    start, end = year_bounds(year)
    return Listing.objects.filter(court=court, decided_on__lt=end.date()).filter(
        Q(lifted_at__isnull=True) | Q(lifted_at__gte=start)
    )


def _count_live(court, year: int, now) -> tuple[int | None, list[int | None]]:
    year_moment, month_moments = live_moments(year, now)
    if year_moment is None:
        return None, [None] * 12
    counts = _live_rows(court, year).aggregate(
        year=Count("pk", filter=year_moment.condition()),
        **{
            f"m{i}": Count("pk", filter=moment.condition())
            for i, moment in enumerate(month_moments, start=1)
            if moment is not None
        },
    )
    return counts["year"], [counts.get(f"m{i}") for i in MONTHS]


def court_year_figures(court, year: int, *, now=None) -> list[FigureRow]:
    """All figures of the court's year: one aggregate query per source (seven in all)."""
    now = now or timezone.now()
    monthly: dict[str, list[int]] = {}
    for name in SOURCES:
        monthly.update(_count_source(name, court, year))
    live_total, live_months = _count_live(court, year, now)
    rows = []
    for f in FIGURES.values():
        if f.source == LIVE:
            rows.append(FigureRow(f, live_total, live_months))
        else:
            months = monthly[f.name]
            rows.append(FigureRow(f, sum(months), list(months)))
    return rows


def sections(rows: list[FigureRow]) -> list[tuple[str, list[FigureRow]]]:
    return [
        (label, [row for row in rows if row.definition.section == key])
        for key, label in SECTIONS.items()
    ]


# --- the drill-down ----------------------------------------------------------------------------


def figure_entries(court, year: int, figure: str, month: int | None = None, *, now=None):
    """The records behind one figure of the court's year (or of one month of it), newest
    first. An unknown figure is a 404; a month still to come of the live figure is empty."""
    definition = FIGURES.get(figure)
    if definition is None:
        raise Http404
    now = now or timezone.now()
    if definition.source == LIVE:
        year_moment, month_moments = live_moments(year, now)
        moment = year_moment if month is None else month_moments[month - 1]
        if moment is None:
            return Listing.objects.none(), SOURCES["listings"]
        source = SOURCES["listings"]
        queryset = _live_rows(court, year).filter(moment.condition())
    else:
        source = SOURCES[definition.source]
        start, end = year_bounds(year) if month is None else month_bounds(year, month)
        queryset = _source_rows(source, court, start, end)
        if definition.condition is not None:
            queryset = queryset.filter(definition.condition)
    return (
        queryset.select_related(*source.related).order_by(f"-{source.date}", "-pk"),
        source,
    )


def _case_number(case) -> str:
    return case.case_number if case is not None else ""


def entry_row(record) -> dict:
    """What the drill-down shows of one record: when, who, the case, what, and its page."""
    if isinstance(record, Listing):
        return {
            "when": record.decided_on, "who": record.debtor_name,
            "case": _case_number(record.case),
            "what": f"{record.get_ground_display()} · {record.get_grade_display()}",
            "state": record.get_publication_display(), "url": record.get_absolute_url(),
        }  # fmt: skip
    if isinstance(record, Removal):
        sanction = record.sanction
        kind = _("删除失信信息") if record.listing_id else _("解除限制消费")
        late = record.due_at is not None and record.done_at > record.due_at
        return {
            "when": record.done_at, "who": sanction.debtor_name,
            "case": _case_number(record.case),
            "what": f"{kind} · {record.get_trigger_display()}",
            "state": _("逾期") if late else _("按期"), "url": record.get_absolute_url(),
        }  # fmt: skip
    if isinstance(record, Restriction):
        return {
            "when": record.decided_at, "who": record.debtor_name,
            "case": _case_number(record.case), "what": record.get_basis_display(),
            "state": record.get_state_display(), "url": record.get_absolute_url(),
        }  # fmt: skip
    if isinstance(record, OneTimeLifting):
        restriction = record.restriction
        return {
            "when": record.decided_at, "who": restriction.debtor_name,
            "case": _case_number(restriction.case),
            "what": f"{record.need} {record.starts_on}–{record.ends_on}",
            "state": record.get_state_display(), "url": restriction.get_absolute_url(),
        }  # fmt: skip
    if isinstance(record, Restoration):
        return {
            "when": record.decided_at, "who": record.applicant_name,
            "case": _case_number(record.case), "what": record.get_basis_display(),
            "state": record.get_state_display(), "url": record.get_absolute_url(),
        }  # fmt: skip
    if isinstance(record, Certificate):
        return {
            "when": record.created_at, "who": record.party.name,
            "case": _case_number(record.case), "what": record.get_kind_display(),
            "state": record.document.number if record.document else "",
            "url": record.get_absolute_url(),
        }  # fmt: skip
    raise TypeError(type(record))
