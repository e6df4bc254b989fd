"""The Deadline state machine: transitions as data (common.statemachine)."""

from django.utils.translation import gettext_lazy as _

from common.statemachine import StateMachine, Transition
from organisations.selectors import roles_in_scope_of

from .models import Deadline

S = Deadline.State

DEADLINE_MACHINE = StateMachine(
    state_field="state",
    states=S,
    transitions=[
        Transition("meet", _("标记完成"), (S.PENDING, S.PAUSED), S.MET, button_style="success"),
        Transition("pause", _("中止计时"), (S.PENDING,), S.PAUSED, button_style="warning"),
        Transition("resume", _("恢复计时"), (S.PAUSED,), S.PENDING),
        # Applied by the sweep when the due moment passes.
        Transition("miss", _("超期"), (S.PENDING,), S.MISSED),
        # An approved extension reopens a missed deadline.
        Transition("reopen", _("延长后恢复"), (S.MISSED,), S.PENDING),
        Transition(
            "cancel", _("撤销期限"), (S.PENDING, S.PAUSED, S.MISSED), S.CANCELLED,
            button_style="outline-danger",
        ),
    ],
    roles_of=lambda deadline, user: roles_in_scope_of(user, deadline.organisation),
)  # fmt: skip

# Offered as buttons on the page (the others are applied by services and the sweep).
PAGE_ACTIONS = ("meet", "pause", "resume", "cancel")
