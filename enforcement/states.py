"""The enforcement case's workflow, as data (see common.statemachine).

urging (执前督促, no number) → urging_performed (督促履行完毕: certificate, no case)
                             | filed (立案: the number is given by enforcement.services.filing)
filed → in_progress (承办人确定: the file reaches the officer)
in_progress ⇄ suspended (中止 / 恢复: the 6-month limit does not run while suspended)
in_progress → performed (执行完毕)
Part 2 adds settlement, 终本, termination and bankruptcy transfer to this table.

Who: the enforcing court's own staff. Supervisors reach a court only if they belong to a
court whose region contains it (a higher court); government units never do.
"""

from django.utils.translation import gettext_lazy as _

from common.statemachine import StateMachine, Transition
from organisations.roles import Role

from .models import CaseStatus as S
from .selectors import acting_roles

FILING_STAFF = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})
COURT_STAFF = frozenset({Role.CLERK, Role.ENFORCEMENT_OFFICER, Role.SUPERVISOR, Role.ADMIN})
ASSIGNING_STAFF = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})


def case_roles(case, user) -> set[str]:
    return acting_roles(user, case.court)


# Other modules add guards (e.g. "performed" needs the money paid and acts done) through
# `performance_guard_register`; the transition asks each in turn.
_performance_guards = []


def performance_guard_register(guard) -> None:
    if guard not in _performance_guards:
        _performance_guards.append(guard)


def _performance_refusal(case) -> str | None:
    for guard in _performance_guards:
        reason = guard(case)
        if reason:
            return reason
    return None


case_machine = StateMachine(
    state_field="status",
    states=S,
    roles_of=case_roles,
    transitions=[
        Transition("file", _("立案"), (S.URGING,), S.FILED, FILING_STAFF),
        Transition("urging_performed", _("督促履行完毕"), (S.URGING,), S.URGING_PERFORMED,
                   COURT_STAFF),
        Transition("assign", _("确定承办人"), (S.FILED,), S.IN_PROGRESS, ASSIGNING_STAFF),
        Transition("suspend", _("中止执行"), (S.IN_PROGRESS,), S.SUSPENDED, COURT_STAFF,
                   button_style="warning"),
        Transition("end_suspension", _("恢复执行（中止结束）"), (S.SUSPENDED,), S.IN_PROGRESS,
                   COURT_STAFF),
        Transition("performed", _("执行完毕"), (S.IN_PROGRESS,), S.PERFORMED, COURT_STAFF,
                   guard=_performance_refusal),
    ],
)  # fmt: skip
