"""Controls: freeze within the balance and what is owed; deduction only after the wait
(refused earlier with the date) into the case-fund ledger; periods at most the legal
maximum, renewal reminders from the clock, renewals no longer than the original period;
seal, appraise, auction; lift; lapse. Story 5's money to the fen."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline, DeadlineRule
from deadlines.selectors import deadlines_for
from enforcement.clocks_assets import deduct_wait
from enforcement.inquiry.simulated import simulated_script
from enforcement.models import (
    AssetKind,
    ControlAction,
    ControlStatus,
    FundReceipt,
)
from enforcement.selectors_funds import case_fund_summary
from enforcement.services.clues import clue_check, clue_record
from enforcement.services.controls import (
    control_appraise,
    control_auction,
    control_deduct,
    control_freeze,
    control_lift,
    control_renew,
    control_seal,
    control_seize,
    controls_expire,
)

from .assets_fixtures import (
    findings_of,
    inquire_now,
    script_story5,
    story5_case,
)
from .conftest import ID_DEBTOR

pytestmark = pytest.mark.django_db
D = Decimal


def _days(n):
    return timezone.now() + datetime.timedelta(days=n)


def _on(date, hour=10):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


@pytest.fixture
def scripted(eworld):
    """A case whose debtor has an account (8,000.00), a flat and a car."""
    today = timezone.localdate()
    simulated_script(
        identity=ID_DEBTOR,
        available_from=today - datetime.timedelta(days=400),
        findings=[
            {"kind": "bank_account", "institution": "中国银行乌海分行",
             "identifier": "6216600000000001234", "balance": "8000.00"},
            {"kind": "real_estate", "institution": "乌海市不动产登记中心",
             "identifier": "蒙（2020）乌海市不动产权第0001234号", "description": "住宅 89.5㎡",
             "estimated_value": "420000.00"},
            {"kind": "vehicle", "institution": "乌海市车管所", "identifier": "蒙C12345",
             "description": "小型轿车", "estimated_value": "60000.00"},
            {"kind": "employer", "institution": "恒达建材", "identifier": "恒达建材"},
        ],
    )  # fmt: skip
    from .conftest import make_case

    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, principal=D("51770.00"))
    inquiry = inquire_now(case, eworld.officer)
    found = {f.kind: f for f in findings_of(inquiry)}
    return case, found


def test_freeze_starts_the_one_year_clock_and_the_deduct_wait(eworld, scripted):
    case, found = scripted
    control = control_freeze(case=case, actor=eworld.officer, finding=found["bank_account"],
                             amount="8000.00")  # fmt: skip
    today = timezone.localdate()
    assert control.status == ControlStatus.ACTIVE and control.period_months == 12
    clock = deadlines_for(control).get()
    assert clock.kind == "enforcement.freeze_bank" and clock.lead_times == [30, 7, 1]
    assert control.expires_on == timezone.localtime(clock.due_at).date()
    assert (control.expires_on - today).days in range(365, 372)  # one year (a day off rolls)
    # 15 days' wait (a last day off rolls to the next working day), deduction the day after
    wait_ends, explanation = deduct_wait(eworld.court, today)
    assert control.deductible_on == wait_ends >= today + datetime.timedelta(days=16)
    assert explanation["rule"]["kind"] == "enforcement.freeze_to_deduct"
    assert explanation["amount"] == 15
    assert control.identifier_masked == found["bank_account"].identifier_masked
    assert AuditEntry.objects.filter(object_id=str(control.pk), action="create").exists()
    assert ControlAction.objects.get(control=control).action == "freeze"


def test_freeze_caps(eworld, scripted):
    case, found = scripted
    bank = found["bank_account"]
    with pytest.raises(ValidationError, match="账户余额") as exc:
        control_freeze(case=case, actor=eworld.officer, finding=bank, amount="8000.01")
    assert "amount" in exc.value.message_dict
    for bad in ("0", "-1", "12.345"):
        with pytest.raises(ValidationError):
            control_freeze(case=case, actor=eworld.officer, finding=bank, amount=bad)
    case.principal = D("5000.00")
    case.save()
    with pytest.raises(ValidationError, match="尚需控制"):
        control_freeze(case=case, actor=eworld.officer, finding=bank, amount="5000.01")
    control_freeze(case=case, actor=eworld.officer, finding=bank, amount="5000.00")
    with pytest.raises(TransitionNotAllowed, match="已在本案控制"):
        control_freeze(case=case, actor=eworld.officer, finding=bank, amount="1.00")


def test_measures_fit_the_asset(eworld, scripted):
    case, found = scripted
    with pytest.raises(ValidationError) as exc:
        control_seal(case=case, actor=eworld.officer, finding=found["bank_account"])
    assert "measure" in exc.value.message_dict
    with pytest.raises(ValidationError):
        control_freeze(case=case, actor=eworld.officer, finding=found["employer"], amount="1")
    with pytest.raises(ValidationError, match="只有冻结存款"):
        control_seal(case=case, actor=eworld.officer, finding=found["real_estate"], amount="1")


@pytest.mark.parametrize(
    ("kind", "measure", "months", "clock"),
    [
        ("bank_account", control_freeze, 12, "enforcement.freeze_bank"),
        ("vehicle", control_seize, 24, "enforcement.seize_movables"),
        ("real_estate", control_seal, 36, "enforcement.seal_real_estate"),
    ],
)
def test_legal_maximum_periods(eworld, scripted, kind, measure, months, clock):
    case, found = scripted
    extra = {"amount": "100.00"} if kind == "bank_account" else {}
    with pytest.raises(ValidationError, match=f"不得超过 {months} 个月"):
        measure(case=case, actor=eworld.officer, finding=found[kind], months=months + 1, **extra)
    control = measure(case=case, actor=eworld.officer, finding=found[kind], **extra)
    assert control.period_months == months
    assert deadlines_for(control).get().kind == clock


def test_shorter_period_and_a_court_rule(eworld, scripted):
    case, found = scripted
    DeadlineRule.objects.create(
        kind="enforcement.seal_real_estate", organisation=eworld.court, unit="months", amount=24
    )
    control = control_seal(case=case, actor=eworld.officer, finding=found["real_estate"])
    assert control.period_months == 24  # the court's rule, under the maximum
    car = control_seize(case=case, actor=eworld.officer, finding=found["vehicle"], months=6)
    assert car.period_months == 6


def test_renewal_reminders_before_expiry(eworld, scripted):
    """The clock's reminder stages are the renewal reminders: 30, 7 and 1 days before."""
    from deadlines.sweep import deadlines_sweep
    from notifications.models import Notification

    case, found = scripted
    control = control_freeze(case=case, actor=eworld.officer, finding=found["bank_account"],
                             amount="100.00")  # fmt: skip
    clock = deadlines_for(control).get()
    fire = clock.next_action_at
    assert timezone.localtime(fire).date() == control.expires_on - datetime.timedelta(days=30)
    deadlines_sweep(now=fire)
    assert Notification.objects.filter(recipient=eworld.officer, title__contains="冻结").exists()


