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

from django.db.models import Q
from django.utils import timezone

from cases.models import Party
from common.masking import mask_name
from common.pii import id_number_index

from ..models import PUBLIC_STATES, BoundPerson, Listing, Restriction

_RELATED = ("case__basis", "court")
# only what the page shows: an enforcement case has some forty columns
_SHOWN = (
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
_LISTING_SHOWN = (*_SHOWN, "duty", "conduct", "performance", "ground")


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


def _public_entry(sanction, today: date, *, bound_role: str = "") -> PublicEntry:
    is_person = sanction.debtor_kind != "organisation"
    basis = sanction.case.basis
    published = sanction.published_at
    entry = PublicEntry(
        kind="listing" if isinstance(sanction, Listing) else "restriction",
        debtor_kind=sanction.debtor_kind,
        name=mask_name(sanction.debtor_name) if is_person else sanction.debtor_name,
        sex=sanction.debtor_sex if is_person else "",
        age=sanction.age_on(today) if is_person else None,
        id_number_masked=sanction.debtor_id_masked if is_person else "",
        credit_code="" if is_person else sanction.debtor_credit_code,
        legal_representative="" if is_person else sanction.debtor_legal_representative,
        court=sanction.court.name,
        case_number=sanction.case.case_number,
        basis_document_number=basis.document_number,
        basis_issuing_body=basis.issuing_body,
        published_on=timezone.localdate(published) if published else None,
        bound_role=bound_role,
    )
    if isinstance(sanction, Listing):
        entry.duty = sanction.duty
        entry.conduct = sanction.conduct
        entry.performance = sanction.performance
        entry.ground_label = sanction.get_ground_display()
    return entry


def public_lookup(*, name: str, identity: str, kind: str) -> LookupResult:
    """Published listings and restrictions of the debtor with exactly this name and this
    ID number (`kind` "person") or credit code ("organisation"); for a person, also the
    published entries of organisations that bind them (法定代表人 and the like)."""
    # the party is found by its unique index (blind index or credit code) inside each query
    if kind == "person":
        party = Q(debtor__kind=Party.Kind.PERSON, debtor__id_number_index=id_number_index(identity))
    else:
        party = Q(debtor__kind=Party.Kind.ORGANISATION, debtor__credit_code=identity)
    today = timezone.localdate()
    own = party & Q(publication__in=PUBLIC_STATES, debtor_name=name)
    sanctions = [
        *Listing.objects.filter(own).select_related(*_RELATED).order_by("-published_at", "-pk"),
        *Restriction.objects.filter(own).select_related(*_RELATED).order_by("-published_at", "-pk"),
    ]
    entries = [_public_entry(sanction, today) for sanction in sanctions]
    if kind == "person":
        bound = (
            BoundPerson.objects.filter(
                party__kind=Party.Kind.PERSON,
                party__id_number_index=id_number_index(identity),
                name=name,
            )
            .filter(
                Q(listing__publication__in=PUBLIC_STATES)
                | Q(restriction__publication__in=PUBLIC_STATES)
            )
            .select_related(
                *(f"listing__{rel}" for rel in _RELATED),
                *(f"restriction__{rel}" for rel in _RELATED),
            )
            .only(
                "role",
                "listing_id",
                "restriction_id",
                *(f"listing__{name}" for name in _LISTING_SHOWN),
                *(f"restriction__{name}" for name in _SHOWN),
            )
        )
        for person in bound:
            sanction = person.listing or person.restriction
            entries.append(_public_entry(sanction, today, bound_role=person.get_role_display()))
    return LookupResult(entries=entries)
