"""Inquiries through the real path: the outbox publishes to Redis on commit and a real
Celery worker process (prefork, 2 children) runs them. Killing the worker's children
mid-run loses nothing and doubles nothing: every target is answered once and the stored
findings are exactly what the provider answers.

Skipped without REDIS_URL or PostgreSQL (the worker must share the test database)."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from common import pii
from enforcement.inquiry.simulated import generated_findings
from enforcement.models import (
    AssetFinding,
    AssetInquiry,
    CaseParty,
    EnforcementRole,
    InquiryStatus,
    InquiryTarget,
    TargetStatus,
)
from enforcement.services.inquiries import inquiries_start_many, inquiry_start

from .conftest import ID_DEBTOR, id_number, make_case

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


class Worker:
    def __init__(self):
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "DJANGO_SETTINGS_MODULE": "tests.enforcement.worker_settings_assets",
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


@pytest.fixture
def worker(django_db_setup):
    """A fresh worker per test: the database is emptied between these tests (content
    types included), and a worker would keep the old ids in its caches."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: the broker tests need a real Redis")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a shared database (PostgreSQL via DATABASE_URL)")
    from config.celery_app import app

    app.control.purge()
    w = Worker()
    yield w
    w.stop()


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_inquiry_runs_on_the_worker(eworld, worker):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    with transaction.atomic():
        inquiry = inquiry_start(case=case, actor=eworld.officer)
    # committed: the outbox fast path published it to Redis; the worker runs it
    done = lambda: AssetInquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.DONE  # noqa: E731
    assert wait_for(done, 30), "".join(worker.lines[-40:])
    expected = generated_findings(ID_DEBTOR, "person", timezone.localdate())
    assert AssetFinding.objects.filter(inquiry=inquiry).count() == len(expected)


def _cases(eworld, n):
    cases = []
    for i in range(n):
        case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor=f"债务人{i}")
        party = CaseParty.objects.get(case=case, role=EnforcementRole.DEBTOR).party
        pii.seal_into(party, "id_number", pii.seal_id_number(id_number("19800101", f"{i + 100}")))
        party.save()
        cases.append(case)
    return cases


def test_worker_killed_mid_run_nothing_lost_or_doubled(eworld, worker):
    cases = _cases(eworld, 60)
    with transaction.atomic():
        ids = inquiries_start_many(case_ids=[c.pk for c in cases], actor=eworld.officer, chunk=30)
    answered = lambda: InquiryTarget.objects.filter(status=TargetStatus.DONE).count()  # noqa: E731
    assert wait_for(lambda: answered() >= 10, 30), "".join(worker.lines[-40:])
    killed = worker.children()
    for pid in killed:
        os.kill(pid, signal.SIGKILL)  # both pool processes die mid-batch
    assert answered() < 60, "the run finished before the kill; make it longer"
    finished = lambda: not InquiryTarget.objects.exclude(status=TargetStatus.DONE).exists()  # noqa: E731
    assert wait_for(finished, 90), "".join(worker.lines[-60:])
    assert wait_for(
        lambda: AssetInquiry.objects.filter(pk__in=ids, status=InquiryStatus.DONE).count() == 60, 30
    )
    # nothing lost: every debtor's findings are exactly what the provider answers today
    today = timezone.localdate()
    expected = sum(
        len(generated_findings(id_number("19800101", f"{i + 100}"), "person", today))
        for i in range(60)
    )
    assert AssetFinding.objects.filter(inquiry__in=ids).count() == expected
    # nothing doubled: one row per (target, asset), per-target counts add up
    assert not (
        AssetFinding.objects.values("target", "reference")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    for target in InquiryTarget.objects.filter(inquiry__in=ids):
        assert target.findings.count() == target.findings_count
    assert InquiryTarget.objects.filter(inquiry__in=ids, attempts__gt=1).exists()  # re-claimed
    assert killed
