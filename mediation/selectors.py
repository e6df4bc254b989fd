"""Reads of the mediation app: scope (a mediator sees their own and their committee's
cases, a court what it delegated or entrusted, outsiders nothing: 404), keyset pages,
the roster, suggestions and the conflict check, "my week"."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from common import keyset
from deadlines.models import Deadline
from organisations.selectors import organisations_visible_to

from .models import (
    CATEGORY_SPECIALTY,
    OPEN_STATUSES,
    Agreement,
    Instalment,
    InstalmentPayment,
    Language,
    MediationCase,
    MediationFile,
    MediationParty,
    Mediator,
    MediatorRelative,
    Obligation,
    Session,
    Status,
)

LIST_RELATED = ("organisation", "court", "mediator", "dispute")


# --- scope -----------------------------------------------------------------------------


def mediation_scope(user) -> QuerySet[MediationCase]:
    """Cases of organisations in the user's scope (a committee's mediators and clerks see
    their committee's; supervisors their region's), cases a court in their scope delegated
    or entrusted, and the cases assigned to them as mediator."""
    if not user or not user.is_authenticated:
        return MediationCase.objects.none()
    if user.is_superuser:
        return MediationCase.objects.all()
    visible = organisations_visible_to(user).values("pk")
    # the user's mediator profile as a subquery on the case's own column: each branch of
    # the OR is then tested on the case row alone, before any join (a join to the mediator
    # table per row scanned, to read its user, doubled the list's cost)
    theirs = Mediator.objects.filter(user=user).values("pk")
    return MediationCase.objects.filter(
        Q(organisation__in=visible) | Q(court__in=visible) | Q(mediator__in=theirs)
    )


def case_get_for_user(user, pk) -> MediationCase:
    """The one permission-checked fetch of a mediation case: out of scope answers 404."""
    try:
        return (
            mediation_scope(user)
            .select_related(
                *LIST_RELATED,
                "organisation__region",
                "court__region",
                "mediator__user",
                "receipt_signed_by",
                "created_by",
            )
            .get(pk=pk)
        )
    except (MediationCase.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def case_history_related(case) -> tuple[QuerySet, ...]:
    """The records whose entries belong in the case's history: its parties, sessions, files,
    agreement with its obligations and instalments, the payments recorded against them
    (协议履行), extensions, confirmations and documents."""
    return (
        MediationParty.objects.filter(case=case),
        Session.objects.filter(case=case),
        MediationFile.objects.filter(case=case),
        Agreement.objects.filter(case=case),
        Obligation.objects.filter(agreement__case=case),
        Instalment.objects.filter(obligation__agreement__case=case),
        InstalmentPayment.objects.filter(instalment__obligation__agreement__case=case),
        case.extensions.all(),
        *_confirmation_related(case),
    )


def _confirmation_related(case) -> tuple[QuerySet, ...]:
    from .confirmation_selectors import case_documents
    from .models import JudicialConfirmation

    return (JudicialConfirmation.objects.filter(agreement__case=case), case_documents(case))


def file_get_for_user(user, pk) -> MediationFile:
    try:
        return MediationFile.objects.select_related("case").get(
            pk=pk, case__in=mediation_scope(user).values("pk")
        )
    except (MediationFile.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def case_parties(case) -> QuerySet[MediationParty]:
    return case.case_parties.select_related("party").order_by("role", "pk")


def case_sessions(case) -> QuerySet[Session]:
    return (
        case.sessions.select_related("logged_by")
        .prefetch_related("mediators", "attendees", "files")
        .order_by("-held_at", "-pk")
    )


def case_agreement(case) -> Agreement | None:
    return (
        Agreement.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related(
            "obligations__obligor", "obligations__obligee", "obligations__instalments"
        )
        .first()
    )


# --- the list ----------------------------------------------------------------------------


def encode_cursor(case) -> str:
    """The cursor that starts the page after `case`."""
    return keyset.encode_cursor(case.received_at, case.pk)


def case_list(user, *, filters: dict | None = None) -> QuerySet[MediationCase]:
    """Scoped, filtered, newest first (received_at, id) — ready for keyset paging."""
    filters = filters or {}
    queryset = mediation_scope(user)
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("open"):
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    for key in ("source", "category"):
        if filters.get(key):
            queryset = queryset.filter(**{key: filters[key]})
    if filters.get("mediator"):
        queryset = queryset.filter(mediator_id=filters["mediator"])
    if filters.get("mine"):
        queryset = queryset.filter(mediator__user=user)
    if filters.get("q"):
        query = filters["q"].strip()
        queryset = queryset.filter(
            Q(reference__icontains=query)
            | Q(court_reference__icontains=query)
            | Q(case_parties__name__contains=query)
        ).distinct()
    return queryset.select_related(*LIST_RELATED).order_by("-received_at", "-id")


# what a list card prints (mediation/presenters.py: case_cards), and no more: the rows of a
# page are read without the referred dispute or the organisations' tree columns
CARD_FIELDS = (
    "reference", "source", "court_reference", "category", "facts", "status", "received_at",
    "organisation_id", "court_id", "mediator_id",
    "organisation__name", "court__name", "mediator__name",
)  # fmt: skip


def for_cards(queryset: QuerySet[MediationCase]) -> QuerySet[MediationCase]:
    """`queryset` reading only what `presenters.case_cards` prints."""
    return (
        queryset.select_related(None)
        .select_related("organisation", "court", "mediator")
        .only(*CARD_FIELDS)
    )


def keyset_page(queryset, *, after: str = "", size: int = 50) -> keyset.ListPage:
    """One page after the cursor, newest first (received_at, id): no OFFSET and no COUNT."""
    return keyset.keyset_page(queryset, field="received_at", after=after, size=size)


# --- mediators: roster, eligibility, conflicts, suggestions ---------------------------------


def mediator_scope(user) -> QuerySet[Mediator]:
    """Profiles kept by, serving, or on the roster of an organisation in the user's scope."""
    if not user or not user.is_authenticated:
        return Mediator.objects.none()
    if user.is_superuser:
        return Mediator.objects.all()
    visible = organisations_visible_to(user).values("pk")
    serving = Mediator.serves.through.objects.filter(
        mediator_id=OuterRef("pk"), organisation_id__in=visible
    )
    roster = Mediator.rosters.through.objects.filter(
        mediator_id=OuterRef("pk"), organisation_id__in=visible
    )
    return Mediator.objects.filter(
        Q(organisation__in=visible) | Exists(serving) | Exists(roster) | Q(user=user)
    )


