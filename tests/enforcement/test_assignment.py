"""确定承办人 and the 6-month limit through the services: officers of the same court only,
the suggestion by open caseload, bulk assignment, the assignment clock met (late shown),
the notices' clock started for the officer, reassignment with a reason; suspension pauses
the limit and its end resumes it; the extension asked in the last 5 days and approved by the
president as themselves."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from enforcement.models import CaseStatus
from enforcement.panels_filing import application_context, time_limit_context
from enforcement.selectors_filing import ASSIGNMENT, NOTICE_ISSUE, TIME_LIMIT, case_clock
from enforcement.services.assignment import (
    assignment_late,
    case_assign,
    case_reassign,
    cases_assign_bulk,
    officer_suggestions,
)
from enforcement.services.time_limit import (
    case_suspend,
    case_suspension_end,
    time_limit_extension_approve,
    time_limit_extension_request,
)
from organisations.roles import Role
from tests.factories import member

from .conftest import make_case
from .filing_fixtures import file_case

pytestmark = pytest.mark.django_db


def local_due(deadline) -> datetime.date:
    deadline.refresh_from_db()
    return timezone.localtime(deadline.due_at).date()


def test_suggestion_is_the_officer_with_fewest_open_cases(eworld):
    make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    make_case(eworld.court, eworld.clerk, officer=eworld.second_officer)
    make_case(eworld.court, eworld.clerk, officer=eworld.second_officer, status="performed")
    rows = officer_suggestions(eworld.court)
    assert [(s.officer, s.open_cases, s.suggested) for s in rows] == [
        (eworld.second_officer, 1, True), (eworld.officer, 2, False),
    ]  # fmt: skip


def test_assignment_to_an_officer_of_the_same_court_only(eworld):
    case = file_case(eworld, principal="150000.00")
    stranger = member(eworld.other_court, Role.ENFORCEMENT_OFFICER, username="far_officer")
    for wrong in (stranger, eworld.clerk, eworld.president):
        with pytest.raises(ValidationError) as refused:
            case_assign(case=case, officer=wrong, actor=eworld.clerk)
        assert "本院的执行员" in refused.value.message_dict["officer"][0]
    with pytest.raises(PermissionDenied):
        case_assign(case=case, officer=eworld.officer, actor=eworld.second_officer)
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED and case.officer is None


def test_assign_meets_the_clock_and_starts_the_notices_clock_for_the_officer(eworld):
    case = file_case(eworld, principal="150000.00")
    case_assign(case=case, officer=eworld.officer, actor=eworld.clerk)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.officer == eworld.officer
    assert case.assigned_at is not None
    assert case_clock(case, ASSIGNMENT).state == Deadline.State.MET
    assert assignment_late(case) is False
    notices = case_clock(case, NOTICE_ISSUE)
    assert notices.owner == eworld.officer and notices.state == Deadline.State.PENDING
    assert local_due(notices) == timezone.localdate() + datetime.timedelta(days=3)
    assert case_clock(case, TIME_LIMIT).owner == eworld.officer
    with pytest.raises(TransitionNotAllowed):
        case_assign(case=case, officer=eworld.second_officer, actor=eworld.clerk)


def test_late_assignment_is_recorded_late_and_shown(eworld):
    case = file_case(eworld, principal="150000.00")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=9), tick=False):
        context = time_limit_context(case, eworld.clerk)
        assert context["assignment"]["late"] is True
        case_assign(case=case, officer=eworld.officer, actor=eworld.clerk)
    clock = case_clock(case, ASSIGNMENT)
    assert clock.state == Deadline.State.MISSED and clock.closed_at is not None
    assert assignment_late(case) is True
    assert time_limit_context(case, eworld.clerk)["assignment"]["late"] is True


def test_bulk_assignment_spreads_by_load_and_reports_refusals(eworld):
    make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    cases = [file_case(eworld, principal="150000.00") for _ in range(3)]
    urging = file_case(eworld, procedure="urging", urging_consent_note="书面同意")
    result = cases_assign_bulk(cases=[*cases, urging], actor=eworld.clerk)
    assigned = {case.pk: officer for case, officer in result["assigned"]}
    # second officer had 0, first had 1: 2nd, then 1st/2nd tie → lower pk, …
    assert sorted(o.username for o in assigned.values()) == ["officer", "officer2", "officer2"]
    assert [case.pk for case, _reason in result["refused"]] == [urging.pk]
    assert "执前督促" in result["refused"][0][1]
    for case in cases:
        case.refresh_from_db()
        assert case.status == CaseStatus.IN_PROGRESS
    more = [file_case(eworld, principal="150000.00") for _ in range(2)]
    result = cases_assign_bulk(cases=more, actor=eworld.clerk, officer=eworld.officer)
    assert {o for _c, o in result["assigned"]} == {eworld.officer}


def test_reassignment_needs_a_reason_and_moves_the_clocks(eworld):
    case = file_case(eworld, principal="150000.00")
    case_assign(case=case, officer=eworld.officer, actor=eworld.clerk)
    with pytest.raises(ValidationError):
        case_reassign(case=case, officer=eworld.second_officer, actor=eworld.clerk, reason="")
    case_reassign(case=case, officer=eworld.second_officer, actor=eworld.president,
                  reason="原承办人调离执行局")  # fmt: skip
    case.refresh_from_db()
    assert case.officer == eworld.second_officer
    assert case_clock(case, NOTICE_ISSUE).owner == eworld.second_officer
    assert case_clock(case, TIME_LIMIT).owner == eworld.second_officer


# --- the 6-month limit --------------------------------------------------------------------


@pytest.fixture
def running(eworld):
    case = file_case(eworld, principal="150000.00")
    case_assign(case=case, officer=eworld.officer, actor=eworld.clerk)
    case.refresh_from_db()
    return case


def test_suspension_pauses_the_limit_and_its_end_resumes_it(eworld, running):
    limit = case_clock(running, TIME_LIMIT)
    due = local_due(limit)
    with pytest.raises(ValidationError):
        case_suspend(case=running, actor=eworld.officer, reason=" ")
    case_suspend(case=running, actor=eworld.officer, reason="案外人提出确有理由的异议")
    limit.refresh_from_db()
    assert limit.state == Deadline.State.PAUSED
    with time_machine.travel(timezone.now() + datetime.timedelta(days=20), tick=False):
        case_suspension_end(case=running, actor=eworld.officer)
    running.refresh_from_db()
    assert running.status == CaseStatus.IN_PROGRESS
    limit.refresh_from_db()
    assert limit.state == Deadline.State.PENDING
    assert local_due(limit) >= due + datetime.timedelta(days=20)
    assert any("中止" in step["text"] for step in limit.explanation["steps"])
    with pytest.raises(TransitionNotAllowed):
        case_suspension_end(case=running, actor=eworld.officer)


def test_extension_only_in_the_last_five_days_and_approved_by_the_president(eworld, running):
    limit = case_clock(running, TIME_LIMIT)
    due = local_due(limit)
    with pytest.raises(TransitionNotAllowed) as early:
        time_limit_extension_request(case=running, actor=eworld.officer,
                                     approver=eworld.president, reason="财产正在拍卖")  # fmt: skip
    opens = due - datetime.timedelta(days=5)
    assert f"自 {opens.isoformat()} 起方可申请" in early.value.message
    assert "期限届满前5日内" in early.value.message
    in_window = timezone.make_aware(datetime.datetime.combine(opens, datetime.time(9, 0)))
    with time_machine.travel(in_window, tick=False):
        assert time_limit_context(running, eworld.officer)["may_ask_extension"] is True
        with pytest.raises(ValidationError) as wrong_approver:
            time_limit_extension_request(case=running, actor=eworld.officer,
                                         approver=eworld.higher_supervisor, reason="拍卖中")  # fmt: skip
        assert "approver" in wrong_approver.value.message_dict
        request = time_limit_extension_request(
            case=running, actor=eworld.officer, approver=eworld.president, reason="财产正在拍卖"
        )
        with pytest.raises(TransitionNotAllowed):  # one pending request at a time
            time_limit_extension_request(case=running, actor=eworld.officer,
                                         approver=eworld.president, reason="再次")  # fmt: skip
        for not_them in (eworld.clerk, eworld.higher_supervisor, eworld.officer):
            with pytest.raises(PermissionDenied):
                time_limit_extension_approve(case=running, request=request, actor=not_them)
        time_limit_extension_approve(case=running, request=request, actor=eworld.president,
                                     note="同意延长三个月")  # fmt: skip
    limit.refresh_from_db()
    extension = limit.extensions.get()
    assert extension.approved_by == eworld.president and extension.unit == "months"
    assert extension.amount == 3
    assert local_due(limit) >= due + datetime.timedelta(days=89)
    late = timezone.make_aware(
        datetime.datetime.combine(local_due(limit) + datetime.timedelta(days=1), datetime.time(9))
    )
    with time_machine.travel(late, tick=False):
        with pytest.raises(TransitionNotAllowed) as after:
            time_limit_extension_request(case=running, actor=eworld.officer,
                                         approver=eworld.president, reason="再延")  # fmt: skip
    assert "不能再申请延长" in after.value.message


def test_panels_show_the_application_and_the_limit(eworld, running):
    application = application_context(running, eworld.clerk)
    assert application["counts"]["applicants"] == 1
    assert application["interest"].amount > 0
    assert [row["key"] for row in application["priority_rows"]] == []
    limit = time_limit_context(running, eworld.clerk)
    assert limit["time_limit"]["deadline"].kind == TIME_LIMIT
    assert limit["assignment"]["late"] is False
    assert "自" in limit["extension_refusal"]
