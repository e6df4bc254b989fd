"""The mediation case's workflow, as data (see common.statemachine).

received (待签收) → accepted (已签收: the mediator's signed receipt starts the clock)
→ in_mediation (调解中: the first session) → agreed (调解成功) | failed (终止调解) |
withdrawn (调解撤诉, only for a case the court had filed: 委托调解).

Who: the mediators and clerks of the mediating organisation's scope, and the assigned
mediator themselves; 调撤 may also be recorded by the entrusting court's clerks.
"""

from django.utils.translation import gettext_lazy as _

from common.statemachine import StateMachine, Transition
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

from .models import Source, Status

S = Status
ASSIGNED = "assigned_mediator"
COURT_CLERK = "court_clerk"

MEDIATING = frozenset({Role.MEDIATOR, Role.CLERK, Role.ADMIN, ASSIGNED})


def case_roles(case, user) -> set[str]:
    """The user's roles on this case: in the mediating organisation's scope, plus
    'assigned_mediator' for its mediator and 'court_clerk' for the court's clerks."""
    roles = set(roles_in_scope_of(user, case.organisation))
    mediator = case.mediator
    if mediator is not None and mediator.user_id and mediator.user_id == user.pk:
        roles.add(ASSIGNED)
    if case.court_id and {Role.CLERK, Role.ADMIN} & roles_in_scope_of(user, case.court):
        roles.add(COURT_CLERK)
    return roles


def _has_mediator(case) -> str | None:
    if case.mediator_id is None:
        return str(_("请先指派调解员。"))
    return None


def _filed_case(case) -> str | None:
    if case.source != Source.COURT_ENTRUSTED:
        return str(_("调解撤诉仅适用于法院立案后委托调解的案件。"))
    return None


mediation_machine = StateMachine(
    state_field="status",
    states=Status,
    roles_of=case_roles,
    transitions=[
        # the mediator's own signed receipt: nobody signs in their name
        Transition(
            "sign_receipt",
            _("签收"),
            (S.RECEIVED,),
            S.ACCEPTED,
            frozenset({ASSIGNED}),
            guard=_has_mediator,
        ),
        Transition("start", _("开始调解"), (S.ACCEPTED,), S.IN_MEDIATION, MEDIATING),
        Transition("agree", _("达成调解协议"), (S.IN_MEDIATION,), S.AGREED, MEDIATING),
        Transition(
            "fail",
            _("终止调解"),
            (S.RECEIVED, S.ACCEPTED, S.IN_MEDIATION),
            S.FAILED,
            MEDIATING,
            button_style="warning",
        ),
        Transition(
            "withdraw",
            _("调解撤诉"),
            (S.IN_MEDIATION, S.AGREED),
            S.WITHDRAWN,
            MEDIATING | {COURT_CLERK},
            guard=_filed_case,
            button_style="secondary",
        ),
    ],
)


def case_actions(case, user) -> list[Transition]:
    """What the page offers this user now (start is taken by logging the first session)."""
    return [t for t in mediation_machine.available(case, user) if t.name != "start"]
