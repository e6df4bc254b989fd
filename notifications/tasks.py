"""Thin tasks: take ids, call one service."""

from celery import shared_task

from audit.context import audit_context
from jobs.services import job_run

from .channels import TransientDeliveryError
from .services import deliveries_release, delivery_send, digest_send


@shared_task(
    name="notifications.deliver",
    acks_late=True,
    autoretry_for=(TransientDeliveryError,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def deliver_task(delivery_ids: list[int]):
    """Send each delivery; idempotent (each is claimed), so redelivery and retries are safe.
    A transient failure of one delivery retries the task; those already sent are skipped."""
    transient = None
    with audit_context(channel="task"):
        for delivery_id in delivery_ids:
            try:
                delivery_send(delivery_id)
            except TransientDeliveryError as exc:
                transient = exc
    if transient is not None:
        raise transient


@shared_task(name="notifications.release_held", acks_late=True)
def release_held_task():
    with audit_context(channel="task"), job_run("notifications.release_held") as run:
        run.add(items=deliveries_release())


@shared_task(name="notifications.daily_digest", acks_late=True)
def daily_digest_task():
    with audit_context(channel="task"), job_run("notifications.daily_digest") as run:
        run.add(items=digest_send())
