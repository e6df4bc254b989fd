"""Helpers shared by the cases services (not public API)."""

from django.utils import timezone

from cases.models import DisputeEvent
from organisations.roles import Role


def acting_organisation(actor, organisation):
    """The organisation `actor` acted for when acting on a record of `organisation`: the
    membership whose scope reaches it (the nearest one), else their primary organisation.
    None for the system and for people without a login (the resident's rating)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    best = None
    for membership in actor.active_memberships:
        own = membership.organisation
        if membership.role == Role.SUPERVISOR:
            reaches = organisation.region.path.startswith(own.region.path)
        else:
            reaches = organisation.path.startswith(own.path)
        if reaches and (best is None or len(own.path) > len(best.path)):
            best = own
    return best or actor.primary_organisation


def _acting_for_cached(actor, acting_for, dispute):
    """acting_organisation, remembered on the actor per organisation id, so a step over
    many disputes of one organisation (bundles) costs no query per dispute."""
    key = acting_for.pk if acting_for is not None else dispute.organisation_id
    cache = actor.__dict__.setdefault("_acting_organisation_cache", {})
    if key not in cache:
        cache[key] = acting_organisation(actor, acting_for or dispute.organisation)
    return cache[key]


def event_record(
    dispute,
    *,
    kind,
    actor,
    acting_for=None,
    organisation=None,
    dispatch=None,
    note="",
    data=None,
    at=None,
) -> DisputeEvent:
    """Append one step to the dispute's timeline (always inside the caller's transaction).

    The step is credited to the organisation the actor acted for: `organisation` when the
    caller knows it, else the actor's membership that reaches `acting_for` (default: the
    dispute's organisation). A system step (actor None) has no actor and no organisation
    and is shown as 系统; a string actor (the resident's rating link) is shown by name."""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    if organisation is None and actor_user is not None:
        organisation = _acting_for_cached(actor_user, acting_for, dispute)
    return DisputeEvent.objects.create(
        dispute=dispute,
        kind=kind,
        at=at or timezone.now(),
        actor=actor_user,
        actor_name=str(actor) if actor else "",
        organisation_id=organisation.pk if organisation else None,
        dispatch=dispatch,
        note=note,
        data=data or {},
    )
