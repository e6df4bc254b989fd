"""What partners read: published entries, and every later change to them, after a cursor.

The cursor is the feed version (credit.models.CreditChange.version), one gap-free counter
whose numbers become visible in commit order, so "version > cursor" never skips a change.
Each change is answered with the entry's *current* state, not the state when the change
was made: an entry published at version 10 and removed at 20 reads at 10 as "not in force,
no data", so a partner starting from 0 never receives the facts of someone already
restored. The partner's rule is one line: `in_force` → upsert `entry` under `key`, else
delete `key`.

Pages are keyset pages (`version > cursor ORDER BY version LIMIT n`) on the unique index:
the 100th page costs what the first does, and nothing holds the whole feed in memory.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q
from django.utils import timezone

from common.lookups import AnyOf
from common.pii import decrypt
from enforcement.models import EnforcementCase
from organisations.models import Organisation

from ..models import (
    PUBLIC_STATES,
    BoundPerson,
    CreditChange,
    FeedRead,
    FeedScope,
    Ground,
    OneTimeLifting,
    VoluntaryPerformance,
)

MAX_PAGE = 1000
DEFAULT_PAGE = 500


@dataclass
class FeedPage:
    items: list[dict]
    cursor: int
    next_cursor: int
    has_more: bool


# the sanction's own columns, read for each change (positional: no dict per row)
_SANCTION_COLUMNS = (
    "publication",
    "debtor_kind",
    "debtor_name",
    "debtor_id_masked",
    "debtor_credit_code",
    "debtor_sex",
    "debtor_birth_date",
    "debtor_legal_representative",
    "published_at",
    "starts_on",
    "ends_on",
    "case_id",
    "court_id",
)
_KIND_COLUMNS = {
    "listing": ("ground", "grade", "duty", "conduct", "performance"),
    "restriction": ("basis", "reasons"),
}
_CHANGE_COLUMNS = ("version", "action", "created_at", "listing_id", "restriction_id")


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _id_number(encrypted: str | None) -> str:
    return decrypt(encrypted) if encrypted else ""


def _bound_persons(ids: dict[str, list[int]], *, with_identity: bool) -> dict[tuple, list]:
    """The persons bound by the page's live entries, by (kind, id), in (role, pk) order:
    one query for both kinds."""
    wanted = Q()
    for kind, pks in ids.items():
        if pks:
            wanted |= Q(AnyOf(F(f"{kind}_id"), pks))
    fields = ["listing_id", "restriction_id", "role", "name", "id_number_masked"]
    if with_identity:
        fields.append("party__id_number_encrypted")
    bound: dict[tuple, list] = {}
    rows = BoundPerson.objects.filter(wanted).order_by("role", "pk").values_list(*fields)
    for listing_id, restriction_id, role, name, masked, *encrypted in rows:
        person = {"role": role, "name": name, "id_number_masked": masked}
        if with_identity:
            person["id_number"] = _id_number(encrypted[0])
        key = ("listing", listing_id) if listing_id else ("restriction", restriction_id)
        bound.setdefault(key, []).append(person)
    return bound


def _liftings(ids: list[int], today: date) -> dict[int, list]:
    liftings: dict[int, list] = {}
    rows = OneTimeLifting.objects.filter(
        AnyOf(F("restriction_id"), ids),
        state=OneTimeLifting.State.APPROVED,
        ends_on__gte=today,
    ).order_by("starts_on", "pk")
    for restriction_id, starts_on, ends_on, need in rows.values_list(
        "restriction_id", "starts_on", "ends_on", "need"
    ):
        liftings.setdefault(restriction_id, []).append(
            {"starts_on": starts_on, "ends_on": ends_on, "need": need}
        )
    return liftings


def _places(case_ids: set[int], court_ids: set[int]) -> tuple[dict, dict]:
    """What the page's entries say about their cases and courts, read once a page: a page of
    1,000 changes names a few hundred cases at most, so the main query carries two ids per
    row instead of four strings."""
    cases = {
        pk: (number, basis_number, basis_body)
        for pk, number, basis_number, basis_body in EnforcementCase.objects.filter(
            AnyOf(F("pk"), case_ids)
        )
        .order_by()
        .values_list("pk", "case_number", "basis__document_number", "basis__issuing_body")
    }
    courts = dict(
        Organisation.objects.filter(AnyOf(F("pk"), court_ids)).order_by().values_list("pk", "name")
    )
    return cases, courts


def _page_rows(kinds: list[str], cursor: int, limit: int, *, with_identity: bool):
    """The page's changes with their sanctions' columns, as tuples in version order (an
    index range on the unique version, each sanction by its primary key). The table has
    parallel scans switched off (migration credit 0004): the planner cannot see how early
    the LIMIT stops and would otherwise start a worker for every page."""
    queryset = CreditChange.objects.filter(version__gt=cursor).order_by("version")
    for kind in ("listing", "restriction"):
        if kind not in kinds:
            queryset = queryset.filter(**{f"{kind}__isnull": True})
    fields = list(_CHANGE_COLUMNS)
    for kind in kinds:
        # per kind: the shared columns, the debtor's sealed ID number (identity scope only),
        # the kind's own columns
        fields += [f"{kind}__{name}" for name in _SANCTION_COLUMNS]
        if with_identity:
            fields.append(f"{kind}__debtor__id_number_encrypted")
        fields += [f"{kind}__{name}" for name in _KIND_COLUMNS[kind]]
    return list(queryset.values_list(*fields)[:limit])


def changes_page(*, scopes, cursor: int, size: int = DEFAULT_PAGE) -> FeedPage:
    """Changes after `cursor` for the scopes' kinds, each with its entry's current state.

    A page of any size is a fixed number of queries: the changes with their sanctions, the
    cases and courts they name, the bound persons and the one-time liftings. Rows are tuples
    (no model instances, no dict per row); the answer is plain data for the JSON encoder."""
    with_identity = FeedScope.IDENTITY in scopes
    kinds = [
        kind
        for kind, scope in (
            ("listing", FeedScope.LISTINGS),
            ("restriction", FeedScope.RESTRICTIONS),
        )
        if scope in scopes
    ]
    rows = _page_rows(kinds, cursor, size + 1, with_identity=with_identity)
    has_more = len(rows) > size
    rows = rows[:size]
    today = timezone.localdate()

    # where each kind's columns start in a row, and how many it has
    start, width = {}, len(_SANCTION_COLUMNS) + int(with_identity)
    offset = len(_CHANGE_COLUMNS)
    for kind in kinds:
        start[kind] = offset
        offset += width + len(_KIND_COLUMNS[kind])
    publication, case_at, court_at = (
        0,
        _SANCTION_COLUMNS.index("case_id"),
        _SANCTION_COLUMNS.index("court_id"),
    )

    live: dict[str, list[int]] = {"listing": [], "restriction": []}
    case_ids, court_ids = set(), set()
    for row in rows:
        kind = "listing" if row[3] else "restriction"
        at = start[kind]
        if row[at + publication] in PUBLIC_STATES:
            live[kind].append(row[3] or row[4])
            case_ids.add(row[at + case_at])
            court_ids.add(row[at + court_at])
    bound = (
        _bound_persons(live, with_identity=with_identity)
        if live["listing"] or live["restriction"]
        else {}
    )
    liftings = _liftings(live["restriction"], today) if live["restriction"] else {}
    cases, courts = _places(case_ids, court_ids) if case_ids else ({}, {})
    grounds = {value: str(label) for value, label in Ground.choices}

    # the loop below runs 1,000 times a page: no keyword dicts, no helper calls for times.
    # Times go out as ISO 8601 text in Beijing time: the JSON encoder then never calls back
    # into Python for a datetime (a third of a page's encoding time).
    zone = timezone.get_current_timezone()
    prefix = {"listing": "L", "restriction": "R"}
    items = []
    for row in rows:
        version, action, created_at, listing_id, restriction_id = row[:5]
        kind = "listing" if listing_id else "restriction"
        pk = listing_id or restriction_id
        at = start[kind]
        (
            state, debtor_kind, name, masked, credit_code, sex, birth, legal_representative,
            published_at, starts_on, ends_on, case_id, court_id,
        ) = row[at : at + len(_SANCTION_COLUMNS)]  # fmt: skip
        in_force = state in PUBLIC_STATES
        entry = None
        if in_force:
            if debtor_kind == "organisation":
                debtor = {
                    "type": "organisation",
                    "name": name,
                    "credit_code": credit_code,
                    "legal_representative": legal_representative,
                }
            else:
                debtor = {
                    "type": "person",
                    "name": name,
                    "sex": sex,
                    "age": _age(birth, today),
                    "id_number_masked": masked,
                }
                if with_identity:
                    debtor["id_number"] = _id_number(row[at + width - 1])
            case_number, basis_number, basis_body = cases[case_id]
            entry = {
                "debtor": debtor,
                "bound_persons": bound.get((kind, pk), []),
                "court": courts[court_id],
                "case_number": case_number,
                "basis_document_number": basis_number,
                "basis_issuing_body": basis_body,
                "published_at": published_at.astimezone(zone).isoformat() if published_at else None,
                "starts_on": _day(starts_on),
                "ends_on": _day(ends_on),
            }
            if kind == "listing":
                ground, grade, duty, conduct, performance = row[at + width : at + width + 5]
                entry["ground"] = ground
                entry["ground_label"] = grounds.get(ground, "")
                entry["grade"] = grade
                entry["duty"] = duty
                entry["conduct"] = conduct
                entry["performance"] = performance
            else:
                entry["basis"], entry["reasons"] = row[at + width : at + width + 2]
                entry["one_time_liftings"] = liftings.get(pk, [])
        items.append(
            {
                "version": version,
                "action": action,
                "kind": kind,
                "key": f"{prefix[kind]}{pk}",
                "in_force": in_force,
                "changed_at": created_at.astimezone(zone).isoformat(),
                "entry": entry,
            }
        )
    next_cursor = rows[-1][0] if rows else cursor
    return FeedPage(items=items, cursor=cursor, next_cursor=next_cursor, has_more=has_more)


def voluntary_page(*, scopes, cursor: int, size: int = DEFAULT_PAGE) -> FeedPage:
    """The voluntary performers' register (守信激励) after `cursor` (its `feed_version`); a
    record withdrawn from publication reads `in_force: false` (delete it)."""
    queryset = (
        VoluntaryPerformance.objects.filter(feed_version__gt=cursor)
        .select_related("court", "case")
        .order_by("feed_version")
    )
    rows = list(queryset[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    items = []
    for record in rows:
        entry = None
        if record.public:
            entry = {
                "name": record.party_name,
                "court": record.court.name,
                "basis_document": record.basis_document,
                "case_number": record.case.case_number if record.case_id else "",
                "duty": record.duty,
                "amount": None if record.amount is None else str(record.amount),
                "performed_on": record.performed_on,
            }
        items.append(
            {
                "version": record.feed_version,
                "key": f"V{record.pk}",
                "in_force": record.public,
                "entry": entry,
            }
        )
    next_cursor = rows[-1].feed_version if rows else cursor
    return FeedPage(items=items, cursor=cursor, next_cursor=next_cursor, has_more=has_more)


def reads_for_agency(agency_id: int, *, before: int | None = None, size: int = 100):
    """The agency's own read log, newest first (keyset on id)."""
    queryset = FeedRead.objects.filter(agency_id=agency_id).select_related("token")
    if before:
        queryset = queryset.filter(pk__lt=before)
    return list(queryset.order_by("-pk")[:size])
