"""Controls over assets (控制措施): freeze, deduct, seal, seize, appraise, auction, renew,
lift — from a finding of an online inquiry or from a checked clue.

Rules (DOMAIN.md, Legal rules / Enforcement clocks):
- a freeze takes at most the account's balance and at most what is still owed less what
  is already frozen elsewhere on the case;
- deduction only after the freeze-to-deduct wait (enforcement.freeze_to_deduct, 15 days
  unless the court's rule says otherwise): refused before, saying the first day it is
  allowed; never more than is frozen or still owed; the money becomes a receipt in the
  case-fund ledger (enforcement.services.funds) in the same transaction, as do auction
  proceeds;
- each control's period is at most the legal maximum of its class (deposits 1 year,
  movables 2, real estate and other property rights 3) and runs as a deadline clock whose
  reminder stages are the renewal reminders; a renewal, before expiry only, is no longer
  than the original period.
Every step is a transition of enforcement.states_assets.control_machine (audited) and a
ControlAction row for the case file.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_create, snapshot
from common import pii
from common.money import format_yuan
from common.statemachine import TransitionNotAllowed
from deadlines import services as deadline_services
from deadlines.engine import resolve_rule
from deadlines.registry import get_kind

from ..clocks_assets import day_start, deduct_wait, open_clock
from ..inquiry.runner import asset_reference
from ..models import (
    AssetClass,
    AssetClue,
    AssetControl,
    AssetFinding,
    ClueStatus,
    ControlAction,
    ControlActionKind,
    ControlStatus,
    EnforcementCase,
    Measure,
)
from ..models.assets import ASSET_CLASS_BY_KIND, MEASURES_BY_KIND, PERIOD_KIND_BY_CLASS
from ..selectors_assets import amount_frozen, amount_outstanding
from ..states_assets import control_machine
from .inquiries import INQUIRY_CASE_STATUSES, require_court_staff

ZERO = Decimal("0.00")


def _today() -> datetime.date:
    return timezone.localdate()


def legal_maximum_months(asset_class: str) -> int:
    """The statutory maximum of the class's period kind, in months."""
    kind = get_kind(PERIOD_KIND_BY_CLASS[asset_class])
    return kind.amount if kind.unit == "months" else max(1, kind.amount // 30)


def default_months(case: EnforcementCase, asset_class: str) -> int:
    """The court's rule for the period (local or statutory), never above the maximum."""
    rule = resolve_rule(PERIOD_KIND_BY_CLASS[asset_class], case.court)
    months = rule.amount if rule.unit == "months" else max(1, rule.amount // 30)
    return min(months, legal_maximum_months(asset_class))


def _money(value, field: str) -> Decimal:
    if value is None or value == "":
        raise ValidationError({field: [_("请填写金额。")]})
    if isinstance(value, float):
        raise ValidationError({field: [_("金额须为精确的十进制数。")]})
    amount = Decimal(value)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: [_("金额最多两位小数（元、角、分）。")]})
    if amount <= 0:
        raise ValidationError({field: [_("金额须大于零。")]})
    return amount.quantize(Decimal("0.01"))


def _not_future(date: datetime.date | None, field: str) -> datetime.date:
    date = date or _today()
    if date > _today():
        raise ValidationError({field: [_("日期不能晚于今天。")]})
    return date


def _source(case, finding: AssetFinding | None, clue: AssetClue | None):
    if (finding is None) == (clue is None):
        raise ValidationError({"finding": [_("请选择一项查控结果或一条财产线索。")]})
    source = finding or clue
    field = "finding" if finding is not None else "clue"
    if source.case_id != case.pk:
        raise ValidationError({field: [_("不是本案的查控结果或财产线索。")]})
    if clue is not None and clue.status != ClueStatus.CONFIRMED:
        raise TransitionNotAllowed(_("财产线索须经核查属实后方可采取控制措施。"))
    return source, field


