"""Reads for filing: legal bases (scoped by their court, like cases), the confirmations a
clerk may take as a basis, a case's clocks, and the court's officers with their load."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from deadlines.models import Deadline
from organisations.models import Organisation, User
from organisations.roles import Role

from .case_data import shared
from .models import OPEN_STATUSES, EnforcementCase, LegalBasis
from .numbers import case_number_normalise
from .selectors import courts_visible_to

# deadline kinds this part runs on a case
ASSIGNMENT = "enforcement.officer_assignment"
TIME_LIMIT = "enforcement.time_limit"
NOTICE_ISSUE = "enforcement.notice_issue"
URGING_WINDOW = "enforcement.urging_window"


def bases_for_user(user, *, number: str = "") -> QuerySet[LegalBasis]:
    """Bases recorded at a court the user sees; `number` finds either bracket form."""
    if not user or not user.is_authenticated:
        return LegalBasis.objects.none()
    queryset = LegalBasis.objects.select_related("court", "judicial_confirmation")
    if not user.is_superuser:
        queryset = queryset.filter(court__in=courts_visible_to(user).values("pk"))
    if number:
        queryset = queryset.filter(document_number_key__contains=case_number_normalise(number))
    return queryset.prefetch_related("performance_deadlines").order_by("-recorded_at", "-pk")


def basis_get_for_user(user, pk) -> LegalBasis:
    try:
        return bases_for_user(user).get(pk=pk)
    except (LegalBasis.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def enforceable_confirmations(user):
    """Confirmed agreements (司法确认) the user may see and a court they file at may take."""
    from mediation.confirmation_selectors import enforceable_bases_for_user

    return enforceable_bases_for_user(user)


def confirmation_get_for_user(user, pk):
    from mediation.models import JudicialConfirmation

    try:
        return enforceable_confirmations(user).get(pk=pk)
    except (JudicialConfirmation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def case_clocks(case) -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(EnforcementCase), object_id=case.pk
    ).select_related("owner", "organisation")


def time_limit_clocks(case) -> list[Deadline]:
    """The assignment, time-limit and notice-issue clocks of the case, by kind, newest
    first, with pauses, extensions and extension requests (four queries; none more on the
    case page, which reads them once for its sections)."""
    data = shared(case)
    return data.clocks if data is not None else read_time_limit_clocks(case)


def read_time_limit_clocks(case) -> list[Deadline]:
    """`time_limit_clocks` read now."""
    return list(
        case_clocks(case)
        .filter(kind__in=(ASSIGNMENT, TIME_LIMIT, NOTICE_ISSUE))
        .prefetch_related("pauses", "extensions__approved_by", "extension_requests__approver")
        .order_by("kind", "-created_at", "-pk")
    )


def case_clock(case, kind: str) -> Deadline | None:
    """The case's latest clock of `kind` (None when it never started)."""
    data = shared(case)
    if data is not None and kind in (ASSIGNMENT, TIME_LIMIT, NOTICE_ISSUE):
        return data.latest_clock(kind)
    return (
        case_clocks(case)
        .filter(kind=kind)
        .prefetch_related("pauses", "extensions__approved_by", "extension_requests__approver")
        .order_by("-created_at", "-pk")
        .first()
    )


def officers_of_court(court) -> QuerySet[User]:
    """Enforcement officers of the court itself (active members)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=court,
            memberships__role=Role.ENFORCEMENT_OFFICER,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def officer_loads(court) -> list[tuple[User, int]]:
    """The court's officers, fewest open cases first (then by name): the suggestion."""
    officers = officers_of_court(court).annotate(
        open_cases=Count(
            "enforcement_cases",
            filter=Q(enforcement_cases__status__in=OPEN_STATUSES),
            distinct=True,
        )
    )
    ranked = sorted(officers, key=lambda u: (u.open_cases, u.full_name or u.username, u.pk))
    return [(officer, officer.open_cases) for officer in ranked]


def filing_courts_for(user) -> QuerySet[Organisation]:
    """Courts where the user may file (clerk, supervisor or administrator of the court)."""
    from .services.filing import may_file

    return Organisation.objects.filter(
        pk__in=[c.pk for c in courts_visible_to(user) if may_file(user, c)]
    ).order_by("name")
