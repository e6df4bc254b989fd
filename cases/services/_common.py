"""Helpers shared by the cases services (not public API)."""

from django.utils import timezone

from cases.models import DisputeEvent


def event_record(
    dispute, *, kind, actor, organisation=None, dispatch=None, note="", data=None, at=None
) -> DisputeEvent:
    """Append one step to the dispute's timeline (always inside the caller's transaction)."""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    return DisputeEvent.objects.create(
        dispute=dispute,
        kind=kind,
        at=at or timezone.now(),
        actor=actor_user,
        actor_name=str(actor) if actor else "",
        # The id, not `dispute.organisation`: no query per step when the caller loops.
        organisation_id=organisation.pk if organisation else dispute.organisation_id,
        dispatch=dispatch,
        note=note,
        data=data or {},
    )
