"""Thin tasks for credit."""

from celery import shared_task

from audit.context import audit_context
from jobs.services import job_run

from .services.imposing import listings_publish_due
from .services.removal import sanctions_expire


@shared_task(name="credit.daily", acks_late=True)
def credit_daily_task():
    """Remove the sanctions whose term ended and publish the listings whose grace period
    ended (beat: a few minutes past midnight, and again hourly in case a run was missed;
    each run is idempotent)."""
    with audit_context(channel="task"), job_run("credit.daily") as run:
        removed = sanctions_expire()
        published = listings_publish_due()
        run.add(items=removed + published)
        return {"removed": removed, "published": published}
