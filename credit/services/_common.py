"""Helpers shared by the credit services (not public API)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from audit.services import audit_change, snapshot
from cases.models import Party
from common import pii
from common.statemachine import TransitionNotAllowed
from enforcement.selectors import acting_roles
from enforcement.services.notices import lock_case
from notifications.services import NotificationSpec, notify_many
from organisations.roles import Role

from ..states import COURT_STAFF


def require_court_staff(actor, court, message: str = "") -> set[str]:
    roles = acting_roles(actor, court) if getattr(actor, "is_authenticated", False) else set()
    if not (roles & COURT_STAFF):
        raise PermissionDenied(message or _("您无权办理该法院的信用惩戒事项。"))
    return roles


def case_lock(case):
    """Hold the enforcement case's row for the rest of the transaction: a decision or
    certificate issued in the case is numbered in its series (号, 号之一 …), counted from
    the numbers already issued, so two issued at once must not both count the same."""
    return lock_case(case)


def is_president(user, court) -> bool:
    """院长/副院长: a supervisor of the court itself (as deadlines' PRESIDENT_APPROVES)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(
        m.role == Role.SUPERVISOR and m.organisation_id == court.pk for m in user.active_memberships
    )


def approver_missing(record) -> bool:
    """A removal, restriction or one-time lifting waiting for approval (state
    `pending_approval`) with no president of its court named: the case moved before the
    decision (credit.services.transfer) and the receiving court has yet to ask its own."""
    return record.state == "pending_approval" and not (
        record.approver is not None and is_president(record.approver, record.court)
    )


def approver_name(locked, *, approver, actor, not_pending: str, not_president: str) -> None:
    """报请审批, the steps a removal, a restriction order and a one-time lifting share:
    `locked` (its row locked, by the caller's court staff) waits for approval with no
    president of its court named — the case moved before the decision — and `approver`, a
    president of that court, is named, audited. The caller tells them."""
    if locked.state != "pending_approval":
        raise TransitionNotAllowed(not_pending)
    if not approver_missing(locked):
        raise TransitionNotAllowed(_("已报请本院院长（副院长）审批，不能更换审批人。"))
    if not is_president(approver, locked.court):
        raise ValidationError({"approver": [not_president]})
    before = snapshot(locked)
    locked.approver = approver
    # a restriction order keeps when it last changed; removals and liftings do not
    locked.save(
        update_fields=["approver", "updated_at"] if hasattr(locked, "updated_at") else ["approver"]
    )
    audit_change(
        locked, actor=actor, before=before, note=_("报请 %(who)s 审批") % {"who": approver}
    )


def require_named_approver(record, actor) -> None:
    if record.approver_id is None and record.state == "pending_approval":
        # the case moved before the decision (transfer.py): the receiving court asks its own
        raise PermissionDenied(
            _("尚未报请审批人：案件已移送，须由承办法院报请本院院长（副院长）审批。")
        )
    if not getattr(actor, "is_authenticated", False) or actor.pk != record.approver_id:
        raise PermissionDenied(_("只有申请中指定的审批人本人可以审批。"))


def require_president_of(actor, court) -> None:
    """The approver must be a president of the court the request is with now: after the
    case moved, the receiving court's — never the original court's."""
    if not is_president(actor, court):
        raise PermissionDenied(_("须由承办法院的院长（副院长）审批，您不是该院院长（副院长）。"))


def court_staff_among(users, court) -> list:
    """Those of `users` who are court staff of `court` (who may still open its records)."""
    return [
        user
        for user in users
        if getattr(user, "is_authenticated", False) and acting_roles(user, court) & COURT_STAFF
    ]


def identity_of(party: Party) -> str:
    """The full identity number the court's own documents print (never a page or a log)."""
    if party.kind == Party.Kind.PERSON:
        return pii.decrypt(party.id_number_encrypted) if party.id_number_encrypted else ""
    return party.credit_code or ""


def document_party(case_party, role: str = "被执行人") -> dict:
    party = case_party.party
    row = {
        "role": role,
        "name": case_party.name,
        "identity": identity_of(party) or _("不详"),
        "address": case_party.address or party.address,
    }
    if party.kind == Party.Kind.ORGANISATION and party.legal_representative:
        row["representative"] = party.legal_representative
    return row


def tell(users, *, actor, kind: str, title: str, body: str = "", link: str = "", subject=None):
    """Notify each user once, never the actor: written with the step."""
    recipients = {}
    for user in users:
        if user is not None and user.pk != getattr(actor, "pk", None):
            recipients.setdefault(user.pk, user)
    if recipients:
        notify_many(
            [
                NotificationSpec(user, kind, title, body, link, subject)
                for user in recipients.values()
            ]
        )