@transaction.atomic
def control_impose(
    *,
    case: EnforcementCase,
    actor,
    measure: str,
    finding: AssetFinding | None = None,
    clue: AssetClue | None = None,
    amount=None,
    months: int | None = None,
    effective_on: datetime.date | None = None,
    ruling_number: str = "",
    note: str = "",
) -> AssetControl:
    """Freeze (冻结), seal (查封) or seize (扣押) the asset of `finding` or `clue`."""
    case = EnforcementCase.objects.select_for_update().select_related("court").get(pk=case.pk)
    require_court_staff(case, actor)
    if case.status not in INQUIRY_CASE_STATUSES:
        raise TransitionNotAllowed(
            _("案件状态为“%(state)s”，不能采取控制措施。") % {"state": case.get_status_display()}
        )
    source, source_field = _source(case, finding, clue)
    measures = MEASURES_BY_KIND.get(source.kind, ())
    if measure not in measures:
        raise ValidationError(
            {
                "measure": [
                    _("%(kind)s不能%(measure)s（可采取：%(allowed)s）。")
                    % {
                        "kind": source.get_kind_display(),
                        "measure": Measure(measure).label,
                        "allowed": "、".join(str(Measure(m).label) for m in measures) or "—",
                    }
                ]
            }
        )
    asset_class = ASSET_CLASS_BY_KIND[source.kind]
    effective_on = _not_future(effective_on, "effective_on")
    maximum = legal_maximum_months(asset_class)
    months = months or default_months(case, asset_class)
    if not 1 <= int(months) <= maximum:
        raise ValidationError(
            {
                "months": [
                    _("%(class)s的控制期限不得超过 %(max)d 个月。")
                    % {"class": AssetClass(asset_class).label, "max": maximum}
                ]
            }
        )
    if finding is not None:
        identifier_token = finding.identifier_encrypted
        masked, reference = finding.identifier_masked, finding.reference
        institution, description = finding.institution, finding.description
        debtor_id, balance = finding.debtor_id, finding.balance
    else:
        identifier_token, masked = clue.identifier_encrypted, clue.identifier_masked
        plain = pii.decrypt(identifier_token) if identifier_token else ""
        reference = asset_reference(clue.kind, clue.institution, plain) if plain else ""
        institution, description = clue.institution, clue.description[:200]
        debtor_id, balance = clue.debtor_id, clue.estimated_value
    if (
        reference
        and AssetControl.objects.filter(
            case=case, reference=reference, status=ControlStatus.ACTIVE
        ).exists()
    ):
        raise TransitionNotAllowed(_("该财产已在本案控制之下（可续行或解除）。"))
    frozen_amount = None
    if measure == Measure.FREEZE and asset_class == AssetClass.DEPOSIT:
        frozen_amount = _money(amount, "amount")
        if balance is not None and frozen_amount > balance:
            raise ValidationError(
                {"amount": [_("冻结金额不能超过账户余额 %(b)s。") % {"b": format_yuan(balance)}]}
            )
        room = amount_outstanding(case) - amount_frozen(case)
        if frozen_amount > room:
            raise ValidationError(
                {
                    "amount": [
                        _("冻结金额不能超过尚需控制的金额 %(room)s（尚欠减去本案已冻结）。")
                        % {"room": format_yuan(max(room, ZERO))}
                    ]
                }
            )
    elif amount not in (None, ""):
        raise ValidationError({"amount": [_("只有冻结存款需要填写金额。")]})
    deductible_on = None
    if frozen_amount is not None:
        deductible_on, _explanation = deduct_wait(case.court, effective_on)
    control = AssetControl(
        case=case,
        debtor_id=debtor_id,
        finding=finding,
        clue=clue,
        measure=measure,
        asset_class=asset_class,
        kind=source.kind,
        institution=institution or "—",
        identifier_encrypted=identifier_token,
        identifier_masked=masked,
        reference=reference,
        description=description,
        amount=frozen_amount,
        deductible_on=deductible_on,
        effective_on=effective_on,
        period_months=int(months),
        expires_on=effective_on,  # set from the clock below
        ruling_number=ruling_number.strip()[:60],
        decided_by=actor,
    )
    control.save()
    clock = deadline_services.deadline_start(
        subject=control,
        kind=control.period_kind,
        organisation=case.court,
        owner=case.officer,
        actor=actor,
        start=day_start(effective_on),
        amount=int(months),
        unit="months",
    )
    control.expires_on = timezone.localtime(clock.due_at).date()
    control.save(update_fields=["expires_on"])
    audit_create(control, actor=actor, note=note or _("%(m)s，期限 %(n)d 个月，至 %(d)s") % {
        "m": Measure(measure).label, "n": int(months), "d": control.expires_on.isoformat(),
    })  # fmt: skip
    ControlAction.objects.create(
        control=control,
        action=measure,
        on=effective_on,
        amount=frozen_amount,
        months=int(months),
        expires_on=control.expires_on,
        note=note[:300],
        actor=actor,
    )
    return control


