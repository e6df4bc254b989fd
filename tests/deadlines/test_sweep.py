"""The reminder sweep: each reminder exactly once, escalation on a miss, crash safety."""

from unittest import mock

import pytest
from django.core import mail

from deadlines.models import Deadline, Reminder
from deadlines.sweep import deadlines_sweep
from deadlines.tasks import sweep_task
from jobs.models import JobRun, OutboxMessage
from notifications.models import Delivery, Notification

from .factories import local, make_deadline

pytestmark = pytest.mark.django_db


def stages(deadline):
    return list(
        Reminder.objects.filter(deadline=deadline).values_list("stage", "lead_days", "status")
    )


def test_lead_due_and_missed_each_once(world, published):
    # credit.removal: 3 working days, lead time 1 day. Start Mon 3-03 → due Thu 3-06.
    deadline = make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    assert deadline.next_action_at == local(2025, 3, 5, 8, 0)
    assert deadlines_sweep(now=local(2025, 3, 5, 7, 59)).reminders == 0
    assert deadlines_sweep(now=local(2025, 3, 5, 8, 1)).reminders == 1
    assert deadlines_sweep(now=local(2025, 3, 5, 8, 2)).reminders == 0  # a second worker, a retry
    assert stages(deadline) == [("lead", 1, "sent")]
    notification = Notification.objects.get(recipient=world.owner)
    assert "还有 1 天届满" in notification.title and notification.subject == deadline

    deadlines_sweep(now=local(2025, 3, 6, 8, 0))
    result = deadlines_sweep(
        now=local(
            2025,
            3,
            7,
            0,
            0,
        )
    )
    assert result.missed == 1
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MISSED and deadline.next_action_at is None
    assert [s for s, _lead, _status in stages(deadline)] == ["lead", "due", "missed"]
    escalation = Notification.objects.get(recipient=world.supervisor)
    assert escalation.kind == "deadline.escalation" and "超期督办" in escalation.title
    assert Notification.objects.filter(recipient=world.owner).count() == 3
    assert deadlines_sweep(now=local(2025, 3, 9)).deadlines == 0


def test_late_sweep_sends_only_the_most_urgent_stage(world, published):
    deadline = make_deadline(world, kind="mediation.confirmation_window", start=local(2025, 3, 3))
    # Workers were down for weeks: lead 7, lead 1 and due all passed; only "due" is sent.
    deadlines_sweep(now=local(2025, 4, 2, 12, 0))
    assert stages(deadline) == [("lead", 7, "skipped"), ("lead", 1, "skipped"), ("due", 0, "sent")]
    assert Notification.objects.count() == 1


def test_resetting_the_claim_does_not_duplicate(world, published):
    deadline = make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    deadlines_sweep(now=local(2025, 3, 5, 9, 0))
    # As if another sweep had read the row before this one advanced it.
    Deadline.objects.filter(pk=deadline.pk).update(next_action_at=local(2025, 3, 5, 8, 0))
    deadlines_sweep(now=local(2025, 3, 5, 9, 0))
    assert Reminder.objects.filter(deadline=deadline).count() == 1
    assert Notification.objects.count() == 1


