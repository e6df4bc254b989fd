"""The disbursement's workflow (发放/退还), as data (see common.statemachine).

requested (待审批) → approved (已批准待支付) → paid (已支付, with date and bank reference)
requested → refused (不予批准)            requested | approved → cancelled (已撤回)
paid → returned (已冲正: the payout entry was reversed, e.g. the bank sent it back)

Approval needs one of the approver roles (settings.ENFORCEMENT_FUNDS_APPROVER_ROLES,
default the court's supervisor/president or an admin) and someone other than the person
who asked for it (enforcement.services.funds checks it; the database refuses it too).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.statemachine import StateMachine, Transition
from organisations.roles import Role

from .models import DisbursementStatus as S
from .selectors import acting_roles

# who may record receipts and fees, ask for and pay out disbursements
FUNDS_STAFF = frozenset({Role.CLERK, Role.ENFORCEMENT_OFFICER, Role.SUPERVISOR, Role.ADMIN})
DEFAULT_APPROVER_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def approver_roles() -> frozenset[str]:
    """Roles that may approve a disbursement: settings.ENFORCEMENT_FUNDS_APPROVER_ROLES,
    default the court's supervisor (院长/庭长) and admins."""
    configured = getattr(settings, "ENFORCEMENT_FUNDS_APPROVER_ROLES", None)
    return frozenset(configured) if configured else DEFAULT_APPROVER_ROLES


def disbursement_roles(disbursement, user) -> set[str]:
    return acting_roles(user, disbursement.case.court)


disbursement_machine = StateMachine(
    state_field="status",
    states=S,
    roles_of=disbursement_roles,
    transitions=[
        # approve / refuse: the roles come from settings at call time and the approver must
        # not be the requester; enforcement.services.funds.require_approver checks both.
        Transition("approve", _("批准发放"), (S.REQUESTED,), S.APPROVED),
        Transition("refuse", _("不予批准"), (S.REQUESTED,), S.REFUSED, button_style="warning"),
        Transition("cancel", _("撤回"), (S.REQUESTED, S.APPROVED), S.CANCELLED, FUNDS_STAFF,
                   button_style="secondary"),
        Transition("pay", _("支付"), (S.APPROVED,), S.PAID, FUNDS_STAFF),
        Transition("return", _("冲正（退回）"), (S.PAID,), S.RETURNED, FUNDS_STAFF,
                   button_style="warning"),
    ],
)  # fmt: skip
