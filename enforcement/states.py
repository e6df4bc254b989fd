"""The enforcement case's workflow, as data (see common.statemachine).

urging (执前督促, no number) → urging_performed (督促履行完毕: certificate, no case)
                             | filed (立案: the number is given by enforcement.services.filing)
filed → in_progress (承办人确定: the file reaches the officer)
in_progress ⇄ suspended (中止 / 恢复: the 6-month limit does not run while suspended)
in_progress → performed (执行完毕)
in_progress → settlement (执行和解: the time limit paused) → performed (和解履行完毕)
                                                          | in_progress (和解未履行: the
                                                            original basis enforced again)
in_progress → terminated_round (终本: every condition of services/final.py on record, the
              president's approval; a resumption is a new 执恢 case, services/final_checks.py)
in_progress | suspended | settlement | terminated_round → terminated (终结执行)
in_progress | suspended | terminated_round → bankruptcy (执转破)
in_progress → suspended (暂缓执行: an approved guarantee, services/guarantee.py) → in_progress
The endings' records and rules are in enforcement/services/{settlement,final,final_checks,
endings}.py (enf-endings).

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


# enf-endings: the endings' guards. 终本 is applied only by services/final.py after the
# president approved a request whose conditions all hold; the settlement's end only when
# its instalments are paid (services/settlement.py registers the guards at ready()).
_ending_guards: dict[str, list] = {}


def ending_guard_register(transition: str, guard) -> None:
    guards = _ending_guards.setdefault(transition, [])
    if guard not in guards:
        guards.append(guard)


def _ending_refusal(transition: str):
    def refusal(case) -> str | None:
        for guard in _ending_guards.get(transition, ()):
            reason = guard(case)
            if reason:
                return reason
        return None

    return refusal


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
                   COURT_STAFF, guard=_ending_refusal("end_suspension")),
        Transition("performed", _("执行完毕"), (S.IN_PROGRESS,), S.PERFORMED, COURT_STAFF,
                   guard=_performance_refusal),
        # --- enf-endings
        Transition("settle", _("执行和解"), (S.IN_PROGRESS,), S.SETTLEMENT, COURT_STAFF),
        Transition("settlement_performed", _("和解协议履行完毕"), (S.SETTLEMENT,), S.PERFORMED,
                   COURT_STAFF, guard=_ending_refusal("settlement_performed")),
        Transition("settlement_broken", _("和解未履行，恢复执行原生效法律文书"), (S.SETTLEMENT,),
                   S.IN_PROGRESS, COURT_STAFF, button_style="warning"),
        Transition("terminate_round", _("终结本次执行程序"), (S.IN_PROGRESS,),
                   S.TERMINATED_ROUND, COURT_STAFF, guard=_ending_refusal("terminate_round"),
                   button_style="warning"),
        Transition("terminate", _("终结执行"),
                   (S.IN_PROGRESS, S.SUSPENDED, S.SETTLEMENT, S.TERMINATED_ROUND),
                   S.TERMINATED, COURT_STAFF, guard=_ending_refusal("terminate"),
                   button_style="danger"),
        Transition("bankruptcy", _("执行转破产（移送破产审查）"),
                   (S.IN_PROGRESS, S.SUSPENDED, S.TERMINATED_ROUND), S.BANKRUPTCY, COURT_STAFF,
                   guard=_ending_refusal("bankruptcy"), button_style="danger"),
        # --- enf-guarantee: 执行担保 — the president's approval suspends (暂缓执行, at most a
        # year); the guarantee's end (performed, or enforcement against the guarantor) resumes.
        # Applied only by services/guarantee.py (the guards ask for the guarantee's record).
        Transition("guarantee_suspend", _("暂缓执行（执行担保）"), (S.IN_PROGRESS,), S.SUSPENDED,
                   COURT_STAFF, guard=_ending_refusal("guarantee_suspend"),
                   button_style="warning"),
        Transition("guarantee_resume", _("恢复执行（执行担保）"), (S.SUSPENDED,), S.IN_PROGRESS,
                   COURT_STAFF, guard=_ending_refusal("guarantee_resume")),
    ],
)  # fmt: skip
