"""The credit app's reaction to the enforcement case's workflow (enforcement never imports
credit: credit listens to `case_machine`). Performed in full → remove every listing and
restriction of the case within 3 working days (settlement performed when it came from
和解履行中); terminated or sent to bankruptcy → remove the listings. Moved to another court
(交叉执行 / 指定执行, not a workflow transition: enforcement's `case_transfer_listen`) → the
open credit work and its clocks follow the case."""

from django.utils.translation import gettext as _

from enforcement.models import CaseStatus

from .models import Trigger

TARGET_TRIGGERS = {
    CaseStatus.PERFORMED: Trigger.FULL_PERFORMANCE,
    CaseStatus.TERMINATED: Trigger.SUSPENSION_TERMINATION,
    CaseStatus.BANKRUPTCY: Trigger.SUSPENSION_TERMINATION,
}


def on_case_transition(case, transition, actor, source) -> None:
    trigger = TARGET_TRIGGERS.get(transition.target)
    if trigger is None:
        return
    if trigger == Trigger.FULL_PERFORMANCE and source == CaseStatus.SETTLEMENT:
        trigger = Trigger.SETTLEMENT_PERFORMED
    from .services.removal import removals_start

    removals_start(
        case=case,
        trigger=trigger,
        reason=_("案件%(action)s") % {"action": transition.label},
        actor=actor,
    )


def on_case_transfer(*, case, transfer, actor) -> None:
    from .services.transfer import credit_follow_case

    credit_follow_case(case=case, transfer=transfer, actor=actor)
