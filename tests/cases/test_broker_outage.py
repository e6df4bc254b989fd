"""A broker outage must not block a request: the outbox keeps the work for the relay."""

import sys

import pytest
from celery import Celery
from django.conf import settings

from cases.models.choices import Difficulty
from cases.services import dispute_triage
from jobs import services as jobs_services
from jobs.models import OutboxMessage
from notifications.models import NotificationPreference
from organisations.models import Organisation
from organisations.roles import Role
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


def project_app_with_broker_down():
    """The project's Celery configuration (timeouts, transport options), with the broker
    at a closed port: what a down Redis looks like to the web process."""
    app = Celery("fengqiao-down", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    app.conf.broker_transport_options = getattr(
        settings, "REDIS_BROKER_TRANSPORT_OPTIONS", settings.CELERY_BROKER_TRANSPORT_OPTIONS
    )
    return app


def test_dispatch_to_five_units_with_the_broker_down_tries_it_once(
    loop, register, api_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(sys.modules["config.celery_app"], "app", project_app_with_broker_down())
    units = [loop.police, loop.heating]
    recipients = [loop.responder, loop.heating_user]
    for number in range(3):
        unit = OrganisationFactory(
            name=f"职能部门{number}", kind=Organisation.Kind.DEPARTMENT, region=loop.street
        )
        recipients += [
            member(unit, Role.RESPONDER, username=f"unit{number}_a"),
            member(unit, Role.RESPONDER, username=f"unit{number}_b"),
        ]
        units.append(unit)
    # Email now (no quiet hours): each notification has a delivery to publish.
    for user in recipients:
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
        NotificationPreference.objects.update_or_create(
            user=user, defaults={"email_enabled": True, "quiet_hours": False}
        )
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)

    attempts = []
    real_publish = jobs_services._publish

    def counted_publish(app, message):
        attempts.append(message.task_name)
        return real_publish(app, message)

    monkeypatch.setattr(jobs_services, "_publish", counted_publish)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(loop.clerk).post(
            f"/api/cases/disputes/{dispute.pk}/dispatch/",
            {"targets": [{"responder": unit.pk} for unit in units]},
            format="json",
        )

    assert response.status_code == 201, response.content
    assert len(response.json()) == 5
    # Not a stopwatch (this machine's speed swings): what makes it slow is a publish, and
    # its connection timeout, per message. One refusal, and the rest wait in the outbox.
    assert len(attempts) <= 1, attempts
    pending = OutboxMessage.objects.filter(published_at__isnull=True)
    assert pending.count() > 1, "the notifications' deliveries wait in the outbox for the relay"
    assert not OutboxMessage.objects.filter(published_at__isnull=False).exists()
