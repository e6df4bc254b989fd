"""The case-fund ledger through its services: disbursements with four eyes, the balance
never negative, fees, reversals, the payout clock and cycle, the performance guard."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from audit.models import AuditEntry
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline, DeadlineRule
from enforcement.models import (
    CaseParty,
    CaseStatus,
    DisbursementKind,
    DisbursementStatus,
    EnforcementRole,
    EntryKind,
    FeeKind,
    FundAccount,
    FundDisbursement,
    FundEntry,
    TargetKind,
)
from enforcement.selectors_funds import case_fund_summary, court_cycle_average, receipt_states
from enforcement.services.funds import (
    PAYOUT_CLOCK,
    FundsRefused,
    disbursement_request,
    disbursements_approve,
    disbursements_cancel,
    disbursements_pay,
    disbursements_refuse,
    fund_entry_reverse,
    fund_fee_record,
)
from enforcement.states import case_machine
from organisations.roles import Role
from tests.enforcement.conftest import make_case
from tests.enforcement.funds_fixtures import pay_out, receive
from tests.factories import member

pytestmark = pytest.mark.django_db


def applicant(case):
    return CaseParty.objects.get(case=case, role=EnforcementRole.APPLICANT)


def debtor(case):
    return CaseParty.objects.get(case=case, role=EnforcementRole.DEBTOR)


def test_disbursement_needs_an_approver_other_than_the_requester(eworld, case):
    receipt = receive(case, "1000.00", eworld.officer)
    asked = disbursement_request(
        receipt=receipt, payee=applicant(case), amount="600.00", actor=eworld.president
    )
    # the officer is no approver; the president asked for it himself
    with pytest.raises(PermissionDenied):
        disbursements_approve(disbursements=[asked], actor=eworld.officer)
    with pytest.raises(FundsRefused, match="申请人本人"):
        disbursements_approve(disbursements=[asked], actor=eworld.president)
    with pytest.raises(TransitionNotAllowed, match="待审批"):
        disbursements_pay(disbursements=[asked], actor=eworld.officer,
                          paid_on=timezone.localdate(), bank_reference="X")  # fmt: skip
    vice = member(eworld.court, Role.SUPERVISOR, username="vice", full_name="副院长")
    [approved] = disbursements_approve(disbursements=[asked], actor=vice, note="同意")
    assert (approved.status, approved.decided_by) == (DisbursementStatus.APPROVED, vice)
    with pytest.raises(ValidationError):
        disbursements_pay(disbursements=[approved], actor=eworld.officer,
                          paid_on=timezone.localdate(), bank_reference=" ")  # fmt: skip
    [paid] = disbursements_pay(disbursements=[approved], actor=eworld.officer,
                               paid_on=timezone.localdate(), bank_reference="ICBC-0001")  # fmt: skip
    assert paid.status == DisbursementStatus.PAID
    assert paid.bank_reference == "ICBC-0001"
    entry = FundEntry.objects.get(disbursement=paid)
    assert (entry.kind, entry.amount, entry.balance_after) == (
        EntryKind.PAYOUT, Decimal("-600.00"), Decimal("400.00"))  # fmt: skip
    assert FundAccount.objects.get(case=case).balance == Decimal("400.00")
    assert AuditEntry.objects.filter(object_id=str(paid.pk), transition="pay").exists()


@override_settings(ENFORCEMENT_FUNDS_APPROVER_ROLES=["enforcement_officer"])
def test_the_approver_role_is_configurable(eworld, case):
    receipt = receive(case, "10.00", eworld.officer)
    asked = disbursement_request(
        receipt=receipt, payee=applicant(case), amount="10.00", actor=eworld.clerk
    )
    with pytest.raises(PermissionDenied):
        disbursements_approve(disbursements=[asked], actor=eworld.president)
    disbursements_approve(disbursements=[asked], actor=eworld.second_officer)


def test_more_than_the_balance_is_refused_with_the_reason(eworld, case):
    receipt = receive(case, "100.00", eworld.officer)
    with pytest.raises(FundsRefused, match="可发放余额为 ¥100.00"):
        disbursement_request(receipt=receipt, payee=applicant(case), amount="100.01",
                             actor=eworld.officer)  # fmt: skip
    disbursement_request(receipt=receipt, payee=applicant(case), amount="70.00",
                         actor=eworld.officer)  # fmt: skip
    # 70 reserved: 30 is what is left to ask for
    with pytest.raises(FundsRefused, match="¥30.00"):
        disbursement_request(receipt=receipt, payee=applicant(case), amount="30.01",
                             actor=eworld.officer)  # fmt: skip
    with pytest.raises(FundsRefused, match="余额不足"):
        fund_fee_record(case=case, amount="30.01", fee_kind=FeeKind.ENFORCEMENT_FEE,
                        occurred_on=timezone.localdate(), actor=eworld.officer)  # fmt: skip
    assert FundAccount.objects.get(case=case).balance == Decimal("100.00")


def test_share_and_payee_rules(eworld, case):
    receipt = receive(case, "60000.00", eworld.officer)
    with pytest.raises(FundsRefused, match="份额"):
        disbursement_request(receipt=receipt, payee=applicant(case), amount="51770.01",
                             actor=eworld.officer)  # fmt: skip
    with pytest.raises(ValidationError, match="申请执行人"):
        disbursement_request(receipt=receipt, payee=debtor(case), amount="1.00",
                             actor=eworld.officer)  # fmt: skip
    with pytest.raises(ValidationError):
        disbursement_request(receipt=receipt, payee=applicant(case), amount="1.00",
                             actor=eworld.officer, recipient=debtor(case))  # fmt: skip
    refund = disbursement_request(receipt=receipt, payee=debtor(case), amount="8230.00",
                                  kind=DisbursementKind.REFUND, actor=eworld.officer)  # fmt: skip
    assert refund.recipient == debtor(case)
    with pytest.raises(PermissionDenied):
        disbursement_request(receipt=receipt, payee=applicant(case), amount="1.00",
                             actor=eworld.outsider)  # fmt: skip


def test_refuse_and_cancel_release_the_reservation(eworld, case):
    receipt = receive(case, "100.00", eworld.officer)
    first = disbursement_request(receipt=receipt, payee=applicant(case), amount="100.00",
                                 actor=eworld.officer)  # fmt: skip
    with pytest.raises(ValidationError):
        disbursements_refuse(disbursements=[first], actor=eworld.president, note="")
    disbursements_refuse(disbursements=[first], actor=eworld.president, note="份额有争议")
    second = disbursement_request(receipt=receipt, payee=applicant(case), amount="100.00",
                                  actor=eworld.officer)  # fmt: skip
    disbursements_cancel(disbursements=[second], actor=eworld.officer, note="重新核对")
    assert case_fund_summary(case).available == Decimal("100.00")
    with pytest.raises(TransitionNotAllowed):
        disbursements_approve(disbursements=[second], actor=eworld.president)


def test_fees_and_refunds_leave_the_account(eworld, case):
    receipt = receive(case, "52500.00", eworld.officer)
    fund_fee_record(case=case, amount="730.00", fee_kind=FeeKind.ENFORCEMENT_FEE,
                    occurred_on=timezone.localdate(), actor=eworld.clerk, receipt=receipt)  # fmt: skip
    pay_out(receipt, requester=eworld.officer, approver=eworld.president)
    summary = case_fund_summary(case)
    assert (summary.received, summary.fees, summary.paid_to_applicants, summary.balance) == (
        Decimal("52500.00"), Decimal("730.00"), Decimal("51770.00"), Decimal("0.00"))  # fmt: skip
    assert summary.outstanding == Decimal("0.00")


def test_reversal_corrects_without_editing(eworld, case):
    receipt = receive(case, "500.00", eworld.officer)
    [paid] = pay_out(receipt, requester=eworld.officer, approver=eworld.president)
    receipt_entry = FundEntry.objects.get(receipt=receipt, kind=EntryKind.RECEIPT)
    with pytest.raises(FundsRefused, match="先冲正"):
        fund_entry_reverse(entry=receipt_entry, actor=eworld.officer, reason="录错")
    with pytest.raises(ValidationError):
        fund_entry_reverse(entry=paid.entries.get(), actor=eworld.officer, reason=" ")
    back = fund_entry_reverse(entry=paid.entries.get(), actor=eworld.officer, reason="账号错误退回")
    assert (back.kind, back.amount, back.balance_after) == (
        EntryKind.REVERSAL, Decimal("500.00"), Decimal("500.00"))  # fmt: skip
    paid.refresh_from_db()
    assert paid.status == DisbursementStatus.RETURNED
    with pytest.raises(FundsRefused, match="已冲正"):
        fund_entry_reverse(entry=paid.entries.get(kind=EntryKind.PAYOUT), actor=eworld.officer,
                           reason="again")  # fmt: skip
    with pytest.raises(FundsRefused):
        fund_entry_reverse(entry=back, actor=eworld.officer, reason="again")
    fund_entry_reverse(entry=receipt_entry, actor=eworld.officer, reason="非本案款项")
    assert FundAccount.objects.get(case=case).balance == Decimal("0.00")
    assert case_fund_summary(case).received == Decimal("0.00")
    assert [e.number for e in FundEntry.objects.filter(case=case)] == [1, 2, 3, 4]
    [state] = receipt_states(case)
    assert state.reversed and state.available == 0
    with pytest.raises(FundsRefused):
        disbursement_request(receipt=receipt, payee=applicant(case), amount="1.00",
                             actor=eworld.officer)  # fmt: skip
    assert AuditEntry.objects.filter(object_id=str(back.pk), note="账号错误退回").exists()


def test_payout_clock_is_met_when_the_receipt_is_paid_out_and_the_cycle_counts(eworld, case):
    today = timezone.localdate()
    receipt = receive(case, "31775.00", eworld.officer, received_on=today - datetime.timedelta(3))
    clock = Deadline.objects.get(kind=PAYOUT_CLOCK, object_id=receipt.pk)
    assert clock.state == Deadline.State.PENDING
    pay_out(receipt, requester=eworld.officer, approver=eworld.president)
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MET
    [state] = receipt_states(case)
    assert state.cycle_days == 3
    other = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    second = receive(other, "10.00", eworld.officer, received_on=today - datetime.timedelta(2))
    pay_out(second, requester=eworld.officer, approver=eworld.president)
    receive(other, "5.00", eworld.officer)  # not paid out: not in the average
    average = court_cycle_average(type(case).objects.filter(court=eworld.court))
    assert average == {"receipts": 2, "average_days": Decimal("2.5")}


def test_a_court_sets_five_working_days_by_local_rule(eworld, case):
    DeadlineRule.objects.create(kind=PAYOUT_CLOCK, organisation=eworld.court,
                                unit="working_days", amount=5, note="本院规定")  # fmt: skip
    receipt = receive(case, "1.00", eworld.officer)
    clock = Deadline.objects.get(kind=PAYOUT_CLOCK, object_id=receipt.pk)
    assert (clock.unit, clock.amount, clock.rule_source) == ("working_days", 5, "local")


@override_settings(ENFORCEMENT_FUNDS_PAYOUT_PERIOD=(10, "working_days"))
def test_the_setting_changes_the_default_period(eworld, case):
    receipt = receive(case, "1.00", eworld.officer)
    clock = Deadline.objects.get(kind=PAYOUT_CLOCK, object_id=receipt.pk)
    assert (clock.unit, clock.amount) == ("working_days", 10)


def test_performed_is_refused_while_money_is_owed_or_held(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                     principal=Decimal("100.00"))  # fmt: skip
    with pytest.raises(TransitionNotAllowed, match="¥100.00"):
        case_machine.apply(case, "performed", actor=eworld.officer)
    receipt = receive(case, "120.00", eworld.officer)
    pay_out(receipt, requester=eworld.officer, approver=eworld.president)
    with pytest.raises(TransitionNotAllowed, match="¥20.00 未发放或退还"):
        case_machine.apply(case, "performed", actor=eworld.officer)
    refund = disbursement_request(receipt=receipt, payee=debtor(case), amount="20.00",
                                  kind=DisbursementKind.REFUND, actor=eworld.officer)  # fmt: skip
    disbursements_approve(disbursements=[refund], actor=eworld.president)
    disbursements_pay(disbursements=[refund], actor=eworld.officer, paid_on=timezone.localdate(),
                      bank_reference="REFUND-1")  # fmt: skip
    case_machine.apply(case, "performed", actor=eworld.officer)
    assert case.status == CaseStatus.PERFORMED


def test_act_cases_are_not_guarded_by_money(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                     target_kind=TargetKind.ACT, principal=Decimal("0.00"))  # fmt: skip
    case_machine.apply(case, "performed", actor=eworld.officer)


def test_disbursements_of_two_cases_are_not_mixed(eworld, case):
    other = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    a = disbursement_request(receipt=receive(case, "1.00", eworld.officer),
                             payee=applicant(case), amount="1.00", actor=eworld.officer)  # fmt: skip
    b = disbursement_request(receipt=receive(other, "1.00", eworld.officer),
                             payee=applicant(other), amount="1.00", actor=eworld.officer)  # fmt: skip
    with pytest.raises(ValidationError):
        disbursements_approve(disbursements=[a, b], actor=eworld.president)
    assert FundDisbursement.objects.filter(status=DisbursementStatus.REQUESTED).count() == 2