def test_crash_mid_sweep_loses_nothing_and_duplicates_nothing(world, published):
    deadlines = [
        make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
        for _ in range(5)
    ]
    from notifications import services

    real = services.notify_many
    calls = {"n": 0}

    def crash_on_second_batch(specs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")  # the batch transaction rolls back
        return real(specs)

    with mock.patch("deadlines.sweep.notify_many", side_effect=crash_on_second_batch):
        with pytest.raises(SystemExit):
            deadlines_sweep(now=local(2025, 3, 5, 9, 0), batch_size=2)
    assert Reminder.objects.count() == 2 and Notification.objects.count() == 2
    deadlines_sweep(now=local(2025, 3, 5, 9, 1), batch_size=2)
    for deadline in deadlines:
        assert stages(deadline) == [("lead", 1, "sent")]
    assert Notification.objects.count() == 5


def test_paused_and_closed_deadlines_are_not_reminded(world, published):
    from deadlines.services import deadline_meet, deadline_pause

    paused = make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    deadline_pause(paused, actor=world.owner, reason="中止")
    met = make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    deadline_meet(met, actor=world.owner)
    assert deadlines_sweep(now=local(2025, 3, 10)).deadlines == 0
    assert not Reminder.objects.exists()


def test_reminder_email_goes_through_the_outbox_on_commit(
    world, published, django_capture_on_commit_callbacks
):
    world.owner.email = "owner@example.cn"
    world.owner.save()
    make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(now=local(2025, 3, 5, 9, 0))
    email = Delivery.objects.get(channel="email")
    assert email.status == "pending"
    message = OutboxMessage.objects.get(task_name="notifications.deliver")
    assert message.args == [[email.pk]] and message.published_at is not None
    assert published == [("notifications.deliver", [[email.pk]], {})]
    assert mail.outbox == []  # sending is the worker's job, never inside the sweep


def test_sweep_task_records_a_job_run(world, published):
    make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    import time_machine

    with time_machine.travel(local(2025, 3, 5, 9, 0), tick=False):
        assert sweep_task() == 1
    run = JobRun.objects.get(name="deadlines.sweep")
    assert (run.status, run.items, run.failures) == ("ok", 1, 0) and run.duration_ms is not None


# --- the batch paths: same rows as one at a time, queries independent of batch size ---

AUDIT_SHAPE = (
    "action", "actor_id", "actor_name", "content_type_id", "organisation_id", "changes",
    "transition", "transition_label", "note", "channel", "ip", "path", "object_repr",
)  # fmt: skip


def test_batch_miss_writes_the_same_audit_entry_as_the_state_machine(world, published):
    from audit.models import AuditEntry
    from deadlines.states import DEADLINE_MACHINE
    from deadlines.sweep import MISS_NOTE

    single = make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    swept = make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    # The one-at-a-time path the sweep used to take: claimed (next_action_at cleared), then
    # the state machine with its row lock and audit entry.
    Deadline.objects.filter(pk=single.pk).update(next_action_at=None)
    single.refresh_from_db()
    DEADLINE_MACHINE.apply(
        single, "miss", actor=None, note=MISS_NOTE, changes={"next_action_at": None}
    )
    # The sweep marks the other one missed in its batch path (it sends the miss stage
    # only, the earlier ones recorded as skipped).
    assert deadlines_sweep(now=local(2025, 3, 7, 0, 0)).missed == 1

    def entry(deadline):
        return AuditEntry.objects.filter(object_id=str(deadline.pk), transition="miss").values(
            *AUDIT_SHAPE
        )

    assert list(entry(swept)) == list(entry(single))
    assert list(entry(swept))[0]["changes"] == {"state": {"before": "pending", "after": "missed"}}
    swept.refresh_from_db()
    assert swept.state == Deadline.State.MISSED and swept.next_action_at is None
    escalations = Notification.objects.filter(kind="deadline.escalation")
    assert [n.recipient for n in escalations] == [world.supervisor]
    assert escalations[0].dedupe_key.endswith(":escalation") and escalations[0].subject == swept


def test_batch_miss_refuses_a_deadline_no_longer_pending(world, published):
    from common.statemachine import TransitionNotAllowed
    from deadlines.sweep import _mark_missed

    deadline = make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    Deadline.objects.filter(pk=deadline.pk).update(state=Deadline.State.MET)
    with pytest.raises(TransitionNotAllowed):
        _mark_missed([deadline])  # in memory still pending: the conditional UPDATE says no


def _make_due(world, count):
    organisations = [world.court, world.tribunal]
    for i in range(count):
        make_deadline(
            world, kind="credit.correction_fix", start=local(2025, 3, 3),
            organisation=organisations[i % 2],
        )  # fmt: skip


@pytest.mark.parametrize(
    "when, stage",
    [(local(2025, 3, 5, 9, 0), "lead"), (local(2025, 3, 7, 0, 0), "missed")],
)
def test_sweep_queries_do_not_grow_with_the_batch(
    world, published, django_assert_max_num_queries, when, stage
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not connection.features.has_select_for_update_skip_locked:
        # SQLite claims with a conditional UPDATE per row (by design) and splits INSERTs
        # at its bound-variable limit.
        pytest.skip("the constant-query path is PostgreSQL's")
    world.supervisor.email = "supervisor@example.cn"
    world.supervisor.save()
    _make_due(world, 2)
    with CaptureQueriesContext(connection) as small:
        assert deadlines_sweep(now=when).deadlines == 2
    Deadline.objects.all().delete()
    Notification.objects.all().delete()
    _make_due(world, 40)
    with django_assert_max_num_queries(len(small)):
        result = deadlines_sweep(now=when)
    assert (result.deadlines, result.reminders, result.batches) == (40, 40, 1)
    assert set(Reminder.objects.filter(status="sent").values_list("stage", flat=True)) == {stage}
    if stage == "missed":
        assert result.missed == 40
        assert Notification.objects.filter(kind="deadline.escalation").count() == 40
        assert Delivery.objects.filter(channel="email", status="pending").count() == 40


def test_a_miss_escalates_along_the_units_own_line_not_to_another_branch(world, published):
    """A community committee's miss goes to its own street centre's supervisor; a unit with
    no supervisor along its line goes to the oversight body above it (综治中心), never to
    the president of a court that merely sits in the same district."""
    from organisations.models import Organisation
    from organisations.roles import Role
    from tests.factories import OrganisationFactory, RegionFactory, member

    president = member(world.court, Role.SUPERVISOR, username="president")
    street_region = RegionFactory(name="新华街道", parent=world.district)
    district_centre = OrganisationFactory(
        name="海勃湾区综治中心", kind=Organisation.Kind.GOVERNANCE_CENTRE, region=world.district
    )
    street_centre = OrganisationFactory(
        name="新华街道综治中心",
        kind=Organisation.Kind.GOVERNANCE_CENTRE,
        region=street_region,
        parent=district_centre,
    )
    community = OrganisationFactory(
        name="团结社区居委会",
        kind=Organisation.Kind.COMMUNITY,
        region=street_region,
        parent=street_centre,
    )
    lonely = OrganisationFactory(
        name="海勃湾区物业调解委员会",
        kind=Organisation.Kind.MEDIATION_COMMITTEE,
        region=world.district,
    )
    street_head = member(street_centre, Role.SUPERVISOR, username="street_head")
    missed_here = {
        organisation: make_deadline(world, start=local(2025, 3, 3), organisation=organisation)
        for organisation in (community, lonely, world.tribunal)
    }

    assert deadlines_sweep(now=local(2025, 3, 7, 0, 0)).missed == 3

    def escalated_to(organisation):
        return {
            n.recipient
            for n in Notification.objects.filter(
                kind="deadline.escalation", object_id=missed_here[organisation].pk
            )
        }

    assert escalated_to(community) == {street_head}
    assert escalated_to(lonely) == {world.supervisor}  # the city's 综治中心, not the court
    assert escalated_to(world.tribunal) == {president}  # the tribunal's own court
