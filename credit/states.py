"""The credit workflows, as data (common.statemachine). Who: the sanctioning court's own
staff (enforcement.selectors.court_roles) — for a listing or restriction, the staff of its
case's enforcing court, which is the receiving court once the case has been moved; approvals are taken only by the person the
request names (the president), which the services check — the roles here only keep
everyone else out.

publication (Listing, Restriction):  pending → published (grace over / order approved)
                                     pending | published → removed | shielded
restriction:  pending_approval → in_force | refused;  in_force → lifted
removal:      pending_approval → pending | refused;   pending → done
restoration:  applied → granted | refused
one-time lifting: pending_approval → approved | refused
correction:   under_review → justified → fixed;  under_review → rejected
              rejected → justified (复议 reversed)
review (复议): under_review → upheld | reversed
"""

from django.utils.translation import gettext_lazy as _

from common.statemachine import StateMachine, Transition
from enforcement.selectors import acting_roles
from organisations.roles import Role

from .models import (
    CorrectionRequest,
    CreditReview,
    OneTimeLifting,
    Publication,
    Removal,
    Restoration,
    Restriction,
)

COURT_STAFF = frozenset({Role.CLERK, Role.ENFORCEMENT_OFFICER, Role.SUPERVISOR, Role.ADMIN})
DECIDERS = frozenset({Role.SUPERVISOR, Role.ADMIN})


def _roles(record, user) -> set[str]:
    return acting_roles(user, record.court)


def _sanction_roles(sanction, user) -> set[str]:
    """A listing or restriction is acted on by its case's enforcing court: the court that
    decided it, until the case moves to another court (交叉执行 / 指定执行) — then the
    receiving court, the 执行法院 now; `court` stays the record of who decided."""
    return acting_roles(user, sanction.enforcing_court)


P = Publication
publication_machine = StateMachine(
    state_field="publication",
    states=P,
    roles_of=_sanction_roles,
    transitions=[
        Transition("publish", _("公布"), (P.PENDING,), P.PUBLISHED),
        Transition("remove", _("删除"), (P.PENDING, P.PUBLISHED), P.REMOVED,
                   button_style="warning"),
        Transition("shield", _("屏蔽（信用修复）"), (P.PENDING, P.PUBLISHED), P.SHIELDED),
    ],
)  # fmt: skip

R = Restriction.State
restriction_machine = StateMachine(
    state_field="state",
    states=R,
    roles_of=_sanction_roles,
    transitions=[
        Transition("approve", _("批准并签发限制消费令"), (R.PENDING_APPROVAL,), R.IN_FORCE,
                   DECIDERS, button_style="success"),
        Transition("refuse", _("不予批准"), (R.PENDING_APPROVAL,), R.REFUSED, DECIDERS,
                   button_style="outline-danger"),
        Transition("lift", _("解除限制消费"), (R.IN_FORCE,), R.LIFTED, COURT_STAFF),
    ],
)  # fmt: skip

M = Removal.State
removal_machine = StateMachine(
    state_field="state",
    states=M,
    roles_of=_roles,
    transitions=[
        Transition("approve", _("批准删除"), (M.PENDING_APPROVAL,), M.PENDING, DECIDERS,
                   button_style="success"),
        Transition("refuse", _("不予删除"), (M.PENDING_APPROVAL,), M.REFUSED, DECIDERS,
                   button_style="outline-danger"),
        Transition("execute", _("执行删除/解除"), (M.PENDING,), M.DONE, COURT_STAFF,
                   button_style="success"),
    ],
)  # fmt: skip

T = Restoration.State
restoration_machine = StateMachine(
    state_field="state",
    states=T,
    roles_of=_roles,
    transitions=[
        Transition("grant", _("准予信用修复"), (T.APPLIED,), T.GRANTED, COURT_STAFF,
                   button_style="success"),
        Transition("refuse", _("不予修复"), (T.APPLIED,), T.REFUSED, COURT_STAFF,
                   button_style="outline-danger"),
    ],
)  # fmt: skip

L = OneTimeLifting.State
lifting_machine = StateMachine(
    state_field="state",
    states=L,
    roles_of=_roles,
    transitions=[
        Transition("approve", _("批准单次解禁"), (L.PENDING_APPROVAL,), L.APPROVED, DECIDERS,
                   button_style="success"),
        Transition("refuse", _("不予批准"), (L.PENDING_APPROVAL,), L.REFUSED, DECIDERS,
                   button_style="outline-danger"),
    ],
)  # fmt: skip

C = CorrectionRequest.State
correction_machine = StateMachine(
    state_field="state",
    states=C,
    roles_of=_roles,
    transitions=[
        Transition("justify", _("理由成立"), (C.UNDER_REVIEW,), C.JUSTIFIED, COURT_STAFF,
                   button_style="success"),
        Transition("reject", _("理由不成立"), (C.UNDER_REVIEW,), C.REJECTED, COURT_STAFF,
                   button_style="outline-danger"),
        Transition("fix", _("纠正完成"), (C.JUSTIFIED,), C.FIXED, COURT_STAFF),
        # a review (复议) that reverses a rejection sends the request back to be fixed
        Transition("reverse", _("复议撤销驳回决定"), (C.REJECTED,), C.JUSTIFIED),
    ],
)  # fmt: skip

V = CreditReview.State
review_machine = StateMachine(
    state_field="state",
    states=V,
    roles_of=_roles,
    transitions=[
        Transition("uphold", _("维持原决定"), (V.UNDER_REVIEW,), V.UPHELD, COURT_STAFF),
        Transition("reverse", _("撤销原决定"), (V.UNDER_REVIEW,), V.REVERSED, COURT_STAFF,
                   button_style="warning"),
    ],
)  # fmt: skip
