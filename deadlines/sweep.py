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
to the supervisors of the owning unit's own line, see `_Supervisors`), and moves
`next_action_at` to the next stage. A crash at any point rolls the batch back whole; the
next sweep does it again, once.
"""

import datetime
import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q, prefetch_related_objects
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from audit.services import audit_bulk_write, audit_transition_entry
from common.statemachine import TransitionNotAllowed
from jobs.bulk import bulk_insert
from notifications.services import NotificationSpec, notify_many
from organisations.models import Membership, Organisation, User
from organisations.roles import Role

from .engine import plan_from_stages, reminder_stages
from .models import Deadline, Reminder
from .registry import get_kind
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


class _Links:
    """The link a reminder carries: the subject record's page if it has one, else the
    deadline's page. Resolved once per subject per sweep; `reverse` for the deadline page
    runs once per sweep (it is ≈ 0.1 ms, a noticeable share of a reminder's cost)."""

    SENTINEL = 987654321

    def __init__(self):
        self.by_subject: dict[tuple[int, int], str | None] = {}
        self.has_url: dict[int, bool] = {}
        self._template: str | None = None

    def _deadline_page(self, pk: int) -> str:
        if self._template is None:
            # Lazily: the first reverse in a process loads every URLconf (≈ 1 s), which an
            # idle sweep should not pay.
            self._template = reverse("deadlines:detail", args=[self.SENTINEL])
        if self._template.count(str(self.SENTINEL)) != 1:
            return reverse("deadlines:detail", args=[pk])
        return self._template.replace(str(self.SENTINEL), str(pk))

    def _subject_has_url(self, content_type_id: int) -> bool:
        if content_type_id not in self.has_url:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            self.has_url[content_type_id] = hasattr(model, "get_absolute_url")
        return self.has_url[content_type_id]

    def load(self, batch: list[Deadline]) -> None:
        """Fetch (one query per model) the subjects whose link is not known yet and whose
        model has pages; the others never need loading."""
        wanted = [
            d
            for d in batch
            if (d.content_type_id, d.object_id) not in self.by_subject
            and self._subject_has_url(d.content_type_id)
        ]
        if wanted:
            prefetch_related_objects(wanted, "subject")
        for deadline in wanted:
            link = None
            subject = deadline.subject
            if subject is not None:
                try:
                    link = subject.get_absolute_url()
                except NoReverseMatch:
                    pass
            self.by_subject[(deadline.content_type_id, deadline.object_id)] = link

    def for_deadline(self, deadline: Deadline) -> str:
        link = self.by_subject.get((deadline.content_type_id, deadline.object_id))
        if link is not None:
            return link
        return self._deadline_page(deadline.pk)


# Bodies whose supervisors oversee every unit of their region (综治中心主任, 政法委): the
# escalation of last resort when a unit has no supervisor of its own along its line.
OVERSIGHT_KINDS = (Organisation.Kind.GOVERNANCE_CENTRE, Organisation.Kind.PARTY_COMMITTEE)


class _Supervisors:
    """The owner's supervisors, nearest first along the unit's own line:

    1. the supervisors of the deadline's organisation, else of its nearest parent
       organisation that has any (a tribunal's miss goes to its court's president);
    2. if its whole line has none, the supervisors of the oversight bodies
       (OVERSIGHT_KINDS: governance centre, 政法委) whose region is nearest above it.

    Never the supervisors of an unrelated branch that merely sits in the same region (a
    court president does not hear of a community committee's miss). Looked up once per
    organisation per sweep, for all the organisations of a batch at once (two queries,
    however many)."""

    def __init__(self):
        self.cache: dict[int, list[User]] = {}

    @staticmethod
    def _prefixes(path: str, steplen: int) -> set[str]:
        return {path[:i] for i in range(steplen, len(path) + 1, steplen)}

    def load(self, organisation_ids) -> None:
        missing = set(organisation_ids) - set(self.cache)
        if not missing:
            return
        line_of: dict[int, set[str]] = {}
        regions_of: dict[int, set[str]] = {}
        for organisation in Organisation.objects.filter(pk__in=missing).select_related("region"):
            line_of[organisation.pk] = self._prefixes(organisation.path, organisation.steplen)
            region = organisation.region
            regions_of[organisation.pk] = self._prefixes(region.path, region.steplen)
        memberships = list(
            Membership.objects.filter(
                Q(organisation__path__in=set().union(*line_of.values()))
                | Q(
                    organisation__kind__in=OVERSIGHT_KINDS,
                    organisation__region__path__in=set().union(*regions_of.values()),
                ),
                role=Role.SUPERVISOR,
                is_active=True,
                organisation__is_active=True,
            ).select_related("user", "organisation__region")
        )
        for organisation_id in missing:
            line = line_of.get(organisation_id, set())
            own = [m for m in memberships if m.organisation.path in line]
            if own:
                nearest = max(len(m.organisation.path) for m in own)
                chosen = [m for m in own if len(m.organisation.path) == nearest]
            else:
                regions = regions_of.get(organisation_id, set())
                overseers = [
                    m
                    for m in memberships
                    if m.organisation.kind in OVERSIGHT_KINDS
                    and m.organisation.region.path in regions
                ]
                nearest = max((len(m.organisation.region.path) for m in overseers), default=0)
                chosen = [m for m in overseers if len(m.organisation.region.path) == nearest]
            users = {m.user.pk: m.user for m in chosen}
            self.cache[organisation_id] = list(users.values())

    def for_organisation(self, organisation_id: int) -> list[User]:
        if organisation_id not in self.cache:
            self.load([organisation_id])
        return self.cache[organisation_id]


class _SweepCache:
    """What many deadlines of one sweep share: links, supervisors, reminder stages per due
    moment, rule texts, local due moments."""

    def __init__(self):
        self.links = _Links()
        self.supervisors = _Supervisors()
        self.stages: dict[tuple, list] = {}
        self.rule_texts: dict[tuple[int, str], str] = {}
        self.local_due: dict[datetime.datetime, datetime.datetime] = {}

    def plan(self, deadline: Deadline) -> list[tuple[str, int, datetime.datetime]]:
        key = (deadline.due_at, tuple(deadline.lead_times))
        stages = self.stages.get(key)
        if stages is None:
            stages = reminder_stages(due_at=deadline.due_at, lead_times=deadline.lead_times)
            self.stages[key] = stages
        return plan_from_stages(stages, start_at=deadline.start_at)

    def rule_text(self, deadline: Deadline) -> str:
        key = (deadline.amount, deadline.unit)
        if key not in self.rule_texts:
            self.rule_texts[key] = deadline.rule_text
        return self.rule_texts[key]

    def localtime(self, moment: datetime.datetime) -> datetime.datetime:
        if moment not in self.local_due:
            self.local_due[moment] = timezone.localtime(moment)
        return self.local_due[moment]


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


def _texts(
    deadline: Deadline, stage: str, lead: int, subject_text: str, due, rule_text: str
) -> tuple[str, str, str]:
    if stage == "lead":
        title = f"【期限提醒】{deadline.label}还有 {lead} 天届满"
        kind = KIND_LEAD
    elif stage == "due":
        title = f"【今日届满】{deadline.label}"
        kind = KIND_DUE
    else:
        title = f"【已超期】{deadline.label}"
        kind = KIND_MISSED
    body = f"{subject_text}：{deadline.label}（{rule_text}）届满时间 {due:%Y-%m-%d %H:%M}。"
    return kind, title, body


def _set_next_actions(batch: list[Deadline]) -> None:
    """Write each claimed deadline's `next_action_at` in one statement. On PostgreSQL an
    UPDATE … FROM unnest(ids, moments): `bulk_update` builds a CASE WHEN per row, which
    cost ≈ 0.9 ms of Python per deadline — a third of the whole sweep."""
    if connection.vendor != "postgresql":
        Deadline.objects.bulk_update(batch, ["next_action_at"], batch_size=1000)
        return
    meta = Deadline._meta
    column = meta.get_field("next_action_at").column
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{meta.db_table}" AS d SET "{column}" = v.next_action_at '  # noqa: S608
            f"FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, next_action_at) "
            f'WHERE d."{meta.pk.column}" = v.id',
            [[d.pk for d in batch], [d.next_action_at for d in batch]],
        )


