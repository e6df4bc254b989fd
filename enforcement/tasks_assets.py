"""Celery tasks of asset inquiry and control. Thin: take ids, call one service.

`enforcement.inquiry_run` is enqueued through the outbox by enforcement.services.inquiries
(one inquiry, or a chunk of the bulk fan-out). It works through the targets it can claim,
then, if some are still open (held by another worker's live claim, or waiting to retry
after a provider's transient error), asks to run again when the earliest may be claimed.
Killed mid-way, its message is redelivered (acks_late, reject_on_worker_lost) and the
claims' leases make the re-run take over exactly what was not stored.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from audit.context import audit_context
from jobs.services import job_run

RUN_MAX_RETRIES = 50


@shared_task(
    name="enforcement.inquiry_run",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=120,
    max_retries=RUN_MAX_RETRIES,
)
def inquiry_run_task(self, inquiry_ids: list[int]) -> int:
    from django.conf import settings

    from .inquiry.runner import run

    with audit_context(channel="task"):
        result = run(
            inquiry_ids=list(inquiry_ids), time_budget=settings.ENFORCEMENT_INQUIRY_TASK_SECONDS
        )
    if result.waiting:
        now = timezone.now()
        at = result.next_claim_at
        countdown = 0 if at is None or at <= now else (at - now).total_seconds() + 0.5
        raise self.retry(countdown=countdown, max_retries=RUN_MAX_RETRIES)
    return result.done


@shared_task(name="enforcement.inquiries_recover", acks_late=True)
def inquiries_recover_task() -> int:
    """Beat: re-enqueue inquiries whose task message was lost; close finished ones."""
    from .services.inquiries import inquiries_recover

    with audit_context(channel="task"), job_run("enforcement.inquiries_recover") as run:
        requeued = inquiries_recover()
        run.add(items=requeued)
        return requeued


@shared_task(name="enforcement.controls_expire", acks_late=True)
def controls_expire_task() -> int:
    """Beat (daily): controls past their expiry and not renewed lapse (到期失效)."""
    from .services.controls import controls_expire

    with audit_context(channel="task"), job_run("enforcement.controls_expire") as run:
        count = controls_expire()
        run.add(items=count)
        return count
