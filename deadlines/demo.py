"""Demo deadlines: one whose reminder falls due a minute after `make run` starts, so the
bell lights up, and a few realistic clocks on the demo court. Idempotent."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification

from .models import Deadline, Reminder
from .services import deadline_start

DEMO_KIND = "demo.reminder"


@transaction.atomic
def load(context: dict) -> None:
    from .registry import register_kind

    register_kind(
        DEMO_KIND, label="演示：执行通知书送达期限", unit="calendar_days", amount=3,
        basis="演示用：启动后约一分钟发出“今日届满”提醒。", lead_times=(1,),
    )  # fmt: skip
    users = context["users"]
    organisations = context["organisations"]
    court = organisations["hbw_court"]
    clerk = users["clerk"]
    now = timezone.now()

    # The live demo: re-armed on every load so each `make run` shows a fresh reminder.
    demo = Deadline.objects.filter(kind=DEMO_KIND, organisation=court).first()
    if demo is None:
        demo = deadline_start(
            subject=court, kind=DEMO_KIND, owner=clerk, organisation=court, actor=None,
            start=now - datetime.timedelta(days=3), amount=3, unit="calendar_days",
        )  # fmt: skip
    # Demo data only: clear the last run's reminder and its notification so it fires again.
    Reminder.objects.filter(deadline=demo).delete()
    Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(Deadline), object_id=demo.pk
    ).delete()
    Deadline.objects.filter(pk=demo.pk).update(
        state=Deadline.State.PENDING, next_action_at=now + datetime.timedelta(minutes=1)
    )

    if not Deadline.objects.filter(organisation=court).exclude(kind=DEMO_KIND).exists():
        deadline_start(subject=court, kind="enforcement.time_limit", owner=users["officer"],
                       organisation=court, actor=None, start=now - datetime.timedelta(days=150))  # fmt: skip
        deadline_start(subject=court, kind="credit.removal", owner=clerk, organisation=court,
                       actor=None, start=now - datetime.timedelta(days=1))  # fmt: skip
        deadline_start(subject=court, kind="enforcement.freeze_bank", owner=users["officer"],
                       organisation=court, actor=None, start=now - datetime.timedelta(days=340))  # fmt: skip