def test_renewals_no_longer_than_the_original_period(eworld, scripted):
    case, found = scripted
    control = control_freeze(case=case, actor=eworld.officer, finding=found["bank_account"],
                             amount="100.00", months=6)  # fmt: skip
    first_expiry = control.expires_on
    with pytest.raises(ValidationError, match="原期限（6 个月）"):
        control_renew(control=control, actor=eworld.officer, months=7)
    with time_machine.travel(_days(170)):
        control_renew(control=control, actor=eworld.officer, months=6)
    control.refresh_from_db()
    assert control.renewals == 1 and control.status == ControlStatus.ACTIVE
    assert control.expires_on > first_expiry
    assert (control.expires_on - first_expiry).days in range(181, 189)
    clock = deadlines_for(control).get()
    assert timezone.localtime(clock.due_at).date() == control.expires_on
    assert clock.extensions.count() == 1 and clock.state == Deadline.State.PENDING
    action = control.actions.get(action="renew")
    assert (action.months, action.expires_on) == (6, control.expires_on)
    assert AuditEntry.objects.filter(object_id=str(control.pk), transition="renew").exists()


def test_no_renewal_after_expiry_and_lapse(eworld, scripted):
    case, found = scripted
    control = control_seize(case=case, actor=eworld.officer, finding=found["vehicle"], months=1)
    after = timezone.make_aware(
        datetime.datetime.combine(control.expires_on + datetime.timedelta(days=1),
                                  datetime.time(10)))  # fmt: skip
    with time_machine.travel(after):
        with pytest.raises(TransitionNotAllowed, match="不能续行"):
            control_renew(control=control, actor=eworld.officer, months=1)
        assert controls_expire() == 1
    control.refresh_from_db()
    assert control.status == ControlStatus.EXPIRED
    assert AuditEntry.objects.filter(object_id=str(control.pk), transition="expire").exists()


