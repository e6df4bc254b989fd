"""The public lookup (失信被执行人 / 限制消费人员 查询): exact identity, published only.

A search needs the name *and* the ID number (or credit code); the ID number is matched
through the blind index (common.pii), so the plain number is never stored or compared. A
wrong name with a right number answers exactly like an unknown number: the page does not
confirm that a number exists.

Every answer is read from the database at the moment of the request, with no cache: an
entry removed or shielded a second ago is gone from the next answer.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, Value
from django.utils import timezone

from cases.models import Party
from common.masking import mask_name
from common.pii import id_number_index

from ..models import PUBLIC_STATES, BoundPerson, BoundRole, Ground, Listing, Restriction

# only what the page shows, as plain values (an enforcement case has some forty columns)
_SHOWN = (
    "pk",
    "debtor_id",
    "debtor_kind",
    "debtor_name",
    "debtor_sex",
    "debtor_birth_date",
    "debtor_id_masked",
    "debtor_credit_code",
    "debtor_legal_representative",
    "published_at",
    "case__case_number",
    "case__basis__document_number",
    "case__basis__issuing_body",
    "court__name",
)
_LISTING_SHOWN = ("duty", "conduct", "performance", "ground")


@dataclass
class PublicEntry:
    kind: str  # "listing" 失信被执行人 / "restriction" 限制消费
    debtor_kind: str
    name: str  # persons masked (张*), organisations in full
    sex: str
    age: int | None
    id_number_masked: str
    credit_code: str
    legal_representative: str
    court: str
    case_number: str
    basis_document_number: str
    basis_issuing_body: str
    published_on: date | None
    duty: str = ""
    conduct: str = ""
    performance: str = ""
    ground_label: str = ""
    bound_role: str = ""  # set when the searched person is bound by an organisation's entry


@dataclass
class LookupResult:
    entries: list[PublicEntry] = field(default_factory=list)

    @property
    def listings(self):
        return [entry for entry in self.entries if entry.kind == "listing"]

    @property
    def restrictions(self):
        return [entry for entry in self.entries if entry.kind == "restriction"]


def _public_entry(kind: str, row: tuple, today: date, *, bound_role: str = "") -> PublicEntry:
    (
        _pk, _debtor, debtor_kind, name, sex, birth, masked, credit_code, legal_representative,
        published, case_number, basis_number, basis_body, court, *own,
    ) = row  # fmt: skip
    is_person = debtor_kind != "organisation"
    entry = PublicEntry(
        kind=kind,
        debtor_kind=debtor_kind,
        name=mask_name(name) if is_person else name,
        sex=sex if is_person else "",
        age=_age(birth, today) if is_person else None,
        id_number_masked=masked if is_person else "",
        credit_code="" if is_person else credit_code,
        legal_representative="" if is_person else legal_representative,
        court=court,
        case_number=case_number,
        basis_document_number=basis_number,
        basis_issuing_body=basis_body,
        published_on=timezone.localdate(published) if published else None,
        bound_role=bound_role,
    )
    if kind == "listing":
        entry.duty, entry.conduct, entry.performance, ground = own
        entry.ground_label = str(dict(Ground.choices).get(ground, ground))
    return entry


def _age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _published(debtors: list[int], name: str, bound: list[tuple]) -> list[tuple]:
    """The published listings, then restrictions (newest first), of the debtors under this
    name or binding the person (`bound`): one query, a UNION ALL of the two tables, rows as
    (kind, *_SHOWN, *_LISTING_SHOWN) with the listing-only columns blank for restrictions."""
    own = Q(debtor_id__in=debtors, debtor_name=name)
    parts = []
    for kind, model, at in (("listing", Listing, 1), ("restriction", Restriction, 2)):
        ids = [row[at] for row in bound if row[at]]
        queryset = model.objects.filter(own | Q(pk__in=ids) if ids else own).filter(
            publication__in=PUBLIC_STATES
        )
        if kind == "listing":
            queryset = queryset.annotate(kind=Value(kind))
            own_columns = _LISTING_SHOWN
        else:
            blank = {f"blank_{column}": Value("") for column in _LISTING_SHOWN}
            queryset = queryset.annotate(kind=Value(kind), **blank)
            own_columns = tuple(blank)
        parts.append(queryset.order_by().values_list("kind", *_SHOWN, *own_columns))
    return list(parts[0].union(parts[1], all=True).order_by("kind", "-published_at", "-pk"))


def public_lookup(*, name: str, identity: str, kind: str) -> LookupResult:
    """Published listings and restrictions of the debtor with exactly this name and this
    ID number (`kind` "person") or credit code ("organisation"); for a person, also the
    published entries of organisations that bind them (法定代表人 and the like).

    The party first, by its unique index (blind index or credit code): nobody found is one
    query. Then the persons' bindings, and the listings and restrictions, own and bound, in
    one query: three at most, read as plain values (no models to build)."""
    if kind == "person":
        party = {"kind": Party.Kind.PERSON, "id_number_index": id_number_index(identity)}
    else:
        party = {"kind": Party.Kind.ORGANISATION, "credit_code": identity}
    debtors = list(Party.objects.filter(**party).values_list("pk", flat=True))
    if not debtors:
        return LookupResult()
    bound = []
    if kind == "person":
        bound = list(
            BoundPerson.objects.filter(party_id__in=debtors, name=name)
            .order_by("role", "pk")
            .values_list("role", "listing_id", "restriction_id")
        )
    rows = _published(debtors, name, bound)
    today = timezone.localdate()
    debtor_set = set(debtors)
    entries = [
        _public_entry(row[0], row[1:], today)
        for row in rows
        if row[2] in debtor_set and row[4] == name
    ]
    if bound:
        by_key = {(row[0], row[1]): row for row in rows}
        roles = dict(BoundRole.choices)
        for role, listing, restriction in bound:
            key = ("listing", listing) if listing else ("restriction", restriction)
            row = by_key.get(key)
            if row is not None:  # published
                entries.append(
                    _public_entry(key[0], row[1:], today, bound_role=str(roles.get(role, role)))
                )
    return LookupResult(entries=entries)
