"""Credit restoration (信用修复) and one-time lifting (单次解禁).

- `restoration_apply`: the debtor, or the officer for them, applies with evidence
  (performed, settled, gave security); `restoration_decide` records the decision with its
  reasons; granted, the debtor's sanctions in the case are shielded/lifted at once (through
  removals, so the 3-working-day record exists) and a certificate may be issued.
- `one_time_lifting_request` / `_approve` / `_refuse`: a restriction lifted once for a
  stated need and dates, approved by the named president of the lifting's court; turned
  off by settings.CREDIT_ONE_TIME_LIFTING = False. A lifting still waiting when the case
  moves goes to the receiving court without an approver (credit.services.transfer), whose
  staff name their own president (`one_time_lifting_approver_name`, 报请审批).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create
from common.statemachine import TransitionNotAllowed
from enforcement.models import EnforcementRole

from .. import conf
from ..models import CreditChange, OneTimeLifting, Restoration, Restriction, Trigger
from ..states import lifting_machine, restoration_machine
from ._common import (
    approver_name,
    is_president,
    require_court_staff,
    require_named_approver,
    require_president_of,
    tell,
)
from .feed import feed_record
from .removal import live_sanctions, removals_start_and_execute

KIND_LIFTING_REQUESTED = "credit.lifting_requested"


@transaction.atomic
def restoration_apply(
    *,
    case_party,
    basis: str,
    evidence: str,
    actor,
    applicant_name: str = "",
    on_behalf: bool = False,
    applied_at: datetime.datetime | None = None,
) -> Restoration:
    case = case_party.case
    require_court_staff(actor, case.court)
    errors = {}
    if case_party.role != EnforcementRole.DEBTOR:
        errors["case_party"] = [_("只有被执行人可以申请信用修复。")]
    if basis not in Restoration.Basis.values:
        errors["basis"] = [_("请选择修复依据。")]
    if not (evidence or "").strip():
        errors["evidence"] = [_("请列明证明材料。")]
    if errors:
        raise ValidationError(errors)
    if not live_sanctions(case, case_party=case_party):
        raise TransitionNotAllowed(_("该被执行人在本案中没有生效的信用惩戒措施。"))
    if Restoration.objects.filter(
        case=case, debtor=case_party.party, state=Restoration.State.APPLIED
    ).exists():
        raise TransitionNotAllowed(_("已有待决定的信用修复申请。"))
    restoration = Restoration.objects.create(
        debtor=case_party.party,
        case=case,
        court=case.court,
        applicant_name=(applicant_name or case_party.name).strip()[:120],
        on_behalf=bool(on_behalf),
        basis=basis,
        evidence=evidence.strip(),
        applied_at=applied_at or timezone.now(),
        recorded_by=actor,
    )
    audit_create(restoration, actor=actor)
    return restoration


@transaction.atomic
def restoration_decide(
    *, restoration: Restoration, grant: bool, reasons: str, actor
) -> Restoration:
    require_court_staff(actor, restoration.court)
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": [_("请写明决定理由。")]})
    changes = {"decision_reasons": reasons, "decided_by": actor, "decided_at": timezone.now()}
    if not grant:
        return restoration_machine.apply(
            restoration, "refuse", actor=actor, note=reasons, changes=changes
        )
    locked = restoration_machine.apply(
        restoration, "grant", actor=actor, note=reasons, changes=changes
    )
    case = locked.case
    sanctions = [s for s in live_sanctions(case) if s.debtor_id == locked.debtor_id]
    removals_start_and_execute(
        case=case,
        trigger=Trigger.RESTORATION,
        reason=reasons,
        actor=actor,
        fact_at=locked.decided_at,
        sanctions=sanctions,
    )
    restoration.refresh_from_db()
    return restoration


# --- one-time lifting ------------------------------------------------------------------


@transaction.atomic
def one_time_lifting_request(
    *,
    restriction: Restriction,
    need: str,
    reasons: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    approver,
    actor,
) -> OneTimeLifting:
    court = restriction.enforcing_court  # the case's court now (after a move: the receiver)
    require_court_staff(actor, court)
    if not conf.one_time_lifting_enabled():
        raise TransitionNotAllowed(_("本院未启用单次解禁。"))
    if restriction.state != Restriction.State.IN_FORCE:
        raise TransitionNotAllowed(_("只有生效中的限制消费令可以单次解禁。"))
    errors = {}
    if not (need or "").strip():
        errors["need"] = [_("请写明事由（如就医乘机）。")]
    if not (reasons or "").strip():
        errors["reasons"] = [_("请写明具体理由。")]
    if not isinstance(starts_on, datetime.date) or not isinstance(ends_on, datetime.date):
        errors["starts_on"] = [_("请填写解禁起止日期。")]
    elif ends_on < starts_on:
        errors["ends_on"] = [_("结束日期不能早于开始日期。")]
    elif starts_on < timezone.localdate():
        errors["starts_on"] = [_("开始日期不能早于今天。")]
    elif (ends_on - starts_on).days + 1 > conf.one_time_lifting_max_days():
        errors["ends_on"] = [_("单次解禁最长%(n)d日。") % {"n": conf.one_time_lifting_max_days()}]
    if not is_president(approver, court):
        errors["approver"] = [_("单次解禁须由本院院长（副院长）批准。")]
    if errors:
        raise ValidationError(errors)
    lifting = OneTimeLifting.objects.create(
        restriction=restriction,
        court=court,
        need=need.strip()[:60],
        reasons=reasons.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        requested_by=actor,
        approver=approver,
    )
    audit_create(lifting, actor=actor)
    tell(
        [approver], actor=actor, kind=KIND_LIFTING_REQUESTED,
        title=_("单次解禁待您审批：%(name)s") % {"name": restriction.debtor_name},
        body=f"{lifting.need} {starts_on}–{ends_on}",
        link=restriction.get_absolute_url(), subject=lifting,
    )  # fmt: skip
    return lifting


@transaction.atomic
def one_time_lifting_approver_name(*, lifting: OneTimeLifting, approver, actor) -> OneTimeLifting:
    """报请审批: name the president who decides a one-time lifting waiting for approval when
    no president of its court is named — the case moved before the decision and the
    request went with it to the receiving court (credit.services.transfer), whose staff
    ask their own president."""
    locked = (
        OneTimeLifting.objects.select_for_update(of=("self",))
        .select_related("approver", "restriction")
        .get(pk=lifting.pk)
    )
    require_court_staff(actor, locked.court)
    approver_name(
        locked, approver=approver, actor=actor,
        not_pending=_("该单次解禁申请不在待审批状态。"),
        not_president=_("单次解禁须由本院院长（副院长）批准。"),
    )  # fmt: skip
    restriction = locked.restriction
    tell(
        [approver], actor=actor, kind=KIND_LIFTING_REQUESTED,
        title=_("单次解禁待您审批：%(name)s") % {"name": restriction.debtor_name},
        body=f"{locked.need} {locked.starts_on}–{locked.ends_on}",
        link=restriction.get_absolute_url(), subject=locked,
    )  # fmt: skip
    lifting.refresh_from_db()
    return lifting


@transaction.atomic
def one_time_lifting_approve(*, lifting: OneTimeLifting, actor, note: str = "") -> OneTimeLifting:
    """The named president of the lifting's court (after a move: the receiving court's)."""
    require_named_approver(lifting, actor)
    require_president_of(actor, lifting.court)
    locked = lifting_machine.apply(
        lifting, "approve", actor=actor, note=note,
        changes={"decided_at": timezone.now(), "decision_note": (note or "")[:200]},
    )  # fmt: skip
    restriction = locked.restriction
    if restriction.published_at is not None:
        # partners (airlines, railways) must let the debtor through on those dates
        feed_record(
            sanction=restriction,
            action=CreditChange.Action.ONE_TIME_LIFTED,
            note=f"{locked.starts_on.isoformat()}/{locked.ends_on.isoformat()} {locked.need}",
        )
    return lifting


@transaction.atomic
def one_time_lifting_refuse(*, lifting: OneTimeLifting, actor, note: str) -> OneTimeLifting:
    require_named_approver(lifting, actor)
    require_president_of(actor, lifting.court)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写不予批准的理由。")]})
    return lifting_machine.apply(
        lifting, "refuse", actor=actor, note=note,
        changes={"decided_at": timezone.now(), "decision_note": note[:200]},
    )  # fmt: skip