REMINDER_FIELDS = (
    "deadline", "stage", "lead_days", "due_at", "fire_at", "created_at", "status", "recipients",
)  # fmt: skip
MISS_NOTE = "届满未完成，系统标记超期"


def _mark_missed(missed: list[Deadline]) -> None:
    """The state machine's `miss` for a whole batch: the same guard, state change and audit
    entry (shape of `audit_transition`) as `DEADLINE_MACHINE.apply(deadline, "miss", …)`,
    in one UPDATE and one INSERT instead of a lock, a save and an insert per deadline.
    The rows are already ours (locked by the claim on PostgreSQL; claimed in this IMMEDIATE
    transaction on SQLite); the conditional UPDATE checks it, and anything unexpected
    rolls the batch back."""
    if not missed:
        return
    transition = DEADLINE_MACHINE.transitions["miss"]
    label = DEADLINE_MACHINE._working_language_label(transition)
    for deadline in missed:
        reason = DEADLINE_MACHINE.refusal(deadline, "miss", None)
        if reason:
            raise TransitionNotAllowed(reason)
    updated = Deadline.objects.filter(
        pk__in=[d.pk for d in missed], state__in=transition.sources
    ).update(state=transition.target, next_action_at=None)
    if updated != len(missed):
        raise TransitionNotAllowed(f"{len(missed) - updated} 个期限已不在可超期状态")
    entries = []
    for deadline in missed:
        before = {"state": deadline.state, "next_action_at": deadline.next_action_at}
        deadline.state = transition.target
        deadline.next_action_at = None
        after = {"state": deadline.state, "next_action_at": None}
        entries.append(
            audit_transition_entry(
                deadline,
                actor=None,
                transition="miss",
                transition_label=label,
                before=before,
                after=after,
                note=MISS_NOTE,
            )  # fmt: skip
        )
    audit_bulk_write(entries)


