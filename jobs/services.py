"""The transactional outbox and job-run bookkeeping.

`outbox_enqueue` is how services enqueue work: the row is written inside the caller's
transaction, and a commit hook tries to publish it at once (the fast path). If the broker
is unreachable the row simply waits for `outbox_relay`, run by beat.

A request must never wait on a broker outage: the broker's connection options are short
(settings: CELERY_BROKER_CONNECTION_TIMEOUT, CELERY_BROKER_TRANSPORT_OPTIONS), publishing
never retries, and after one failed fast-path publish a process stops trying the fast path
for FAST_PATH_PAUSE_SECONDS, leaving every row of that while to the relay.
"""

import datetime
import logging
import time
import traceback
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from .models import JobRun, OutboxMessage

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 60
RELAY_BATCH = 500
FAST_PATH_PAUSE_SECONDS = 30

# Celery app → time.monotonic() until which the fast path is skipped (per app, so a test's
# unreachable-broker app does not pause the real one).
_fast_path_paused_until: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def outbox_enqueue(task_name: str, *, args=(), kwargs=None) -> OutboxMessage:
    """Write a task for the broker inside the current transaction; publish after commit."""
    message = OutboxMessage.objects.create(
        task_name=task_name, args=list(args), kwargs=dict(kwargs or {})
    )
    transaction.on_commit(partial(_relay_after_commit, message.pk))
    return message


def _relay_after_commit(pk: int) -> None:
    from config.celery_app import app

    if _fast_path_paused_until.get(app, 0.0) > time.monotonic():
        return  # the broker failed moments ago: the relay job publishes this row
    try:
        result = outbox_relay(ids=[pk], app=app)
    except Exception:  # the relay job will retry; a commit must never fail on the broker
        logger.exception("Outbox fast path failed for message %s", pk)
        result = RelayResult(failed=1)
    if result.failed:
        _fast_path_paused_until[app] = time.monotonic() + FAST_PATH_PAUSE_SECONDS


def _claim(ids: list[int] | None, limit: int) -> list[OutboxMessage]:
    """Claim unpublished rows for CLAIM_SECONDS. Postgres: SKIP LOCKED so two relays take
    different rows; SQLite (one writer at a time): a conditional update per row."""
    now = timezone.now()
    free = OutboxMessage.objects.filter(published_at__isnull=True).exclude(locked_until__gt=now)
    if ids is not None:
        free = free.filter(pk__in=ids)
    until = now + datetime.timedelta(seconds=CLAIM_SECONDS)
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            rows = list(free.order_by("pk").select_for_update(skip_locked=True)[:limit])
            OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).update(locked_until=until)
            return rows
        candidates = list(free.order_by("pk")[:limit])
        claimed = []
        for row in candidates:
            won = (
                OutboxMessage.objects.filter(pk=row.pk, published_at__isnull=True)
                .exclude(locked_until__gt=now)
                .update(locked_until=until)
            )
            if won:
                claimed.append(row)
        return claimed


def _publish(app, message: OutboxMessage) -> None:
    # retry=False: with the broker down, fail fast and leave the row for the next relay.
    app.send_task(message.task_name, args=message.args, kwargs=message.kwargs, retry=False)


@dataclass
class RelayResult:
    published: int = 0
    failed: int = 0


def outbox_relay(
    *, ids: list[int] | None = None, limit: int = RELAY_BATCH, app=None
) -> RelayResult:
    """Publish unpublished outbox rows to the broker. Never inside a transaction: the
    network call happens between the claim and the mark, each in its own short one."""
    if app is None:
        from config.celery_app import app
    result = RelayResult()
    rows = _claim(ids, limit)
    for message in rows:
        try:
            _publish(app, message)
        except Exception as exc:
            result.failed += 1
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1,
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
                locked_until=None,
            )
            logger.warning("Outbox publish failed for %s: %s", message, exc)
            # The broker is down: the rest of the batch would fail the same way.
            break
        else:
            result.published += 1
            OutboxMessage.objects.filter(pk=message.pk).update(
                published_at=timezone.now(), attempts=message.attempts + 1, last_error=""
            )
    return result


def outbox_prune(*, older_than_days: int = 7) -> int:
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = OutboxMessage.objects.filter(
        published_at__isnull=False, published_at__lt=cutoff
    ).delete()
    return deleted


class RunCounter:
    def __init__(self):
        self.items = 0
        self.failures = 0

    def add(self, items: int = 0, failures: int = 0) -> None:
        self.items += items
        self.failures += failures


@contextmanager
def job_run(name: str):
    """Record one run of periodic job `name` (JobRun row); yields a counter to fill."""
    run = JobRun.objects.create(name=name, status=JobRun.Status.RUNNING)
    counter = RunCounter()
    started = time.monotonic()
    try:
        yield counter
    except BaseException as exc:
        JobRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(),
            duration_ms=int((time.monotonic() - started) * 1000),
            items=counter.items,
            failures=counter.failures + 1,
            status=JobRun.Status.FAILED,
            error="".join(traceback.format_exception(exc))[-4000:],
        )
        raise
    JobRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        duration_ms=int((time.monotonic() - started) * 1000),
        items=counter.items,
        failures=counter.failures,
        status=JobRun.Status.PARTIAL if counter.failures else JobRun.Status.OK,
    )


def jobrun_prune(*, older_than_days: int = 30) -> int:
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = JobRun.objects.filter(started_at__lt=cutoff).delete()
    return deleted
