"""The workflows of controls and clues, as data (common.statemachine).

Control (one measure over one asset):
    active → active     deduct_part (part of the frozen money taken), appraise, renew
    active → deducted   deduct (all that was frozen taken)
    active → sold       auction (after an appraisal)
    active → lifted     lift
    active → expired    expire (the period ended unrenewed; the system)
Deduction waits for the freeze-to-deduct period (refused earlier, saying the date); a
renewal is refused once the control has expired (a lapsed freeze is a new freeze).

Clue: pending → confirmed | unfounded (the check, with its result).

Who: the enforcing court's staff (and a higher court's supervisors), as for the case.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.statemachine import StateMachine, Transition

from .models import AssetClass, ClueStatus, ControlStatus
from .selectors import acting_roles
from .states import COURT_STAFF


def _control_roles(control, user) -> set[str]:
    return acting_roles(user, control.case.court)


def _today():
    return timezone.localdate()


def _deposit_wait_refusal(control) -> str | None:
    if control.asset_class != AssetClass.DEPOSIT or control.amount is None:
        return _("只有冻结的存款及资金账户可以扣划。")
    if control.deductible_on and _today() < control.deductible_on:
        return _("冻结后须经过扣划等待期，%(date)s 起方可扣划。") % {
            "date": control.deductible_on.isoformat()
        }
    if control.frozen_remaining <= 0:
        return _("冻结款项已全部扣划。")
    return None


def _appraise_refusal(control) -> str | None:
    if control.asset_class == AssetClass.DEPOSIT:
        return _("存款无需评估，可直接扣划。")
    return None


def _auction_refusal(control) -> str | None:
    if control.asset_class == AssetClass.DEPOSIT:
        return _("存款不拍卖，应扣划。")
    if control.appraised_value is None:
        return _("拍卖前须先评估（确定参考价）。")
    return None


def _renew_refusal(control) -> str | None:
    if _today() > control.expires_on:
        return _("控制措施已于 %(date)s 到期，不能续行；须重新采取措施。") % {
            "date": control.expires_on.isoformat()
        }
    return None


def _expire_refusal(control) -> str | None:
    if _today() <= control.expires_on:
        return _("控制措施尚未到期。")
    return None


S = ControlStatus

control_machine = StateMachine(
    state_field="status",
    states=ControlStatus,
    roles_of=_control_roles,
    transitions=[
        Transition("deduct_part", _lazy("部分扣划"), (S.ACTIVE,), S.ACTIVE, COURT_STAFF,
                   guard=_deposit_wait_refusal),
        Transition("deduct", _lazy("扣划"), (S.ACTIVE,), S.DEDUCTED, COURT_STAFF,
                   guard=_deposit_wait_refusal),
        Transition("appraise", _lazy("评估"), (S.ACTIVE,), S.ACTIVE, COURT_STAFF,
                   guard=_appraise_refusal),
        Transition("auction", _lazy("拍卖"), (S.ACTIVE,), S.SOLD, COURT_STAFF,
                   guard=_auction_refusal),
        Transition("renew", _lazy("续行"), (S.ACTIVE,), S.ACTIVE, COURT_STAFF,
                   guard=_renew_refusal),
        Transition("lift", _lazy("解除"), (S.ACTIVE,), S.LIFTED, COURT_STAFF,
                   button_style="warning"),
        Transition("expire", _lazy("到期失效"), (S.ACTIVE,), S.EXPIRED, guard=_expire_refusal),
    ],
)  # fmt: skip


def _clue_roles(clue, user) -> set[str]:
    return acting_roles(user, clue.case.court)


clue_machine = StateMachine(
    state_field="status",
    states=ClueStatus,
    roles_of=_clue_roles,
    transitions=[
        Transition("confirm", _lazy("核查属实"), (ClueStatus.PENDING,), ClueStatus.CONFIRMED,
                   COURT_STAFF),
        Transition("reject", _lazy("核查不实"), (ClueStatus.PENDING,), ClueStatus.UNFOUNDED,
                   COURT_STAFF),
    ],
)  # fmt: skip