def control_freeze(*, case, actor, amount, **kwargs) -> AssetControl:
    return control_impose(case=case, actor=actor, measure=Measure.FREEZE, amount=amount, **kwargs)


def control_seal(*, case, actor, **kwargs) -> AssetControl:
    return control_impose(case=case, actor=actor, measure=Measure.SEAL, **kwargs)


def control_seize(*, case, actor, **kwargs) -> AssetControl:
    return control_impose(case=case, actor=actor, measure=Measure.SEIZE, **kwargs)


def _lock(control: AssetControl) -> AssetControl:
    return (
        AssetControl.objects.select_for_update(of=("self",))
        .select_related("case", "case__court")
        .get(pk=control.pk)
    )


def _refuse_unless_allowed(control: AssetControl, transition: str, actor) -> None:
    reason = control_machine.refusal(control, transition, actor)
    if reason:
        raise TransitionNotAllowed(reason)


def _end_clock(control: AssetControl, *, actor, reason: str) -> None:
    clock = open_clock(control, control.period_kind)
    if clock is not None:
        deadline_services.deadline_cancel(clock, actor=actor, reason=reason)


def _fund_receipt(*, control, amount, source, received_on, actor, note):
    from enforcement.services.funds import fund_receipt_record

    return fund_receipt_record(
        case=control.case,
        amount=amount,
        source=source,
        received_on=received_on,
        actor=actor,
        note=note,
        control=control,
    )


@transaction.atomic
def control_deduct(
    *, control: AssetControl, actor, amount, deducted_on: datetime.date | None = None, note=""
) -> AssetControl:
    """扣划: take frozen money into the case fund (a receipt in the ledger). Refused (409)
    before the wait ends, saying the date; at most what is frozen and still owed (400)."""
    locked = _lock(control)
    require_court_staff(locked.case, actor)
    _refuse_unless_allowed(locked, "deduct", actor)
    amount = _money(amount, "amount")
    deducted_on = _not_future(deducted_on, "deducted_on")
    if locked.deductible_on and deducted_on < locked.deductible_on:
        raise ValidationError(
            {"deducted_on": [_("扣划日期不能早于 %(d)s。") % {"d": locked.deductible_on}]}
        )
    remaining = locked.frozen_remaining
    if amount > remaining:
        raise ValidationError(
            {"amount": [_("扣划金额不能超过冻结余额 %(r)s。") % {"r": format_yuan(remaining)}]}
        )
    owed = amount_outstanding(locked.case)
    if amount > owed:
        raise ValidationError(
            {"amount": [_("扣划金额不能超过尚欠金额 %(o)s。") % {"o": format_yuan(owed)}]}
        )
    full = amount == remaining
    text = _("扣划 %(inst)s %(id)s %(amount)s") % {
        "inst": locked.institution, "id": locked.identifier_masked, "amount": format_yuan(amount),
    }  # fmt: skip
    changes = {"deducted_amount": locked.deducted_amount + amount}
    if full:
        changes.update(ended_on=deducted_on, end_reason=str(_("冻结款项已全部扣划")))
    control_machine.apply(
        locked, "deduct" if full else "deduct_part", actor=actor, note=note or text,
        changes=changes,
    )  # fmt: skip
    receipt = _fund_receipt(
        control=locked, amount=amount, source="deduction", received_on=deducted_on,
        actor=actor, note=note or text,
    )  # fmt: skip
    ControlAction.objects.create(
        control=locked, action=ControlActionKind.DEDUCT, on=deducted_on, amount=amount,
        fund_receipt=str(getattr(receipt, "pk", "") or ""), note=(note or text)[:300], actor=actor,
    )  # fmt: skip
    if full:
        _end_clock(locked, actor=actor, reason=str(_("冻结款项已全部扣划")))
    control.refresh_from_db()
    return control


