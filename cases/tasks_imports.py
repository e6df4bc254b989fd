"""Celery tasks of the bulk import: thin, take an id, call one service (cases.imports).

The services enqueue them through the outbox (jobs.services.outbox_enqueue), by name.
"""

from celery import shared_task

from audit.context import audit_context
from jobs.services import job_run

# A 100,000-row file validates in well under a minute and applies in a few minutes; the
# global 5-minute soft limit is too tight for 500,000 rows, so these tasks carry their own.
IMPORT_SOFT_TIME_LIMIT = 60 * 60
IMPORT_TIME_LIMIT = IMPORT_SOFT_TIME_LIMIT + 300


@shared_task(
    name="cases.import_batch_validate",
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
    time_limit=IMPORT_TIME_LIMIT,
)
def import_batch_validate_task(batch_id: int) -> None:
    from .imports import import_batch_validate

    with audit_context(channel="task"):
        import_batch_validate(batch_id=batch_id)


@shared_task(
    name="cases.import_batch_apply",
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
    time_limit=IMPORT_TIME_LIMIT,
)
def import_batch_apply_task(batch_id: int) -> None:
    from .imports import import_batch_apply

    with audit_context(channel="task"):
        import_batch_apply(batch_id=batch_id)


@shared_task(name="cases.import_batches_recover", acks_late=True)
def import_batches_recover_task() -> int:
    """Re-enqueue imports a lost message or a crashed worker left behind (beat)."""
    from .imports import import_batches_recover

    with audit_context(channel="task"), job_run("cases.import_batches_recover") as run:
        result = import_batches_recover()
        run.add(items=result.requeued + result.reclaimed, failures=result.given_up)
        return result.requeued + result.reclaimed
