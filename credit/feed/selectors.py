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

from django.utils import timezone

from common.pii import decrypt

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


_SANCTION_FIELDS = (
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
    "case__case_number",
    "case__basis__document_number",
    "case__basis__issuing_body",
    "court__name",
)
_KIND_FIELDS = {
    "listing": ("ground", "grade", "duty", "conduct", "performance"),
    "restriction": ("basis", "reasons"),
}


def _local(moment, zone=None) -> str | None:
    """ISO 8601 in Beijing time, as text here: the JSON encoder then never calls back into
    Python for a date (a third of a page's encoding time)."""
    if not moment:
        return None
    return moment.astimezone(zone or timezone.get_current_timezone()).isoformat()


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _id_number(encrypted: str | None) -> str:
    return decrypt(encrypted) if encrypted else ""


def _debtor(row: dict, today: date, *, with_identity: bool) -> dict:
    if row["debtor_kind"] == "organisation":
        return {
            "type": "organisation",
            "name": row["debtor_name"],
            "credit_code": row["debtor_credit_code"],
            "legal_representative": row["debtor_legal_representative"],
        }
    data = {
        "type": "person",
        "name": row["debtor_name"],
        "sex": row["debtor_sex"],
        "age": _age(row["debtor_birth_date"], today),
        "id_number_masked": row["debtor_id_masked"],
    }
    if with_identity:
        data["id_number"] = _id_number(row["debtor__id_number_encrypted"])
    return data


def _entry(
    kind: str, row: dict, today: date, extras: dict, *, with_identity: bool, zone=None
) -> dict:
    entry = {
        "debtor": _debtor(row, today, with_identity=with_identity),
        "bound_persons": extras["bound"].get(row["id"], []),
        "court": row["court__name"],
        "case_number": row["case__case_number"],
        "basis_document_number": row["case__basis__document_number"],
        "basis_issuing_body": row["case__basis__issuing_body"],
        "published_at": _local(row["published_at"], zone),
        "starts_on": _day(row["starts_on"]),
        "ends_on": _day(row["ends_on"]),
    }
    if kind == "listing":
        entry.update(
            ground=row["ground"],
            ground_label=extras["grounds"].get(row["ground"], ""),
            grade=row["grade"],
            duty=row["duty"],
            conduct=row["conduct"],
            performance=row["performance"],
        )
    else:
        entry.update(
            basis=row["basis"],
            reasons=row["reasons"],
            one_time_liftings=extras["liftings"].get(row["id"], []),
        )
    return entry


def _bound_persons(kind: str, ids: list[int], *, with_identity: bool) -> dict[int, list]:
    fields = [f"{kind}_id", "role", "name", "id_number_masked"]
    if with_identity:
        fields.append("party__id_number_encrypted")
    bound: dict[int, list] = {}
    rows = BoundPerson.objects.filter(**{f"{kind}_id__in": ids}).order_by("role", "pk")
    for row in rows.values(*fields):
        person = {"role": row["role"], "name": row["name"]}
        person["id_number_masked"] = row["id_number_masked"]
        if with_identity:
            person["id_number"] = _id_number(row["party__id_number_encrypted"])
        bound.setdefault(row[f"{kind}_id"], []).append(person)
    return bound


def _liftings(ids: list[int], today: date) -> dict[int, list]:
    liftings: dict[int, list] = {}
    rows = OneTimeLifting.objects.filter(
        restriction_id__in=ids, state=OneTimeLifting.State.APPROVED, ends_on__gte=today
    ).order_by("starts_on", "pk")
    for row in rows.values("restriction_id", "starts_on", "ends_on", "need"):
        restriction_id = row.pop("restriction_id")
        liftings.setdefault(restriction_id, []).append(row)
    return liftings


def changes_page(*, scopes, cursor: int, size: int = DEFAULT_PAGE) -> FeedPage:
    """Changes after `cursor` for the scopes' kinds, each with its entry's current state.

    Rows are read as values (no model instances: a page of 1,000 changes is one query with
    its joins, plus one each for bound persons and one-time liftings, whatever its size)."""
    with_identity = FeedScope.IDENTITY in scopes
    kinds = [
        kind
        for kind, scope in (
            ("listing", FeedScope.LISTINGS),
            ("restriction", FeedScope.RESTRICTIONS),
        )
        if scope in scopes
    ]
    queryset = CreditChange.objects.filter(version__gt=cursor).order_by("version")
    for kind in ("listing", "restriction"):
        if kind not in kinds:
            queryset = queryset.filter(**{f"{kind}__isnull": True})
    fields = ["version", "action", "created_at", "listing_id", "restriction_id"]
    for kind in kinds:
        fields += [f"{kind}__{name}" for name in (*_SANCTION_FIELDS, *_KIND_FIELDS[kind])]
        if with_identity:
            fields.append(f"{kind}__debtor__id_number_encrypted")
    rows = list(queryset.values(*fields)[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    today = timezone.localdate()

    live: dict[str, list[int]] = {"listing": [], "restriction": []}
    for row in rows:
        kind = "listing" if row["listing_id"] else "restriction"
        if row[f"{kind}__publication"] in PUBLIC_STATES:
            live[kind].append(row[f"{kind}_id"])
    extras = {
        kind: {
            "bound": _bound_persons(kind, ids, with_identity=with_identity) if ids else {},
            "liftings": _liftings(ids, today) if kind == "restriction" and ids else {},
            "grounds": {value: str(label) for value, label in Ground.choices},
        }
        for kind, ids in live.items()
    }

    zone = timezone.get_current_timezone()
    # "listing__debtor_name" → "debtor_name", worked out once per page, not per row
    short = {
        kind: [(name, name[len(kind) + 2 :]) for name in fields if name.startswith(f"{kind}__")]
        for kind in kinds
    }
    items = []
    for row in rows:
        kind = "listing" if row["listing_id"] else "restriction"
        pk = row[f"{kind}_id"]
        in_force = row[f"{kind}__publication"] in PUBLIC_STATES
        entry = None
        if in_force:
            sanction = {name: row[key] for key, name in short[kind]}
            sanction["id"] = pk
            entry = _entry(
                kind, sanction, today, extras[kind], with_identity=with_identity, zone=zone
            )
        items.append(
            {
                "version": row["version"],
                "action": row["action"],
                "kind": kind,
                "key": f"{'L' if kind == 'listing' else 'R'}{pk}",
                "in_force": in_force,
                "changed_at": _local(row["created_at"], zone),
                "entry": entry,
            }
        )
    next_cursor = rows[-1]["version"] if rows else cursor
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