@transaction.atomic
def control_appraise(
    *, control: AssetControl, actor, value, appraised_on=None, appraiser: str = "", note=""
) -> AssetControl:
    """评估: the appraised value (the auction's reference price)."""
    locked = _lock(control)
    require_court_staff(locked.case, actor)
    _refuse_unless_allowed(locked, "appraise", actor)
    value = _money(value, "value")
    appraised_on = _not_future(appraised_on, "appraised_on")
    appraiser = (appraiser or "").strip()
    if not appraiser:
        raise ValidationError({"appraiser": [_("请填写评估机构。")]})
    control_machine.apply(
        locked, "appraise", actor=actor, note=note,
        changes={"appraised_value": value, "appraised_on": appraised_on,
                 "appraiser": appraiser[:120]},
    )  # fmt: skip
    ControlAction.objects.create(
        control=locked, action=ControlActionKind.APPRAISE, on=appraised_on, amount=value,
        note=(note or appraiser)[:300], actor=actor,
    )  # fmt: skip
    control.refresh_from_db()
    return control


@transaction.atomic
def control_auction(
    *, control: AssetControl, actor, proceeds, auctioned_on=None, note=""
) -> AssetControl:
    """拍卖: the sale's proceeds become a receipt in the case fund; the control ends."""
    locked = _lock(control)
    require_court_staff(locked.case, actor)
    _refuse_unless_allowed(locked, "auction", actor)
    proceeds = _money(proceeds, "proceeds")
    auctioned_on = _not_future(auctioned_on, "auctioned_on")
    if locked.appraised_on and auctioned_on < locked.appraised_on:
        raise ValidationError({"auctioned_on": [_("成交日期不能早于评估日期。")]})
    text = _("拍卖 %(desc)s 成交价 %(p)s") % {
        "desc": locked.description or locked.identifier_masked, "p": format_yuan(proceeds),
    }  # fmt: skip
    control_machine.apply(
        locked, "auction", actor=actor, note=note or text,
        changes={"auction_proceeds": proceeds, "auctioned_on": auctioned_on,
                 "ended_on": auctioned_on, "end_reason": str(_("已拍卖"))},
    )  # fmt: skip
    receipt = _fund_receipt(
        control=locked, amount=proceeds, source="auction", received_on=auctioned_on,
        actor=actor, note=note or text,
    )  # fmt: skip
    ControlAction.objects.create(
        control=locked, action=ControlActionKind.AUCTION, on=auctioned_on, amount=proceeds,
        fund_receipt=str(getattr(receipt, "pk", "") or ""), note=(note or text)[:300], actor=actor,
    )  # fmt: skip
    _end_clock(locked, actor=actor, reason=str(_("已拍卖")))
    control.refresh_from_db()
    return control


@transaction.atomic
def control_renew(
    *, control: AssetControl, actor, months: int | None = None, note=""
) -> AssetControl:
    """续行 (续冻、续封、续扣): before expiry, for at most the original period; the clock
    is extended on the record of the renewal and its reminders start again."""
    locked = _lock(control)
    require_court_staff(locked.case, actor)
    _refuse_unless_allowed(locked, "renew", actor)
    months = int(months or locked.period_months)
    if not 1 <= months <= locked.period_months:
        raise ValidationError(
            {"months": [_("续行期限不得超过原期限（%(n)d 个月）。") % {"n": locked.period_months}]}
        )
    clock = open_clock(locked, locked.period_kind)
    reason = note or _("续行%(m)s %(n)d 个月") % {"m": locked.get_measure_display(), "n": months}
    if clock is None:  # the clock was closed by hand: start it again from the expiry
        clock = deadline_services.deadline_start(
            subject=locked, kind=locked.period_kind, organisation=locked.case.court,
            owner=locked.case.officer, actor=actor, start=day_start(locked.expires_on),
            amount=months, unit="months",
        )  # fmt: skip
    else:
        deadline_services.deadline_extend_on_record(
            clock, actor=actor, reason=reason[:200], amount=months, unit="months"
        )
        clock.refresh_from_db()
    expires_on = timezone.localtime(clock.due_at).date()
    control_machine.apply(
        locked, "renew", actor=actor, note=reason,
        changes={"expires_on": expires_on, "renewals": locked.renewals + 1},
    )  # fmt: skip
    ControlAction.objects.create(
        control=locked, action=ControlActionKind.RENEW, on=_today(), months=months,
        expires_on=expires_on, note=reason[:300], actor=actor,
    )  # fmt: skip
    control.refresh_from_db()
    return control