def test_deduct_refused_before_the_wait_with_the_date(eworld, scripted):
    case, found = scripted
    control = control_freeze(case=case, actor=eworld.officer, finding=found["bank_account"],
                             amount="8000.00")  # fmt: skip
    day = control.deductible_on.isoformat()
    with pytest.raises(TransitionNotAllowed, match=f"{day} 起方可扣划"):
        control_deduct(control=control, actor=eworld.officer, amount="8000.00")
    with time_machine.travel(_on(control.deductible_on - datetime.timedelta(days=1))):
        with pytest.raises(TransitionNotAllowed, match=day):
            control_deduct(control=control, actor=eworld.officer, amount="8000.00")
    assert not FundReceipt.objects.exists()
    with time_machine.travel(_on(control.deductible_on)):
        control_deduct(control=control, actor=eworld.officer, amount="3000.00")
        control.refresh_from_db()
        assert control.status == ControlStatus.ACTIVE and control.frozen_remaining == 5000
        with pytest.raises(ValidationError, match="冻结余额"):
            control_deduct(control=control, actor=eworld.officer, amount="5000.01")
        control_deduct(control=control, actor=eworld.officer, amount="5000.00")
    control.refresh_from_db()
    assert control.status == ControlStatus.DEDUCTED and control.deducted_amount == 8000
    receipts = FundReceipt.objects.filter(case=case).order_by("pk")
    assert [(r.amount, r.source, r.control_id) for r in receipts] == [
        (D("3000.00"), "deduction", control.pk),
        (D("5000.00"), "deduction", control.pk),
    ]
    assert case_fund_summary(case).balance == D("8000.00")
    assert not deadlines_for(control).filter(state="pending").exists()  # the clock ended
    assert [a.fund_receipt for a in control.actions.filter(action="deduct")] == [
        str(r.pk) for r in receipts
    ]


def test_configured_wait(eworld, scripted):
    case, found = scripted
    DeadlineRule.objects.create(
        kind="enforcement.freeze_to_deduct", organisation=eworld.court, unit="calendar_days",
        amount=5,
    )  # fmt: skip
    control = control_freeze(case=case, actor=eworld.officer, finding=found["bank_account"],
                             amount="10.00")  # fmt: skip
    today = timezone.localdate()
    assert control.deductible_on == deduct_wait(eworld.court, today)[0]
    assert today + datetime.timedelta(days=6) <= control.deductible_on
    assert control.deductible_on <= today + datetime.timedelta(days=10)


def test_seal_appraise_auction(eworld, scripted):
    case, found = scripted
    control = control_seal(case=case, actor=eworld.officer, finding=found["real_estate"])
    with pytest.raises(TransitionNotAllowed, match="先评估"):
        control_auction(control=control, actor=eworld.officer, proceeds="400000.00")
    with pytest.raises(ValidationError):
        control_appraise(control=control, actor=eworld.officer, value="410000.00", appraiser="")
    control_appraise(control=control, actor=eworld.officer, value="410000.00",
                     appraiser="乌海市诚信资产评估有限公司")  # fmt: skip
    with pytest.raises(TransitionNotAllowed, match="只有冻结的存款"):
        control_deduct(control=control, actor=eworld.officer, amount="1.00")
    control_auction(control=control, actor=eworld.officer, proceeds="395000.00")
    control.refresh_from_db()
    assert control.status == ControlStatus.SOLD and control.auction_proceeds == D("395000.00")
    receipt = FundReceipt.objects.get(case=case)
    assert (receipt.amount, receipt.source) == (D("395000.00"), "auction")
    with pytest.raises(TransitionNotAllowed):  # illegal from sold
        control_lift(control=control, actor=eworld.officer, reason="误封")


