"""终本: refused listing each missing condition (and at 3 months minus a day); the request
and the president's approval (as themselves, never the requester); the ruling issued; the
periodic checks scheduled (enf-endings)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from common.statemachine import TransitionNotAllowed
from deadlines.calendar import add_months
from documents.models import IssuedDocument
from enforcement.models import (
    ApprovalStatus,
    CaseStatus,
    EnforcementCase,
    FinalCheckSchedule,
    ScheduleStatus,
)
from enforcement.services.final import final_approve, final_conditions, final_refuse, final_request

from . import notices_fixtures
from .conftest import make_case
from .endings_fixtures import FINAL_STATEMENTS, ready_for_final

fast_pdf = notices_fixtures.fast_pdf


@pytest.fixture
def case(eworld):
    return make_case(eworld.court, eworld.clerk, officer=eworld.officer)


def test_final_refused_listing_every_missing_condition(eworld, case):
    with pytest.raises(TransitionNotAllowed) as refused:
        final_request(case=case, actor=eworld.officer, approver=eworld.president, work_done="")
    message = refused.value.message
    for missing in ("执行通知书", "财产报告已核查", "限制消费", "网络查控", "必要的执行工作",
                    "超过三个月", "听取其意见"):  # fmt: skip
        assert missing in message, missing
    assert not case.final_requests.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_final_refused_at_three_months_minus_a_day(eworld, case, fast_pdf):
    ready_for_final(case, eworld, days=0)
    filed_on = timezone.localdate()
    first = add_months(filed_on, 3) + datetime.timedelta(days=1)
    on_day_before = final_conditions(case, today=first - datetime.timedelta(days=1),
                                     **FINAL_STATEMENTS, applicant_heard_on=filed_on)  # fmt: skip
    unmet = [c.key for c in on_day_before if not c.met]
    assert unmet == ["three_months"]
    on_the_day = final_conditions(case, today=first, **FINAL_STATEMENTS,
                                  applicant_heard_on=filed_on)  # fmt: skip
    assert all(c.met for c in on_the_day)


def test_missing_debtor_must_be_searched_for(eworld, case, fast_pdf):
    ready_for_final(case, eworld)
    today = timezone.localdate()
    with pytest.raises(TransitionNotAllowed, match="下落不明"):
        final_request(case=case, actor=eworld.officer, approver=eworld.president,
                      applicant_heard_on=today, debtor_missing=True, **FINAL_STATEMENTS)  # fmt: skip
    request = final_request(
        case=case,
        actor=eworld.officer,
        approver=eworld.president,
        applicant_heard_on=today,
        debtor_missing=True,
        debtor_search="公安协查户籍、出行记录，发布悬赏公告",
        **FINAL_STATEMENTS,
    )
    assert request.status == ApprovalStatus.PENDING


def test_final_approved_by_the_president_only(eworld, case, fast_pdf):
    ready_for_final(case, eworld)
    today = timezone.localdate()
    with pytest.raises(ValidationError):  # the requester cannot name a non-president
        final_request(case=case, actor=eworld.officer, approver=eworld.second_officer,
                      applicant_heard_on=today, **FINAL_STATEMENTS)  # fmt: skip
    request = final_request(case=case, actor=eworld.officer, approver=eworld.president,
                            applicant_heard_on=today, **FINAL_STATEMENTS)  # fmt: skip
    for someone_else in (eworld.officer, eworld.second_officer, eworld.higher_supervisor,
                         eworld.outsider):  # fmt: skip
        with pytest.raises(PermissionDenied):
            final_approve(request=request, actor=someone_else)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS

    final_approve(request=request, actor=eworld.president, note="同意")
    case.refresh_from_db()
    request.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED_ROUND
    assert request.ruling is not None and request.ruling.kind == "enforcement.final_ruling"
    assert request.ruling.verification_code
    # the ruling goes on in the case's series after the documents already issued in it
    # (the notices, credit's decisions): 号之N, spelt out here
    earlier = IssuedDocument.objects.filter(number__startswith=case.case_number).exclude(
        pk=request.ruling.pk
    )
    assert earlier.count() >= 2
    suffix = ["", "之一", "之二", "之三", "之四", "之五", "之六"][earlier.count()]
    assert request.ruling.number == case.case_number + suffix
    schedule = FinalCheckSchedule.objects.get(case=case)
    assert schedule.status == ScheduleStatus.ACTIVE
    assert schedule.next_due_on == add_months(today, 6)
    assert schedule.ends_on == add_months(today, 60)
    assert case.endings.get().kind == "terminated_round"
    # restrictions stay in force after 终本
    from credit.models import Restriction

    assert Restriction.objects.get(case=case).state == Restriction.State.IN_FORCE
    with pytest.raises(TransitionNotAllowed):
        final_approve(request=request, actor=eworld.president)


def test_approval_rechecks_the_conditions(eworld, case, fast_pdf):
    ready_for_final(case, eworld)
    request = final_request(
        case=case,
        actor=eworld.officer,
        approver=eworld.president,
        applicant_heard_on=timezone.localdate(),
        **FINAL_STATEMENTS,
    )
    # the restriction was lifted meanwhile: the condition no longer holds
    from credit.models import Restriction

    Restriction.objects.filter(case=case).update(state=Restriction.State.LIFTED)
    with pytest.raises(TransitionNotAllowed, match="限制消费"):
        final_approve(request=request, actor=eworld.president)
    assert EnforcementCase.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_refusal_needs_reasons_and_leaves_the_case_open(eworld, case, fast_pdf):
    ready_for_final(case, eworld)
    request = final_request(
        case=case,
        actor=eworld.officer,
        approver=eworld.president,
        applicant_heard_on=timezone.localdate(),
        **FINAL_STATEMENTS,
    )
    with pytest.raises(ValidationError):
        final_refuse(request=request, actor=eworld.president, note="")
    final_refuse(request=request, actor=eworld.president, note="尚有车辆线索未核查")
    request.refresh_from_db()
    assert request.status == ApprovalStatus.REFUSED
    assert EnforcementCase.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_terminate_round_transition_cannot_bypass_the_request(eworld, case):
    from enforcement.states import case_machine

    with pytest.raises(TransitionNotAllowed, match="院长批准"):
        case_machine.apply(case, "terminate_round", actor=eworld.officer)
