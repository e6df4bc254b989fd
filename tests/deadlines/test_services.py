"""Starting, explaining, pausing, extending and recomputing deadlines."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline, DeadlineRule
from deadlines.selectors import deadlines_for, overdue_for_user, rule_table
from deadlines.services import (
    DeadlineStart,
    calendar_day_set,
    deadline_cancel,
    deadline_extension_approve,
    deadline_extension_refuse,
    deadline_extension_request,
    deadline_meet,
    deadline_pause,
    deadline_resume,
    deadline_start,
    deadlines_start_many,
)
from organisations.roles import Role
from tests.factories import member

from .factories import local, make_deadline

pytestmark = pytest.mark.django_db
D = datetime.date


def due_date(deadline) -> datetime.date:
    return timezone.localtime(deadline.due_at).date()


def test_start_uses_statutory_rule_and_explains_spring_festival(world):
    deadline = make_deadline(world, kind="credit.correction_fix", start=local(2025, 1, 27))
    assert (deadline.unit, deadline.amount, deadline.rule_source) == (
        "working_days",
        3,
        "statutory",
    )
    assert due_date(deadline) == D(2025, 2, 7)
    assert timezone.localtime(deadline.due_at).time() == datetime.time(23, 59, 59)
    steps = [s["step"] for s in deadline.explanation["steps"]]
    assert steps == ["start", "rule", "due"]
    skipped = deadline.explanation["skipped"]
    assert [s["date"] for s in skipped][0] == "2025-01-28"
    assert {s["reason"] for s in skipped} == {"春节"}
    assert deadline.explanation["rule"]["basis"].startswith("理由成立的")
    assert AuditEntry.objects.filter(object_id=str(deadline.pk), action="create").exists()


def test_calendar_days_roll_over_national_day(world):
    deadline = make_deadline(world, kind="mediation.confirmation_window", start=local(2025, 9, 1))
    assert due_date(deadline) == D(2025, 10, 9)
    roll = next(s for s in deadline.explanation["steps"] if s["step"] == "roll")
    assert roll["from"] == "2025-10-01" and "国庆节" in roll["text"]


def test_months_rule_and_explicit_amount(world):
    six_months = make_deadline(world, kind="enforcement.time_limit", start=local(2025, 1, 20))
    assert due_date(six_months) == D(2025, 7, 21)  # 7-20 is a Sunday: next working day
    dispatch = make_deadline(
        world, kind="cases.dispatch", amount=5, unit="working_days", start=local(2025, 9, 26)
    )
    assert dispatch.rule_source == "explicit" and due_date(dispatch) == D(2025, 10, 10)


def test_local_rule_of_an_ancestor_wins_and_is_shown_beside_statutory(world):
    DeadlineRule.objects.create(
        kind="enforcement.funds_disbursement",
        organisation=world.court,
        unit="working_days",
        amount=5,
    )
    deadline = make_deadline(
        world,
        kind="enforcement.funds_disbursement",
        organisation=world.tribunal,
        start=local(2025, 3, 3),
    )
    assert (deadline.rule_source, deadline.unit, deadline.amount) == ("local", "working_days", 5)
    assert deadline.explanation["rule"]["statutory"] == "30日"
    row = next(
        r for r in rule_table(world.tribunal) if r["kind"] == "enforcement.funds_disbursement"
    )
    assert (
        row["statutory"] == "30日" and row["effective"] == "5个工作日" and row["source"] == "local"
    )
    other = next(
        r for r in rule_table(world.other_court) if r["kind"] == "enforcement.funds_disbursement"
    )
    assert other["source"] == "statutory"


def test_region_rule_applies_below_the_region(world):
    DeadlineRule.objects.create(
        kind="enforcement.clue_check", region=world.city, unit="calendar_days", amount=5
    )
    deadline = make_deadline(
        world,
        kind="enforcement.clue_check",
        organisation=world.other_court,
        start=local(2025, 3, 3),
    )
    assert deadline.amount == 5 and deadline.rule_source == "local"


def test_pause_and_resume_add_the_days_the_clock_stood(world):
    with time_machine.travel(local(2025, 3, 3), tick=False):
        deadline = make_deadline(world, kind="enforcement.time_limit")
    assert due_date(deadline) == D(2025, 9, 3)
    with time_machine.travel(local(2025, 4, 1), tick=False):
        deadline_pause(deadline, actor=world.owner, reason="中止：案外人异议")
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.PAUSED and deadline.next_action_at is None
    with time_machine.travel(local(2025, 4, 11), tick=False):
        deadline_resume(deadline, actor=world.owner)
    assert deadline.state == Deadline.State.PENDING
    assert due_date(deadline) == D(2025, 9, 15)  # +10 days = 9-13 (Sat) → Mon 9-15
    pause = next(s for s in deadline.explanation["steps"] if s["step"] == "pause")
    assert pause["days"] == 10 and "案外人异议" in pause["text"]
    assert deadline.next_action_at is not None
    notes = list(
        AuditEntry.objects.filter(object_id=str(deadline.pk)).values_list("note", flat=True)
    )
    assert any("中止 10 日不计入" in n for n in notes)


def _extend(deadline, *, actor, approver, **kwargs):
    """Ask and have the named approver approve, as themselves."""
    request = deadline_extension_request(deadline, actor=actor, approver=approver, **kwargs)
    deadline_extension_approve(request, actor=approver)
    deadline.refresh_from_db()
    request.refresh_from_db()
    return request.extension


def test_extend_needs_an_approver_and_is_explained(world):
    president = member(world.court, Role.SUPERVISOR, username="president", full_name="吴院长")
    deadline = make_deadline(world, kind="enforcement.time_limit", start=local(2025, 3, 3))
    with pytest.raises(ValidationError):
        deadline_extension_request(
            deadline,
            actor=world.owner,
            approver=world.colleague,
            amount=3,
            unit="months",
            reason="x",
        )
    extension = _extend(
        deadline,
        actor=world.owner,
        approver=president,
        amount=3,
        unit="months",
        reason="案情复杂",
    )
    assert extension.days_added == 91 and due_date(deadline) == D(2025, 12, 3)
    step = next(s for s in deadline.explanation["steps"] if s["step"] == "extension")
    assert step["approved_by"] == "吴院长" and "案情复杂" in step["text"]
    explicit = _extend(
        deadline,
        actor=world.owner,
        approver=president,
        new_due_at=D(2025, 12, 31),
        reason="再延",
    )
    assert explicit.days_added == 28 and due_date(deadline) == D(2025, 12, 31)


def test_only_the_president_approves_the_enforcement_time_limit(world):
    """A supervisor whose region scope reaches the court is not its president."""
    president = member(world.court, Role.SUPERVISOR, username="president", full_name="吴院长")
    deadline = make_deadline(world, kind="enforcement.time_limit", start=local(2025, 3, 3))
    with pytest.raises(ValidationError) as refused:
        deadline_extension_request(
            deadline, actor=world.owner, approver=world.supervisor, amount=1, reason="x"
        )
    assert "approver" in refused.value.message_dict
    request = deadline_extension_request(
        deadline, actor=world.owner, approver=president, amount=10, reason="案情复杂"
    )
    deadline.refresh_from_db()
    assert due_date(deadline) == D(2025, 9, 3)  # nothing moves until the president acts
    for somebody_else in (world.owner, world.supervisor):
        with pytest.raises(PermissionDenied):
            deadline_extension_approve(request, actor=somebody_else)
    request.refresh_from_db()
    assert request.status == "pending" and not deadline.extensions.exists()
    deadline_extension_refuse(request, actor=president, note="理由不充分")
    request.refresh_from_db()
    assert request.status == "refused" and request.decided_at is not None
    with pytest.raises(TransitionNotAllowed):
        deadline_extension_approve(request, actor=president)
    entries = AuditEntry.objects.filter(object_id=str(request.pk), transition="refuse")
    assert entries.get().actor == president


def test_extend_reopens_a_missed_deadline(world, court_head):
    deadline = make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    Deadline.objects.filter(pk=deadline.pk).update(state=Deadline.State.MISSED)
    deadline.refresh_from_db()
    _extend(
        deadline,
        actor=world.owner,
        approver=court_head,
        amount=2,
        unit="working_days",
        reason="补正",
    )
    assert deadline.state == Deadline.State.PENDING and due_date(deadline) == D(2025, 3, 10)


def test_meet_and_cancel_close_the_clock(world):
    one = make_deadline(world)
    deadline_meet(one, actor=world.owner)
    assert one.state == "met" and one.next_action_at is None
    with pytest.raises(TransitionNotAllowed):
        deadline_pause(one, actor=world.owner, reason="x")
    two = make_deadline(world)
    deadline_cancel(two, actor=world.owner, reason="撤回申请")
    two.refresh_from_db()
    assert two.state == "cancelled" and two.close_reason == "撤回申请"


def test_calendar_change_recomputes_open_deadlines_and_says_so(world):
    # 2027 is not in the installed chinese_calendar: statutory holidays and weekends only
    # until an admin fills it in. 春节 2027: 除夕 Fri 2-05, 初一–初三 2-06..2-08.
    year = 2027
    start = local(year, 2, 4)  # Thursday
    deadline = make_deadline(world, kind="credit.correction_fix", start=start)
    assert due_date(deadline) == D(year, 2, 11)
    assert "2027" in deadline.explanation["calendar_note"]
    done = make_deadline(world, kind="credit.correction_fix", start=start)
    deadline_meet(done, actor=world.owner)
    for day in (5, 8, 9, 10, 11, 12):
        _day, moved = calendar_day_set(
            date=D(year, 2, day), is_working_day=False, name="春节", actor=world.supervisor
        )
    deadline.refresh_from_db()
    assert due_date(deadline) == D(year, 2, 17)  # working days 2-15, 2-16, 2-17
    assert {"2027-02-05", "2027-02-08"} <= {s["date"] for s in deadline.explanation["skipped"]}
    entries = AuditEntry.objects.filter(object_id=str(deadline.pk), action="change")
    assert any("工作日历变更：2027-02-09 设为休息日（春节）" in e.note for e in entries)
    # 2-05 and 2-08 were statutory days off already: marking them moved nothing, said nothing
    assert not any("2027-02-05" in e.note or "2027-02-08" in e.note for e in entries)
    done.refresh_from_db()
    assert due_date(done) == D(year, 2, 11)  # closed deadlines keep their history
    calendar_day_set(
        date=D(year, 2, 13), is_working_day=True, name="春节调休上班", actor=world.supervisor
    )
    deadline.refresh_from_db()
    assert due_date(deadline) == D(year, 2, 16)  # 2-13, 2-15, 2-16


def test_selectors_scope(world):
    deadline = make_deadline(world, start=local(2025, 1, 2))
    assert list(deadlines_for(world.court)) == [deadline]
    with time_machine.travel(local(2025, 2, 1)):
        assert list(overdue_for_user(world.colleague)) == [deadline]
        assert list(overdue_for_user(world.supervisor)) == [deadline]
        assert list(overdue_for_user(world.outsider)) == []


def test_explicit_due_at_is_kept_and_shifted_by_pauses(world):
    with time_machine.travel(local(2025, 3, 3, 9, 0), tick=False):
        deadline = make_deadline(
            world, kind="credit.correction_review", due_at=local(2025, 3, 3, 17, 0)
        )
        assert deadline.due_at == local(2025, 3, 3, 17, 0) and deadline.rule_source == "explicit"
        assert "个案指定届满时间" in deadline.explanation["steps"][1]["text"]
        deadline_pause(deadline, actor=world.owner, reason="等待")
    with time_machine.travel(local(2025, 3, 5, 9, 0), tick=False):
        deadline_resume(deadline, actor=world.owner)
    assert deadline.due_at == local(2025, 3, 5, 17, 0)


def test_explanation_is_stored_in_the_working_language_whatever_the_users_choice(world):
    from django.utils import translation

    with translation.override("en"):
        deadline = make_deadline(world, kind="credit.correction_fix", start=local(2025, 1, 27))
    assert deadline.explanation["rule"]["basis"].startswith("理由成立的")
    assert deadline.rule_text == "3个工作日"


# --- many at once ------------------------------------------------------------------------


def _comparable(deadline) -> dict:
    explanation = {k: v for k, v in deadline.explanation.items() if k != "computed_at"}
    return {
        "kind": deadline.kind,
        "label": deadline.label,
        "organisation": deadline.organisation_id,
        "owner": deadline.owner_id,
        "start_at": deadline.start_at,
        "unit": deadline.unit,
        "amount": deadline.amount,
        "rule_source": deadline.rule_source,
        "lead_times": deadline.lead_times,
        "fixed_due_at": deadline.fixed_due_at,
        "due_at": deadline.due_at,
        "state": deadline.state,
        "next_action_at": deadline.next_action_at,
        "explanation": explanation,
    }


def _create_entry(deadline) -> dict:
    entry = AuditEntry.objects.get(object_id=str(deadline.pk), action="create")
    changes = {k: v for k, v in entry.changes.items() if k not in ("id", "object_id", "created_at")}
    return {
        "changes": changes,
        "note": entry.note,
        "actor": entry.actor_id,
        "organisation": entry.organisation_id,
        "object_repr": entry.object_repr,
    }


def test_start_many_writes_what_deadline_start_writes(world, django_assert_max_num_queries):
    DeadlineRule.objects.create(
        kind="enforcement.funds_disbursement",
        organisation=world.court,
        unit="working_days",
        amount=5,
    )
    starts = [local(2025, 1, 27), local(2025, 9, 30), local(2025, 3, 3)]
    subjects = [world.court, world.tribunal, world.other_court] * 4
    items = [
        DeadlineStart(
            subject=subject,
            organisation=subject,
            start=starts[i % 3],
            owner=world.owner if i % 2 else None,
        )
        for i, subject in enumerate(subjects)
    ]
    items.append(
        DeadlineStart(
            subject=world.court,
            organisation=world.court,
            start=local(2025, 9, 26),
            due_at=local(2025, 10, 9, 18),
        )
    )

    # 13 clocks: the rule resolved once per organisation (3 organisations × 3 queries), one
    # calendar load, two content types, one INSERT per table, the savepoint pair.
    with django_assert_max_num_queries(15):
        many = deadlines_start_many(
            items=items, kind="enforcement.funds_disbursement", actor=world.owner
        )

    assert len(many) == len(items) and all(d.pk for d in many)
    one_by_one = [
        deadline_start(
            subject=item.subject,
            kind="enforcement.funds_disbursement",
            start=item.start,
            owner=item.owner,
            organisation=item.organisation,
            actor=world.owner,
            due_at=item.due_at,
        )
        for item in items
    ]
    for bulk, single in zip(many, one_by_one, strict=True):
        assert _comparable(Deadline.objects.get(pk=bulk.pk)) == _comparable(
            Deadline.objects.get(pk=single.pk)
        )
        assert _create_entry(bulk) == _create_entry(single)
    assert {d.rule_source for d in many} == {"local", "statutory", "explicit"}


@pytest.mark.django_db
def test_work_done_late_leaves_the_overdue_list_whether_or_not_the_sweep_saw_it(world):
    """Done after the due moment: closed as missed (逾期完成), before or after the sweep."""
    from deadlines.sweep import deadlines_sweep

    with time_machine.travel(local(2025, 3, 3), tick=False):
        swept = make_deadline(world)
        unswept = make_deadline(world)
    later = swept.due_at + datetime.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        deadlines_sweep(now=later)
        swept.refresh_from_db()
        assert swept.state == Deadline.State.MISSED and swept.closed_at is None
        assert swept.pk in {d.pk for d in overdue_for_user(world.owner)}
        deadline_meet(swept, actor=world.owner)
        swept.refresh_from_db()
        assert swept.state == Deadline.State.MISSED and swept.closed_at is not None
        assert AuditEntry.objects.filter(
            object_id=str(swept.pk), content_type__model="deadline", note="逾期完成"
        ).exists()
        assert swept.pk not in {d.pk for d in overdue_for_user(world.owner)}
    # the other clock's work is done late too, but the sweep never ran in between
    Deadline.objects.filter(pk=unswept.pk).update(state=Deadline.State.PENDING)
    with time_machine.travel(later, tick=False):
        deadline_meet(unswept, actor=world.owner)
    unswept.refresh_from_db()
    assert unswept.state == Deadline.State.MISSED and unswept.closed_at is not None
    assert unswept.pk not in {d.pk for d in overdue_for_user(world.owner)}


def test_a_government_supervisor_does_not_extend_a_courts_clock(world, court_head):
    """The city's governance centre reaches the court's region, but not its clocks."""
    deadline = make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    with pytest.raises(ValidationError) as refused:
        deadline_extension_request(
            deadline, actor=world.owner, approver=world.supervisor, amount=1, reason="x"
        )
    assert "approver" in refused.value.message_dict
    with pytest.raises(ValidationError):  # the court's own officer is no approver either
        deadline_extension_request(
            deadline, actor=world.owner, approver=world.colleague, amount=1, reason="x"
        )
    _extend(deadline, actor=world.owner, approver=court_head, amount=1,
            unit="working_days", reason="补正")  # fmt: skip
    assert deadline.extensions.get().approved_by == court_head