def _custom_notifications(due_now) -> tuple[set[str], dict[int, list]]:
    """The kinds whose app says who is told (`DeadlineKind.notifications`), and what it
    says for this batch: one call per kind, so the app can load what it needs at once."""
    items_by_kind: dict[str, list] = {}
    for deadline, now_stages in due_now:
        entry = get_kind(deadline.kind)
        if entry is not None and entry.notifications is not None:
            stage, lead, _fire = now_stages[-1]
            items_by_kind.setdefault(deadline.kind, []).append((deadline, stage, lead))
    custom: dict[int, list] = {}
    for kind, items in items_by_kind.items():
        custom.update(get_kind(kind).notifications(items))
    return set(items_by_kind), custom


def _process(batch: list[Deadline], now, result: SweepResult, cache: _SweepCache) -> None:
    ids = [d.pk for d in batch]
    cache.links.load(batch)
    owners = User.objects.in_bulk([d.owner_id for d in batch if d.owner_id])
    done: dict[int, set] = {}
    for deadline_id, due_at, stage, lead in Reminder.objects.filter(
        deadline_id__in=ids
    ).values_list("deadline_id", "due_at", "stage", "lead_days"):
        done.setdefault(deadline_id, set()).add((due_at, stage, lead))
    reminders: list[tuple] = []
    sent = 0
    specs: list[NotificationSpec] = []
    missed: list[Deadline] = []
    next_actions: dict[int, datetime.datetime | None] = {}
    due_now = []
    for deadline in batch:
        plan = cache.plan(deadline)
        seen = done.get(deadline.pk, ())
        open_stages = [
            (s, lead, fire) for s, lead, fire in plan if (deadline.due_at, s, lead) not in seen
        ]
        now_stages = [p for p in open_stages if p[2] <= now]
        later = [p[2] for p in open_stages if p[2] > now]
        next_actions[deadline.pk] = min(later) if later else None
        if now_stages:
            due_now.append((deadline, now_stages))
    cache.supervisors.load(
        {d.organisation_id for d, stages in due_now if stages[-1][0] == "missed"}
    )
    custom_kinds, custom = _custom_notifications(due_now)
    for deadline, now_stages in due_now:
        # Several stages can be due at once (the clock started late, workers were down):
        # send the most urgent one and record the others as skipped.
        send_stage = now_stages[-1]
        owner = owners.get(deadline.owner_id)
        subject_text = deadline.explanation.get("subject", "") or deadline.label
        link = cache.links.for_deadline(deadline)
        recipients = []
        stage, lead, fire = send_stage
        due = cache.localtime(deadline.due_at)
        kind, title, body = _texts(
            deadline, stage, lead, subject_text, due, cache.rule_text(deadline)
        )
        due_key = due.date().isoformat()
        if deadline.kind in custom_kinds:
            for spec in custom.get(deadline.pk, ()):
                spec.dedupe_key = spec.dedupe_key or (
                    f"deadline:{deadline.pk}:{due_key}:{stage}:{lead}:{spec.recipient.pk}"
                )
                recipients.append(spec.recipient.pk)
                specs.append(spec)
            if stage == "missed":
                missed.append(deadline)
        elif owner is not None:
            recipients.append(owner.pk)
            specs.append(NotificationSpec(owner, kind, title, body, link, deadline,
                                          f"deadline:{deadline.pk}:{due_key}:{stage}:{lead}"))  # fmt: skip
        if stage == "missed" and deadline.kind not in custom_kinds:
            missed.append(deadline)
            for supervisor in cache.supervisors.for_organisation(deadline.organisation_id):
                if supervisor.pk in recipients:
                    continue
                recipients.append(supervisor.pk)
                specs.append(NotificationSpec(
                    supervisor, KIND_ESCALATION,
                    f"【超期督办】{owner or '未指定承办人'}承办的{deadline.label}已超期",
                    body, link, deadline, f"deadline:{deadline.pk}:{due_key}:escalation",
                ))  # fmt: skip
        for s, lead_days, fire_at in now_stages:
            if (s, lead_days) == (stage, lead):
                status = Reminder.Status.SENT if recipients else Reminder.Status.NO_RECIPIENT
                reminders.append((deadline.pk, s, lead_days, deadline.due_at, fire_at, now,
                                  status, recipients))  # fmt: skip
                sent += 1
            else:
                reminders.append((deadline.pk, s, lead_days, deadline.due_at, fire_at, now,
                                  Reminder.Status.SKIPPED, []))  # fmt: skip
    # The unique constraint turns any double processing into an IntegrityError that rolls
    # the batch back: no reminder row, no notification.
    bulk_insert(Reminder, REMINDER_FIELDS, reminders)
    notify_many(specs)
    for deadline in batch:
        deadline.next_action_at = next_actions[deadline.pk]
    _set_next_actions(batch)
    _mark_missed(missed)
    result.deadlines += len(batch)
    result.reminders += sent
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
    cache = _SweepCache()
    while max_batches is None or result.batches < max_batches:
        with transaction.atomic():
            batch = _claim_batch(now, batch_size)
            if not batch:
                break
            _process(batch, now, result, cache)
    return result
