"""Settlement (执行和解): enforcement suspended (the time limit paused), reminders per
instalment from the deadlines engine, payments applied oldest first, performed ends the case
(credit's "settlement performed" removals), broken enforces the basis again with the period
counted from the settlement's last performance day — late flagged, not refused (enf-endings)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.statemachine import TransitionNotAllowed
from deadlines.calendar import add_months
from deadlines.models import Deadline
from enforcement.models import CaseStatus, SettlementStatus
from enforcement.selectors_filing import TIME_LIMIT, case_clock
from enforcement.services.filing import case_clock_start
from enforcement.services.settlement import (
    settlement_breach,
    settlement_payment_record,
    settlement_record,
)

from .conftest import make_case


@pytest.fixture
def case(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    case_clock_start(case, TIME_LIMIT, actor=eworld.clerk, start=case.filed_at)
    return case


def _record(case, world, *, days=(0, 30)):
    today = timezone.localdate()
    return settlement_record(
        case=case, actor=world.officer, signed_on=today, terms="分期履行",
        total=str(Decimal("500.00") * len(days)),
        instalments=[{"due_on": today + datetime.timedelta(days=d), "amount": "500.00"}
                     for d in days],
    )  # fmt: skip


def test_settlement_pauses_the_limit_and_sets_reminders(eworld, case):
    settlement = _record(case, eworld)
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLEMENT
    assert case_clock(case, TIME_LIMIT).state == Deadline.State.PAUSED
    reminders = [i.reminder for i in settlement.instalments.all()]
    assert all(r.kind == "enforcement.settlement_instalment" for r in reminders)
    assert reminders[1].owner == eworld.officer
    assert timezone.localtime(reminders[1].due_at).date() == settlement.instalments.last().due_on


def test_bad_settlements_are_refused_with_the_reason(eworld, case):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as bad:
        settlement_record(
            case=case,
            actor=eworld.officer,
            signed_on=today,
            terms="x",
            total="1000.00",
            instalments=[{"due_on": today, "amount": 1000.0}],
        )
    assert "instalments" in bad.value.message_dict
    with pytest.raises(ValidationError):
        settlement_record(case=case, actor=eworld.officer, signed_on=today, terms="x",
                          total="1000.00",
                          instalments=[{"due_on": today - datetime.timedelta(days=1),
                                        "amount": "1000.00"}])  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_payments_oldest_first_and_performed_ends_the_case(eworld, case):
    settlement = _record(case, eworld)
    today = timezone.localdate()
    settlement_payment_record(settlement=settlement, actor=eworld.officer, amount="700.00",
                              paid_on=today)  # fmt: skip
    first, second = settlement.instalments.all()
    assert (first.paid, second.paid) == (Decimal("500.00"), Decimal("200.00"))
    assert first.reminder.state == Deadline.State.MET
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLEMENT
    settlement_payment_record(settlement=settlement, actor=eworld.officer, amount="300.00",
                              paid_on=today)  # fmt: skip
    case.refresh_from_db()
    settlement.refresh_from_db()
    assert case.status == CaseStatus.PERFORMED
    assert settlement.status == SettlementStatus.PERFORMED
    assert case_clock(case, TIME_LIMIT).state == Deadline.State.MET
    with pytest.raises(TransitionNotAllowed):
        settlement_payment_record(settlement=settlement, actor=eworld.officer, amount="1.00",
                                  paid_on=today)  # fmt: skip


def test_breach_enforces_the_basis_again_period_from_the_last_day(eworld, case):
    settlement = _record(case, eworld, days=(0, 40))
    last_day = timezone.localdate() + datetime.timedelta(days=40)
    broken = settlement_breach(settlement=settlement, actor=eworld.officer,
                               applied_on=timezone.localdate(), note="第一期未付")  # fmt: skip
    assert broken.status == SettlementStatus.BROKEN
    assert broken.resumption_period_ends_on == add_months(last_day, 24)
    assert broken.resumption_late is False
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case_clock(case, TIME_LIMIT).state == Deadline.State.PENDING
    assert {i.reminder.state for i in broken.instalments.all()} == {Deadline.State.CANCELLED}


def test_a_late_breach_application_is_flagged_not_refused(eworld, case):
    settlement = _record(case, eworld, days=(0,))
    later = timezone.now() + datetime.timedelta(days=2 * 366 + 2)
    with time_machine.travel(later, tick=False):
        broken = settlement_breach(settlement=settlement, actor=eworld.officer,
                                   applied_on=timezone.localdate(), note="未付")  # fmt: skip
    assert broken.resumption_late is True
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_the_settlement_performed_guard_cannot_be_bypassed(eworld, case):
    from enforcement.states import case_machine

    _record(case, eworld)
    with pytest.raises(TransitionNotAllowed, match="未履行完毕"):
        case_machine.apply(case, "settlement_performed", actor=eworld.officer)
