"""Reads of the enforcement app. Scope: a case belongs to its enforcing court; the court's
own members (and its tribunals') see it, and supervisors of a court whose region contains
it (a higher court). Members of government units, committees and other courts never do:
out of scope answers 404 by page and API alike."""

from django.db.models import Q, QuerySet
from django.http import Http404

from organisations.models import Organisation
from organisations.roles import Role

from .models import PRE_FILING_STATUSES, EnforcementCase
from .selectors_commission import shared_case_condition  # enf-commission

COURT_KINDS = (Organisation.Kind.COURT, Organisation.Kind.TRIBUNAL)


def _court_condition(user) -> Q | None:
    """Q over Organisation for the courts the user works in or supervises; None = all."""
    if user.is_superuser:
        return None
    condition = Q(pk__in=[])
    for membership in user.active_memberships:
        own = membership.organisation
        if own.kind not in COURT_KINDS:
            continue
        if membership.role == Role.SUPERVISOR:
            condition |= Q(kind__in=COURT_KINDS, region__path__startswith=own.region.path)
        else:
            condition |= Q(path__startswith=own.path)
    return condition


def courts_visible_to(user) -> QuerySet[Organisation]:
    if not user or not user.is_authenticated:
        return Organisation.objects.none()
    condition = _court_condition(user)
    queryset = Organisation.objects.filter(kind__in=COURT_KINDS)
    return queryset if condition is None else queryset.filter(condition)


def court_roles(user, court: Organisation) -> set[str]:
    """The user's roles that reach `court` (its own staff; a higher court's supervisors)."""
    if user.is_superuser:
        return {choice for choice, _label in Role.choices}
    roles = set()
    for membership in user.active_memberships:
        own = membership.organisation
        if own.kind not in COURT_KINDS:
            continue
        if membership.role == Role.SUPERVISOR:
            if court.region.path.startswith(own.region.path):
                roles.add(membership.role)
        elif court.path.startswith(own.path):
            roles.add(membership.role)
    return roles


def acting_roles(user, court: Organisation) -> set[str]:
    """The user's roles for acting on `court`'s matters: held in that court itself (or a
    division of it). A higher court's supervisor reads and supervises (court_roles) but does
    not file, suspend, pay out or approve in the lower court's name."""
    if user.is_superuser:
        return {choice for choice, _label in Role.choices}
    return {
        m.role
        for m in user.active_memberships
        if m.organisation.kind in COURT_KINDS and m.organisation.path.startswith(court.path)
    }


def enforcement_scope(user) -> QuerySet[EnforcementCase]:
    """Every enforcement matter (urging ones included) the user may see."""
    if not user or not user.is_authenticated:
        return EnforcementCase.objects.none()
    if user.is_superuser:
        return EnforcementCase.objects.all()
    courts = courts_visible_to(user).values("pk")
    # enf-commission: also a case commissioned to one of the user's courts (while the
    # commission is open) and a case moved away from it (交叉/指定执行: read access kept)
    return EnforcementCase.objects.filter(Q(court__in=courts) | shared_case_condition(courts))


def case_get_for_user(user, pk) -> EnforcementCase:
    """The one permission-checked fetch of an enforcement case: out of scope answers 404.

    The case is read by its id, then checked: a case of the user's own courts (or courts
    below, for a supervisor) from the memberships the request already holds
    (`court_roles`), without a query; any other (commissioned to, or moved away from, one
    of the user's courts) by `enforcement_scope`, the one definition of who sees what.
    Compiling that scope's subqueries on every case page cost more than reading the case."""
    if not user or not user.is_authenticated:
        raise Http404
    try:
        case = EnforcementCase.objects.select_related(
            "court", "court__region", "basis", "officer", "resumed_from"
        ).get(pk=pk)
    except (EnforcementCase.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if court_roles(user, case.court):
        return case
    if enforcement_scope(user).filter(pk=case.pk).exists():
        return case
    raise Http404


def filed_cases(queryset: QuerySet[EnforcementCase]) -> QuerySet[EnforcementCase]:
    """Cases proper: those with a number (urging matters are not cases)."""
    return queryset.exclude(status__in=PRE_FILING_STATUSES)
