"""The case page's 执行担保 panel and next steps (enf-guarantee)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CaseStatus, EnforcementGuarantee, GuaranteeStatus

OPEN = (GuaranteeStatus.OFFERED, GuaranteeStatus.SUSPENDED)
SHOWN = (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)


def guarantee_panel_context(case, user) -> dict | None:
    """One query; shown while a guarantee may be offered or runs, and wherever one exists."""
    from .services.guarantee import recent_guarantees

    guarantees = recent_guarantees(case)
    if not guarantees and case.status not in SHOWN:
        return None
    return {"case": case, "guarantees": guarantees, "today": timezone.localdate()}


def guarantee_next_steps_prefetch(cases, *, only=None) -> None:
    """The open guarantee of a list page's cases (`only`: the cases having any)."""
    ids = [c.pk for c in cases if c.status in SHOWN and (only is None or c.pk in only)]
    found = {}
    if ids:
        for guarantee in EnforcementGuarantee.objects.filter(case_id__in=ids, status__in=OPEN):
            found[guarantee.case_id] = guarantee
    for case in cases:
        case._guarantee_open = found.get(case.pk)


def _steps(guarantee) -> list[str]:
    if guarantee is None:
        return []
    if guarantee.status == GuaranteeStatus.OFFERED:
        return [_("执行担保待院长审批")]
    if guarantee.suspension_until < timezone.localdate():
        return [
            _("暂缓执行已于 %(d)s 届满：被执行人履行则解除担保，否则恢复执行担保人")
            % {"d": guarantee.suspension_until.isoformat()}
        ]
    return [_("暂缓执行至 %(d)s（执行担保）") % {"d": guarantee.suspension_until.isoformat()}]


def guarantee_next_steps(case) -> list[str]:
    from .services.guarantee import open_guarantee

    if not hasattr(case, "_guarantee_open") and case.status not in SHOWN:
        return []
    return _steps(open_guarantee(case))
