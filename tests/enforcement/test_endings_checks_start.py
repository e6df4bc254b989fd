"""The start of the 6-monthly checks after 终本, as its records show it: every check it
creates and every schedule it moves on leaves an audit entry (the system, when, what,
before/after) written in bulk — the start's queries do not grow with the number of cases —
and a check that cannot run because no debtor has an identity tells the applicant why and
what they can do, and the case's officer, once however often the job runs."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from deadlines.calendar import add_months
from enforcement import conf_endings
from enforcement.inquiry.simulated import simulated_script
from enforcement.models import (
    CaseParty,
    CaseStatus,
    CheckResultKind,
    EnforcementRole,
    FinalCheck,
    FinalCheckSchedule,
    ScheduleStatus,
)
from enforcement.services.final_checks import final_checks_start, schedule_start
from enforcement.tasks_endings import final_checks_start_task
from notifications.models import Notification

from .conftest import ID_DEBTOR, add_party, make_case

NOTHING = {"kind": "social_insurance", "institution": "乌海市社会保险事业管理局",
           "identifier": "150302197504120221", "description": "参保（无余额）"}  # fmt: skip


def _final_case(world, *, debtor="孙某", concluded_on=None, identity=True):
    case = make_case(world.court, world.clerk, officer=world.officer, debtor=debtor,
                     status=CaseStatus.TERMINATED_ROUND)  # fmt: skip
    if not identity:  # the debtor as recorded without an ID number
        CaseParty.objects.filter(case=case, role=EnforcementRole.DEBTOR).delete()
        add_party(case, role=EnforcementRole.DEBTOR, name=debtor)
    schedule_start(case, concluded_on=concluded_on or timezone.localdate(), actor=world.officer)
    return case


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(3)))


def _entries(model, pk):
    return AuditEntry.objects.filter(content_type__model=model, object_id=str(pk))


def test_each_check_created_and_each_schedule_moved_on_is_audited(eworld):
    simulated_script(identity=ID_DEBTOR, findings=[NOTHING], available_from=timezone.localdate())
    plain = _final_case(eworld, debtor="孙甲")
    nameless = _final_case(eworld, debtor="无证某", identity=False)
    # the last cycle of a schedule: moving it on ends it
    FinalCheckSchedule.objects.filter(case=nameless).update(
        ends_on=nameless.final_check_schedule.next_due_on
    )
    due = plain.final_check_schedule.next_due_on
    months = conf_endings.get("ENFORCEMENT_FINAL_CHECK_MONTHS")
    with time_machine.travel(_at(due), tick=False):
        assert final_checks_start_task() == 2
        now = timezone.now()
    for case in (plain, nameless):
        check = FinalCheck.objects.get(schedule__case=case)
        created = _entries("finalcheck", check.pk).get()
        assert created.action == "create" and created.at == now
        assert created.actor is None and created.actor_name == "系统"
        assert created.organisation_id == eworld.court.pk
        assert created.object_repr == str(check)
        assert created.changes["cycle"] == {"before": None, "after": 1}
        assert created.changes["due_on"] == {"before": None, "after": due.isoformat()}
        assert created.changes["schedule"] == {"before": None, "after": check.schedule_id}
        assert created.changes["inquiry"] == {"before": None, "after": check.inquiry_id}
        assert created.changes["result"] == {"before": None, "after": check.result}
        schedule = FinalCheckSchedule.objects.get(case=case)
        moved = _entries("finalcheckschedule", schedule.pk).filter(action="change").get()
        assert moved.actor is None and moved.actor_name == "系统" and moved.at == now
        assert moved.organisation_id == eworld.court.pk
        assert moved.object_repr == str(schedule)
        assert moved.changes["cycles_done"] == {"before": 0, "after": 1}
        assert moved.changes["next_due_on"] == {
            "before": due.isoformat(), "after": add_months(due, months).isoformat()}  # fmt: skip
    plain_check = FinalCheck.objects.get(schedule__case=plain)
    assert plain_check.inquiry is not None
    assert _entries("finalcheck", plain_check.pk).get().note == "终本后第1次定期查询"
    assert "status" not in _entries("finalcheckschedule", plain.final_check_schedule.pk).get(
        action="change").changes  # fmt: skip
    ended = _entries("finalcheckschedule", nameless.final_check_schedule.pk).get(action="change")
    assert ended.changes["status"] == {"before": ScheduleStatus.ACTIVE,
                                       "after": ScheduleStatus.ENDED}  # fmt: skip
    assert "期满" in ended.note
    failed = FinalCheck.objects.get(schedule__case=nameless)
    assert failed.result == CheckResultKind.FAILED
    entry = _entries("finalcheck", failed.pk).get()
    assert entry.changes["applicant_message"]["after"] == failed.applicant_message
    assert entry.note.startswith("告知申请执行人：")
    # a rerun the same day starts nothing and writes nothing
    count = AuditEntry.objects.count()
    with time_machine.travel(_at(due), tick=False):
        assert final_checks_start() == 0
    assert AuditEntry.objects.count() == count


def _start_queries(eworld, concluded_on, *, n):
    """The queries of one start over `n` cases that can be inquired and `n` that cannot."""
    cases = [_final_case(eworld, debtor=f"孙{concluded_on:%d}{i}", concluded_on=concluded_on)
             for i in range(n)]  # fmt: skip
    cases += [_final_case(eworld, debtor=f"无证{concluded_on:%d}{i}", identity=False,
                          concluded_on=concluded_on) for i in range(n)]  # fmt: skip
    due = cases[0].final_check_schedule.next_due_on
    with time_machine.travel(_at(due), tick=False), CaptureQueriesContext(connection) as queries:
        assert final_checks_start(max_batches=1) == 2 * n
    assert AuditEntry.objects.filter(content_type__model="finalcheck",
                                     object_id__in=[str(c.final_check_schedule.checks.get().pk)
                                                    for c in cases]).count() == 2 * n  # fmt: skip
    return len(queries)


def test_the_starts_queries_do_not_grow_with_the_number_of_cases(eworld):
    """The audit entries and the notices of a batch are set operations: a batch of 10
    cases takes as many queries as a batch of 2."""
    today = timezone.localdate()
    simulated_script(identity=ID_DEBTOR, findings=[NOTHING], available_from=today)
    _start_queries(eworld, today, n=1)  # warms the content-type cache
    few = _start_queries(eworld, today + datetime.timedelta(days=1), n=1)
    many = _start_queries(eworld, today + datetime.timedelta(days=2), n=5)
    assert many == few


def test_a_check_that_cannot_run_tells_the_applicant_and_the_officer_once(api_for, eworld):
    case = _final_case(eworld, debtor="无证某", identity=False)
    due = case.final_check_schedule.next_due_on
    with time_machine.travel(_at(due), tick=False):
        assert final_checks_start_task() == 1
        assert final_checks_start_task() == 0  # the job run again: nothing twice
        assert final_checks_start() == 0
    check = FinalCheck.objects.get(schedule__case=case)
    assert check.result == CheckResultKind.FAILED and check.applicant_told_at is not None
    # what the applicant is told: why the check could not run and what they can do
    overview = api_for(eworld.officer).get(f"/api/enforcement/endings/{case.pk}/").json()
    told = overview["schedule"]["checks"][0]
    assert told["applicant_told_at"] is not None
    message = told["applicant_message"]
    assert message.startswith(f"{case.case_number} 终本后第1次财产查询")
    assert "无身份证号码或统一社会信用代码" in message
    assert "提供被执行人的身份证号码或统一社会信用代码" in message and "财产线索" in message
    # the officer, who takes the applicant's answer, is told once
    notices = Notification.objects.filter(recipient=eworld.officer, kind="enforcement.endings")
    assert notices.count() == 1
    notice = notices.get()
    assert case.case_number in notice.title and notice.link == case.get_absolute_url()
    assert "补录" in notice.body
    mine = api_for(eworld.officer).get("/api/notifications/").json()["results"]
    assert [n["title"] for n in mine if n["title"] == notice.title] == [notice.title]
    # next cycle: still no identity, the applicant and the officer are told of that cycle
    with time_machine.travel(_at(add_months(due, 6)), tick=False):
        assert final_checks_start() == 1
    assert notices.count() == 2
    assert set(FinalCheck.objects.filter(schedule__case=case).values_list("cycle", flat=True)) == {
        1, 2}  # fmt: skip
