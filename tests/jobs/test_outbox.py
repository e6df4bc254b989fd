"""The transactional outbox: nothing lost when the broker is down at commit."""

import re
import sys

import pytest
from celery import Celery
from django.db import transaction
from django.urls import reverse

from jobs.models import JobRun, OutboxMessage
from jobs.services import job_run, outbox_enqueue, outbox_relay
from jobs.tasks import outbox_relay_task


def unreachable_broker_app():
    # A real connection attempt to a closed port: what a down Redis looks like.
    app = Celery("down", broker="redis://127.0.0.1:9/0", set_as_current=False)
    app.conf.broker_connection_timeout = 1
    app.conf.broker_connection_retry = False
    app.conf.broker_transport_options = {"max_retries": 0}
    return app


def memory_broker_app():
    return Celery("up", broker="memory://", set_as_current=False)


@pytest.mark.django_db(transaction=True)
def test_broker_down_at_commit_then_back(monkeypatch):
    down = unreachable_broker_app()
    monkeypatch.setattr(sys.modules["config.celery_app"], "app", down)
    with transaction.atomic():
        message = outbox_enqueue("notifications.deliver", args=[[1]])
    # The commit succeeded, the fast path failed, the row waits.
    message.refresh_from_db()
    assert message.published_at is None and message.attempts == 1
    # "<ExceptionClass>: <message>", from the failed connection attempt.
    assert re.match(r"\w*(Error|Exception): \S", message.last_error), message.last_error
    assert outbox_relay(app=down).failed == 1
    up = memory_broker_app()
    result = outbox_relay(app=up)
    assert result.published == 1
    message.refresh_from_db()
    assert message.published_at is not None and message.last_error == ""
    assert outbox_relay(app=up).published == 0  # nothing is published twice
    with up.connection_for_read() as conn:
        queued = conn.SimpleQueue("celery", no_ack=True)
        body = queued.get(timeout=1)
        assert body.headers["task"] == "notifications.deliver"
        assert body.payload[0] == [[1]]


@pytest.mark.django_db
def test_rolled_back_transaction_leaves_no_message(published):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox_enqueue("notifications.deliver", args=[[1]])
            raise RuntimeError
    assert not OutboxMessage.objects.exists() and published == []


@pytest.mark.django_db
def test_relay_task_publishes_backlog_and_records_run(published):
    for i in range(3):
        OutboxMessage.objects.create(task_name="notifications.deliver", args=[[i]])
    assert outbox_relay_task() == 3
    assert len(published) == 3
    run = JobRun.objects.get(name="jobs.outbox_relay")
    assert run.items == 3 and run.status == "ok"


@pytest.mark.django_db
def test_claimed_rows_are_not_published_twice(published):
    from django.utils import timezone

    message = OutboxMessage.objects.create(
        task_name="x", locked_until=timezone.now() + timezone.timedelta(seconds=30)
    )
    assert outbox_relay().published == 0
    OutboxMessage.objects.filter(pk=message.pk).update(locked_until=None)
    assert outbox_relay().published == 1


@pytest.mark.django_db
def test_job_run_records_failure():
    with pytest.raises(ValueError):
        with job_run("demo.job") as run:
            run.add(items=2)
            raise ValueError("bad")
    failed = JobRun.objects.get(name="demo.job")
    assert failed.status == "failed" and failed.items == 2 and "ValueError" in failed.error


@pytest.mark.django_db
def test_job_runs_page_for_supervisors_only(client_for, world, published):
    from config.celery_app import BEAT_SCHEDULE

    OutboxMessage.objects.create(task_name="notifications.deliver", args=[[1]])
    outbox_relay_task()
    response = client_for(world.supervisor).get(reverse("jobs:runs"))
    html = response.content.decode()
    # each job by its label; the task names are internal codes, only in the links
    assert "期限巡检：提醒与超期" in html and "发件箱补发" in html
    assert "deadlines-sweep" not in html and ">jobs.outbox_relay<" not in html
    assert "?job=jobs.outbox_relay" in html
    # The relay's run is shown, in the overview and in the run log; the other jobs have none.
    relay = next(j for j in response.context["jobs"] if j["task"] == "jobs.outbox_relay")
    assert relay["last"].items == 1 and (relay["runs"], relay["failed"]) == (1, 0)
    assert html.count("尚未运行") == len(BEAT_SCHEDULE) - 1
    assert [(r.name, r.items) for r in response.context["runs"]] == [("jobs.outbox_relay", 1)]
    assert client_for(world.owner).get(reverse("jobs:runs")).status_code == 403


def test_beat_schedule_entries_name_registered_tasks():
    from config.celery_app import BEAT_SCHEDULE, app

    app.loader.import_default_modules()
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_every_scheduled_job_has_a_label_on_screen():
    """A job added to the beat schedule (the imports' recovery) once showed on the jobs page
    as its task name, an internal code."""
    from config.celery_app import BEAT_SCHEDULE
    from jobs.selectors import JOB_LABELS

    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} <= set(JOB_LABELS)


@pytest.mark.django_db
def test_job_overview_counts_the_last_hundred_runs_in_one_query(django_assert_num_queries):
    from django.utils import timezone

    from jobs.selectors import job_overview

    start = timezone.now() - timezone.timedelta(days=1)
    statuses = ["failed"] * 4 + ["ok"] * 98 + ["partial", "ok"]  # oldest first
    for i, status in enumerate(statuses):
        JobRun.objects.create(
            name="jobs.outbox_relay",
            status=status,
            items=i,
            started_at=start + timezone.timedelta(minutes=i),
        )
    with django_assert_num_queries(1):
        rows = {row["task"]: row for row in job_overview()}
    relay = rows["jobs.outbox_relay"]
    # The four oldest failures are beyond the last hundred runs.
    assert (relay["runs"], relay["failed"]) == (100, 1)
    assert relay["last"].items == len(statuses) - 1
    assert relay["last_ok"] == start + timezone.timedelta(minutes=len(statuses) - 1)
    assert rows["deadlines.sweep"]["last"] is None and rows["deadlines.sweep"]["runs"] == 0
