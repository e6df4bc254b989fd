"""执行担保 (enf-guarantee): limits refused with the reason (no consent, a period over a year,
an amount that is not a positive string of yuan, a bad ID number or credit code); only the
named president approves, as themselves; approval suspends the case (暂缓执行), pauses the
6-month limit and starts the suspension clock; the generic 恢复执行 cannot end it; before the
period ends only the guarantor's disposal of the property allows resuming, after the guarantee
period nothing does; enforcement joins the guarantor as 担保人 and tells them; the guarantor's
payments go into the ledger, never past the guaranteed amount."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from common.statemachine import TransitionNotAllowed
from deadlines.calendar import add_months
from deadlines.models import Deadline
from enforcement.models import (
    CaseParty,
    CaseStatus,
    EnforcementGuarantee,
    EnforcementRole,
    FundReceipt,
    GuaranteeStatus,
    ReceiptSource,
)
from enforcement.selectors_filing import TIME_LIMIT, case_clock
from enforcement.services.filing import case_clock_start
from enforcement.services.guarantee import (
    guarantee_approve,
    guarantee_discharge,
    guarantee_enforce,
    guarantee_offer,
    guarantee_receipt_record,
    guarantee_refuse,
)
from enforcement.services.time_limit import case_suspension_end

from .conftest import id_number, make_case

CREDIT_CODE = "91110000802100433B"
ID_GUARANTOR = id_number("19660708", "033")


@pytest.fixture
def case(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="乙公司")
    case_clock_start(case, TIME_LIMIT, actor=eworld.clerk, start=case.filed_at)
    return case


def offer(case, world, **extra):
    data = {
        "kind": "undertaking", "guarantor_kind": "organisation", "guarantor_name": "丙公司",
        "guarantor_credit_code": CREDIT_CODE, "amount": "30000.00",
        "suspension_until": timezone.localdate() + datetime.timedelta(days=90),
        "applicant_consent": True, "consent_note": "申请执行人书面同意",
        "approver": world.president,
    }  # fmt: skip
    data.update(extra)
    return guarantee_offer(case=case, actor=world.officer, **data)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _fields(exc) -> dict:
    return exc.value.message_dict


def test_without_the_applicants_consent_refused(eworld, case):
    with pytest.raises(ValidationError) as exc:
        offer(case, eworld, applicant_consent=False)
    assert "申请执行人同意" in _fields(exc)["applicant_consent"][0]
    assert not case.guarantees.exists()


def test_a_period_over_one_year_refused_one_year_accepted(eworld, case):
    latest = add_months(timezone.localdate(), 12)
    with pytest.raises(ValidationError) as exc:
        offer(case, eworld, suspension_until=latest + datetime.timedelta(days=1))
    assert latest.isoformat() in _fields(exc)["suspension_until"][0]
    with pytest.raises(ValidationError):
        offer(case, eworld, suspension_until=timezone.localdate())
    assert offer(case, eworld, suspension_until=latest).suspension_until == latest


@pytest.mark.parametrize("amount", ["0", "-5.00", "abc", "1.005", 1000.0])
def test_an_amount_not_a_positive_money_string_refused(eworld, case, amount):
    with pytest.raises(ValidationError) as exc:
        offer(case, eworld, amount=amount)
    assert "amount" in _fields(exc)


def test_guarantors_identity_validated(eworld, case):
    with pytest.raises(ValidationError) as exc:
        offer(case, eworld, guarantor_credit_code="91110000802100433A")
    assert "guarantor_credit_code" in _fields(exc)
    with pytest.raises(ValidationError) as exc:
        offer(case, eworld, guarantor_kind="person", guarantor_name="丁某",
              guarantor_credit_code="", guarantor_id_number=ID_GUARANTOR[:-1] + "0"
              if ID_GUARANTOR[-1] != "0" else ID_GUARANTOR[:-1] + "1")  # fmt: skip
    assert "guarantor_id_number" in _fields(exc)
    with pytest.raises(ValidationError) as exc:
        offer(case, eworld, kind="property", property_description="")
    assert "property_description" in _fields(exc)
    person = offer(case, eworld, guarantor_kind="person", guarantor_name="丁某",
                   guarantor_credit_code="", guarantor_id_number=ID_GUARANTOR)  # fmt: skip
    assert person.guarantor.id_number_masked and ID_GUARANTOR not in person.guarantor_name


def test_every_error_reported_at_once(eworld, case):
    with pytest.raises(ValidationError) as exc:
        offer(
            case,
            eworld,
            applicant_consent=False,
            amount="0",
            suspension_until=add_months(timezone.localdate(), 13),
            approver=eworld.officer,
            guarantor_phone="12345",
        )
    assert {"applicant_consent", "amount", "suspension_until", "approver",
            "guarantor_phone"} <= set(_fields(exc))  # fmt: skip
    assert not EnforcementGuarantee.objects.exists()


def test_only_the_named_president_approves(eworld, case):
    guarantee = offer(case, eworld)
    for someone in (eworld.officer, eworld.clerk, eworld.higher_supervisor, eworld.outsider):
        with pytest.raises(PermissionDenied):
            guarantee_approve(guarantee=guarantee, actor=someone)
    with pytest.raises(ValidationError) as exc:  # the requester cannot name themselves
        guarantee_offer(
            case=make_case(eworld.court, eworld.clerk), actor=eworld.president,
            kind="undertaking", guarantor_kind="organisation", guarantor_name="丙公司",
            guarantor_credit_code=CREDIT_CODE, amount="1.00",
            suspension_until=timezone.localdate() + datetime.timedelta(days=3),
            applicant_consent=True, approver=eworld.president,
        )  # fmt: skip
    assert "approver" in _fields(exc)
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.OFFERED
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_approval_suspends_pauses_the_limit_and_starts_the_clock(eworld, case):
    guarantee = offer(case, eworld)
    guarantee = guarantee_approve(guarantee=guarantee, actor=eworld.president, note="同意")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    assert guarantee.status == GuaranteeStatus.SUSPENDED
    assert guarantee.decided_at is not None
    assert case_clock(case, TIME_LIMIT).state == Deadline.State.PAUSED
    clock = guarantee.suspension_clock
    assert clock.kind == "enforcement.guarantee_suspension"
    assert timezone.localtime(clock.due_at).date() == guarantee.suspension_until
    transitions = set(
        AuditEntry.objects.filter(object_id=str(case.pk)).values_list("transition", flat=True)
    )
    assert "guarantee_suspend" in transitions
    assert AuditEntry.objects.filter(
        object_id=str(guarantee.pk), transition="approve", actor=eworld.president
    ).exists()
    # the generic 恢复执行 (中止结束) cannot end a guarantee's suspension
    with pytest.raises(TransitionNotAllowed, match="执行担保"):
        case_suspension_end(case=case, actor=eworld.officer)
    # a second guarantee while one runs is refused
    with pytest.raises(TransitionNotAllowed):
        offer(case, eworld)


def test_refusal_needs_reasons_and_leaves_the_case_running(eworld, case):
    guarantee = offer(case, eworld)
    with pytest.raises(ValidationError):
        guarantee_refuse(guarantee=guarantee, actor=eworld.president, note=" ")
    guarantee = guarantee_refuse(guarantee=guarantee, actor=eworld.president, note="担保人无能力")
    assert guarantee.status == GuaranteeStatus.REFUSED
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_discharge_when_the_debtor_performs(eworld, case):
    guarantee = guarantee_approve(guarantee=offer(case, eworld), actor=eworld.president)
    guarantee = guarantee_discharge(guarantee=guarantee, actor=eworld.officer, note="乙已付清")
    case.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.DISCHARGED
    assert case.status == CaseStatus.IN_PROGRESS
    assert case_clock(case, TIME_LIMIT).state == Deadline.State.PENDING
    assert not CaseParty.objects.filter(case=case, role=EnforcementRole.GUARANTOR).exists()


def test_resuming_before_the_period_ends_only_for_the_guarantors_disposal(eworld, case):
    guarantee = guarantee_approve(guarantee=offer(case, eworld), actor=eworld.president)
    today = timezone.localdate()
    with pytest.raises(TransitionNotAllowed, match="届满前"):
        guarantee_enforce(guarantee=guarantee, actor=eworld.officer, applied_on=today,
                          note="乙未付")  # fmt: skip
    guarantee = guarantee_enforce(guarantee=guarantee, actor=eworld.officer, applied_on=today,
                                  note="丙转移担保财产", early=True)  # fmt: skip
    assert guarantee.status == GuaranteeStatus.ENFORCED and guarantee.early
    guarantee.suspension_clock.refresh_from_db()
    assert guarantee.suspension_clock.state == Deadline.State.CANCELLED


def test_after_the_guarantee_period_refused(eworld, case):
    guarantee = guarantee_approve(guarantee=offer(case, eworld), actor=eworld.president)
    period_end = add_months(guarantee.suspension_until, 12)
    with time_machine.travel(_at(period_end + datetime.timedelta(days=1)), tick=False):
        with pytest.raises(TransitionNotAllowed, match="担保期间"):
            guarantee_enforce(guarantee=guarantee, actor=eworld.officer,
                              applied_on=timezone.localdate(), note="乙未付")  # fmt: skip
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.SUSPENDED


def test_enforcement_against_the_guarantor_up_to_the_amount(eworld, case):
    guarantee = guarantee_approve(guarantee=offer(case, eworld), actor=eworld.president)
    after = guarantee.suspension_until + datetime.timedelta(days=1)
    with time_machine.travel(_at(after), tick=False):
        # a higher court's supervisor reads, never acts
        with pytest.raises(PermissionDenied):
            guarantee_enforce(guarantee=guarantee, actor=eworld.higher_supervisor,
                              applied_on=after, note="乙未付")  # fmt: skip
        guarantee = guarantee_enforce(guarantee=guarantee, actor=eworld.officer,
                                      applied_on=after, note="乙逾期未付", told_by="书面通知")  # fmt: skip
        case.refresh_from_db()
        assert case.status == CaseStatus.IN_PROGRESS
        assert case_clock(case, TIME_LIMIT).state == Deadline.State.PENDING
        party = CaseParty.objects.get(case=case, role=EnforcementRole.GUARANTOR)
        assert party.name == "丙公司" and guarantee.guarantor_party_id == party.pk
        assert "30000.00" in guarantee.guarantor_notice and guarantee.guarantor_told_at
        with pytest.raises(ValidationError) as exc:
            guarantee_receipt_record(guarantee=guarantee, actor=eworld.officer,
                                     amount="30000.01", received_on=after)  # fmt: skip
        assert "30000.00" in exc.value.message_dict["amount"][0]
        receipt = guarantee_receipt_record(guarantee=guarantee, actor=eworld.officer,
                                           amount="20000.00", received_on=after)  # fmt: skip
        assert receipt.source == ReceiptSource.GUARANTOR and receipt.payer == "丙公司"
        with pytest.raises(ValidationError):  # 10,000 left
            guarantee_receipt_record(guarantee=guarantee, actor=eworld.officer,
                                     amount="10000.01", received_on=after)  # fmt: skip
    assert FundReceipt.objects.filter(case=case).get().amount == Decimal("20000.00")


def test_approval_checks_the_period_again(eworld, case):
    """Offered for a day that has passed by the time the president decides: refused,
    nothing changed (the officer offers again with a new day)."""
    guarantee = offer(
        case, eworld, suspension_until=timezone.localdate() + datetime.timedelta(days=2)
    )
    later = timezone.localdate() + datetime.timedelta(days=3)
    with time_machine.travel(_at(later), tick=False):
        with pytest.raises(ValidationError) as exc:
            guarantee_approve(guarantee=guarantee, actor=eworld.president)
    assert "suspension_until" in _fields(exc)
    guarantee.refresh_from_db()
    case.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.OFFERED and case.status == CaseStatus.IN_PROGRESS
    assert case_clock(case, TIME_LIMIT).state == Deadline.State.PENDING
