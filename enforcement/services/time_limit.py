"""The 6-month limit (执行期限): suspension (中止) stops it and ending the suspension resumes
it, the days suspended not counted (deadlines' pause/resume); an extension of 3 months is
asked through the deadlines extension request within the last 5 days before expiry (earlier
or later is refused with the reason) and approved by the court's president — a supervisor
of the court itself — as themselves (deadlines.services.deadline_extension_approve).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline, DeadlineExtensionRequest
from deadlines.services import (
    deadline_extension_approve,
    deadline_extension_request,
    deadline_pause,
    deadline_resume,
)

from .. import conf
from ..models import EnforcementCase
from ..selectors import acting_roles
from ..selectors_filing import TIME_LIMIT, case_clock
from ..states import COURT_STAFF, case_machine


@transaction.atomic
def case_suspend(*, case, actor, reason: str) -> EnforcementCase:
    """中止执行, with the reason; the time limit stops while suspended."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请写明中止执行的事由。")]})

    def after(suspended):
        limit = case_clock(suspended, TIME_LIMIT)
        if limit is not None and limit.state == Deadline.State.PENDING:
            deadline_pause(limit, actor=actor, reason=reason[:200])

    return case_machine.apply(case, "suspend", actor=actor, note=reason[:200], after=after)


@transaction.atomic
def case_suspension_end(*, case, actor, note: str = "") -> EnforcementCase:
    """中止的情形消失，恢复执行: the time limit runs again, the suspended days added."""

    def after(resumed):
        limit = case_clock(resumed, TIME_LIMIT)
        if limit is not None and limit.state == Deadline.State.PAUSED:
            deadline_resume(limit, actor=actor)

    return case_machine.apply(
        case, "end_suspension", actor=actor, note=(note or "").strip()[:200], after=after
    )


def extension_window(limit: Deadline) -> tuple[datetime.date, datetime.date]:
    """The days on which an extension may be asked: the last N (5) days before expiry,
    the expiry day included."""
    due = timezone.localtime(limit.due_at).date()
    return due - datetime.timedelta(days=conf.get("ENFORCEMENT_EXTENSION_ASK_DAYS")), due


def extension_refusal(case, *, today: datetime.date | None = None) -> str | None:
    """Why the time limit cannot be asked to be extended today, or None."""
    limit = case_clock(case, TIME_LIMIT)
    if limit is None:
        return _("本案尚未立案，没有执行期限。")
    if limit.state == Deadline.State.PAUSED:
        return _("执行中止期间期限停止计算，不需要延长。")
    if limit.state != Deadline.State.PENDING:
        return _("执行期限已“%(s)s”，不能再申请延长。") % {"s": limit.get_state_display()}
    pending = DeadlineExtensionRequest.Status.PENDING  # the requests are prefetched
    if any(r.status == pending for r in limit.extension_requests.all()):
        return _("已有待院长审批的延长申请。")
    today = today or timezone.localdate()
    opens, due = extension_window(limit)
    if today < opens:
        return _(
            "延长执行期限应在期限届满前%(n)d日内提出：本案执行期限 %(due)s 届满，"
            "自 %(opens)s 起方可申请。"
        ) % {"n": conf.get("ENFORCEMENT_EXTENSION_ASK_DAYS"), "due": due.isoformat(),
             "opens": opens.isoformat()}  # fmt: skip
    if today > due:
        return _("执行期限已于 %(due)s 届满，不能再申请延长。") % {"due": due.isoformat()}
    return None


@transaction.atomic
def time_limit_extension_request(*, case, actor, approver, reason: str) -> DeadlineExtensionRequest:
    """Ask the court's president to extend the time limit by 3 months (configurable)."""
    if not (acting_roles(actor, case.court) & COURT_STAFF):
        raise PermissionDenied(_("只有本院工作人员可以申请延长执行期限。"))
    EnforcementCase.objects.select_for_update().filter(pk=case.pk).first()
    refusal = extension_refusal(case)
    if refusal:
        raise TransitionNotAllowed(refusal)
    limit = case_clock(case, TIME_LIMIT)
    return deadline_extension_request(
        limit,
        actor=actor,
        approver=approver,
        reason=reason,
        amount=conf.get("ENFORCEMENT_EXTENSION_MONTHS"),
        unit="months",
    )


@transaction.atomic
def time_limit_extension_approve(*, case, request, actor, note: str = ""):
    """The president approves, as themselves (anyone else: PermissionDenied)."""
    limit = case_clock(case, TIME_LIMIT)
    if limit is None or request.deadline_id != limit.pk:
        raise ValidationError({"request": [_("该延长申请不属于本案的执行期限。")]})
    if request.status != DeadlineExtensionRequest.Status.PENDING:
        raise TransitionNotAllowed(_("该延长申请已经审批。"))
    return deadline_extension_approve(request, actor=actor, note=note)
