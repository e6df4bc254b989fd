"""Reads of the cases app: scoped querysets, permission-checked getters (404), the list
with keyset pagination and Chinese search, the inbox, supervision and duplicates."""

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from common import keyset, pii
from common.search import query_tokens, tokenize
from common.validators import (
    MOBILE_RE,
    normalise_credit_code,
    normalise_id_number,
    normalise_mobile,
)
from organisations.roles import Role
from organisations.selectors import organisations_visible_to, roles_in_scope_of

from . import conf
from .models import (
    ACTIVE_DISPATCH_STATUSES,
    OPEN_STATUSES,
    Attachment,
    Bundle,
    Dispatch,
    DispatchStatus,
    Dispute,
    DisputeParty,
    DisputeStatus,
    Party,
    PartyRole,
    Rating,
)

LIST_RELATED = ("organisation", "region", "lead_organisation", "assignee")


# --- scope -----------------------------------------------------------------------------


def _own_organisations(user) -> QuerySet:
    """Organisations a user acts for as a responder: own memberships' subtrees (no region reach)."""
    from organisations.models import Organisation

    condition = Q(pk__in=[])
    for membership in user.active_memberships:
        if membership.role != Role.SUPERVISOR:
            condition |= Q(path__startswith=membership.organisation.path)
    return Organisation.objects.filter(condition)


def dispute_scope(user) -> QuerySet[Dispute]:
    """Disputes the user may see: registered in their scope (centres: subtree; supervisors:
    region), or dispatched to their own organisation (responders)."""
    if not user or not user.is_authenticated:
        return Dispute.objects.none()
    if user.is_superuser:
        return Dispute.objects.all()
    visible = organisations_visible_to(user).values("pk")
    dispatched = Dispatch.objects.filter(
        dispute=OuterRef("pk"), responder__in=_own_organisations(user).values("pk")
    )
    return Dispute.objects.filter(Q(organisation__in=visible) | Exists(dispatched))


