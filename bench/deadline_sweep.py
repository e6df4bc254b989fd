"""Benchmark: one sweep over 1,000,000 pending deadlines with 10,000 due, against a naive
one-ETA-task-per-deadline approach. Not part of `make test`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fq_bench \\
    REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python bench/deadline_sweep.py [--total N --due M]

The database named in DATABASE_URL is created if missing, migrated, and its deadline,
notification and outbox tables are emptied. Results are printed and belong in
bench/README.md.
"""

import argparse
import csv
import datetime
import io
import os
import random
import resource
import sys
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


class DbTimer:
    """Sums the time spent inside database calls (connection.execute_wrapper)."""

    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


@contextmanager
def measured(label: str, results: dict, *, memory: bool = False):
    """Wall and DB time; with `memory`, tracemalloc's peak instead (it slows Python several
    times, so time and memory come from separate runs)."""
    from django.db import connection

    timer = DbTimer()
    if memory:
        tracemalloc.start()
    start = time.perf_counter()
    with connection.execute_wrapper(timer):
        yield
    wall = time.perf_counter() - start
    if memory:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results[label] = {"peak_mib": peak / 2**20}
    else:
        results[label] = {"wall_s": wall, "db_s": timer.seconds, "queries": timer.queries}


def reset_sweep(now) -> None:
    """Undo one sweep so it can be measured again on the same data."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE deadlines_reminder, notifications_delivery, notifications_notification, "
            "jobs_outboxmessage RESTART IDENTITY CASCADE"
        )
        cur.execute(
            "UPDATE deadlines_deadline SET next_action_at = %s WHERE due_at = %s",
            [now - datetime.timedelta(minutes=1), now + datetime.timedelta(days=1, hours=1)],
        )


def build(total: int, due: int, now: datetime.datetime) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from deadlines.models import Deadline
    from organisations.models import Organisation, Region
    from organisations.roles import Role
    from tests.factories import member

    with connection.cursor() as cur:
        # The audit table refuses TRUNCATE (audit migration 0005); the bench database's
        # superuser may switch triggers off for this one statement.
        cur.execute("SET session_replication_role = replica")
        cur.execute(
            "TRUNCATE deadlines_reminder, deadlines_deadlinepause, deadlines_deadlineextension, "
            "deadlines_deadline, notifications_delivery, notifications_notification, "
            "jobs_outboxmessage, jobs_jobrun, audit_auditentry RESTART IDENTITY CASCADE"
        )
        cur.execute("RESET session_replication_role")
    region = Region.objects.filter(code="990000").first() or Region.objects.add_root(
        {"code": "990000", "name": "基准市", "level": 1}
    )
    court = Organisation.objects.filter(name="基准法院").first() or Organisation.objects.add_root(
        {"name": "基准法院", "kind": "court", "region": region}
    )
    owners = []
    for i in range(100):
        from organisations.models import User

        user = User.objects.filter(username=f"bench{i}").first() or member(
            court, Role.CLERK, username=f"bench{i}"
        )
        if not user.email:
            user.email = f"bench{i}@example.cn"
            user.save()
        owners.append(user.pk)
    ct = ContentType.objects.get_for_model(Organisation).pk
    rng = random.Random(42)
    fields = [
        "content_type_id", "object_id", "kind", "label", "organisation_id", "owner_id", "start_at",
        "unit", "amount", "rule_source", "lead_times", "due_at", "state", "next_action_at",
        "explanation", "created_at", "close_reason",
    ]  # fmt: skip
    due_ids = set(rng.sample(range(total), due))
    chunk = 200_000
    for offset in range(0, total, chunk):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for i in range(offset, min(offset + chunk, total)):
            if i in due_ids:
                # lead reminder (1 day) is due now
                due_at = now + datetime.timedelta(days=1, hours=1)
                next_action = now - datetime.timedelta(minutes=1)
            else:
                due_at = now + datetime.timedelta(days=rng.randint(3, 700))
                next_action = due_at - datetime.timedelta(days=1, hours=16)
            start = due_at - datetime.timedelta(days=30)
            writer.writerow([
                ct, court.pk, "credit.removal", "删除失信信息", court.pk, owners[i % 100],
                start.isoformat(), "calendar_days", 30, "statutory", "[1]", due_at.isoformat(),
                "pending", next_action.isoformat(), '{"subject": "基准案件"}', now.isoformat(), "",
            ])  # fmt: skip
        buffer.seek(0)
        with connection.cursor() as cur:
            cur.cursor.copy_expert(
                f"COPY deadlines_deadline ({', '.join(fields)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (close_reason))",
                buffer,
            )
    with connection.cursor() as cur:
        cur.execute("ANALYZE deadlines_deadline")
    assert Deadline.objects.count() == total


def naive_eta(sample: int, total: int, now: datetime.datetime) -> dict:
    """Publish `sample` ETA tasks (one per deadline) to the real broker and extrapolate."""
    import redis
    from kombu import Queue

    from config.celery_app import app

    url = os.environ.get("REDIS_URL")
    if not url:
        return {"skipped": "REDIS_URL not set"}
    client = redis.Redis.from_url(url)
    queue = "bench_eta"
    client.delete(queue)
    before = client.info("memory")["used_memory"]
    start = time.perf_counter()
    with app.producer_or_acquire() as producer:
        for i in range(sample):
            app.send_task(
                "deadlines.remind_one", args=[i], eta=now + datetime.timedelta(days=1 + i % 700),
                queue=Queue(queue), producer=producer,
            )  # fmt: skip
    seconds = time.perf_counter() - start
    after = client.info("memory")["used_memory"]
    length = client.llen(queue)
    client.delete(queue)
    per_msg = (after - before) / sample
    return {
        "sample": sample,
        "queued": length,
        "publish_s": seconds,
        "publish_per_msg_ms": seconds / sample * 1000,
        "redis_bytes_per_msg": per_msg,
        "extrapolated_publish_s": seconds / sample * total,
        "extrapolated_redis_mib": per_msg * total / 2**20,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--eta-sample", type=int, default=20_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it will be emptied).")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from deadlines.models import Deadline, Reminder
    from deadlines.sweep import deadlines_sweep
    from jobs.models import OutboxMessage
    from notifications.models import Delivery, Notification

    call_command("migrate", verbosity=0)
    now = timezone.now().replace(microsecond=0)
    results: dict = {}
    t = time.perf_counter()
    build(args.total, args.due, now)
    print(f"built {args.total:,} deadlines ({args.due:,} due) in {time.perf_counter() - t:.1f}s")

    with connection.cursor() as cur:
        cur.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM deadlines_deadline WHERE state = 'pending' "
            "AND next_action_at IS NOT NULL AND next_action_at <= %s ORDER BY next_action_at, id "
            "LIMIT 500 FOR UPDATE SKIP LOCKED",
            [now - datetime.timedelta(hours=1)],
        )
        idle_plan = "\n".join(row[0] for row in cur.fetchall())
    with measured("idle_sweep", results):
        idle = deadlines_sweep(now=now - datetime.timedelta(hours=1))
    assert idle.deadlines == 0
    with measured("sweep", results):
        result = deadlines_sweep(now=now)
    with measured("second_sweep", results):
        again = deadlines_sweep(now=now)
    assert result.reminders == args.due, result
    assert again.reminders == 0
    assert Reminder.objects.count() == args.due
    assert Notification.objects.count() == args.due
    assert Notification.objects.values("object_id", "dedupe_key").distinct().count() == args.due
    assert Delivery.objects.filter(channel="email", status="pending").count() == args.due
    outbox = OutboxMessage.objects.count()
    assert Deadline.objects.filter(next_action_at__lte=now, state="pending").count() == 0
    reset_sweep(now)
    memory: dict = {}
    with measured("sweep", memory, memory=True):
        assert deadlines_sweep(now=now).reminders == args.due
    results["sweep"]["peak_mib"] = memory["sweep"]["peak_mib"]
    naive = naive_eta(args.eta_sample, args.total, now)

    print("\nidle sweep claim query plan:\n" + idle_plan)
    print("\n| measurement | wall | DB time | queries | peak Python memory |")
    print("|---|---|---|---|---|")
    for label, r in results.items():
        peak = f"{r['peak_mib']:.1f} MiB" if "peak_mib" in r else "—"
        print(
            f"| {label} | {r['wall_s'] * 1000:.1f} ms | {r['db_s'] * 1000:.1f} ms | {r['queries']} | {peak} |"
        )
    print(f"\nsweep: {result.reminders:,} reminders, {result.notifications:,} notifications, "
          f"{result.batches} batches, {outbox} outbox messages; second sweep sent {again.reminders}")  # fmt: skip
    print(f"naive ETA tasks: {naive}")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
