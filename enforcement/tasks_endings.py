"""Celery tasks of the endings (enf-endings). Thin: call one service.

`enforcement.final_checks_start` (beat, daily): start this cycle's online check of every 终本
case that is due (every 6 months for 5 years); batched, claimed with SKIP LOCKED, one
FinalCheck per case and cycle — a rerun or a second worker starts nothing twice, and a
killed worker rolls its batch back. The inquiries run on the inquiry runner.
`enforcement.final_checks_collect` (beat, every 10 minutes): store each finished check's
result, tell the applicant, and resume the case (执恢) when new assets appear.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from audit.context import audit_context
from jobs.services import job_run


@shared_task(
    name="enforcement.final_checks_start",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=5,
)
def final_checks_start_task() -> int:
    from .services.final_checks import final_checks_start

    with audit_context(channel="task"), job_run("enforcement.final_checks_start") as run:
        started = final_checks_start()
        run.add(items=started)
        return started


@shared_task(
    name="enforcement.final_checks_collect",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=5,
)
def final_checks_collect_task() -> int:
    from .services.final_checks import final_checks_collect

    with audit_context(channel="task"), job_run("enforcement.final_checks_collect") as run:
        done = final_checks_collect()
        run.add(items=done)
        return done
