"""The 6-monthly checks after 终本 (enf-endings): idempotent under a rerun and a killed
worker, never twice in a cycle, the applicant told of every result, ended after 5 years,
resumption (ex officio or asked by the applicant) as 执恢 with gapless numbers."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from common.statemachine import TransitionNotAllowed
from deadlines.calendar import add_months
from enforcement import conf_endings
from enforcement.inquiry.runner import run
from enforcement.inquiry.simulated import simulated_script
from enforcement.models import (
    CaseStatus,
    CheckResultKind,
    FinalCheck,
    FinalCheckSchedule,
    ScheduleStatus,
)
from enforcement.services.final_checks import (
    case_resume,
    final_checks_collect,
    final_checks_start,
    schedule_start,
)
from enforcement.states import case_machine
from enforcement.tasks_endings import final_checks_collect_task, final_checks_start_task

from .conftest import ID_DEBTOR, make_case

NOTHING = {"kind": "social_insurance", "institution": "乌海市社会保险事业管理局",
           "identifier": "150302197504120221", "description": "参保（无余额）"}  # fmt: skip


def _final_case(world, *, debtor="孙某"):
    """A 终本 case as final_approve leaves it (the approval itself is tested elsewhere)."""
    case = make_case(world.court, world.clerk, officer=world.officer, debtor=debtor,
                     status=CaseStatus.TERMINATED_ROUND)  # fmt: skip
    schedule_start(case, concluded_on=timezone.localdate(), actor=world.officer)
    return case


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(3)))


def test_rerun_and_killed_worker_never_check_twice(eworld):
    simulated_script(identity=ID_DEBTOR, findings=[NOTHING], available_from=timezone.localdate())
    case = _final_case(eworld)
    schedule = case.final_check_schedule
    with time_machine.travel(_at(schedule.next_due_on), tick=False):
        # the worker dies between writing the checks and the inquiries: nothing stays
        with mock.patch("enforcement.services.inquiries.inquiries_start_many",
                        side_effect=SystemExit("killed")), pytest.raises(SystemExit):  # fmt: skip
            final_checks_start()
        assert not FinalCheck.objects.exists()
        assert final_checks_start_task() == 1  # the task: the same service
        assert final_checks_start_task() == 0
        check = FinalCheck.objects.get()
        assert check.cycle == 1 and check.inquiry is not None
        assert final_checks_collect() == 0  # the inquiry has not answered yet
        run(inquiry_ids=[check.inquiry_id])
        assert final_checks_collect_task() == 1
        assert final_checks_collect_task() == 0
    check.refresh_from_db()
    assert check.result == CheckResultKind.NOTHING
    assert "未发现" in check.applicant_message and check.applicant_told_at
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.ACTIVE and schedule.cycles_done == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED_ROUND and not case.resumptions.exists()


def test_ten_checks_in_five_years_then_ended(eworld):
    simulated_script(identity=ID_DEBTOR, findings=[NOTHING], available_from=timezone.localdate())
    case = _final_case(eworld)
    schedule = case.final_check_schedule
    for cycle in range(1, 11):
        schedule.refresh_from_db()
        with time_machine.travel(_at(schedule.next_due_on), tick=False):
            assert final_checks_start() == 1, cycle
            check = FinalCheck.objects.get(schedule=schedule, cycle=cycle)
            run(inquiry_ids=[check.inquiry_id])
            assert final_checks_collect() == 1
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.ENDED and schedule.cycles_done == 10
    assert set(FinalCheck.objects.values_list("result", flat=True)) == {CheckResultKind.NOTHING}
    with time_machine.travel(_at(schedule.next_due_on), tick=False):
        assert final_checks_start() == 0


def test_only_due_schedules_are_checked(eworld):
    case = _final_case(eworld)
    schedule = case.final_check_schedule
    day_before = schedule.next_due_on - datetime.timedelta(days=1)
    with time_machine.travel(_at(day_before), tick=False):
        assert final_checks_start() == 0
    assert FinalCheckSchedule.objects.get(pk=schedule.pk).cycles_done == 0


def test_applicant_asks_to_resume_numbers_gapless(eworld):
    first, second = _final_case(eworld), _final_case(eworld, debtor="钱某")
    resumed_1 = case_resume(case=first, actor=eworld.officer, reason="申请执行人提供新线索",
                            applicant_asked=True)  # fmt: skip
    resumed_2 = case_resume(case=second, actor=eworld.officer, reason="发现房产")
    year = resumed_1.number_year
    assert resumed_1.case_number == f"（{year}）蒙0302执恢1号"
    assert resumed_2.case_number == f"（{year}）蒙0302执恢2号"
    assert resumed_1.resumed_from == first and resumed_1.officer == eworld.officer
    assert FinalCheckSchedule.objects.get(case=first).status == ScheduleStatus.RESUMED
    with pytest.raises(TransitionNotAllowed, match="已恢复执行"):
        case_resume(case=first, actor=eworld.officer, reason="再次")
    with pytest.raises(PermissionDenied):  # another court's user
        case_resume(case=second, actor=eworld.outsider, reason="x")


def test_only_a_final_case_resumes(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    with pytest.raises(TransitionNotAllowed, match="终结本次执行程序"):
        case_resume(case=case, actor=eworld.officer, reason="x")
    assert case_machine.refusal(case, "terminate_round", eworld.officer)


def test_a_batch_of_checks_in_sets(eworld):
    """The start and collect steps as set operations: one check per case and cycle, the
    officer's own running inquiry answering for its case, a debtor who cannot be inquired
    failing at once; each result told to the applicant and audited as a change."""
    from audit.models import AuditEntry
    from enforcement.models import AssetInquiry, CaseParty, EnforcementRole
    from enforcement.services.inquiries import inquiry_start

    from .conftest import add_party

    simulated_script(identity=ID_DEBTOR, findings=[NOTHING], available_from=timezone.localdate())
    plain, officers, nameless = (_final_case(eworld, debtor=f"孙{n}") for n in range(3))
    CaseParty.objects.filter(case=nameless, role=EnforcementRole.DEBTOR).delete()
    add_party(nameless, role=EnforcementRole.DEBTOR, name="无证某")
    own = inquiry_start(case=officers, actor=eworld.officer)
    due = plain.final_check_schedule.next_due_on
    with time_machine.travel(_at(due), tick=False):
        assert final_checks_start(batch=2) == 3  # two batches
        assert final_checks_start() == 0
        checks = {c.schedule.case_id: c for c in FinalCheck.objects.select_related("schedule")}
        assert checks[officers.pk].inquiry == own  # no second inquiry of that case
        assert AssetInquiry.objects.filter(case=officers).count() == 1
        assert checks[nameless.pk].inquiry is None
        assert checks[nameless.pk].result == CheckResultKind.FAILED
        assert "无身份证号码" in checks[nameless.pk].findings_summary
        periodic = checks[plain.pk].inquiry
        assert periodic.purpose == "periodic" and periodic.targets.count() == 1
        created = AuditEntry.objects.get(object_id=str(periodic.pk), action="create",
                                         content_type__model="assetinquiry")  # fmt: skip
        assert created.organisation_id == eworld.court.pk
        assert created.object_repr == str(periodic)
        assert created.changes["case"] == {"before": None, "after": plain.pk}
        assert created.changes["status"] == {"before": None, "after": "pending"}
        run()
        assert final_checks_collect(batch=1) == 2
    months = conf_endings.get("ENFORCEMENT_FINAL_CHECK_MONTHS")
    assert {(s.cycles_done, s.next_due_on) for s in FinalCheckSchedule.objects.all()} == {
        (1, add_months(due, months))
    }
    check = FinalCheck.objects.get(schedule__case=plain)
    assert check.result == CheckResultKind.NOTHING
    entries = AuditEntry.objects.filter(object_id=str(check.pk), content_type__model="finalcheck")
    assert sorted(entries.values_list("action", flat=True)) == [
        "change",
        "create",
    ]  # start, collect
    entry = entries.get(action="change")
    assert entry.organisation_id == eworld.court.pk
    assert entry.object_repr == str(check)
    assert entry.changes["result"] == {"before": "pending", "after": "nothing"}
    assert entry.changes["applicant_message"]["after"] == check.applicant_message
    assert entry.note.startswith("告知申请执行人：")
    assert check.applicant_message.startswith(f"{plain.case_number} 终本后第1次财产查询")


@pytest.mark.parametrize(("concluded", "second"), [
    (datetime.date(2028, 2, 29), datetime.date(2029, 2, 28)),  # 2028-08-29, then no 29th
    (datetime.date(2026, 1, 31), datetime.date(2027, 1, 31)),  # 2026-07-31, then the 31st
])  # fmt: skip
def test_next_due_day_falls_back_to_the_months_last_day(eworld, concluded, second):
    """The database moves the schedule on as deadlines.calendar.add_months would."""
    simulated_script(identity=ID_DEBTOR, findings=[NOTHING], available_from=concluded)
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                     status=CaseStatus.TERMINATED_ROUND)  # fmt: skip
    schedule = schedule_start(case, concluded_on=concluded, actor=eworld.officer)
    first = schedule.next_due_on
    with time_machine.travel(_at(first), tick=False):
        assert final_checks_start() == 1
    schedule.refresh_from_db()
    assert schedule.next_due_on == second == add_months(first, 6)
