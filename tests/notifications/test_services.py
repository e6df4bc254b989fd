"""notify(), preferences, quiet hours, digest, and sending each delivery once."""

import pytest
import time_machine
from django.core import mail

from jobs.models import OutboxMessage
from notifications.channels import TransientDeliveryError
from notifications.models import Delivery, Notification, NotificationPreference
from notifications.services import (
    deliveries_release,
    delivery_send,
    digest_send,
    notify,
    preference_update,
)
from notifications.tasks import deliver_task
from tests.deadlines.factories import local

from .fake_sms import FakeSmsServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(world):
    world.owner.email = "owner@example.cn"
    world.owner.phone = "13800138000"
    world.owner.save()
    return world.owner


def channels(notification):
    return dict(notification.deliveries.values_list("channel", "status"))


def test_notify_writes_in_app_and_enqueues_email_on_commit(
    owner, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(
            recipient=owner, kind="test", title="标题", body="内容", link="/x/", subject=owner
        )
    assert channels(n) == {"in_app": "sent", "email": "pending"}
    assert published == [("notifications.deliver", [[n.deliveries.get(channel="email").pk]], {})]
    assert n.subject == owner


def test_dedupe_key_notifies_once(owner, published):
    first = notify(recipient=owner, kind="t", title="a", body="", dedupe_key="k1")
    second = notify(recipient=owner, kind="t", title="a", body="", dedupe_key="k1")
    assert first.pk == second.pk and Notification.objects.count() == 1


def test_sms_and_muted_kinds(owner, published):
    preference_update(user=owner, actor=owner, sms_enabled=True, muted_kinds=["noisy"])
    n = notify(recipient=owner, kind="deadline.due", title="a", body="")
    assert channels(n) == {"in_app": "sent", "email": "pending", "sms": "pending"}
    muted = notify(recipient=owner, kind="noisy", title="b", body="")
    assert channels(muted) == {"in_app": "sent"}


def test_quiet_hours_hold_until_morning_then_release(owner, published):
    with time_machine.travel(local(2025, 3, 5, 23, 0), tick=False):
        n = notify(recipient=owner, kind="t", title="夜间", body="")
    email = n.deliveries.get(channel="email")
    assert email.status == "held" and email.not_before == local(2025, 3, 6, 8, 0)
    assert not OutboxMessage.objects.exists()
    assert deliveries_release(now=local(2025, 3, 6, 7, 59)) == 0
    assert deliveries_release(now=local(2025, 3, 6, 8, 1)) == 1
    email.refresh_from_db()
    assert email.status == "pending"
    assert OutboxMessage.objects.get().args == [[email.pk]]


def test_quiet_hours_can_be_turned_off(owner, published):
    preference_update(user=owner, actor=owner, quiet_hours=False)
    with time_machine.travel(local(2025, 3, 5, 23, 0), tick=False):
        n = notify(recipient=owner, kind="t", title="夜间", body="")
    assert channels(n)["email"] == "pending"


def test_daily_digest_sends_one_email(owner, published):
    preference_update(user=owner, actor=owner, digest=True)
    for i in range(3):
        notify(recipient=owner, kind="t", title=f"第{i}条", body="")
    assert Delivery.objects.filter(status="digest").count() == 3
    assert digest_send() == 1
    assert len(mail.outbox) == 1 and "3 条通知" in mail.outbox[0].subject
    assert Delivery.objects.filter(channel="email", status="sent").count() == 3
    assert digest_send() == 0


def test_delivery_is_sent_once_even_if_the_task_runs_twice(owner, published):
    n = notify(recipient=owner, kind="t", title="一次", body="正文", link="/deadlines/1/")
    email = n.deliveries.get(channel="email")
    deliver_task([email.pk])
    deliver_task([email.pk])  # redelivered message, second worker, retried task
    assert len(mail.outbox) == 1
    assert "/deadlines/1/" in mail.outbox[0].body
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)


def test_transient_failure_releases_the_claim_and_retries(owner, published, monkeypatch):
    n = notify(recipient=owner, kind="t", title="a", body="")
    email = n.deliveries.get(channel="email")

    def boom(self, delivery):
        raise TransientDeliveryError("SMTP 421")

    monkeypatch.setattr("notifications.channels.email.EmailChannel.send", boom)
    with pytest.raises(TransientDeliveryError):
        delivery_send(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts, email.error) == ("pending", 1, "SMTP 421")
    monkeypatch.undo()
    assert delivery_send(email.pk) == "sent"


def test_stale_sending_claim_is_released(owner, published):
    n = notify(recipient=owner, kind="t", title="a", body="")
    email = n.deliveries.get(channel="email")
    Delivery.objects.filter(pk=email.pk).update(
        status="sending", claimed_at=local(2025, 3, 5, 9, 0)
    )
    assert deliveries_release(now=local(2025, 3, 5, 9, 5)) == 0
    assert deliveries_release(now=local(2025, 3, 5, 9, 11)) == 1


def test_http_sms_provider_against_a_fake_server(owner, published, settings):
    preference_update(user=owner, actor=owner, sms_enabled=True, email_enabled=False)
    settings.FENGQIAO_SMS_BACKEND = "notifications.channels.sms.HttpSmsBackend"
    settings.FENGQIAO_SMS_TOKEN = "t0ken"
    with FakeSmsServer() as server:
        settings.FENGQIAO_SMS_URL = server.url
        n = notify(recipient=owner, kind="t", title="执行期限提醒", body="")
        sms = n.deliveries.get(channel="sms")
        assert delivery_send(sms.pk) == "sent"
        assert delivery_send(sms.pk) == "sent"
    assert len(server.requests) == 1
    request = server.requests[0]
    assert request["json"]["phone"] == "13800138000" and "执行期限提醒" in request["json"]["text"]
    assert request["headers"]["Authorization"] == "Bearer t0ken"
    assert request["headers"]["Idempotency-Key"] == f"fengqiao-delivery-{sms.pk}"
    sms.refresh_from_db()
    assert sms.provider_ref == "sms-1"


@pytest.mark.parametrize(("status", "outcome"), [(503, "transient"), (400, "failed")])
def test_http_sms_errors(owner, published, settings, status, outcome):
    preference_update(user=owner, actor=owner, sms_enabled=True, email_enabled=False)
    settings.FENGQIAO_SMS_BACKEND = "notifications.channels.sms.HttpSmsBackend"
    with FakeSmsServer(status=status, body={"code": "ERR"}) as server:
        settings.FENGQIAO_SMS_URL = server.url
        sms = notify(recipient=owner, kind="t", title="a", body="").deliveries.get(channel="sms")
        if outcome == "transient":
            with pytest.raises(TransientDeliveryError):
                delivery_send(sms.pk)
            sms.refresh_from_db()
            assert sms.status == "pending"
        else:
            assert delivery_send(sms.pk) == "failed"


def test_logging_sms_backend_is_the_default(owner, published, caplog):
    preference_update(user=owner, actor=owner, sms_enabled=True, email_enabled=False)
    sms = notify(recipient=owner, kind="t", title="日志短信", body="").deliveries.get(channel="sms")
    with caplog.at_level("INFO", logger="fengqiao.sms"):
        assert delivery_send(sms.pk) == "sent"
    assert "138****8000" in caplog.text and "日志短信" in caplog.text


def test_preferences_are_audited(owner):
    from audit.models import AuditEntry

    pref = preference_update(user=owner, actor=owner, digest=True)
    assert NotificationPreference.objects.get(user=owner).digest
    assert AuditEntry.objects.filter(object_id=str(pref.pk), action="change").exists()
