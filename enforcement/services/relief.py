"""Judicial relief (司法救助) for an applicant in hardship: asked by the officer, decided by
the court's president as themselves; never more than 36 × the province's average monthly
wage of the previous year (the AverageWage table an admin keeps; the multiplier is
configurable). Without the previous year's figure the request is refused with the reason.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create, audit_transition
from common.statemachine import TransitionNotAllowed
from organisations.models import Region

from .. import conf_endings
from ..models import (
    ApprovalStatus,
    AverageWage,
    CaseParty,
    EnforcementCase,
    EnforcementRole,
    JudicialRelief,
)
from .endings import check_approver, clean_text, require_named_approver, require_staff, tell
from .settlement import _money


def province_of(court) -> Region | None:
    region = court.region
    if region is None:
        return None
    if region.level == Region.Level.PROVINCE:
        return region
    # the province above; a tree that starts lower (a city's own deployment) uses its root
    ancestors = list(Region.objects.get_ancestors(region))
    return next((r for r in ancestors if r.level == Region.Level.PROVINCE), None) or (
        ancestors[0] if ancestors else region
    )


def relief_cap(court, *, on: datetime.date | None = None) -> tuple[Decimal, str]:
    """(cap, how it was computed); TransitionNotAllowed when the wage is not on record."""
    on = on or timezone.localdate()
    months = conf_endings.get("ENFORCEMENT_RELIEF_WAGE_MONTHS")
    province = province_of(court)
    wage = (
        AverageWage.objects.filter(province=province, year=on.year - 1).first()
        if province is not None
        else None
    )
    if wage is None:
        raise TransitionNotAllowed(
            _("尚未录入%(p)s%(y)d年度职工月平均工资，无法确定司法救助上限，请联系管理员。")
            % {"p": province.name if province else _("本省"), "y": on.year - 1}
        )
    cap = (wage.monthly_wage * months).quantize(Decimal("0.01"))
    basis = _("%(p)s%(y)d年度职工月平均工资 %(w)s 元 × %(m)d = %(c)s 元") % {
        "p": province.name,
        "y": wage.year,
        "w": wage.monthly_wage,
        "m": months,
        "c": cap,
    }
    return cap, basis


@transaction.atomic
def relief_request(
    *, case: EnforcementCase, applicant: CaseParty, actor, approver, amount, hardship: str
) -> JudicialRelief:
    require_staff(case, actor)
    if applicant.case_id != case.pk or applicant.role != EnforcementRole.APPLICANT:
        raise ValidationError({"applicant": [_("请选择本案的申请执行人。")]})
    hardship = clean_text(hardship, "hardship", _("请写明申请执行人的生活困难情况。"))
    amount = _money(amount, "amount")
    check_approver(case, approver=approver, actor=actor)
    cap, basis = relief_cap(case.court)
    if amount > cap:
        raise ValidationError(
            {"amount": [_("司法救助金额不得超过上限 %(c)s 元（%(b)s）。") % {"c": cap, "b": basis}]}
        )
    relief = JudicialRelief.objects.create(
        case=case, applicant=applicant, amount=amount, cap=cap, cap_basis=basis[:200],
        hardship=hardship, requested_by=actor, approver=approver,
    )  # fmt: skip
    audit_create(relief, actor=actor, note=_("申请司法救助 %(a)s 元") % {"a": amount})
    tell(approver, actor=actor, title=_("司法救助待审批：%(c)s") % {"c": case},
         body=hardship[:200], link=relief.get_absolute_url(), subject=relief)  # fmt: skip
    return relief


@transaction.atomic
def relief_decide(
    *, relief: JudicialRelief, actor, approve: bool, note: str = ""
) -> JudicialRelief:
    relief = JudicialRelief.objects.select_for_update().get(pk=relief.pk)
    require_named_approver(relief, actor)
    if relief.status != ApprovalStatus.PENDING:
        raise TransitionNotAllowed(_("该司法救助申请已经审批。"))
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": [_("请写明不予批准的理由。")]})
    before = {"status": relief.status}
    relief.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REFUSED
    relief.decided_at = timezone.now()
    relief.decision_note = note[:300]
    relief.save(update_fields=["status", "decided_at", "decision_note"])
    audit_transition(
        relief, actor=actor, transition="approve" if approve else "refuse",
        transition_label="批准" if approve else "不予批准", before=before,
        after={"status": relief.status}, note=note[:300],
    )  # fmt: skip
    tell(relief.requested_by, actor=actor,
         title=_("司法救助申请已%(d)s：%(c)s") % {"d": relief.get_status_display(), "c": relief.case},
         link=relief.get_absolute_url(), subject=relief)  # fmt: skip
    return relief
