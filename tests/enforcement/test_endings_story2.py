"""Story 2 (traffic accident, 8万) end to end through the services and the periodic job:
the debtor's car seized, appraised and auctioned, the proceeds paid out — not enough; the
debtor hides; 终本 with every condition on record and the president's approval; judicial
relief for the applicant (within 36 × the province's wage); six months later the periodic
check finds a new deposit: the applicant is told, the officer notified, the case resumed as
执恢 with the court's next number; the deposit frozen; the debtor comes in, settles and pays
in two instalments; the case ends performed and the freeze is lifted (enf-endings)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from deadlines.models import Deadline
from enforcement.inquiry.runner import run
from enforcement.inquiry.simulated import simulated_script
from enforcement.models import (
    AssetFinding,
    CaseSequence,
    CaseStatus,
    CaseType,
    CheckResultKind,
    ControlStatus,
    EnforcementCase,
    FinalCheck,
    ScheduleStatus,
    SettlementStatus,
)
from enforcement.selectors_filing import TIME_LIMIT, case_clock
from enforcement.services import controls, funds
from enforcement.services.final import final_approve, final_request
from enforcement.services.final_checks import final_checks_collect, final_checks_start
from enforcement.services.relief import relief_decide, relief_request
from enforcement.services.settlement import settlement_payment_record, settlement_record
from notifications.models import Notification

from . import notices_fixtures
from .conftest import ID_DEBTOR, make_case
from .endings_fixtures import (
    FINAL_STATEMENTS,
    debtor_of,
    file_months_ago,
    inquire,
    restrict,
    serve_and_report,
    wage_table,
)

fast_pdf = notices_fixtures.fast_pdf

CAR = {"kind": "vehicle", "institution": "乌海市公安局交通管理支队", "identifier": "蒙C12345",
       "estimated_value": "60000.00", "description": "小型轿车"}  # fmt: skip
DEPOSIT = {"kind": "bank_account", "institution": "中国建设银行乌海分行",
           "identifier": "6217000012345678901", "balance": "30000.00", "description": "新开户"}  # fmt: skip


def _at(day: datetime.date, hour: int = 10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.mark.django_db(transaction=False)
def test_story2_auction_final_relief_check_resume_settle(eworld, fast_pdf):
    start = timezone.localdate()
    simulated_script(identity=ID_DEBTOR, findings=[CAR], available_from=start)
    simulated_script(identity=ID_DEBTOR, findings=[CAR, DEPOSIT],
                     available_from=start + datetime.timedelta(days=150))  # fmt: skip
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                     principal=Decimal("80000.00"), applicant="周某", debtor="孙某")  # fmt: skip
    serve_and_report(case, eworld)

    # the car: seized, appraised, auctioned; the proceeds paid out — short of the debt
    inquiry = inquire(case, eworld)
    car = AssetFinding.objects.get(inquiry=inquiry, kind="vehicle")
    seized = controls.control_seize(case=case, actor=eworld.officer, finding=car)
    controls.control_appraise(control=seized, actor=eworld.officer, value="60000.00",
                              appraiser="乌海市某资产评估有限公司")  # fmt: skip
    controls.control_auction(control=seized, actor=eworld.officer, proceeds="52000.00")
    receipt = case.fund_receipts.get()
    proposed = funds.disbursements_propose(receipt=receipt, actor=eworld.officer)
    funds.disbursements_approve(disbursements=proposed, actor=eworld.president)
    funds.disbursements_pay(disbursements=proposed, actor=eworld.clerk, paid_on=start,
                            bank_reference="JS20260001")  # fmt: skip

    # the debtor hides: restricted, searched for, the applicant heard; 终本
    restrict(case, eworld)
    file_months_ago(case, days=100)
    request = final_request(
        case=case, actor=eworld.officer, approver=eworld.president, applicant_heard_on=start,
        debtor_missing=True, debtor_search="公安协查户籍与出行记录，发布悬赏公告，未找到。",
        **FINAL_STATEMENTS,
    )  # fmt: skip
    final_approve(request=request, actor=eworld.president)
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED_ROUND
    schedule = case.final_check_schedule

    # judicial relief: capped at 36 × the province's wage of the previous year
    wage_table(eworld, year=start.year - 1, wage="7000.00")
    applicant = case.case_parties.get(role="applicant")
    with pytest.raises(ValidationError, match="252000.00"):
        relief_request(
            case=case,
            applicant=applicant,
            actor=eworld.officer,
            approver=eworld.president,
            amount="252000.01",
            hardship="交通事故致残",
        )
    relief = relief_request(case=case, applicant=applicant, actor=eworld.officer,
                            approver=eworld.president, amount="20000.00",
                            hardship="交通事故致残，家庭无收入来源")  # fmt: skip
    relief_decide(relief=relief, actor=eworld.president, approve=True)
    relief.refresh_from_db()
    assert relief.status == "approved" and relief.cap == Decimal("252000.00")

    # six months on: the periodic check finds a new deposit
    due = schedule.next_due_on
    with time_machine.travel(_at(due), tick=False):
        assert final_checks_start() == 1
        assert final_checks_start() == 0  # a rerun starts nothing twice in a cycle
        check = FinalCheck.objects.get(schedule=schedule)
        run(inquiry_ids=[check.inquiry_id])
        assert final_checks_collect() == 1
        assert final_checks_collect() == 0
    check.refresh_from_db()
    assert check.result == CheckResultKind.FOUND
    assert "30000.00" in check.findings_summary and "车" not in check.findings_summary
    assert check.applicant_told_at is not None and "发现" in check.applicant_message
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.RESUMED
    resumed = schedule.resumed_case
    year = resumed.number_year
    assert resumed.case_type == CaseType.RESUMED
    assert resumed.case_number == f"（{year}）蒙0302执恢1号"
    assert resumed.resumed_from_id == case.pk and resumed.status == CaseStatus.IN_PROGRESS
    assert CaseSequence.objects.get(court=eworld.court, case_type="执恢", year=year).last == 1
    assert [p.name for p in resumed.case_parties.order_by("role")] == ["周某", "孙某"]
    # its 执行标的 is what the auction did not cover: 80,000.00 − 52,000.00 paid out
    assert resumed.amount_ordered == Decimal("28000.00")
    assert resumed.case_parties.get(role="applicant").share == Decimal("28000.00")
    assert Notification.objects.filter(
        recipient=eworld.officer, title__contains=resumed.case_number
    ).exists()
    assert EnforcementCase.objects.get(pk=case.pk).status == CaseStatus.TERMINATED_ROUND

    # the resumed case's own inquiry finds the deposit; frozen at once
    with time_machine.travel(_at(due, 11), tick=False):
        inquiry = resumed.asset_inquiries.get()
        run(inquiry_ids=[inquiry.pk])
        deposit = AssetFinding.objects.get(inquiry=inquiry, kind="bank_account")
        frozen = controls.control_freeze(case=resumed, actor=eworld.officer, finding=deposit,
                                         amount="28000.00")  # fmt: skip

        # the debtor comes in and settles: 28,000 in two instalments
        settlement = settlement_record(
            case=resumed, actor=eworld.officer, signed_on=due, terms="被执行人分两期支付28000元",
            total="28000.00",
            instalments=[{"due_on": due, "amount": "14000.00"},
                         {"due_on": due + datetime.timedelta(days=30), "amount": "14000.00"}],
        )  # fmt: skip
        resumed.refresh_from_db()
        assert resumed.status == CaseStatus.SETTLEMENT
        assert case_clock(resumed, TIME_LIMIT).state == Deadline.State.PAUSED
        settlement_payment_record(settlement=settlement, actor=eworld.officer,
                                  amount="14000.00", paid_on=due)  # fmt: skip
        resumed.refresh_from_db()
        assert resumed.status == CaseStatus.SETTLEMENT
    with time_machine.travel(_at(due + datetime.timedelta(days=20)), tick=False):
        settlement_payment_record(
            settlement=settlement,
            actor=eworld.officer,
            amount="14000.00",
            paid_on=due + datetime.timedelta(days=20),
        )
    resumed.refresh_from_db()
    settlement.refresh_from_db()
    frozen.refresh_from_db()
    assert resumed.status == CaseStatus.PERFORMED
    assert settlement.status == SettlementStatus.PERFORMED
    assert frozen.status == ControlStatus.LIFTED
    ending = resumed.endings.get()
    assert ending.kind == "settlement_performed" and ending.controls_lifted == 1
    assert case_clock(resumed, TIME_LIMIT).state == Deadline.State.MET
    assert debtor_of(resumed).name == "孙某"
