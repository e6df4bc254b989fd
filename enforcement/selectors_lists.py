"""The enforcement lists: the officer's workbench (我的案件) and the court's list.

Both read the court scope (enforcement.selectors) and never COUNT the whole table.

- The workbench: the officer's open cases, each with its next legal step — the soonest
  open deadline on the case (`workbench_read`: the officer's open case ids, then every
  one's soonest open clock in one DISTINCT ON over `deadline_subject_open_idx`, ordered,
  counted and paged in Python; the API orders in SQL, `with_sort_due`) and what the
  registered next-step providers say — overdue first, then soonest due, cases with no
  running clock last; keyset pages on (due, id).
- The court's list: newest first on (created_at, id) keyset pages, filters each on an index
  (enforcement/migrations/0006_workbench.py), the case number found in any bracket form by
  its normalised key (exact or prefix, `varchar_pattern_ops`), or a party's name (prefix).
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from common import keyset, prepared
from common.lookups import AnyOf
from deadlines.models import Deadline
from organisations.models import Membership, Organisation, Region, User
from organisations.roles import Role

from .models import OPEN_STATUSES, PRE_FILING_STATUSES, CaseParty, EnforcementCase
from .numbers import case_number_normalise
from .selectors import COURT_KINDS, courts_visible_to

# cases with no running clock sort after every dated one
NO_DEADLINE = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)
LIST_RELATED = ("court", "officer")  # the API's rows name both
PAGE_RELATED = ("officer",)  # the pages' rows name the officer; nothing on them reads the court

PRIORITIES = {
    "enterprise": "is_enterprise",
    "livelihood": "is_livelihood",
    "small_claim": "is_small_claim",
}


def _case_content_type() -> ContentType:
    return ContentType.objects.get_for_model(EnforcementCase)


def open_deadline_condition(prefix: str = "") -> Q:
    """A clock still to be met: running, or past due and not done since (missed, not
    closed). A paused clock (the case suspended) is not counted: it does not run."""
    return Q(**{f"{prefix}state": Deadline.State.PENDING}) | Q(
        **{f"{prefix}state": Deadline.State.MISSED, f"{prefix}closed_at__isnull": True}
    )


def _next_deadline() -> QuerySet[Deadline]:
    return (
        Deadline.objects.filter(content_type=_case_content_type(), object_id=OuterRef("pk"))
        .filter(open_deadline_condition())
        .order_by("due_at", "pk")
    )


def with_sort_due(queryset: QuerySet[EnforcementCase]) -> QuerySet[EnforcementCase]:
    """Each case's soonest open deadline's due moment as `sort_due` (far future without
    one): one subquery a case, all the workbench orders and counts by (the rest of the
    deadline is read for the page's rows only, `attach_next_deadlines`)."""
    soonest = _next_deadline().values("due_at")[:1]
    return queryset.annotate(
        sort_due=Coalesce(Subquery(soonest), Value(NO_DEADLINE, output_field=DateTimeField()))
    )


# --- the officer's workbench ----------------------------------------------------------


def officer_open_cases(user) -> QuerySet[EnforcementCase]:
    """The user's own open cases (as 承办人) of the courts they work in: a case moved to
    another court (交叉/指定执行) or merely commissioned to theirs is not on it, though they
    may still read it."""
    return court_scope(user).filter(officer=user, status__in=OPEN_STATUSES)


def _officer_open_case_ids_statement() -> str:
    return (
        f"SELECT id FROM {EnforcementCase._meta.db_table} "  # noqa: S608
        "WHERE officer_id = $1 AND status = ANY($2) AND court_id = ANY($3)"
    )


def _officer_open_case_ids(user) -> list[int]:
    """`officer_open_cases(user)`'s ids: on PostgreSQL a prepared statement over
    `enf_case_officer_open_idx` (officer, status, court)."""
    if connection.vendor != "postgresql" or user.is_superuser:
        return list(officer_open_cases(user).values_list("pk", flat=True))
    courts = court_ids_for(user)
    if not courts:
        return []
    rows = prepared.fetchall(
        _officer_open_case_ids_statement(), ("bigint", "text[]", "bigint[]"),
        [user.pk, [str(status) for status in OPEN_STATUSES], courts],
    )  # fmt: skip
    return [row[0] for row in rows]


def workbench_queryset(user) -> QuerySet[EnforcementCase]:
    """The officer's open cases in the workbench's order; each page's rows then get their
    deadline (`attach_next_deadlines`)."""
    return (
        with_sort_due(officer_open_cases(user))
        .select_related(*LIST_RELATED)
        .order_by("sort_due", "id")
    )


def workbench_page(user, *, after: str = "", size: int = 50) -> keyset.ListPage:
    """One page of the workbench: overdue first, then soonest due, each case with its
    soonest open deadline (`next_due_at`, `next_deadline_kind` …)."""
    return workbench_read(user, after=after, size=size).page


@dataclass(frozen=True)
class WorkbenchFigures:
    open: int
    overdue: int
    due_soon: int  # within the next 7 days, not yet overdue
    unassigned_clock: int  # open cases with no running clock at all


@dataclass(frozen=True)
class WorkbenchRead:
    page: keyset.ListPage
    figures: WorkbenchFigures


def workbench_read(user, *, after: str = "", size: int = 50) -> WorkbenchRead:
    """The workbench's page and its figures from one read of the officer's open cases.

    An officer's open cases are hundreds, not the table: their ids (one index scan), then
    the soonest open deadline of each (one DISTINCT ON over `deadline_subject_idx`), are
    read whole, ordered and counted here, and only the page's cases are fetched. Asking
    PostgreSQL for the page and the counts apart probed every case's deadlines twice."""
    ids = _officer_open_case_ids(user)
    soonest = _soonest_open_deadlines(ids)
    order = sorted(
        (soonest[pk][2] if pk in soonest else NO_DEADLINE, pk) for pk in ids
    )  # (due, id): overdue first, then soonest, no clock last
    now = timezone.now()
    soon = now + datetime.timedelta(days=7)
    figures = WorkbenchFigures(
        open=len(order),
        overdue=sum(1 for due, _pk in order if due < now),
        due_soon=sum(1 for due, _pk in order if now <= due < soon),
        unassigned_clock=sum(1 for due, _pk in order if due == NO_DEADLINE),
    )
    position = keyset.decode_cursor(after) if after else None
    if position is not None:
        order = [key for key in order if key > position]
    has_more = size > 0 and len(order) > size
    chosen = order[:size] if size > 0 else []
    by_pk = (
        {
            case.pk: case
            for case in EnforcementCase.objects.select_related(*PAGE_RELATED).filter(
                AnyOf(F("pk"), [pk for _due, pk in chosen])
            )
        }
        if chosen
        else {}
    )
    items = []
    for due, pk in chosen:
        case = by_pk.get(pk)
        if case is None:  # concluded or moved between the two reads
            continue
        case.sort_due = due
        _set_next_deadline(case, soonest.get(pk))
        items.append(case)
    last_due, last_pk = chosen[-1] if has_more else (None, None)
    page = keyset.ListPage(
        items=items,
        next_cursor=keyset.encode_cursor(last_due, last_pk) if has_more else "",
        has_more=has_more,
    )
    return WorkbenchRead(page=page, figures=figures)


def workbench_figures(user) -> WorkbenchFigures:
    """The workbench's tiles over the officer's own open cases."""
    return workbench_read(user, size=0).figures


# --- the court's list ---------------------------------------------------------------


_DIGIT = re.compile(r"[0-9０-９]")


def search_is_case_number(text: str) -> bool:
    """A query with a digit is a case number (or its start); otherwise a party's name."""
    return bool(_DIGIT.search(text or ""))


def search_filter(queryset: QuerySet[EnforcementCase], text: str) -> QuerySet[EnforcementCase]:
    text = (text or "").strip()
    if not text:
        return queryset
    if search_is_case_number(text):
        key = case_number_normalise(text)
        # exact or prefix on the normalised key: either bracket form, full-width digits,
        # spaces, a number typed without its 号
        return queryset.filter(case_number_key__startswith=key)
    # a party's name as a case recorded it (prefix), within the caller's scope
    return _filter_by_ids(
        queryset,
        CaseParty.objects.filter(name__startswith=text[:120]).values_list("case_id", flat=True),
    )


# A filter that names few cases (the overdue ones of a court, a party's) is read first and
# handed to the list as ids: PostgreSQL then fetches those rows and sorts them, instead of
# walking the court's newest cases and probing each (thousands of probes when the matches
# are old). Past the cap the subquery stays (the list is then dense in matches anyway).
IDS_CAP = 20_000


def _filter_by_ids(queryset: QuerySet[EnforcementCase], values: QuerySet):
    """`queryset` limited to the case ids `values` reads: as one array parameter when they
    are few (`AnyOf`: thousands of literals cost more to parse and plan than to run, once
    for the page and again for its count), as a subquery past the cap."""
    ids = list(values[: IDS_CAP + 1])
    if len(ids) > IDS_CAP:
        return queryset.filter(pk__in=values)
    if not ids:
        return queryset.none()
    return queryset.filter(AnyOf(F("pk"), set(ids)))


def overdue_filter(queryset: QuerySet[EnforcementCase], user) -> QuerySet[EnforcementCase]:
    """Cases with a clock past due and not done: read from the deadlines of the courts in
    scope (`deadline_org_idx`), not case by case."""
    now = timezone.now()
    overdue = Deadline.objects.filter(content_type=_case_content_type()).filter(
        Q(state=Deadline.State.PENDING, due_at__lt=now)
        | Q(state=Deadline.State.MISSED, closed_at__isnull=True)
    )
    if not user.is_superuser:
        overdue = overdue.filter(organisation__in=court_ids_for(user))
    return _filter_by_ids(queryset, overdue.values_list("object_id", flat=True))


def court_ids_for(user) -> list[int]:
    """The courts in the user's scope as a list (one small query, kept on the user object
    for the request), so the list's filter is `court_id IN (…)` on the case indexes rather
    than a join."""
    cached = getattr(user, "_enforcement_court_ids", None)
    if cached is None:
        if connection.vendor == "postgresql" and user.is_authenticated and not user.is_superuser:
            cached = _court_ids_prepared(user)
        else:
            cached = list(courts_visible_to(user).values_list("pk", flat=True))
        user._enforcement_court_ids = cached
    return cached


def _court_ids_statement() -> str:
    return (
        f"SELECT o.id FROM {Organisation._meta.db_table} o "  # noqa: S608
        f"JOIN {Region._meta.db_table} r ON r.id = o.region_id "
        "WHERE o.kind = ANY($1) AND (o.path LIKE ANY($2) OR r.path LIKE ANY($3)) ORDER BY o.path"
    )


def _court_ids_prepared(user) -> list[int]:
    """`courts_visible_to(user)`'s ids with the user's memberships as parameters (the same
    rule as `selectors._court_condition`: a court's own members see it and its tribunals, a
    court's supervisors every court of their region and below), one prepared statement
    whatever the number of memberships. Tree paths are letters and digits: no LIKE escape."""
    own, regions = [], []
    for membership in user.active_memberships:
        organisation = membership.organisation
        if organisation.kind not in COURT_KINDS:
            continue
        if membership.role == Role.SUPERVISOR:
            regions.append(f"{organisation.region.path}%")
        else:
            own.append(f"{organisation.path}%")
    if not own and not regions:
        return []
    kinds = [str(kind) for kind in COURT_KINDS]
    rows = prepared.fetchall(
        _court_ids_statement(), ("text[]", "text[]", "text[]"), [kinds, own, regions]
    )
    return [row[0] for row in rows]


def court_scope(user) -> QuerySet[EnforcementCase]:
    if user.is_superuser:
        return EnforcementCase.objects.all()
    return EnforcementCase.objects.filter(court_id__in=court_ids_for(user))


def court_case_list(user, *, filters: dict) -> QuerySet[EnforcementCase]:
    """The court's list, newest first. `filters`: status, officer (a user or id),
    case_type, year, priority (enterprise / livelihood / small_claim), overdue,
    application_late, q (case number in any form, or a party's name)."""
    if not user or not user.is_authenticated:
        return EnforcementCase.objects.none()
    queryset = court_scope(user)
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    else:
        # matters under pre-enforcement urging have no number and are not cases (story 3):
        # listed only when their status is asked for (enf-filing)
        queryset = queryset.exclude(status__in=PRE_FILING_STATUSES)
    if filters.get("officer"):
        queryset = queryset.filter(officer=filters["officer"])
    if filters.get("case_type"):
        queryset = queryset.filter(case_type=filters["case_type"])
    if filters.get("year"):
        queryset = queryset.filter(number_year=filters["year"])
    if filters.get("priority") in PRIORITIES:
        queryset = queryset.filter(**{PRIORITIES[filters["priority"]]: True})
    if filters.get("application_late"):
        queryset = queryset.filter(application_late=True)
    if filters.get("overdue"):
        queryset = overdue_filter(queryset, user)
    queryset = search_filter(queryset, filters.get("q", ""))
    return queryset.select_related(*PAGE_RELATED).order_by("-created_at", "-id")


def court_list_page(queryset, *, after: str = "", size: int = 50) -> keyset.ListPage:
    if _narrowed_by_ids(queryset):
        return _narrowed_page(queryset, after=after, size=size)
    return keyset.keyset_page(queryset, field="created_at", after=after, size=size)


def _narrowed_by_ids(queryset) -> bool:
    """Whether a filter handed the list its cases as ids (`_filter_by_ids`: at most
    `IDS_CAP` of them)."""
    pk = EnforcementCase._meta.pk
    return any(
        isinstance(condition, AnyOf) and getattr(condition.lhs, "target", None) is pk
        for condition in queryset.query.where.children
    )


def _narrowed_page(queryset, *, after: str, size: int) -> keyset.ListPage:
    """A page of a list a filter narrowed to ids: one read of every match's (created_at,
    id, court) — an index scan of the ids, which the database would make anyway to sort
    them — ordered and cut here, so the count is exact and free (one COUNT and one EXPLAIN
    fewer), then the page's rows by their ids alone (beside the filter's own ids the
    planner guesses one row and walks the whole court), kept only if still in the court
    read (a case moved between the two reads is left out, as on the workbench)."""
    matches = sorted(queryset.order_by().values_list("created_at", "pk", "court_id"), reverse=True)
    total = len(matches)
    position = keyset.decode_cursor(after) if after else None
    if position is not None:
        matches = [match for match in matches if match[:2] < position]
    has_more = len(matches) > size
    court_of = {pk: court_id for _created, pk, court_id in matches[:size]}
    rows = (
        EnforcementCase.objects.select_related(*PAGE_RELATED).filter(AnyOf(F("pk"), court_of))
        if court_of
        else []
    )
    by_pk = {case.pk: case for case in rows if case.court_id == court_of[case.pk]}
    last = matches[size - 1][:2] if has_more else None
    return keyset.ListPage(
        items=[by_pk[pk] for pk in court_of if pk in by_pk],
        next_cursor=keyset.encode_cursor(*last) if last else "",
        has_more=has_more,
        total=total,
    )


# `_soonest_open_deadlines` on PostgreSQL: the condition is `open_deadline_condition` and
# the partial index's own, written out (tests compare it with the ORM's answer).
_SOONEST_SQL = (
    "SELECT DISTINCT ON (object_id) object_id, id, due_at, kind, label "  # noqa: S608
    f"FROM {Deadline._meta.db_table} "
    "WHERE content_type_id = $1 AND object_id = ANY($2) "
    f"AND (state = '{Deadline.State.PENDING.value}' "
    f"OR (state = '{Deadline.State.MISSED.value}' AND closed_at IS NULL)) "
    "ORDER BY object_id, due_at, id"
)


def _soonest_open_deadlines(case_ids: list[int]) -> dict[int, tuple]:
    """Each case's soonest open deadline as (case id, id, due_at, kind, label): one query.
    On PostgreSQL a prepared DISTINCT ON the case, an index-only scan of
    `deadline_subject_open_idx` (its condition written out, not a parameter, so that the
    generic plan still matches the partial index); elsewhere the open ones in order, the
    first of each kept here."""
    if not case_ids:
        return {}
    content_type = _case_content_type()
    if connection.vendor == "postgresql":
        rows = prepared.fetchall(_SOONEST_SQL, ("integer", "bigint[]"), [content_type.pk, case_ids])
        return {row[0]: row for row in rows}
    soonest: dict[int, tuple] = {}
    for row in (
        Deadline.objects.filter(content_type=content_type, object_id__in=case_ids)
        .filter(open_deadline_condition())
        .order_by("object_id", "due_at", "pk")
        .values_list("object_id", "pk", "due_at", "kind", "label")
    ):
        soonest.setdefault(row[0], row)
    return soonest


def _set_next_deadline(case: EnforcementCase, row: tuple | None) -> None:
    _case_id, case.next_deadline_id, case.next_due_at, case.next_deadline_kind, label = (
        row if row is not None else (None, None, None, "", "")
    )
    case.next_deadline_label = label


def attach_next_deadlines(cases: list[EnforcementCase]) -> list[EnforcementCase]:
    """The soonest open deadline of each case of a page (one query for the page), for the
    lists that are not ordered by it."""
    soonest = _soonest_open_deadlines([case.pk for case in cases])
    for case in cases:
        _set_next_deadline(case, soonest.get(case.pk))
    return cases


def assignable_officers(user) -> QuerySet[User]:
    """Enforcement officers of the courts the user may assign in (active members)."""
    return (
        User.objects.filter(
            memberships__organisation__in=court_ids_for(user),
            memberships__role=Role.ENFORCEMENT_OFFICER,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def _officer_options_statement() -> str:
    membership = Membership._meta.db_table
    return (
        f"SELECT u.id, u.full_name, u.username FROM {User._meta.db_table} u "  # noqa: S608
        "WHERE u.is_active AND EXISTS (SELECT FROM "
        f"{membership} m WHERE m.user_id = u.id AND m.organisation_id = ANY($1) "
        "AND m.role = $2 AND m.is_active) ORDER BY u.full_name, u.id"
    )


def assignable_officer_options(user) -> list[tuple[int, str]]:
    """`officer_options` of `assignable_officers(user)`: (id, name) for the list's selects,
    on every request of the court's list; on PostgreSQL a prepared statement."""
    if user.is_superuser or connection.vendor != "postgresql":
        from .forms_lists import officer_options

        return officer_options(assignable_officers(user))
    rows = prepared.fetchall(
        _officer_options_statement(), ("bigint[]", "text"),
        [court_ids_for(user), Role.ENFORCEMENT_OFFICER.value],
    )  # fmt: skip
    return [(pk, full_name or username) for pk, full_name, username in rows]


def officers_of_court(court) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation__path__startswith=court.path,
        memberships__role=Role.ENFORCEMENT_OFFICER,
        memberships__is_active=True,
        is_active=True,
    ).distinct()
