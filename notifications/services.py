"""Writing notifications and delivering them.

`notify` is the one entry point other apps call. It writes the Notification (which is the
in-app message, so the bell shows it as soon as the transaction commits) and one Delivery
per other channel the recipient wants; deliveries ready now go to the broker through the
outbox, on commit. Quiet hours hold email and SMS until morning; a daily-digest user gets
one email at 08:00 instead of one each.

Delivery is claimed with a conditional update (pending → sending), so a task delivered
twice, or run by two workers, sends once.
"""

import datetime
import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_change, snapshot
from jobs.bulk import bulk_insert
from jobs.services import outbox_enqueue

from .channels import PermanentDeliveryError, TransientDeliveryError, channel_for
from .models import Delivery, Notification, NotificationPreference

logger = logging.getLogger(__name__)

DELIVER_TASK = "notifications.deliver"
STALE_SENDING = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 6


@dataclass
class NotificationSpec:
    recipient: object
    kind: str
    title: str
    body: str = ""
    link: str = ""
    subject: object | None = None
    dedupe_key: str = ""


def preference_for(user) -> NotificationPreference:
    """The user's preferences, or the defaults (unsaved) if they never changed them."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def in_quiet_hours(pref: NotificationPreference, moment: datetime.datetime) -> bool:
    if not pref.quiet_hours:
        return False
    local = timezone.localtime(moment).time()
    start, end = pref.quiet_start, pref.quiet_end
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def quiet_hours_end(pref: NotificationPreference, moment: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(moment)
    candidate = local.replace(
        hour=pref.quiet_end.hour, minute=pref.quiet_end.minute, second=0, microsecond=0
    )
    if candidate <= local:
        candidate += datetime.timedelta(days=1)
    return candidate


def _plan_channels(kind: str, user, pref, now) -> list[tuple[str, str, datetime.datetime | None]]:
    """(channel, status, not_before) of each Delivery one notification of `kind` to `user`
    needs, given their preferences; the in-app one is always there, already sent."""
    rows = [(Delivery.Channel.IN_APP, Delivery.Status.SENT, None)]
    if kind in (pref.muted_kinds or []):
        return rows
    wanted = []
    if pref.email_enabled and user.email:
        wanted.append(Delivery.Channel.EMAIL)
    if pref.sms_enabled and user.phone:
        wanted.append(Delivery.Channel.SMS)
    for channel in wanted:
        if pref.digest and channel == Delivery.Channel.EMAIL:
            rows.append((channel, Delivery.Status.DIGEST, None))
        elif in_quiet_hours(pref, now):
            rows.append((channel, Delivery.Status.HELD, quiet_hours_end(pref, now)))
        else:
            rows.append((channel, Delivery.Status.PENDING, None))
    return rows


NOTIFICATION_FIELDS = (
    "recipient", "kind", "title", "body", "link", "content_type", "object_id", "dedupe_key",
    "created_at",
)  # fmt: skip
DELIVERY_FIELDS = ("notification", "channel", "status", "sent_at", "attempts", "not_before")


def notify_many(specs: list[NotificationSpec]) -> list[Notification]:
    """Bulk `notify` for sweeps: a constant number of queries however many specs (the
    recipients' preferences, the notifications, the deliveries, one outbox row).
    Call inside a transaction.

    Per spec it only builds row tuples: content types, and the delivery plan per
    (recipient, kind), are worked out once per call, and rows go in through
    `jobs.bulk.bulk_insert` rather than model instances and `bulk_create`."""
    if not specs:
        return []
    now = timezone.now()
    users = {spec.recipient.pk: spec.recipient for spec in specs}
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=users)}
    content_types: dict[type, int] = {}
    rows = []
    for spec in specs:
        subject = spec.subject
        content_type_id = object_id = None
        if subject is not None:
            model = type(subject)
            if model not in content_types:
                content_types[model] = ContentType.objects.get_for_model(subject).pk
            content_type_id, object_id = content_types[model], subject.pk
        rows.append((
            spec.recipient.pk, spec.kind, spec.title[:200], spec.body, spec.link,
            content_type_id, object_id, spec.dedupe_key, now,
        ))  # fmt: skip
    ids = bulk_insert(Notification, NOTIFICATION_FIELDS, rows, returning_ids=True)
    plans: dict[tuple[int, str], list] = {}
    deliveries = []
    for notification_id, row in zip(ids, rows, strict=True):
        recipient_id, kind = row[0], row[1]
        plan = plans.get((recipient_id, kind))
        if plan is None:
            user = users[recipient_id]
            pref = prefs.get(recipient_id) or NotificationPreference(user=user)
            plan = plans[(recipient_id, kind)] = _plan_channels(kind, user, pref, now)
        for channel, status, not_before in plan:
            sent = status == Delivery.Status.SENT
            deliveries.append((
                notification_id, channel, status, now if sent else None, 1 if sent else 0,
                not_before,
            ))  # fmt: skip
    delivery_ids = bulk_insert(Delivery, DELIVERY_FIELDS, deliveries, returning_ids=True)
    pending = [
        pk
        for pk, row in zip(delivery_ids, deliveries, strict=True)
        if row[2] == Delivery.Status.PENDING
    ]
    if pending:
        outbox_enqueue(DELIVER_TASK, args=[pending])
    notifications = []
    for pk, spec, row in zip(ids, specs, rows, strict=True):
        notification = Notification(
            pk=pk, recipient=spec.recipient, kind=row[1], title=row[2], body=row[3],
            link=row[4], content_type_id=row[5], object_id=row[6], dedupe_key=row[7],
            created_at=now,
        )  # fmt: skip
        notification._state.adding = False
        notification._state.db = connection.alias
        notifications.append(notification)
    return notifications


@transaction.atomic
def notify(
    *,
    recipient,
    kind: str,
    title: str,
    body: str,
    link: str = "",
    subject=None,
    dedupe_key: str = "",
) -> Notification:
    """Notify one user. The bell shows it on commit; email/SMS follow per their preferences.
    With `dedupe_key`, a second call for the same recipient and key returns the first
    notification instead of sending again."""
    if dedupe_key:
        existing = Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).first()
        if existing:
            return existing
    spec = NotificationSpec(recipient, kind, title, body, link, subject, dedupe_key)
    return notify_many([spec])[0]


def notification_mark_read(*, notification: Notification, user) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionError("not your notification")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_update(*, user, actor, **fields) -> NotificationPreference:
    pref, _created = NotificationPreference.objects.get_or_create(user=user)
    before = snapshot(pref)
    for key, value in fields.items():
        setattr(pref, key, value)
    pref.full_clean()
    pref.save()
    audit_change(pref, actor=actor, before=before)
    return pref


# --- delivering ----------------------------------------------------------------------


def delivery_send(delivery_id: int) -> str:
    """Send one delivery if nobody else is. Returns its final status.

    Never inside a transaction: the claim commits before the network call, the result
    after it. Transient failures release the claim and re-raise for the task to retry.
    """
    now = timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENDING, claimed_at=now
    )
    if not claimed:
        return (
            Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
            or "missing"
        )
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    try:
        ref = channel_for(delivery.channel).send(delivery)
    except TransientDeliveryError as exc:
        final = delivery.attempts + 1 >= MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.FAILED if final else Delivery.Status.PENDING,
            attempts=delivery.attempts + 1,
            claimed_at=None,
            error=str(exc)[:2000],
        )
        if final:
            return Delivery.Status.FAILED
        raise
    except PermanentDeliveryError as exc:
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.FAILED, attempts=delivery.attempts + 1, error=str(exc)[:2000]
        )
        return Delivery.Status.FAILED
    Delivery.objects.filter(pk=delivery_id).update(
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        attempts=delivery.attempts + 1,
        provider_ref=ref[:120],
        error="",
    )
    return Delivery.Status.SENT


@transaction.atomic
def deliveries_release(*, now=None) -> int:
    """Put back to work: deliveries held for quiet hours whose morning has come, and
    'sending' claims a crashed worker left behind (the provider's Idempotency-Key guards
    the rare case where the send did happen)."""
    now = now or timezone.now()
    held = list(
        Delivery.objects.filter(status=Delivery.Status.HELD, not_before__lte=now).values_list(
            "pk", flat=True
        )[:1000]
    )
    stale = list(
        Delivery.objects.filter(
            status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_SENDING
        ).values_list("pk", flat=True)[:1000]
    )
    released = Delivery.objects.filter(
        Q(pk__in=held, status=Delivery.Status.HELD)
        | Q(pk__in=stale, status=Delivery.Status.SENDING)
    ).update(status=Delivery.Status.PENDING, claimed_at=None)
    ids = held + stale
    if ids:
        outbox_enqueue(DELIVER_TASK, args=[ids])
    return released


def digest_send(*, now=None) -> int:
    """One email per user with everything held for the digest; returns emails sent."""
    from django.core.mail import send_mail

    now = now or timezone.now()
    user_ids = (
        Delivery.objects.filter(status=Delivery.Status.DIGEST)
        .values_list("notification__recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in list(user_ids):
        with transaction.atomic():
            rows = list(
                Delivery.objects.select_for_update()
                .filter(status=Delivery.Status.DIGEST, notification__recipient_id=user_id)
                .select_related("notification__recipient")
            )
            if not rows:
                continue
            ids = [d.pk for d in rows]
            Delivery.objects.filter(pk__in=ids).update(
                status=Delivery.Status.SENDING, claimed_at=now
            )
        user = rows[0].notification.recipient
        lines = [f"· {d.notification.title}" for d in rows]
        send_mail(
            f"【枫桥】每日汇总：{len(rows)} 条通知",
            "\n".join(lines),
            None,
            [user.email],
        )
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), attempts=1, provider_ref="digest"
        )
        sent += 1
    return sent
