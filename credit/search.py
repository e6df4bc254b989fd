"""Staff search of the credit records by name (or ID number), fast at millions of entries.

Chinese personal names are two to four characters, so the search staff type is usually two
("张伟") or three characters. pg_trgm cannot serve two: a trigram index needs three
characters of the pattern, and `LIKE '%张伟%'` scans the table (bench/README.md: 2.6 s at
5,000,000 entries). So on PostgreSQL each sanction's name is indexed by its **character
bigrams**: the IMMUTABLE SQL function `credit_name_bigrams(text) → text[]` (张伟华 →
{张伟, 伟华}) and a GIN index on that expression for `credit_listing` and
`credit_restriction` (migration 0003). A search for q (≥ 2 characters) asks
`credit_name_bigrams(debtor_name) @> bigrams(q)` — served by the GIN index, it finds the
few thousand names that contain every bigram of q — and rechecks `debtor_name LIKE '%q%'`
(the bigrams of "张伟华" are also in "张伟伟华"). Exact matches come first, then by name.

Why bigrams rather than an exact-name btree plus prefix: it also finds a name by its given
name or an infix ("伟华", an organisation's "建筑"), a 3- or 4-character query narrows
further through the same index, it needs no column (nothing to keep in step on bulk loads
or in the feed), and it costs one GIN index per table. One character is refused (a surname
alone matches hundreds of thousands of people). An 18-character ID number searches by its
blind index instead (the party's unique index).

On SQLite (`make run`) the same search is a plain `LIKE` filter.
"""

from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Case, F, Func, IntegerField, Q, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from cases.models import Party
from common import pii
from common.validators import normalise_id_number, validate_id_number
from enforcement.selectors import courts_visible_to

from .models import PUBLIC_STATES, Listing, Restriction
from .selectors import moved_in_cases, sanctions_condition

MIN_CHARS = 2
MAX_CHARS = 60
LIMIT = 50


def bigrams(text: str) -> list[str]:
    """The distinct character bigrams of `text`, as `credit_name_bigrams` computes them."""
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})


class NameBigrams(Func):
    function = "credit_name_bigrams"
    output_field = ArrayField(models.TextField())


def normalise_query(value: str) -> str:
    return "".join((value or "").split())


def looks_like_id_number(value: str) -> bool:
    number = normalise_id_number(value)
    return len(number) == 18 and number[:17].isdigit()


def query_errors(value: str) -> list[str]:
    """Why `value` cannot be searched (empty list: it can)."""
    q = normalise_query(value)
    if looks_like_id_number(q):
        try:
            validate_id_number(q)
        except ValidationError as exc:
            return list(exc.messages)
        return []
    if len(q) < MIN_CHARS:
        return [_("请至少输入两个字的姓名或名称，或完整的身份证号码。")]
    if len(q) > MAX_CHARS:
        return [_("姓名或名称过长。")]
    return []


def name_filter(queryset, q: str):
    """Sanctions whose frozen name contains `q` (≥ 2 characters), exact matches first."""
    queryset = queryset.filter(debtor_name__contains=q)
    if connection.vendor == "postgresql":
        queryset = queryset.alias(name_bigrams=NameBigrams(F("debtor_name"))).filter(
            name_bigrams__contains=bigrams(q)
        )
    return queryset.alias(
        exact=Case(
            When(debtor_name=q, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("exact", "debtor_name", "pk")


@dataclass
class SearchHit:
    kind: str  # "listing" or "restriction"
    record: object
    in_scope: bool  # the user's courts: the record page is open to them

    @property
    def name(self) -> str:
        return self.record.debtor_name


@dataclass
class SearchResult:
    query: str
    hits: list
    more: bool  # more than LIMIT matched: refine the query


def _visible(queryset, user, courts):
    """Everything of the user's courts (decided by them, or of a case moved to them);
    elsewhere only what the public sees."""
    if user.is_superuser:
        return queryset
    return queryset.filter(sanctions_condition(courts) | Q(publication__in=PUBLIC_STATES))


def search_courts(user):
    """The user's courts; 404 for anyone outside the courts (as the debtor record)."""
    if not user or not user.is_authenticated:
        raise Http404
    courts = courts_visible_to(user)
    if not user.is_superuser and not courts.exists():
        raise Http404
    return courts


def credit_search(user, query: str, *, limit: int = LIMIT) -> SearchResult:
    """Listings and restrictions matching a name (≥ 2 characters) or an ID number, the
    user's courts in full and other courts' published entries. 404 for users outside the
    courts; a query that cannot be searched → ValidationError({"q": …})."""
    courts = search_courts(user)
    errors = query_errors(query)
    if errors:
        raise ValidationError({"q": errors})
    q = normalise_query(query)
    court_ids = set(courts.values_list("pk", flat=True))
    hits = []
    for kind, model in (("listing", Listing), ("restriction", Restriction)):
        # the court and case are read afterwards for the ≤ 51 rows (prefetch): joined into the
        # sorted query, the planner (which cannot estimate the bigram match) nested-loops
        # the case table for every matching name
        queryset = _visible(
            model.objects.prefetch_related("court", "case"), user, courts.values("pk")
        )
        if looks_like_id_number(q):
            party = Party.objects.filter(id_number_index=pii.id_number_index(q)).first()
            queryset = (
                queryset.filter(debtor=party).order_by("debtor_name", "pk")
                if party
                else (queryset.none())
            )
        else:
            queryset = name_filter(queryset, q)
        hits.extend(SearchHit(kind, record, False) for record in queryset[: limit + 1])
    # in scope: decided by the user's courts, or of a case moved to them (one query for
    # the hits of other courts' decisions, none when there are none)
    elsewhere = {h.record.case_id for h in hits if h.record.court_id not in court_ids}
    moved_in = (
        set(moved_in_cases(courts.values("pk")).filter(case_id__in=elsewhere).values_list(
            "case_id", flat=True))
        if elsewhere and not user.is_superuser
        else set()
    )  # fmt: skip
    for hit in hits:
        hit.in_scope = (
            user.is_superuser or hit.record.court_id in court_ids or hit.record.case_id in moved_in
        )
    hits.sort(key=lambda h: (h.record.debtor_name != q, h.record.debtor_name, h.kind, h.record.pk))
    return SearchResult(query=q, hits=hits[:limit], more=len(hits) > limit)
