"""Scoping, in one place: which organisations a user may see.

- an ordinary member sees their organisation and its subtree;
- a supervisor sees every organisation in their organisation's region subtree;
- a superuser sees everything.

Every page and API list and detail filters through `organisations_visible_to`; a record
outside it answers 404 (`get_for_user_or_404`).
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Organisation, Region
from .roles import Role


def _visibility_filter(user) -> Q | None:
    """Q over Organisation, or None for 'everything'."""
    if user.is_superuser:
        return None
    condition = Q(pk__in=[])
    for membership in user.active_memberships:
        organisation = membership.organisation
        if membership.role == Role.SUPERVISOR:
            condition |= Q(region__path__startswith=organisation.region.path)
        else:
            condition |= Q(path__startswith=organisation.path)
    return condition


def organisations_visible_to(user) -> QuerySet[Organisation]:
    if not user or not user.is_authenticated:
        return Organisation.objects.none()
    condition = _visibility_filter(user)
    queryset = Organisation.objects.all()
    return queryset if condition is None else queryset.filter(condition)


def scope_queryset(queryset: QuerySet, user, *, organisation_field: str = "organisation"):
    """Limit `queryset` to rows whose organisation the user may see (one SQL subquery)."""
    if not user or not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(
        **{f"{organisation_field}__in": organisations_visible_to(user).values("pk")}
    )


def get_for_user_or_404(queryset: QuerySet, user, *, organisation_field="organisation", **lookup):
    """The one permission-checked fetch: out of scope and missing look the same (404)."""
    try:
        return scope_queryset(queryset, user, organisation_field=organisation_field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def organisation_get_for_user(user, pk) -> Organisation:
    return get_for_user_or_404(
        Organisation.objects.select_related("region"), user, organisation_field="pk", pk=pk
    )


def organisation_list_for_user(user, *, kind: str = "", query: str = "") -> QuerySet[Organisation]:
    queryset = organisations_visible_to(user).select_related("region").order_by("path")
    if kind:
        queryset = queryset.filter(kind=kind)
    if query:
        queryset = queryset.filter(Q(name__contains=query) | Q(short_name__contains=query))
    return queryset


def regions_under(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(path__startswith=region.path)


def organisations_under(organisation: Organisation) -> QuerySet[Organisation]:
    """`organisation` and its whole subtree (one indexed path-prefix query), unscoped."""
    return Organisation.objects.filter(path__startswith=organisation.path)


def roles_in_scope_of(user, organisation: Organisation) -> set[str]:
    """The user's roles that reach `organisation` (own subtree, or region subtree for supervisors)."""
    if user.is_superuser:
        return {choice for choice, _label in Role.choices}
    roles = set()
    for membership in user.active_memberships:
        own = membership.organisation
        if membership.role == Role.SUPERVISOR:
            if organisation.region.path.startswith(own.region.path):
                roles.add(membership.role)
        elif organisation.path.startswith(own.path):
            roles.add(membership.role)
    return roles