def test_lift(eworld, scripted):
    case, found = scripted
    control = control_seize(case=case, actor=eworld.officer, finding=found["vehicle"])
    with pytest.raises(ValidationError):
        control_lift(control=control, actor=eworld.officer, reason=" ")
    control_lift(control=control, actor=eworld.officer, reason="被执行人已履行完毕")
    control.refresh_from_db()
    assert control.status == ControlStatus.LIFTED and control.ended_on == timezone.localdate()
    clock = Deadline.objects.get(object_id=control.pk, kind="enforcement.seize_movables")
    assert clock.state == Deadline.State.CANCELLED
    # the asset may be controlled again
    control_seize(case=case, actor=eworld.officer, finding=found["vehicle"])


def test_outsider_and_other_roles_cannot_act(eworld, scripted):
    from django.core.exceptions import PermissionDenied

    case, found = scripted
    with pytest.raises(PermissionDenied):
        control_freeze(case=case, actor=eworld.outsider, finding=found["bank_account"],
                       amount="1.00")  # fmt: skip
    control = control_seize(case=case, actor=eworld.officer, finding=found["vehicle"])
    with pytest.raises(PermissionDenied):
        control_lift(control=control, actor=eworld.centre_supervisor, reason="x")


def test_control_from_a_checked_clue(eworld, case):
    clue = clue_record(
        case=case, actor=eworld.clerk, kind=AssetKind.BANK_ACCOUNT,
        description="申请人称被执行人在乌海银行有存款", institution="乌海银行",
        identifier="6230580000999999999",
    )  # fmt: skip
    with pytest.raises(TransitionNotAllowed, match="核查属实"):
        control_freeze(case=case, actor=eworld.officer, clue=clue, amount="100.00")
    clue_check(clue=clue, actor=eworld.officer, found=True, result="经查属实，余额 600 元",
               estimated_value="600.00")  # fmt: skip
    with pytest.raises(ValidationError, match="账户余额"):
        control_freeze(case=case, actor=eworld.officer, clue=clue, amount="600.01")
    control = control_freeze(case=case, actor=eworld.officer, clue=clue, amount="600.00")
    assert control.clue == clue and "*" in control.identifier_masked and control.reference


def test_story5_money(eworld):
    """Three accounts, 31,232.00 frozen; a second inquiry adds Alipay (543.00), frozen too;
    after the wait, 31,775.00 deducted into the case fund."""
    case = story5_case(eworld)
    script_story5(timezone.localdate(), alipay_after_days=10)
    first = inquire_now(case, eworld.officer)
    for finding in findings_of(first, "bank_account"):
        control_freeze(case=case, actor=eworld.officer, finding=finding, amount=finding.balance)
    assert case.asset_controls.count() == 3
    from enforcement.selectors_assets import amount_frozen

    assert amount_frozen(case) == D("31232.00")
    with time_machine.travel(_days(11)):
        second = inquire_now(case, eworld.officer)
        (alipay,) = [f for f in findings_of(second) if f.is_new]
        control_freeze(case=case, actor=eworld.officer, finding=alipay, amount="543.00")
    last_wait = max(c.deductible_on for c in case.asset_controls.all())
    with time_machine.travel(_on(last_wait)):
        for control in case.asset_controls.all():
            control_deduct(control=control, actor=eworld.officer, amount=control.frozen_remaining)
    summary = case_fund_summary(case)
    assert summary.received == D("31775.00") == summary.balance
    assert set(case.asset_controls.values_list("status", flat=True)) == {ControlStatus.DEDUCTED}
    from enforcement.selectors_assets import amount_outstanding

    assert amount_outstanding(case) == D("19995.00")


def test_expire_task_through_its_job_run(eworld, scripted):
    from enforcement.tasks import controls_expire_task
    from jobs.models import JobRun

    case, found = scripted
    control = control_seize(case=case, actor=eworld.officer, finding=found["vehicle"], months=1)
    with time_machine.travel(_on(control.expires_on + datetime.timedelta(days=1))):
        assert controls_expire_task() == 1
        assert controls_expire_task() == 0  # a rerun does nothing more
    assert JobRun.objects.filter(name="enforcement.controls_expire").count() == 2
