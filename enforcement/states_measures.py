"""The workflows of coercive measures and objections, as data (common/statemachine.py).

Who may take a step (the named approver, the court's staff) is checked by the services
(enforcement/services/measures.py, objections.py) before they apply the transition here;
the machines say which step follows which and write the audit entry.
"""

from django.utils.translation import gettext_lazy as _

from common.statemachine import StateMachine, Transition

from .models import MeasureStatus, ObjectionStatus

M = MeasureStatus
MEASURE_MACHINE = StateMachine(
    state_field="status",
    states=MeasureStatus,
    transitions=[
        Transition("approve", _("批准"), (M.REQUESTED,), M.APPROVED),
        Transition("refuse", _("不予批准"), (M.REQUESTED,), M.REFUSED, button_style="danger"),
        Transition("execute", _("执行"), (M.APPROVED,), M.EXECUTED),
        # 拘传 questioning over, detainee released, exit restriction lifted, referral answered
        Transition("end", _("结束/解除"), (M.EXECUTED,), M.ENDED),
        Transition("cancel", _("撤销"), (M.REQUESTED, M.APPROVED), M.CANCELLED,
                   button_style="danger"),
    ],
)  # fmt: skip

OS = ObjectionStatus
OBJECTION_MACHINE = StateMachine(
    state_field="status",
    states=ObjectionStatus,
    transitions=[
        Transition("register", _("立案审查"), (OS.RECEIVED,), OS.REGISTERED),
        Transition("not_accept", _("不予受理"), (OS.RECEIVED,), OS.NOT_ACCEPTED,
                   button_style="danger"),
        Transition("uphold", _("裁定异议/复议成立"), (OS.REGISTERED,), OS.UPHELD),
        Transition("reject", _("裁定驳回"), (OS.REGISTERED,), OS.REJECTED),
        Transition("withdraw", _("撤回"), (OS.RECEIVED, OS.REGISTERED), OS.WITHDRAWN),
    ],
)  # fmt: skip
