"""Helpers shared by the mediation services (not public API)."""

import importlib

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from common.sequences import sequence_next
from mediation.models import MediationCase, ReferenceSequence
from mediation.states import case_roles
from organisations.roles import Role


def case_reference(*, organisation_id: int, year: int, number: int) -> str:
    """MD2026-0012-000034: per organisation and year, gap-free."""
    return f"MD{year}-{organisation_id:04d}-{number:06d}"


def next_reference(organisation, year: int) -> str:
    number = sequence_next(ReferenceSequence, organisation=organisation, year=year)
    return case_reference(organisation_id=organisation.pk, year=year, number=number)


def require_roles(case: MediationCase, actor, roles, message: str) -> set[str]:
    have = case_roles(case, actor)
    if not (have & set(roles)):
        raise PermissionDenied(message or _("您无权办理此调解案件。"))
    return have


def members_of(organisation, *roles):
    """Active users of `organisation` itself with one of `roles` (the people to tell)."""
    from organisations.models import User

    return list(
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role__in=roles,
            memberships__is_active=True,
            is_active=True,
        ).distinct()
    )


def tell(users, *, actor, kind: str, title: str, body: str = "", link: str = "", subject=None):
    """Notify each user once, never the actor: written with the step."""
    if not apps.is_installed("notifications"):
        return
    services = importlib.import_module("notifications.services")
    recipients = {}
    for user in users:
        if user is not None and user.pk != getattr(actor, "pk", None):
            recipients.setdefault(user.pk, user)
    if recipients:
        services.notify_many(
            [
                services.NotificationSpec(user, kind, title, body, link, subject)
                for user in recipients.values()
            ]
        )


COURT_ROLES = (Role.CLERK, Role.SUPERVISOR)
COMMITTEE_ROLES = (Role.MEDIATOR, Role.CLERK)
