"""Thin periodic tasks of the job system itself."""

from celery import shared_task

from audit.context import audit_context

from .services import job_run, jobrun_prune, outbox_prune, outbox_relay


@shared_task(name="jobs.outbox_relay", acks_late=True)
def outbox_relay_task():
    with audit_context(channel="task"), job_run("jobs.outbox_relay") as run:
        total = 0
        while True:
            result = outbox_relay()
            total += result.published
            run.add(items=result.published, failures=result.failed)
            if result.failed or result.published == 0:
                break
        return total


@shared_task(name="jobs.prune", acks_late=True)
def prune_task():
    with audit_context(channel="task"), job_run("jobs.prune") as run:
        run.add(items=outbox_prune() + jobrun_prune())
