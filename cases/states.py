"""The closed loop as data: which step may follow which, and who may take it.

Two machines: the dispute's (出卷→研判→吹哨→答卷齐备→交卷→评卷/销号) and each dispatch's
(待应哨→应哨→答卷, or 退回, then 改派 to another unit). A dispute reopened after an
unsatisfied rating starts a new round: the guards look only at the current round. Services apply transitions through these machines only;
views ask `dispute_actions` / `dispatch_actions` which buttons to show.
"""

from django.utils.translation import gettext_lazy as _

from common.statemachine import StateMachine, Transition
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

from .models import OPEN_STATUSES, DispatchStatus, DisputeStatus

S = DisputeStatus
D = DispatchStatus

CENTRE_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})
RESPONDER_ROLES = frozenset(
    {Role.RESPONDER, Role.CLERK, Role.GRID_WORKER, Role.MEDIATOR, Role.ADMIN}
)


def _dispute_roles(dispute, actor) -> set[str]:
    if not getattr(actor, "is_authenticated", False):
        return set()
    return roles_in_scope_of(actor, dispute.organisation)


def _dispatch_roles(dispatch, actor) -> set[str]:
    if not getattr(actor, "is_authenticated", False):
        return set()
    return roles_in_scope_of(actor, dispatch.responder)


def _current_round(dispute):
    """Only this round's dispatches count: a reopened dispute starts clean."""
    return dispute.dispatches.filter(round=dispute.round)


def _all_answered(dispute) -> str | None:
    statuses = list(_current_round(dispute).values_list("status", flat=True))
    if any(s in (D.PENDING, D.ACCEPTED) for s in statuses):
        return str(_("仍有应哨单位未答卷。"))
    if D.ANSWERED not in statuses:
        return str(_("尚无应哨单位答卷。"))
    return None


def _all_handed_back(dispute) -> str | None:
    statuses = set(_current_round(dispute).values_list("status", flat=True))
    if statuses & {D.PENDING, D.ACCEPTED, D.ANSWERED}:
        return str(_("仍有应哨单位在办理。"))
    return None


dispute_machine = StateMachine(
    state_field="status",
    states=DisputeStatus,
    roles_of=_dispute_roles,
    transitions=[
        Transition("triage", _("研判"), (S.REGISTERED, S.REOPENED), S.TRIAGED, CENTRE_ROLES),
        Transition("dispatch", _("吹哨"), (S.TRIAGED, S.DISPATCHED), S.DISPATCHED, CENTRE_ROLES),
        # a handed-back dispatch sent on to another unit (same round)
        Transition("redispatch", _("改派"), (S.TRIAGED, S.DISPATCHED), S.DISPATCHED, CENTRE_ROLES),
        # system steps, taken by the dispatch services when the last responder acts
        Transition("all_answered", _("答卷齐备"), (S.DISPATCHED,), S.ANSWERED, guard=_all_answered),
        Transition(
            "all_handed_back", _("全部退回"), (S.DISPATCHED,), S.TRIAGED, guard=_all_handed_back
        ),
        Transition("close_resolved", _("交卷·确认化解"), (S.ANSWERED,), S.RESOLVED, CENTRE_ROLES),
        Transition(
            "send_back",
            _("交卷·退回重办"),
            (S.ANSWERED,),
            S.DISPATCHED,
            CENTRE_ROLES,
            button_style="warning",
        ),
        Transition("rate_satisfied", _("群众满意"), (S.RESOLVED,), S.CLOSED),
        Transition("rate_unsatisfied", _("群众不满意"), (S.RESOLVED,), S.REOPENED),
        Transition(
            "close", _("销号"), (S.RESOLVED,), S.CLOSED, CENTRE_ROLES, button_style="secondary"
        ),
        Transition(
            "refer",
            _("移交调解/法院"),
            (S.REGISTERED, S.TRIAGED, S.REOPENED),
            S.REFERRED,
            CENTRE_ROLES,
            button_style="secondary",
        ),
        # system: the body a dispute was referred to gave it back (调解终止), via its service
        Transition("referral_return", _("移交退回"), (S.REFERRED,), S.REOPENED),
        Transition(
            "close_by_bundle",
            _("随打包事项办结"),
            (*OPEN_STATUSES, S.RESOLVED),
            S.CLOSED,
            CENTRE_ROLES,
        ),
    ],
)

dispatch_machine = StateMachine(
    state_field="status",
    states=DispatchStatus,
    roles_of=_dispatch_roles,
    transitions=[
        Transition("accept", _("应哨"), (D.PENDING,), D.ACCEPTED, RESPONDER_ROLES),
        Transition("answer", _("答卷"), (D.ACCEPTED,), D.ANSWERED, RESPONDER_ROLES),
        Transition(
            "hand_back",
            _("退回"),
            (D.PENDING, D.ACCEPTED),
            D.HANDED_BACK,
            RESPONDER_ROLES,
            button_style="warning",
        ),
        # system: the centre sent the dispute back, so answered dispatches are open again
        Transition("reopen", _("退回重办"), (D.ANSWERED,), D.ACCEPTED),
        Transition("withdraw", _("撤回"), (D.PENDING, D.ACCEPTED), D.WITHDRAWN),
    ],
)

# Steps people choose on a page; the rest are taken by services on their behalf.
DISPUTE_USER_ACTIONS = ("triage", "dispatch", "close_resolved", "send_back", "close", "refer")
DISPATCH_USER_ACTIONS = ("accept", "answer", "hand_back")


def dispute_actions(dispute, user) -> list[Transition]:
    return [t for t in dispute_machine.available(dispute, user) if t.name in DISPUTE_USER_ACTIONS]


def dispatch_actions(dispatch, user) -> list[Transition]:
    return [
        t for t in dispatch_machine.available(dispatch, user) if t.name in DISPATCH_USER_ACTIONS
    ]
