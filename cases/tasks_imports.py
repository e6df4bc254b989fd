"""Celery tasks of the bulk import: thin, take an id, call one service (cases.imports)."""

from celery import shared_task

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

    import_batch_validate(batch_id=batch_id)


@shared_task(
    name="cases.import_batch_apply",
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
    time_limit=IMPORT_TIME_LIMIT,
)
def import_batch_apply_task(batch_id: int) -> None:
    from .imports import import_batch_apply

    import_batch_apply(batch_id=batch_id)
