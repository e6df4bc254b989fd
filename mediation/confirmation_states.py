"""The judicial confirmation's workflow, as data (see common.statemachine).

applied (已申请) → accepted (已受理, with the 民特 number) | not_accepted (不予受理, reason)
accepted → confirmed (裁定确认有效: ruling issued, the agreement is an enforceable basis)
         | rejected (裁定驳回申请, reason)

Who: the court's own clerks (立案/书记员), supervisors and administrators — the court
being the one applied to. The mediating committee only records the application.
"""

from django.utils.translation import gettext_lazy as _

from common.statemachine import StateMachine, Transition
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

from .models import ConfirmationStatus as S

COURT_STAFF = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})


def confirmation_roles(confirmation, user) -> set[str]:
    """The user's roles in the court applied to (its scope)."""
    return set(roles_in_scope_of(user, confirmation.court))


confirmation_machine = StateMachine(
    state_field="status",
    states=S,
    roles_of=confirmation_roles,
    transitions=[
        Transition("accept", _("受理"), (S.APPLIED,), S.ACCEPTED, COURT_STAFF),
        Transition(
            "refuse_acceptance",
            _("不予受理"),
            (S.APPLIED,),
            S.NOT_ACCEPTED,
            COURT_STAFF,
            button_style="warning",
        ),
        Transition("confirm", _("裁定确认有效"), (S.ACCEPTED,), S.CONFIRMED, COURT_STAFF),
        Transition(
            "reject",
            _("裁定驳回申请"),
            (S.ACCEPTED,),
            S.REJECTED,
            COURT_STAFF,
            button_style="danger",
        ),  # fmt: skip
    ],
)
