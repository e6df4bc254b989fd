"""Records the workbench tests read: deadlines and audit entries on a case, made in bulk
(the page must cost the same with 5 of them or 200)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from audit.models import AuditEntry
from deadlines.models import Deadline
from deadlines.services import deadline_start
from enforcement.models import EnforcementCase


def start_clock(case, kind, *, actor, due_in_days=None, start=None, owner=None):
    """A real clock through the engine (explicit due moment when `due_in_days` is given)."""
    due_at = None
    if due_in_days is not None:
        due_at = timezone.now() + datetime.timedelta(days=due_in_days)
    return deadline_start(
        subject=case,
        kind=kind,
        start=start or timezone.now() - datetime.timedelta(days=30),
        owner=owner or case.officer,
        organisation=case.court,
        actor=actor,
        due_at=due_at,
    )


def pile_up(case, *, deadlines: int, entries: int, actor) -> None:
    """`deadlines` deadline rows (half closed) and `entries` audit entries on the case."""
    content_type = ContentType.objects.get_for_model(EnforcementCase)
    now = timezone.now()
    Deadline.objects.bulk_create(
        Deadline(
            content_type=content_type,
            object_id=case.pk,
            kind="enforcement.freeze_bank",
            label="冻结银行存款期限",
            organisation=case.court,
            owner=case.officer,
            start_at=now - datetime.timedelta(days=400),
            unit="months",
            amount=12,
            rule_source="statutory",
            due_at=now + datetime.timedelta(days=number),
            state=Deadline.State.MET if number % 2 else Deadline.State.PENDING,
            closed_at=now if number % 2 else None,
        )
        for number in range(deadlines)
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=now - datetime.timedelta(minutes=number),
            actor=actor,
            actor_name=str(actor),
            action=AuditEntry.Action.CHANGE,
            content_type=content_type,
            object_id=str(case.pk),
            object_repr=str(case),
            organisation=case.court,
            changes={
                "officer": {"before": None, "after": actor.pk},
                "status": {"before": "filed", "after": "in_progress"},
            },
            channel=AuditEntry.Channel.PAGE,
            note=f"第{number}次",
        )
        for number in range(entries)
    )
