"""The commission's workflow (委托执行, enf-commission), as data (see common.statemachine).

requested (委托法院发出委托) → registered (受托法院立案执行: meets the 15-day clock)
                             | refused (不予受理, with reasons: the clocks are cancelled)
registered → finished (受托事项办结) | returned (退回委托法院, with reasons)
requested | registered → withdrawn (委托法院撤回, with reasons)

Who: "receiver" = staff of the receiving court acting in it (acting_roles); "sender" =
staff of the case's (sending) court. A higher court's supervisor reads both sides but acts
for neither.
"""

from django.utils.translation import gettext_lazy as _

from common.statemachine import StateMachine, Transition

from .models import CommissionStatus as S
from .selectors import acting_roles
from .states import COURT_STAFF

RECEIVER = "receiver"
SENDER = "sender"


def commission_roles(commission, user) -> set[str]:
    roles = set()
    if acting_roles(user, commission.receiving_court) & COURT_STAFF:
        roles.add(RECEIVER)
    if acting_roles(user, commission.sending_court) & COURT_STAFF:
        roles.add(SENDER)
    return roles


commission_machine = StateMachine(
    state_field="status",
    states=S,
    roles_of=commission_roles,
    transitions=[
        Transition("register", _("受托立案"), (S.REQUESTED,), S.REGISTERED,
                   frozenset({RECEIVER})),
        Transition("refuse", _("不予受理"), (S.REQUESTED,), S.REFUSED, frozenset({RECEIVER}),
                   button_style="warning"),
        Transition("finish", _("办结并函告委托法院"), (S.REGISTERED,), S.FINISHED,
                   frozenset({RECEIVER})),
        Transition("return", _("退回委托法院"), (S.REGISTERED,), S.RETURNED,
                   frozenset({RECEIVER}), button_style="warning"),
        Transition("withdraw", _("撤回委托"), (S.REQUESTED, S.REGISTERED), S.WITHDRAWN,
                   frozenset({SENDER}), button_style="secondary"),
    ],
)  # fmt: skip
