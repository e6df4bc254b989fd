"""The Deadline state machine: transitions as data (common.statemachine)."""

from django.utils.translation import gettext_lazy as _

from common.statemachine import StateMachine, Transition
from organisations.selectors import roles_in_scope_of

from .models import Deadline, DeadlineExtensionRequest

S = Deadline.State


def _pausable(deadline) -> str | None:
    from .registry import get_kind

    kind = get_kind(deadline.kind)
    if kind is not None and not kind.pausable:
        return str(_("该期限不能中止。"))
    return None


DEADLINE_MACHINE = StateMachine(
    state_field="state",
    states=S,
    transitions=[
        Transition("meet", _("标记完成"), (S.PENDING, S.PAUSED), S.MET, button_style="success"),
        Transition(
            "pause", _("中止计时"), (S.PENDING,), S.PAUSED, guard=_pausable, button_style="warning"
        ),
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

# Offered as buttons on the page. Meeting and cancelling a clock are what the owning app's
# own steps do (e.g. 应哨 meets the acceptance clock); nobody closes a clock by hand.
PAGE_ACTIONS = ("pause", "resume")

R = DeadlineExtensionRequest.Status

# Only the named approver may take these; the service checks it is them.
EXTENSION_REQUEST_MACHINE = StateMachine(
    state_field="status",
    states=R,
    transitions=[
        Transition("approve", _("批准延长"), (R.PENDING,), R.APPROVED, button_style="success"),
        Transition("refuse", _("不予批准"), (R.PENDING,), R.REFUSED, button_style="outline-danger"),
    ],
)