def dispute_get_for_user(user, pk) -> Dispute:
    """The one permission-checked fetch of a dispute: out of scope answers 404."""
    try:
        return (
            dispute_scope(user)
            .select_related(*LIST_RELATED, "coordinator", "registered_by", "bundle")
            .get(pk=pk)
        )
    except (Dispute.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def dispute_history_getter(user, pk) -> Dispute:
    return dispute_get_for_user(user, pk)


def dispute_history_related(dispute) -> tuple[QuerySet, ...]:
    """Records whose audit entries belong in the dispute's history: its dispatches (the
    responders' accept / answer / hand-back), attachments (uploads and downloads) and
    rating links."""
    return (
        Dispatch.objects.filter(dispute=dispute),
        Attachment.objects.filter(dispute=dispute),
        Rating.objects.filter(dispute=dispute),
    )


def attachment_get_for_user(user, pk) -> Attachment:
    """An attachment is readable exactly where its dispute is (404 otherwise)."""
    try:
        return Attachment.objects.filter(dispute__in=dispute_scope(user)).get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def inbox_scope(user) -> QuerySet[Dispatch]:
    """A responder's inbox (应哨): dispatches to their own organisation(s) only."""
    if not user or not user.is_authenticated:
        return Dispatch.objects.none()
    queryset = Dispatch.objects.select_related(
        "dispute", "dispute__organisation", "responder", "dispatched_by"
    )
    if user.is_superuser:
        return queryset
    return queryset.filter(responder__in=_own_organisations(user).values("pk"))


def dispatch_scope(user) -> QuerySet[Dispatch]:
    """Dispatches the user may see: their inbox, plus every dispatch of disputes in their scope."""
    if not user or not user.is_authenticated:
        return Dispatch.objects.none()
    queryset = Dispatch.objects.select_related(
        "dispute", "dispute__organisation", "responder", "dispatched_by"
    )
    if user.is_superuser:
        return queryset
    return queryset.filter(
        Q(responder__in=_own_organisations(user).values("pk"))
        | Q(dispute__organisation__in=organisations_visible_to(user).values("pk"))
    )


def dispatch_get_for_user(user, pk) -> Dispatch:
    try:
        return dispatch_scope(user).get(pk=pk)
    except (Dispatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def inbox_for_user(user, *, status: str = "", overdue: bool = False) -> QuerySet[Dispatch]:
    queryset = inbox_scope(user)
    if overdue:
        now = timezone.now()
        queryset = queryset.filter(
            Q(status=DispatchStatus.PENDING, accept_due_at__lt=now)
            | Q(status__in=ACTIVE_DISPATCH_STATUSES, deadline__lt=now)
        )
    if status:
        queryset = queryset.filter(status=status)
    else:
        queryset = queryset.filter(status__in=ACTIVE_DISPATCH_STATUSES)
    return queryset.order_by("deadline", "pk")


def party_links_in_scope(user, party) -> QuerySet[DisputeParty]:
    """The party's links (name, phone, address as recorded) on disputes the user can see."""
    return (
        DisputeParty.objects.filter(party=party, dispute__in=dispute_scope(user).values("pk"))
        .select_related("dispute")
        .order_by("-dispute__registered_at", "-pk")
    )


REVEAL_ALL = ("id_number", "phone")
REVEAL_PHONE = ("phone",)


def personal_fields_revealable(user, dispute) -> tuple[str, ...]:
    """What of this dispute's parties the user may see in full: everything for a clerk
    (or admin) of the registering organisation's scope; the phone for a responder whose
    organisation an active dispatch of the dispute is addressed to (to call the resident);
    nothing for anyone else."""
    if {Role.CLERK, Role.ADMIN} & roles_in_scope_of(user, dispute.organisation):
        return REVEAL_ALL
    if (
        inbox_scope(user)
        .filter(dispute_id=dispute.pk, status__in=ACTIVE_DISPATCH_STATUSES)
        .exists()
    ):
        return REVEAL_PHONE
    return ()


def party_get_for_user(user, pk) -> Party:
    """A party is visible when at least one of their disputes is."""
    visible = dispute_scope(user).filter(dispute_parties__party_id=OuterRef("pk"))
    try:
        return Party.objects.filter(Exists(visible)).get(pk=pk)
    except (Party.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def disputes_of_party(user, party) -> QuerySet[Dispute]:
    return (
        dispute_scope(user)
        .filter(dispute_parties__party=party)
        .select_related(*LIST_RELATED)
        .order_by("-registered_at", "-id")
        .distinct()
    )


def bundle_scope(user) -> QuerySet[Bundle]:
    if not user or not user.is_authenticated:
        return Bundle.objects.none()
    queryset = Bundle.objects.select_related("organisation", "escalated_to", "created_by")
    if user.is_superuser:
        return queryset
    return queryset.filter(organisation__in=organisations_visible_to(user).values("pk"))


def bundle_get_for_user(user, pk) -> Bundle:
    try:
        return bundle_scope(user).get(pk=pk)
    except (Bundle.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def dispute_timeline(dispute) -> QuerySet:
    return dispute.events.select_related("actor", "organisation", "dispatch").order_by("at", "pk")


def dispute_parties(dispute) -> QuerySet:
    return dispute.dispute_parties.select_related("party").order_by("role", "pk")


def dispute_dispatches(dispute) -> QuerySet:
    return dispute.dispatches.select_related(
        "responder",
        "dispatched_by",
        "accepted_by",
        "answered_by",
        "redispatched_from__responder",
        "redispatched_to",
    ).order_by("round", "dispatched_at", "pk")


def dispute_answers(dispute) -> QuerySet[Dispatch]:
    """What the responders did (答卷), for the resident's rating page."""
    return (
        dispute.dispatches.filter(status=DispatchStatus.ANSWERED)
        .select_related("responder")
        .order_by("answered_at", "pk")
    )


def dispute_review_note(dispute) -> str:
    """The centre's note when it confirmed the dispute resolved (交卷), if any."""
    from .models import DisputeEvent

    event = (
        dispute.events.filter(kind=DisputeEvent.Kind.CLOSED_RESOLVED).order_by("-at", "-pk").first()
    )
    return event.note if event else ""


# --- search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonKey:
    """An ID number or phone to search by, as its blind index (the plain value is dropped)."""

    kind: str  # "id" | "phone"
    index: str
    masked: str


def person_search_key(query: str) -> PersonKey | None:
    """The query as an ID number or a mobile number, or None if it is neither.

    Such searches travel by POST and are kept in the session behind an opaque reference,
    never in a URL, a saved filter or a log line."""
    compact = re.sub(r"[\s\-]", "", query or "")
    if len(compact) == 18 and compact[:17].isdigit():
        sealed = pii.seal_id_number(compact)
        return PersonKey("id", sealed.index, sealed.masked)
    phone = normalise_mobile(compact)
    if MOBILE_RE.match(phone):
        sealed = pii.seal_phone(phone)
        return PersonKey("phone", sealed.index, sealed.masked)
    return None


def person_filter(queryset: QuerySet[Dispute], key: PersonKey) -> QuerySet[Dispute]:
    """Disputes with a party of that ID number, or with that phone as the dispute recorded it."""
    if key.kind == "id":
        links = DisputeParty.objects.filter(
            dispute=OuterRef("pk"), party__id_number_index=key.index
        )
    else:
        links = DisputeParty.objects.filter(dispute=OuterRef("pk"), phone_index=key.index)
    return queryset.filter(Exists(links))


def search_filter(queryset: QuerySet[Dispute], query: str) -> QuerySet[Dispute]:
    """Every token of the query must be among the dispute's search tokens.

    PostgreSQL: ``search_tokens @> ARRAY[...]`` on a GIN index. SQLite: the same tokens
    stored space-delimited, matched with LIKE. ID numbers and phones are matched exactly
    through their blind index."""
    query = (query or "").strip()
    if not query:
        return queryset
    key = person_search_key(query)
    if key is not None:
        return person_filter(queryset, key)
    tokens = query_tokens(query)
    if not tokens:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(search_tokens__contains=tokens)
    queryset = queryset.annotate(_tokens_text=Cast("search_tokens", TextField()))
    for token in tokens:
        queryset = queryset.filter(_tokens_text__contains=f" {token} ")
    return queryset


# --- the list ----------------------------------------------------------------------------


def encode_cursor(dispute) -> str:
    """The cursor that starts the page after `dispute`."""
    return keyset.encode_cursor(dispute.registered_at, dispute.pk)


def dispute_list(user, *, filters: dict | None = None) -> QuerySet[Dispute]:
    """The scoped, filtered list, newest first (registered_at, id) — ready for keyset paging."""
    filters = filters or {}
    queryset = dispute_scope(user)
    now = timezone.now()
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("open"):
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    for key in ("category", "source_channel", "risk_level", "difficulty"):
        if filters.get(key):
            queryset = queryset.filter(**{key: filters[key]})
    if filters.get("organisation"):
        from organisations.models import Organisation

        organisation = Organisation.objects.filter(pk=filters["organisation"]).first()
        queryset = (
            queryset.filter(organisation__path__startswith=organisation.path)
            if organisation
            else queryset.none()
        )
    if filters.get("responder"):
        queryset = queryset.filter(
            Exists(
                Dispatch.objects.filter(dispute=OuterRef("pk"), responder_id=filters["responder"])
            )
        )
    if filters.get("overdue"):
        queryset = queryset.filter(status__in=OPEN_STATUSES).filter(
            Q(due_at__lt=now) | Q(status=DisputeStatus.REGISTERED, triage_due_at__lt=now)
        )
    if filters.get("due_today"):
        # still open and its clock (triage for new ones, the loop's otherwise) ends today
        start, end = today_bounds()
        queryset = queryset.filter(status__in=OPEN_STATUSES).filter(
            Q(due_at__gte=max(start, now), due_at__lt=end)
            | Q(status=DisputeStatus.REGISTERED, triage_due_at__gte=max(start, now),
                triage_due_at__lt=end)
        )  # fmt: skip
    if filters.get("mine"):
        queryset = queryset.filter(registered_by=user)
    if filters.get("unit"):
        queryset = queryset.filter(organisation_id=filters["unit"])
    if filters.get("flagged"):
        queryset = queryset.filter(is_flagged=True)
    if filters.get("assignee"):
        queryset = queryset.filter(assignee_id=filters["assignee"])
    if filters.get("date_from"):
        queryset = queryset.filter(registered_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        queryset = queryset.filter(registered_at__date__lte=filters["date_to"])
    if filters.get("import_batch"):
        # Through ImportBatch.disputes (its link table is indexed on the batch).
        queryset = queryset.filter(import_batches=filters["import_batch"])
    queryset = search_filter(queryset, filters.get("q", ""))
    if filters.get("person"):
        queryset = person_filter(queryset, filters["person"])
    return (
        queryset.select_related(*LIST_RELATED)
        .prefetch_related(applicants_prefetch())
        .order_by("-registered_at", "-id")
    )


def applicants_prefetch() -> Prefetch:
    """Each dispute's applicants as `dispute.applicants` (one query for the whole page)."""
    return Prefetch(
        "dispute_parties",
        queryset=DisputeParty.objects.filter(role=PartyRole.APPLICANT)
        .select_related("party")
        .order_by("pk"),
        to_attr="applicants",
    )


def today_bounds() -> tuple[datetime, datetime]:
    """Today in the portal's time zone (Beijing), as [start, end)."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


COUNT_LIMIT = 999


def bounded_count(queryset: QuerySet, limit: int | None = None) -> int:
    """COUNT over at most limit + 1 rows (the database stops there): the home page's
    figures cost the same however big the table grows. Above `limit` shows as "999+"."""
    limit = COUNT_LIMIT if limit is None else limit
    return queryset.order_by()[: limit + 1].count()


def keyset_page(queryset, *, after: str = "", size: int = 50) -> keyset.ListPage:
    """One page after the cursor, newest first (registered_at, id): no OFFSET and no COUNT."""
    return keyset.keyset_page(queryset, field="registered_at", after=after, size=size)


def estimated_count(queryset: QuerySet) -> int | None:
    """The planner's row estimate on PostgreSQL (cheap), None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


# --- supervision ------------------------------------------------------------------------


def overdue_dispatches(user) -> QuerySet[Dispatch]:
    now = timezone.now()
    return (
        dispatch_scope(user)
        .filter(
            Q(status=DispatchStatus.PENDING, accept_due_at__lt=now)
            | Q(status__in=ACTIVE_DISPATCH_STATUSES, deadline__lt=now)
        )
        .order_by("deadline", "pk")
    )


def overdue_disputes(user) -> QuerySet[Dispute]:
    now = timezone.now()
    return (
        dispute_scope(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(due_at__lt=now) | Q(status=DisputeStatus.REGISTERED, triage_due_at__lt=now))
        .select_related(*LIST_RELATED)
        .order_by("due_at", "triage_due_at", "pk")
    )


def flagged_disputes(user) -> QuerySet[Dispute]:
    """督办 still to be done: a flagged dispute leaves the list once it is answered for good
    (closed, referred or awaiting the resident's rating); its history keeps the flag."""
    return (
        dispute_scope(user)
        .filter(is_flagged=True, status__in=OPEN_STATUSES)
        .select_related(*LIST_RELATED)
        .order_by("-registered_at", "-id")
    )


# --- duplicates ----------------------------------------------------------------------------


def _party_match(parties: list[dict]) -> Q | None:
    """Links (DisputeParty) of the same party: by ID number / credit code (the identity),
    or by the same name and phone as another dispute recorded them (the link, not the shared
    Party, whose name may come from another organisation). None when nothing to match."""
    identity: list[Q] = []
    recorded: list[Q] = []
    for data in parties:
        if data.get("id_number"):
            identity.append(Q(id_number_index=pii.id_number_index(data["id_number"])))
        if data.get("credit_code"):
            identity.append(Q(credit_code=normalise_credit_code(data["credit_code"])))
        if data.get("phone") and data.get("name"):
            recorded.append(
                Q(name=data["name"].strip(), phone_index=pii.phone_index(data["phone"]))
            )
    if identity:
        recorded.append(Q(party__in=Party.objects.filter(reduce(or_, identity)).values("pk")))
    return reduce(or_, recorded) if recorded else None


@dataclass
class DuplicateCandidate:
    dispute: Dispute
    reason: str
    score: float


def duplicate_candidates(
    user, *, parties: list[dict], facts: str, limit: int = 5
) -> list[DuplicateCandidate]:
    """Likely duplicates of a new report among open disputes the user can see: the same
    party with an open dispute, or facts that share most of their character bigrams."""
    from django.utils.translation import gettext as _

    open_disputes = (
        dispute_scope(user).filter(status__in=OPEN_STATUSES).select_related(*LIST_RELATED)
    )
    found: dict[int, DuplicateCandidate] = {}
    match = _party_match(parties)
    if match is not None:
        same_party = DisputeParty.objects.filter(match).values("dispute_id")
        for dispute in open_disputes.filter(pk__in=same_party)[:limit]:
            found[dispute.pk] = DuplicateCandidate(dispute, _("同一当事人有未办结的纠纷"), 1.0)
    tokens = set(tokenize(facts))
    if len(tokens) >= 3:
        since = timezone.now() - timedelta(days=conf.get("CASES_DUPLICATE_WINDOW_DAYS"))
        recent = open_disputes.filter(registered_at__gte=since).order_by("-registered_at")
        if connection.vendor == "postgresql":
            recent = recent.filter(search_tokens__overlap=list(tokens))
        for dispute in recent[:300]:
            if dispute.pk in found:
                continue
            other = set(tokenize(dispute.facts))
            if not other:
                continue
            score = len(tokens & other) / len(tokens | other)
            if score >= 0.35:
                found[dispute.pk] = DuplicateCandidate(dispute, _("事实描述相近"), score)
    return sorted(found.values(), key=lambda c: -c.score)[:limit]


# --- the same identity under another name --------------------------------------------------


@dataclass
class NameConflict:
    """An ID number (or credit code) already on file under a different name."""

    position: int  # index in the parties list
    entered_name: str
    party: Party
    known_names: list[str]  # recorded in the viewer's scope; empty: recorded only elsewhere

    @property
    def choice_field(self) -> str:
        return f"identity_choice-{self.position}"


def _clean_name(value: str) -> str:
    return "".join((value or "").split())


def party_name_conflicts(*, parties: list[dict], visible: QuerySet[Dispute]) -> list[NameConflict]:
    """Parties whose identifier matches a party recorded under another name.

    `visible` is the viewer's dispute scope: only names recorded on those disputes are
    returned (`known_names`); a name recorded only elsewhere is never revealed. Three
    queries whatever the number of parties.
    """
    keys: dict[int, tuple[str, str]] = {}
    for position, data in enumerate(parties):
        id_number = normalise_id_number(data.get("id_number") or "")
        credit_code = normalise_credit_code(data.get("credit_code") or "")
        if id_number:
            keys[position] = ("id", pii.id_number_index(id_number))
        elif credit_code:
            keys[position] = ("credit", credit_code)
    if not keys:
        return []
    condition = Q(pk__in=[])
    id_indexes = [value for kind, value in keys.values() if kind == "id"]
    credit_codes = [value for kind, value in keys.values() if kind == "credit"]
    if id_indexes:
        condition |= Q(id_number_index__in=id_indexes)
    if credit_codes:
        condition |= Q(credit_code__in=credit_codes)
    found: dict[tuple[str, str], Party] = {}
    for party in Party.objects.filter(condition):
        if party.id_number_index:
            found[("id", party.id_number_index)] = party
        if party.credit_code:
            found[("credit", party.credit_code)] = party
    if not found:
        return []
    party_ids = [party.pk for party in found.values()]
    recorded: dict[int, set[str]] = {
        party.pk: {_clean_name(party.name)} for party in found.values()
    }
    for party_id, name in (
        DisputeParty.objects.filter(party_id__in=party_ids)
        .values_list("party_id", "name")
        .distinct()
    ):
        recorded[party_id].add(_clean_name(name))
    in_scope: dict[int, list[str]] = {}
    for party_id, name in (
        DisputeParty.objects.filter(party_id__in=party_ids, dispute__in=visible.values("pk"))
        .order_by("-dispute__registered_at")
        .values_list("party_id", "name")
    ):
        names = in_scope.setdefault(party_id, [])
        if name and name not in names:
            names.append(name)
    conflicts = []
    for position, key in keys.items():
        party = found.get(key)
        entered = (parties[position].get("name") or "").strip()
        if party is None or not entered or _clean_name(entered) in recorded[party.pk]:
            continue
        conflicts.append(
            NameConflict(
                position=position,
                entered_name=entered,
                party=party,
                known_names=in_scope.get(party.pk, []),
            )
        )
    return conflicts
