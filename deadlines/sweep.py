"""The reminder sweep: one periodic job instead of one ETA task per deadline.

Every minute beat runs `deadlines_sweep`. It claims pending deadlines whose
`next_action_at` has come (a partial index makes this one index range scan), in batches,
each batch in its own short transaction:

- PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`, so two sweeps running at once (two
  workers, an overlapping beat tick) take disjoint batches and never wait on each other;
- SQLite (one writer at a time; transactions begin IMMEDIATE): a conditional update of
  `next_action_at` per row is the claim.

For each claimed deadline it writes the Reminder rows that are due (unique per deadline,
due moment, stage and lead time: the exactly-once guarantee), the notifications with
them (delivery enqueued through the outbox), marks missed deadlines missed (and escalates
to the owner's supervisors), and moves `next_action_at` to the next stage. A crash at any
point rolls the batch back whole; the next sweep does it again, once.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from notifications.services import NotificationSpec, notify_many
from organisations.models import Membership, User
from organisations.roles import Role

from .engine import reminder_plan
from .models import Deadline, Reminder
from .states import DEADLINE_MACHINE

logger = logging.getLogger(__name__)

BATCH_SIZE = 500

KIND_LEAD = "deadline.reminder"
KIND_DUE = "deadline.due"
KIND_MISSED = "deadline.missed"
KIND_ESCALATION = "deadline.escalation"


@dataclass
class SweepResult:
    deadlines: int = 0
    reminders: int = 0
    notifications: int = 0
    missed: int = 0
    batches: int = 0


def _record_link(deadline: Deadline) -> str:
    subject = deadline.subject
    if subject is not None and hasattr(subject, "get_absolute_url"):
        try:
            return subject.get_absolute_url()
        except NoReverseMatch:
            pass
    return reverse("deadlines:detail", args=[deadline.pk])


class _Supervisors:
    """The owner's supervisors: supervisors whose region is nearest above the deadline's
    organisation (scoping reaches it), looked up once per organisation per sweep."""

    def __init__(self):
        self.cache: dict[int, list[User]] = {}

    def for_organisation(self, organisation) -> list[User]:
        if organisation.pk not in self.cache:
            region_path = organisation.region.path
            steplen = organisation.region.steplen
            prefixes = [region_path[:i] for i in range(steplen, len(region_path) + 1, steplen)]
            memberships = list(
                Membership.objects.filter(
                    role=Role.SUPERVISOR,
                    is_active=True,
                    organisation__is_active=True,
                    organisation__region__path__in=prefixes,
                ).select_related("user", "organisation__region")
            )
            deepest = max((len(m.organisation.region.path) for m in memberships), default=0)
            users = {
                m.user.pk: m.user for m in memberships if len(m.organisation.region.path) == deepest
            }
            self.cache[organisation.pk] = list(users.values())
        return self.cache[organisation.pk]


def _claim_batch(now, batch_size) -> list[Deadline]:
    due = Deadline.objects.filter(
        state=Deadline.State.PENDING, next_action_at__isnull=False, next_action_at__lte=now
    ).order_by("next_action_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        return list(due.select_for_update(skip_locked=True)[:batch_size])
    claimed = []
    for deadline in due[:batch_size]:
        won = Deadline.objects.filter(
            pk=deadline.pk, state=Deadline.State.PENDING, next_action_at=deadline.next_action_at
        ).update(next_action_at=None)
        if won:
            claimed.append(deadline)
    return claimed


def _texts(deadline: Deadline, stage: str, lead: int, subject_text: str) -> tuple[str, str, str]:
    due = timezone.localtime(deadline.due_at)
    if stage == "lead":
        title = f"【期限提醒】{deadline.label}还有 {lead} 天届满"
        kind = KIND_LEAD
    elif stage == "due":
        title = f"【今日届满】{deadline.label}"
        kind = KIND_DUE
    else:
        title = f"【已超期】{deadline.label}"
        kind = KIND_MISSED
    body = (
        f"{subject_text}：{deadline.label}（{deadline.rule_text}）届满时间 {due:%Y-%m-%d %H:%M}。"
    )
    return kind, title, body


def _process(batch: list[Deadline], now, result: SweepResult, supervisors: _Supervisors) -> None:
    ids = [d.pk for d in batch]
    prefetch_related_objects(batch, "subject")
    owners = User.objects.in_bulk([d.owner_id for d in batch if d.owner_id])
    done: dict[int, set] = {}
    for deadline_id, due_at, stage, lead in Reminder.objects.filter(
        deadline_id__in=ids
    ).values_list("deadline_id", "due_at", "stage", "lead_days"):
        done.setdefault(deadline_id, set()).add((due_at, stage, lead))
    reminders: list[Reminder] = []
    specs: list[NotificationSpec] = []
    missed: list[Deadline] = []
    next_actions: dict[int, datetime.datetime | None] = {}
    for deadline in batch:
        plan = reminder_plan(
            due_at=deadline.due_at, lead_times=deadline.lead_times, start_at=deadline.start_at
        )
        seen = done.get(deadline.pk, set())
        open_stages = [
            (s, lead, fire) for s, lead, fire in plan if (deadline.due_at, s, lead) not in seen
        ]
        now_stages = [p for p in open_stages if p[2] <= now]
        later = [p[2] for p in open_stages if p[2] > now]
        next_actions[deadline.pk] = min(later) if later else None
        if not now_stages:
            continue
        # Several stages can be due at once (the clock started late, workers were down):
        # send the most urgent one and record the others as skipped.
        send_stage = now_stages[-1]
        owner = owners.get(deadline.owner_id)
        subject_text = deadline.explanation.get("subject", "") or deadline.label
        link = _record_link(deadline)
        recipients = []
        stage, lead, fire = send_stage
        kind, title, body = _texts(deadline, stage, lead, subject_text)
        due_key = timezone.localtime(deadline.due_at).date().isoformat()
        if owner is not None:
            recipients.append(owner.pk)
            specs.append(NotificationSpec(owner, kind, title, body, link, deadline,
                                          f"deadline:{deadline.pk}:{due_key}:{stage}:{lead}"))  # fmt: skip
        if stage == "missed":
            missed.append(deadline)
            for supervisor in supervisors.for_organisation(deadline.organisation):
                if supervisor.pk in recipients:
                    continue
                recipients.append(supervisor.pk)
                specs.append(NotificationSpec(
                    supervisor, KIND_ESCALATION,
                    f"【超期督办】{owner or '未指定承办人'}承办的{deadline.label}已超期",
                    body, link, deadline, f"deadline:{deadline.pk}:{due_key}:escalation",
                ))  # fmt: skip
        for s, lead_days, fire_at in now_stages:
            is_sent = (s, lead_days) == (stage, lead)
            reminders.append(
                Reminder(
                    deadline=deadline,
                    stage=s,
                    lead_days=lead_days,
                    due_at=deadline.due_at,
                    fire_at=fire_at,
                    created_at=now,
                    status=(
                        (Reminder.Status.SENT if recipients else Reminder.Status.NO_RECIPIENT)
                        if is_sent
                        else Reminder.Status.SKIPPED
                    ),
                    recipients=recipients if is_sent else [],
                )
            )
    # The unique constraint turns any double processing into an IntegrityError that rolls
    # the batch back: no reminder row, no notification.
    Reminder.objects.bulk_create(reminders)
    notify_many(specs)
    for deadline in batch:
        deadline.next_action_at = next_actions[deadline.pk]
    Deadline.objects.bulk_update(batch, ["next_action_at"], batch_size=1000)
    for deadline in missed:
        DEADLINE_MACHINE.apply(
            deadline, "miss", actor=None, note="届满未完成，系统标记超期",
            changes={"next_action_at": None},
        )  # fmt: skip
    result.deadlines += len(batch)
    result.reminders += sum(1 for r in reminders if r.status != Reminder.Status.SKIPPED)
    result.notifications += len(specs)
    result.missed += len(missed)
    result.batches += 1


def deadlines_sweep(
    *, now=None, batch_size: int = BATCH_SIZE, max_batches: int | None = None
) -> SweepResult:
    """Handle every deadline whose next reminder or miss is due. Safe to run concurrently
    and to re-run after a crash. Not itself atomic: each batch commits on its own."""
    now = now or timezone.now()
    result = SweepResult()
    supervisors = _Supervisors()
    while max_batches is None or result.batches < max_batches:
        with transaction.atomic():
            batch = _claim_batch(now, batch_size)
            if not batch:
                break
            _process(batch, now, result, supervisors)
    return result
