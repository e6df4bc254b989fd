"""督办 催办: a supervisor urges whoever holds an overdue step; the holder is notified and
the urge is on the dispute's timeline and in the audit trail."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_transition
from cases.models import Dispatch, Dispute, DisputeEvent
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

from ._common import event_record
from .loop import _members_of, _tell


def overdue_holder(record: Dispute | Dispatch) -> tuple[str, list]:
    """Who holds an overdue step: (name to show, users to notify).

    A dispatch is held by its responder organisation; a dispute by its assignee, or else
    by the clerks of the centre that registered it (they triage, dispatch and review)."""
    if isinstance(record, Dispatch):
        return record.responder.name, _members_of(record.responder)
    if record.assignee_id:
        return str(record.assignee), [record.assignee]
    return record.organisation.name, _members_of(record.organisation, roles=[Role.CLERK])


@transaction.atomic
def overdue_urge(*, record: Dispute | Dispatch, actor, note: str = "") -> DisputeEvent:
    """催办: notify the holder of an overdue dispute or dispatch, and log it."""
    dispute = record.dispute if isinstance(record, Dispatch) else record
    if not ({Role.SUPERVISOR, Role.ADMIN} & roles_in_scope_of(actor, dispute.organisation)):
        raise PermissionDenied(_("只有监督领导可以催办。"))
    holder, recipients = overdue_holder(record)
    dispatch = record if isinstance(record, Dispatch) else None
    event = event_record(
        dispute,
        kind=DisputeEvent.Kind.URGED,
        actor=actor,
        dispatch=dispatch,
        note=note,
        data={"holder": holder, "recipients": [u.pk for u in recipients]},
    )
    audit_transition(
        record,
        actor=actor,
        transition="urge",
        transition_label="催办",
        before={},
        after={},
        note=_("催办%(holder)s") % {"holder": holder} + (f"：{note}" if note else ""),
    )
    # Written with the step; delivery goes out through the outbox once it commits.
    _tell(
        recipients,
        actor=actor,
        kind="cases.urged",
        title=_("催办：%(ref)s已超期") % {"ref": dispute.reference},
        body=_("%(who)s催办超期事项%(ref)s，请尽快办理。")
        % {"who": actor, "ref": dispute.reference}
        + (f"\n{note}" if note else ""),
        link=record.get_absolute_url(),
        subject=record,
    )
    return event
