"""委托执行 and 交叉/指定/提级执行 through the services (enf-commission): the receiving court's
clocks (15 days to start, 30 to report; a last day in a holiday moves to the next working
day), met by registering and by the first report, missed when late, cancelled on refusal;
each side acts only on its own side; a higher court's supervisor moves a case, which keeps
its number, and the original court keeps read access; every change is audited."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from audit.models import AuditEntry
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from enforcement.models import CaseTransfer, Commission, CommissionStatus, TransferKind
from enforcement.selectors import case_get_for_user, court_roles
from enforcement.services import commission as service
from organisations.roles import Role
from tests.factories import member

from . import commission_fixtures
from .conftest import make_case

cworld = commission_fixtures.cworld
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def _clocks(commission):
    return {
        d.kind: d
        for d in Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Commission), object_id=commission.pk
        )
    }


def _request(eworld, cworld, **extra):
    return service.commission_request(
        case=cworld.case, actor=eworld.officer, receiving_court=cworld.receiver,
        matters="扣押被执行人在海南区的车辆（蒙C12345）并移交委托法院", **extra,
    )  # fmt: skip


def test_request_starts_both_clocks_owned_by_the_receiving_court(eworld, cworld):
    with time_machine.travel(_at("2026-03-02 10:00"), tick=False):
        commission = _request(eworld, cworld)
    clocks = _clocks(commission)
    start, report = clocks[service.START_CLOCK], clocks[service.REPORT_CLOCK]
    assert start.organisation == cworld.receiver == report.organisation
    assert start.state == report.state == Deadline.State.PENDING
    # 2026-03-02 + 15 days = 03-17 (Tuesday); + 30 = 04-01 (Wednesday)
    assert start.due_at.astimezone(SHANGHAI).date() == datetime.date(2026, 3, 17)
    assert report.due_at.astimezone(SHANGHAI).date() == datetime.date(2026, 4, 1)
    assert AuditEntry.objects.filter(object_id=str(commission.pk), action="create").exists()


def test_a_last_day_in_the_national_day_holiday_moves_to_the_next_working_day(eworld, cworld):
    # 2025-09-20 + 15 = 10-05, inside the 国庆/中秋 holiday (10-01 … 10-08): due 10-09
    with time_machine.travel(_at("2025-09-20 09:00"), tick=False):
        commission = _request(eworld, cworld)
    start = _clocks(commission)[service.START_CLOCK]
    assert start.due_at.astimezone(SHANGHAI).date() == datetime.date(2025, 10, 9)
    assert start.explanation["skipped"], "the holiday days skipped are explained"
    # 2025-09-20 + 30 = 10-20, a Monday: kept
    report = _clocks(commission)[service.REPORT_CLOCK]
    assert report.due_at.astimezone(SHANGHAI).date() == datetime.date(2025, 10, 20)


def test_registering_in_time_meets_the_start_clock_and_a_report_meets_the_report_clock(
    eworld, cworld
):
    with time_machine.travel(_at("2026-03-02 10:00"), tick=False):
        commission = _request(eworld, cworld)
    with time_machine.travel(_at("2026-03-16 16:00"), tick=False):
        service.commission_register(commission=commission, actor=cworld.recv_clerk,
                                    officer=cworld.recv_officer, receiving_number="（2026）蒙0303执委1号")  # fmt: skip
    clocks = _clocks(commission)
    assert clocks[service.START_CLOCK].state == Deadline.State.MET
    assert clocks[service.REPORT_CLOCK].state == Deadline.State.PENDING
    assert clocks[service.REPORT_CLOCK].owner == cworld.recv_officer
    with time_machine.travel(_at("2026-03-30 10:00"), tick=False):
        service.commission_report(commission=commission, actor=cworld.recv_officer,
                                  text="已扣押车辆，正在评估", amount_recovered="0.00")  # fmt: skip
    assert _clocks(commission)[service.REPORT_CLOCK].state == Deadline.State.MET
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.REGISTERED
    assert commission.receiving_officer == cworld.recv_officer


def test_registering_late_closes_the_clock_as_missed(eworld, cworld):
    with time_machine.travel(_at("2026-03-02 10:00"), tick=False):
        commission = _request(eworld, cworld)
    with time_machine.travel(_at("2026-03-18 09:00"), tick=False):  # a day after 03-17
        service.commission_register(commission=commission, actor=cworld.recv_clerk,
                                    officer=cworld.recv_officer)  # fmt: skip
    start = _clocks(commission)[service.START_CLOCK]
    assert start.state == Deadline.State.MISSED
    assert start.closed_at is not None


def test_refusal_needs_reasons_and_cancels_the_clocks(eworld, cworld):
    commission = _request(eworld, cworld)
    with pytest.raises(ValidationError) as exc:
        service.commission_refuse(commission=commission, actor=cworld.recv_clerk, reason=" ")
    assert "reason" in exc.value.message_dict
    service.commission_refuse(commission=commission, actor=cworld.recv_clerk,
                              reason="被执行人的车辆不在本辖区")  # fmt: skip
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.REFUSED
    assert commission.end_reason == "被执行人的车辆不在本辖区"
    assert {d.state for d in _clocks(commission).values()} == {Deadline.State.CANCELLED}
    # refused: the receiving court no longer sees the case
    with pytest.raises(Http404):
        case_get_for_user(cworld.recv_clerk, cworld.case.pk)


def test_each_side_acts_only_on_its_own_side(eworld, cworld):
    commission = _request(eworld, cworld)
    with pytest.raises(PermissionDenied):  # the sending court cannot register for them
        service.commission_register(commission=commission, actor=eworld.officer,
                                    officer=cworld.recv_officer)  # fmt: skip
    with pytest.raises(PermissionDenied):  # nor the higher court
        service.commission_refuse(commission=commission, actor=eworld.higher_supervisor,
                                  reason="x")  # fmt: skip
    with pytest.raises(PermissionDenied):  # the receiving court cannot withdraw it
        service.commission_withdraw(commission=commission, actor=cworld.recv_clerk, reason="x")
    with pytest.raises(PermissionDenied):  # nor commission the case onwards
        service.commission_request(case=cworld.case, actor=cworld.recv_clerk,
                                   receiving_court=cworld.third, matters="转委托")  # fmt: skip
    # and it has no role on the case itself: measures and money stay the sending court's
    assert court_roles(cworld.recv_clerk, cworld.case.court) == set()
    with pytest.raises(ValidationError) as exc:  # the officer must be the receiving court's
        service.commission_register(commission=commission, actor=cworld.recv_clerk,
                                    officer=eworld.officer)  # fmt: skip
    assert "officer" in exc.value.message_dict


def test_the_receiving_court_sees_exactly_the_commissioned_case(eworld, cworld):
    with pytest.raises(Http404):
        case_get_for_user(cworld.recv_clerk, cworld.case.pk)
    _request(eworld, cworld)
    assert case_get_for_user(cworld.recv_clerk, cworld.case.pk) == cworld.case
    with pytest.raises(Http404):
        case_get_for_user(cworld.recv_clerk, cworld.other_case.pk)
    for user in (cworld.third_clerk, cworld.third_supervisor):
        with pytest.raises(Http404):
            case_get_for_user(user, cworld.case.pk)


def test_one_open_commission_to_a_court_at_a_time_and_not_to_itself(eworld, cworld):
    _request(eworld, cworld)
    with pytest.raises(TransitionNotAllowed):
        _request(eworld, cworld)
    with pytest.raises(ValidationError) as exc:
        service.commission_request(case=cworld.case, actor=eworld.officer,
                                   receiving_court=eworld.court, matters="x")  # fmt: skip
    assert "receiving_court" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        service.commission_request(case=cworld.case, actor=eworld.officer,
                                   receiving_court=eworld.centre, matters="x")  # fmt: skip
    assert "receiving_court" in exc.value.message_dict


def test_finish_and_return_and_withdraw(eworld, cworld):
    commission = _request(eworld, cworld)
    with pytest.raises(TransitionNotAllowed):  # not registered yet
        service.commission_finish(commission=commission, actor=cworld.recv_clerk, result="x")
    service.commission_register(commission=commission, actor=cworld.recv_clerk,
                                officer=cworld.recv_officer)  # fmt: skip
    with pytest.raises(ValidationError):
        service.commission_finish(commission=commission, actor=cworld.recv_officer,
                                  result="已扣押", amount_recovered=12.5)  # fmt: skip
    service.commission_finish(commission=commission, actor=cworld.recv_officer,
                              result="车辆已扣押并移交", amount_recovered="12000.50")  # fmt: skip
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.FINISHED
    assert commission.reports.get().amount_recovered == Decimal("12000.50")
    assert _clocks(commission)[service.REPORT_CLOCK].state == Deadline.State.MET
    # a second commission, returned with reasons; a third one withdrawn by the sender
    second = _request(eworld, cworld)
    service.commission_register(commission=second, actor=cworld.recv_clerk,
                                officer=cworld.recv_officer)  # fmt: skip
    service.commission_finish(commission=second, actor=cworld.recv_clerk,
                              result="被执行人已迁出本辖区", returned=True)  # fmt: skip
    second.refresh_from_db()
    assert second.status == CommissionStatus.RETURNED
    third = _request(eworld, cworld)
    service.commission_withdraw(commission=third, actor=eworld.officer, reason="被执行人已到案履行")
    third.refresh_from_db()
    assert third.status == CommissionStatus.WITHDRAWN
    assert {d.state for d in _clocks(third).values()} == {Deadline.State.CANCELLED}
    transitions = AuditEntry.objects.filter(action="transition").values_list("note", flat=True)
    assert "被执行人已迁出本辖区" in transitions


# --- cross-enforcement ---------------------------------------------------------------------


def test_higher_supervisor_moves_the_case_which_keeps_its_number(eworld, cworld):
    # the receiving court has its own case with the same sequence number this year
    own = make_case(cworld.receiver, cworld.recv_clerk, officer=cworld.recv_officer)
    assert own.number_sequence == cworld.case.number_sequence
    number = cworld.case.case_number
    transfer = service.case_transfer(
        case=cworld.case, actor=eworld.higher_supervisor, to_court=cworld.receiver,
        officer=cworld.recv_officer, kind=TransferKind.CROSS, reason="交叉执行专项：长期未结",
    )  # fmt: skip
    case = cworld.case
    case.refresh_from_db()
    assert case.court == cworld.receiver and case.officer == cworld.recv_officer
    assert case.case_number == number and case.number_court == eworld.court
    assert transfer.from_court == eworld.court and transfer.decided_by == eworld.higher_supervisor
    assert transfer.from_officer == eworld.officer
    # the new court acts on it; the original court reads it but no longer acts
    assert court_roles(cworld.recv_clerk, case.court)
    assert court_roles(eworld.officer, case.court) == set()
    assert case_get_for_user(eworld.officer, case.pk) == case
    with pytest.raises(Http404):
        case_get_for_user(cworld.third_clerk, case.pk)
    # audited: the transfer record and the case's change (court, officer)
    entry = AuditEntry.objects.filter(object_id=str(case.pk), action="change").latest("pk")
    assert "交叉执行" in entry.note and "长期未结" in entry.note
    assert CaseTransfer.objects.filter(case=case).count() == 1


def test_elevated_when_the_higher_court_takes_it_itself(eworld, cworld):
    officer = member(eworld.higher_court, Role.ENFORCEMENT_OFFICER, username="high_off")
    transfer = service.case_transfer(
        case=cworld.case, actor=eworld.higher_supervisor, to_court=eworld.higher_court,
        officer=officer, reason="重大影响案件，提级执行",
    )  # fmt: skip
    assert transfer.kind == TransferKind.ELEVATED


def test_only_a_higher_courts_supervisor_may_move_a_case(eworld, cworld):
    for user in (eworld.president, eworld.officer, cworld.third_supervisor, cworld.recv_clerk):
        with pytest.raises(PermissionDenied):
            service.case_transfer(case=cworld.case, actor=user, to_court=cworld.receiver,
                                  officer=cworld.recv_officer, kind="cross", reason="x")  # fmt: skip
    with pytest.raises(ValidationError) as exc:  # no reason, no kind
        service.case_transfer(case=cworld.case, actor=eworld.higher_supervisor,
                              to_court=cworld.receiver, officer=cworld.recv_officer,
                              reason="")  # fmt: skip
    assert set(exc.value.message_dict) & {"reason", "kind"}
    with pytest.raises(ValidationError) as exc:  # the officer must belong to the new court
        service.case_transfer(case=cworld.case, actor=eworld.higher_supervisor,
                              to_court=cworld.receiver, officer=eworld.officer, kind="cross",
                              reason="x")  # fmt: skip
    assert "officer" in exc.value.message_dict


def test_a_case_with_an_open_commission_is_not_moved(eworld, cworld):
    _request(eworld, cworld)
    with pytest.raises(TransitionNotAllowed):
        service.case_transfer(case=cworld.case, actor=eworld.higher_supervisor,
                              to_court=cworld.third, officer=cworld.third_supervisor,
                              kind="designated", reason="x")  # fmt: skip