@transaction.atomic
def control_lift(*, control: AssetControl, actor, reason: str, lifted_on=None) -> AssetControl:
    """解除: the control ends (the debtor paid, a mistaken freeze, the case concluded)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写解除原因。")]})
    locked = _lock(control)
    require_court_staff(locked.case, actor)
    _refuse_unless_allowed(locked, "lift", actor)
    lifted_on = _not_future(lifted_on, "lifted_on")
    control_machine.apply(
        locked, "lift", actor=actor, note=reason,
        changes={"ended_on": lifted_on, "end_reason": reason[:200]},
    )  # fmt: skip
    ControlAction.objects.create(
        control=locked, action=ControlActionKind.LIFT, on=lifted_on, note=reason[:300],
        actor=actor,
    )  # fmt: skip
    _end_clock(locked, actor=actor, reason=reason[:200])
    control.refresh_from_db()
    return control


def controls_expire(*, today: datetime.date | None = None) -> int:
    """Beat (daily): live controls past their expiry, unrenewed, lapse (到期失效), each
    audited as the system's transition. Their clocks were marked missed by the sweep."""
    today = today or _today()
    count = 0
    for pk in AssetControl.objects.filter(
        status=ControlStatus.ACTIVE, expires_on__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            control = AssetControl.objects.select_for_update().get(pk=pk)
            if control.status != ControlStatus.ACTIVE or control.expires_on >= today:
                continue
            control_machine.apply(
                control, "expire", actor=None, note=_("期限届满未续行，控制措施失效"),
                changes={"ended_on": control.expires_on, "end_reason": "到期未续行"},
            )  # fmt: skip
            ControlAction.objects.create(
                control=control, action=ControlActionKind.EXPIRE, on=today,
                note="期限届满未续行",
            )  # fmt: skip
            count += 1
    return count


def controls_carry(
    *, source: EnforcementCase, target: EnforcementCase, debtors: dict, actor
) -> list[AssetControl]:
    """恢复执行: the controls still in force on the 终本 case `source` follow the 执恢 case
    `target` (call inside its transaction). Each keeps its period, its clock (the clock's
    subject is the control, so the renewal reminders and `control_renew` go on working) and
    its history; its debtor becomes the debtor's row in the new case (`debtors`: source
    CaseParty pk → target CaseParty) and a 转入 step is recorded in its file. What is then
    deducted or sold is received in the new case's ledger. `actor` None: the periodic job."""
    carried = []
    note = _("原案 %(o)s 恢复执行，控制措施转入 %(n)s") % {"o": source, "n": target}
    for control in (
        AssetControl.objects.select_for_update()
        .filter(case=source, status=ControlStatus.ACTIVE)
        .order_by("pk")
    ):
        before = snapshot(control)
        control.case = target
        if control.debtor_id in debtors:
            control.debtor = debtors[control.debtor_id]
        control.save(update_fields=["case", "debtor"])
        audit_change(control, actor=actor, before=before, note=note)
        ControlAction.objects.create(
            control=control, action=ControlActionKind.CARRY, on=_today(),
            expires_on=control.expires_on, note=note[:300], actor=actor,
        )  # fmt: skip
        carried.append(control)
    return carried