def with_open_load(queryset: QuerySet[Mediator]) -> QuerySet[Mediator]:
    return queryset.annotate(
        open_load=Count("cases", filter=Q(cases__status__in=OPEN_STATUSES), distinct=True)
    )


def mediator_get_for_user(user, pk) -> Mediator:
    try:
        return (
            with_open_load(mediator_scope(user)).select_related("organisation", "user").get(pk=pk)
        )
    except (Mediator.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def roster(
    user, *, court=None, specialty: str = "", language: str = "", q: str = "", active=True
) -> QuerySet[Mediator]:
    """The searchable roster: by the court that invited them, specialty, language, name."""
    queryset = mediator_scope(user)
    if active:
        queryset = queryset.filter(is_active=True)
    if court is not None:
        queryset = queryset.filter(rosters=court)
    if specialty:
        queryset = queryset.filter(specialties__icontains=f'"{specialty}"')
    if language:
        queryset = queryset.filter(languages__icontains=f'"{language}"')
    if q:
        queryset = queryset.filter(Q(name__contains=q) | Q(title__contains=q))
    return (
        with_open_load(queryset)
        .select_related("organisation")
        .prefetch_related("serves", "rosters")
        .order_by("name", "pk")
    )


def mediator_candidates(case) -> QuerySet[Mediator]:
    """Who may mediate this case: profiles of or serving its organisation, and mediators on
    the delegating court's roster."""
    condition = Q(organisation=case.organisation) | Q(serves=case.organisation)
    if case.court_id:
        condition |= Q(rosters=case.court_id)
    return Mediator.objects.filter(condition).distinct()


def mediator_eligible(mediator: Mediator, case) -> bool:
    return mediator_candidates(case).filter(pk=mediator.pk).exists()


@dataclass(frozen=True)
class Conflict:
    party_name: str
    message: str


def _party_indexes(case) -> dict[str, str]:
    """Blind index → name as this case recorded it, for its natural-person parties."""
    return {
        index: name
        for index, name in case.case_parties.exclude(party__id_number_index="").values_list(
            "party__id_number_index", "name"
        )
    }


def mediator_conflicts(mediator: Mediator, case, *, party_indexes=None, relatives=None) -> list:
    """Why `mediator` must step aside (回避): they are a party, or a declared close
    relative of one — compared by blind index, so no number is read or shown."""
    party_indexes = _party_indexes(case) if party_indexes is None else party_indexes
    if relatives is None:
        relatives = list(
            MediatorRelative.objects.filter(mediator=mediator).values_list(
                "id_number_index", "relation", "name"
            )
        )
    conflicts = []
    if mediator.id_number_index and mediator.id_number_index in party_indexes:
        name = party_indexes[mediator.id_number_index]
        conflicts.append(
            Conflict(
                name,
                _("调解员%(m)s本人是本案当事人（%(p)s），应当回避。") % {"m": mediator, "p": name},
            )
        )
    labels = dict(MediatorRelative.Relation.choices)
    for index, relation, _relative_name in relatives:
        if index in party_indexes:
            name = party_indexes[index]
            conflicts.append(
                Conflict(
                    name,
                    _("当事人%(p)s是调解员%(m)s的%(r)s，调解员应当回避。")
                    % {"p": name, "m": mediator, "r": labels.get(relation, relation)},
                )
            )
    return conflicts


@dataclass(frozen=True)
class Suggestion:
    mediator: Mediator
    load: int
    specialty_match: bool
    language_match: bool

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.specialty_match:
            reasons.append(_("擅长此类纠纷"))
        if self.language_match:
            reasons.append(_("会讲调解所需语言"))
        reasons.append(_("在办 %(n)d 件") % {"n": self.load})
        return reasons


def mediator_suggestions(case, *, limit: int = 5) -> list[Suggestion]:
    """Active, eligible mediators without a conflict, best first: the needed language
    (a Mongolian- or Tibetan-speaking party needs a mediator who speaks it), then the
    specialty the category calls for, then the lightest open caseload."""
    party_indexes = _party_indexes(case)
    mediators = list(
        with_open_load(mediator_candidates(case).filter(is_active=True)).prefetch_related(
            "relatives"
        )
    )
    wanted = CATEGORY_SPECIALTY.get(case.category)
    needs_language = case.language != Language.MANDARIN
    suggestions = []
    for mediator in mediators:
        relatives = [(r.id_number_index, r.relation, r.name) for r in mediator.relatives.all()]
        if mediator_conflicts(mediator, case, party_indexes=party_indexes, relatives=relatives):
            continue
        suggestions.append(
            Suggestion(
                mediator=mediator,
                load=mediator.open_load,
                specialty_match=bool(wanted and wanted in mediator.specialties),
                language_match=needs_language and case.language in mediator.languages,
            )
        )
    suggestions.sort(
        key=lambda s: (
            not s.language_match if needs_language else False,
            not s.specialty_match,
            s.load,
            s.mediator.name,
        )
    )
    return suggestions[:limit]


# --- my week -----------------------------------------------------------------------------


@dataclass
class Week:
    start: datetime
    end: datetime
    sessions: list
    deadlines: list
    waiting: list


def my_week(user, *, now=None) -> Week:
    """The mediator's week: sessions held or planned this week (Mon–Sun), open deadlines
    due by the end of next week (overdue first), and matters waiting for them (to sign, or
    signed with no session yet).

    A session this week belongs to a case still open at the week's start (ended_at null or
    later): sessions are logged only on open cases. So only those cases' session index is
    probed, not every case the mediator ever had (1,500 probes → a few dozen at the
    benchmark's scale). A user without a mediator profile reads no cases at all."""
    now = timezone.localtime(now or timezone.now())
    start = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=7)
    deadlines = list(
        Deadline.objects.filter(
            owner=user, state__in=Deadline.OPEN_STATES, due_at__lt=end + timedelta(days=7)
        ).order_by("due_at", "pk")[:50]
    )
    mediator_id = Mediator.objects.filter(user=user).values_list("pk", flat=True).first()
    if mediator_id is None:
        return Week(start=start, end=end, sessions=[], deadlines=deadlines, waiting=[])
    mine = MediationCase.objects.filter(mediator_id=mediator_id)
    open_this_week = mine.filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start))
    sessions = list(
        Session.objects.filter(
            case__in=open_this_week.values("pk"), held_at__gte=start, held_at__lt=end
        )
        .select_related("case")
        .only("held_at", "is_planned", "place", "case_id", "case__reference")
        .order_by("held_at", "pk")
    )
    session_exists = Session.objects.filter(case=OuterRef("pk"), is_planned=False)
    waiting = list(
        for_cards(
            mine.filter(
                Q(status=Status.RECEIVED) | Q(status=Status.ACCEPTED) & ~Exists(session_exists)
            )
        ).order_by("received_at", "pk")[:50]
    )
    return Week(start=start, end=end, sessions=sessions, deadlines=deadlines, waiting=waiting)
