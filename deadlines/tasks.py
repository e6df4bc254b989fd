"""Thin tasks for deadlines."""

from celery import shared_task

from audit.context import audit_context
from jobs.services import job_run

from .sweep import deadlines_sweep


@shared_task(name="deadlines.sweep", acks_late=True)
def sweep_task():
    """Send due reminders and mark missed deadlines (beat, every minute)."""
    with audit_context(channel="task"), job_run("deadlines.sweep") as run:
        result = deadlines_sweep()
        run.add(items=result.reminders)
        return result.reminders
