"""Through the real Redis broker and a real worker process (CI: REDIS_URL and Postgres).

Skipped without REDIS_URL, or when the test database is SQLite (a worker process cannot
see pytest's in-memory database).
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from deadlines.sweep import deadlines_sweep
from jobs.models import OutboxMessage
from jobs.services import outbox_relay
from notifications.models import Delivery
from notifications.services import deliveries_release, notify, preference_update
from tests.deadlines.factories import local, make_deadline
from tests.notifications.fake_sms import FakeSmsServer

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@pytest.fixture(scope="module")
def sms_server():
    with FakeSmsServer() as server:
        server.delay = 0.0
        yield server


class Worker:
    def __init__(self, sms_url: str):
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "DJANGO_SETTINGS_MODULE": "tests.jobs.worker_settings",
            "FENGQIAO_SMS_BACKEND": "notifications.channels.sms.HttpSmsBackend",
            "FENGQIAO_SMS_URL": sms_url,
            "PYTHONPATH": str(ROOT),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config.celery_app", "worker", "-l", "info",
             "-c", "2", "-P", "prefork", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(60):
            self.stop()
            pytest.fail("worker did not start:\n" + "".join(self.lines[-40:]))

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)
            if " ready." in line:
                self.ready.set()

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def worker_process(sms_server, django_db_setup):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: the broker tests need a real Redis")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a shared database (PostgreSQL via DATABASE_URL)")
    from config.celery_app import app

    app.control.purge()
    w = Worker(sms_server.url)
    yield w
    w.stop()


@pytest.fixture
def worker(worker_process, sms_server, settings):
    from config.celery_app import app

    app.control.purge()
    sms_server.requests.clear()
    sms_server.delay = 0.0
    settings.FENGQIAO_SMS_BACKEND = "notifications.channels.sms.HttpSmsBackend"
    settings.FENGQIAO_SMS_URL = sms_server.url
    return worker_process


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def sms_user(world):
    world.owner.phone = "13800138000"
    world.owner.save()
    preference_update(
        user=world.owner,
        actor=world.owner,
        sms_enabled=True,
        email_enabled=False,
        quiet_hours=False,
    )
    return world.owner


def test_reminder_delivered_once_through_redis_and_a_worker(world, worker, sms_server):
    from config.celery_app import app

    sms_user(world)
    deadline = make_deadline(world, kind="credit.correction_fix", start=local(2025, 3, 3))
    fire = deadline.next_action_at
    deadlines_sweep(now=fire)  # commits; the outbox fast path publishes to Redis
    deadlines_sweep(now=fire)  # a second sweep (another worker, a restarted beat)
    sms = Delivery.objects.get(channel="sms")
    app.send_task("notifications.deliver", args=[[sms.pk]])  # a duplicate publish
    assert wait_for(lambda: Delivery.objects.get(pk=sms.pk).status == "sent"), "".join(
        worker.lines[-30:]
    )
    time.sleep(1.5)  # give any duplicate time to show up
    assert len(sms_server.requests) == 1
    assert OutboxMessage.objects.filter(published_at__isnull=True).count() == 0


def test_worker_killed_mid_batch_no_duplicate_no_miss(world, worker, sms_server, monkeypatch):
    user = sms_user(world)
    sms_server.delay = 0.15
    monkeypatch.setattr("jobs.services._relay_after_commit", lambda pk: None)
    with transaction.atomic():
        ids = [
            notify(recipient=user, kind="t", title=f"第{i}条", body="")
            .deliveries.get(channel="sms")
            .pk
            for i in range(20)
        ]
    OutboxMessage.objects.all().delete()
    monkeypatch.undo()
    with transaction.atomic():
        from jobs.services import outbox_enqueue

        outbox_enqueue("notifications.deliver", args=[ids])  # one task, twenty deliveries
    assert wait_for(lambda: len(sms_server.requests) >= 5)
    for pid in worker.children():
        os.kill(pid, signal.SIGKILL)  # the pool process dies mid-batch
    # acks_late + reject_on_worker_lost: the message goes back to the queue and a new pool
    # process takes it; deliveries already sent are skipped by their claims.
    assert wait_for(lambda: Delivery.objects.filter(pk__in=ids, status="sent").count() >= 19, 20), (
        "".join(worker.lines[-40:])
    )
    # The one in flight at the kill is left "sending"; the release job puts it back later.
    from django.utils import timezone

    deliveries_release(now=timezone.now() + timezone.timedelta(minutes=11))
    outbox_relay()
    assert wait_for(lambda: Delivery.objects.filter(pk__in=ids, status="sent").count() == 20, 30)
    keys = [r["headers"]["Idempotency-Key"] for r in sms_server.requests]
    assert set(keys) == {f"fengqiao-delivery-{pk}" for pk in ids}  # no miss
    # No duplicate: at most the one request in flight at the kill is repeated, with the same
    # Idempotency-Key, so the provider sends it once.
    assert len(keys) - len(set(keys)) <= 1


def test_broker_unreachable_at_commit_then_delivered(world, worker, sms_server, monkeypatch):
    from celery import Celery

    user = sms_user(world)
    down = Celery("down", broker="redis://127.0.0.1:9/0", set_as_current=False)
    down.conf.broker_connection_timeout = 1
    monkeypatch.setattr(sys.modules["config.celery_app"], "app", down)
    with transaction.atomic():
        n = notify(recipient=user, kind="t", title="断网时提交", body="")
    sms = n.deliveries.get(channel="sms")
    message = OutboxMessage.objects.get()
    assert message.published_at is None and message.last_error
    time.sleep(1)
    assert Delivery.objects.get(pk=sms.pk).status == "pending" and sms_server.requests == []
    monkeypatch.undo()  # Redis is back; the beat relay runs
    assert outbox_relay().published == 1
    assert wait_for(lambda: Delivery.objects.get(pk=sms.pk).status == "sent"), "".join(
        worker.lines[-30:]
    )
    assert len(sms_server.requests) == 1
