"""Writes for deadlines: start (one or many), meet, cancel, pause, resume, extension
requests (asked by one person, approved or refused by the named approver), recompute,
calendar. Meet and cancel are called by the owning app's own steps, never from a page.

Every service is keyword-only, atomic, and audited in the same transaction. The engine
(engine.py) does the arithmetic; the sweep (sweep.py) sends reminders.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import (
    audit_bulk_write,
    audit_change,
    audit_create,
    audit_create_entry,
    snapshot,
)
from common.statemachine import TransitionNotAllowed
from notifications.services import NotificationSpec, notify_many
from organisations.models import Organisation
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

from .calendar import WorkingCalendar, add_months
from .engine import ResolvedRule, compute, end_of_day, reminder_plan, resolve_rule
from .models import (
    CalendarDay,
    CalendarYear,
    Deadline,
    DeadlineExtension,
    DeadlineExtensionRequest,
    DeadlinePause,
    Reminder,
)
from .registry import get_kind
from .states import DEADLINE_MACHINE, EXTENSION_REQUEST_MACHINE

APPROVER_ROLES = {Role.SUPERVISOR, Role.ADMIN}
KIND_EXTENSION_REQUESTED = "deadline.extension_requested"
KIND_EXTENSION_DECIDED = "deadline.extension_decided"


def _computation(deadline: Deadline, *, calendar: WorkingCalendar | None = None):
    rule = resolve_rule(
        deadline.kind, deadline.organisation, amount=deadline.amount, unit=deadline.unit
    )
    rule_info = deadline.explanation.get("rule") if deadline.explanation else None
    result = compute(
        start_at=deadline.start_at,
        unit=deadline.unit,
        amount=deadline.amount,
        pauses=list(deadline.pauses.all()) if deadline.pk else [],
        extensions=list(deadline.extensions.select_related("approved_by")) if deadline.pk else [],
        rule=rule,
        calendar=calendar,
        fixed_due_at=deadline.fixed_due_at,
    )
    if rule_info:
        # Keep where the rule came from (statutory, local, explicit) as it was at start.
        result.explanation["rule"] = rule_info
    if deadline.explanation.get("subject"):
        result.explanation["subject"] = deadline.explanation["subject"]
    return result


def next_action_at(deadline: Deadline, *, now=None) -> datetime.datetime | None:
    """The earliest reminder stage for the current due moment not yet handled."""
    if deadline.state != Deadline.State.PENDING:
        return None
    done = set()
    if deadline.pk:
        done = set(
            Reminder.objects.filter(deadline=deadline, due_at=deadline.due_at).values_list(
                "stage", "lead_days"
            )
        )
    plan = reminder_plan(
        due_at=deadline.due_at, lead_times=deadline.lead_times, start_at=deadline.start_at
    )
    pending = [fire for stage, lead, fire in plan if (stage, lead) not in done]
    return min(pending) if pending else None


def _new_deadline(
    *,
    subject,
    kind: str,
    start: datetime.datetime | None,
    owner,
    organisation,
    amount: int | None,
    unit: str | None,
    due_at: datetime.datetime | None,
    rules: dict | None = None,
    calendar: WorkingCalendar | None = None,
) -> tuple[Deadline, ResolvedRule]:
    """The unsaved Deadline `deadline_start` writes, and its rule. `rules` caches resolved
    rules by (organisation, amount, unit) and `calendar` is shared, for bulk starts."""
    start = start or timezone.now()
    if due_at is not None:
        # An explicit due moment is kept as given; the period shown is its length in days.
        days = (timezone.localtime(due_at).date() - timezone.localtime(start).date()).days
        amount, unit = max(days, 1), "calendar_days"
    key = (organisation.pk, amount, unit)
    rule = rules.get(key) if rules is not None else None
    if rule is None:
        rule = resolve_rule(kind, organisation, amount=amount, unit=unit)
        if rules is not None:
            rules[key] = rule
    result = compute(
        start_at=start,
        unit=rule.unit,
        amount=rule.amount,
        rule=rule,
        calendar=calendar,
        fixed_due_at=due_at,
    )
    result.explanation["subject"] = str(subject)[:200]
    deadline = Deadline(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        kind=kind,
        label=rule.label,
        organisation=organisation,
        owner=owner,
        start_at=start,
        unit=rule.unit,
        amount=rule.amount,
        rule_source=rule.source,
        lead_times=list(rule.lead_times),
        fixed_due_at=due_at,
        due_at=result.due_at,
        explanation=result.explanation,
    )
    deadline.next_action_at = next_action_at(deadline)
    return deadline, rule


def _start_note(deadline: Deadline, rule: ResolvedRule) -> str:
    return f"{rule.label}：{rule.source_label} {deadline.rule_text}"


@transaction.atomic
def deadline_start(
    *,
    subject,
    kind: str,
    start: datetime.datetime | None = None,
    owner=None,
    organisation,
    actor,
    amount: int | None = None,
    unit: str | None = None,
    due_at: datetime.datetime | None = None,
) -> Deadline:
    """Start a legal clock on `subject`. The rule comes from the organisation's local table
    or the statutory registry, unless `amount`+`unit` (or an explicit `due_at`) are given."""
    deadline, rule = _new_deadline(
        subject=subject,
        kind=kind,
        start=start,
        owner=owner,
        organisation=organisation,
        amount=amount,
        unit=unit,
        due_at=due_at,
    )
    deadline.full_clean(exclude=["content_type", "organisation", "owner"])
    deadline.save()
    audit_create(deadline, actor=actor, note=_start_note(deadline, rule))
    return deadline


@dataclass(frozen=True)
class DeadlineStart:
    """One clock for `deadlines_start_many`: the arguments of `deadline_start` that vary
    from one subject to the next."""

    subject: Any
    organisation: Any
    start: datetime.datetime | None = None
    due_at: datetime.datetime | None = None
    owner: Any = None
    amount: int | None = None
    unit: str | None = None


@transaction.atomic
def deadlines_start_many(
    *, items: Iterable[DeadlineStart], kind: str, actor, batch_size: int = 1000
) -> list[Deadline]:
    """`deadline_start` for many subjects (e.g. a bulk import): the same rows — each
    Deadline and its audit 'create' entry — in a few INSERTs instead of a few per subject.

    The due moments come from the same engine: the rule is resolved once per
    (organisation, amount, unit) and the working calendar loaded once. Subjects must be
    saved (they need their primary keys).

    Rows are validated as `deadline_start` validates them, but once per rule: what else
    varies from row to row (subject id, moments, explanation) is made by the engine, and a
    full_clean costs about a quarter of building the row. The database check constraints
    (one query each in `full_clean`) are left to the INSERT, which enforces them.
    """
    rules: dict = {}
    validated: set = set()
    calendar = WorkingCalendar.load()
    built = []
    for item in items:
        deadline, rule = _new_deadline(
            subject=item.subject,
            kind=kind,
            start=item.start,
            owner=item.owner,
            organisation=item.organisation,
            amount=item.amount,
            unit=item.unit,
            due_at=item.due_at,
            rules=rules,
            calendar=calendar,
        )
        if rule not in validated:
            deadline.full_clean(
                exclude=["content_type", "organisation", "owner"], validate_constraints=False
            )
            validated.add(rule)
        built.append((deadline, rule))
    deadlines = Deadline.objects.bulk_create([d for d, _rule in built], batch_size=batch_size)
    audit_bulk_write(
        (
            audit_create_entry(deadline, actor=actor, note=_start_note(deadline, rule))
            for deadline, rule in built
        ),
        batch_size=batch_size,
    )
    return deadlines


def _refresh(deadline: Deadline, *, calendar=None) -> None:
    """Recompute due moment, explanation and next action on `deadline` (not saved)."""
    result = _computation(deadline, calendar=calendar)
    # Compared as moments: the stored value reads back in UTC, the engine's is in Beijing
    # time, and the same moment written in the other zone is not a change to audit.
    if result.due_at != deadline.due_at:
        deadline.due_at = result.due_at.astimezone(datetime.UTC)
    deadline.explanation = result.explanation
    deadline.next_action_at = next_action_at(deadline)


@transaction.atomic
def deadline_recompute(deadline: Deadline, *, actor, note: str = "", calendar=None) -> bool:
    """Recompute from scratch; returns True if the due moment moved (audited with `note`)."""
    locked = Deadline.objects.select_for_update().select_related("organisation").get(pk=deadline.pk)
    before, previous_due_at = snapshot(locked), locked.due_at
    _refresh(locked, calendar=calendar)
    locked.save(update_fields=["due_at", "explanation", "next_action_at"])
    audit_change(locked, actor=actor, before=before, note=note or "重新计算期限")
    for field in ("due_at", "explanation", "next_action_at"):
        setattr(deadline, field, getattr(locked, field))
    return locked.due_at != previous_due_at


def _close_open_pause(deadline: Deadline, *, actor, now) -> DeadlinePause | None:
    pause = deadline.pauses.filter(resumed_at__isnull=True).first()
    if pause is None:
        return None
    before = snapshot(pause)
    pause.resumed_at = now
    pause.resumed_by = actor if getattr(actor, "is_authenticated", False) else None
    pause.save(update_fields=["resumed_at", "resumed_by"])
    audit_change(pause, actor=actor, before=before)
    return pause


@transaction.atomic
def deadline_meet(deadline: Deadline, *, actor) -> Deadline:
    """The duty was done. Stops reminders. Lateness is decided now, against the due
    moment: done after it (even before the sweep noticed) closes the clock as missed.
    A clock the sweep already marked missed stays missed and is closed (逾期完成), so it
    leaves the lists of overdue work either way."""
    now = timezone.now()
    locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if locked.state == Deadline.State.MISSED:
        if locked.closed_at is None:
            before = snapshot(locked)
            locked.closed_at, locked.next_action_at = now, None
            locked.save(update_fields=["closed_at", "next_action_at"])
            audit_change(locked, actor=actor, before=before, note="逾期完成")
        return locked
    _close_open_pause(deadline, actor=actor, now=now)
    if locked.state == Deadline.State.PENDING and locked.due_at < now:
        return DEADLINE_MACHINE.apply(
            deadline, "miss", actor=actor, note="逾期完成",
            changes={"closed_at": now, "next_action_at": None},
        )  # fmt: skip
    return DEADLINE_MACHINE.apply(
        deadline, "meet", actor=actor, changes={"closed_at": now, "next_action_at": None}
    )


@transaction.atomic
def deadline_cancel(deadline: Deadline, *, actor, reason: str = "") -> Deadline:
    now = timezone.now()
    _close_open_pause(deadline, actor=actor, now=now)
    return DEADLINE_MACHINE.apply(
        deadline,
        "cancel",
        actor=actor,
        note=reason,
        changes={"closed_at": now, "close_reason": reason[:200], "next_action_at": None},
    )


def generic_handling_refusal(deadline: Deadline) -> str | None:
    """Why the generic deadline page/API may not pause, resume or extend this clock (its
    record's workflow does it), or None."""
    kind = get_kind(deadline.kind)
    return str(kind.handled_on_record) if kind and kind.handled_on_record else None


def require_generic_handling(deadline: Deadline) -> None:
    reason = generic_handling_refusal(deadline)
    if reason:
        raise TransitionNotAllowed(reason)


@transaction.atomic
def deadline_pause(deadline: Deadline, *, actor, reason: str) -> Deadline:
    """Stop the clock (e.g. enforcement suspended, 中止). Resume adds the days it stood."""
    if not reason:
        raise ValidationError({"reason": "请填写中止原因"})
    now = timezone.now()
    locked = DEADLINE_MACHINE.apply(
        deadline, "pause", actor=actor, note=reason,
        changes={"paused_at": now, "next_action_at": None},
    )  # fmt: skip
    pause = DeadlinePause.objects.create(
        deadline=locked,
        paused_at=now,
        paused_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason[:200],
    )
    audit_create(pause, actor=actor)
    return locked


@transaction.atomic
def deadline_resume(deadline: Deadline, *, actor) -> Deadline:
    now = timezone.now()
    locked = DEADLINE_MACHINE.apply(deadline, "resume", actor=actor, changes={"paused_at": None})
    pause = _close_open_pause(locked, actor=actor, now=now)
    days = (
        (timezone.localtime(now).date() - timezone.localtime(pause.paused_at).date()).days
        if pause
        else 0
    )
    deadline_recompute(locked, actor=actor, note=f"恢复计时：中止 {days} 日不计入期限")
    deadline.refresh_from_db()
    return deadline


def _approving_unit(deadline: Deadline):
    kind = get_kind(deadline.kind)
    if kind is None or kind.approving_unit is None:
        return None
    return kind.approving_unit(deadline)


COURT_KINDS = (Organisation.Kind.COURT, Organisation.Kind.TRIBUNAL)


def _court_line_approver(user, court) -> bool:
    """A court's clocks are extended within the courts' own line — its own supervisors and
    administrators, or a higher court's supervisors — never by a government unit whose
    region happens to contain the court (judicial independence)."""
    for membership in user.active_memberships:
        own = membership.organisation
        if membership.role not in APPROVER_ROLES or own.kind not in COURT_KINDS:
            continue
        if membership.role == Role.SUPERVISOR and court.region.path.startswith(own.region.path):
            return True
        if court.path.startswith(own.path):
            return True
    return False


def approver_may_approve(deadline: Deadline, user) -> bool:
    """Whether `user` is an authority who may approve extending `deadline`: the named
    unit's own supervisor when the kind names one (the court's president for the
    enforcement time limit, the owning unit's supervisor for case clocks), otherwise a
    supervisor or administrator whose scope reaches the deadline's organisation."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    unit = _approving_unit(deadline)
    if unit is None:
        if deadline.organisation.kind in COURT_KINDS and not user.is_superuser:
            return _court_line_approver(user, deadline.organisation)
        return bool(roles_in_scope_of(user, deadline.organisation) & APPROVER_ROLES)
    return any(
        m.role == Role.SUPERVISOR and m.organisation_id == unit.pk for m in user.active_memberships
    )


def _extension_target(
    deadline: Deadline, *, new_due_at, amount: int | None, unit: str
) -> tuple[datetime.date, int]:
    """The new due date and the days it adds, or ValidationError."""
    previous = timezone.localtime(deadline.due_at).date()
    if new_due_at is not None:
        target = (
            timezone.localtime(new_due_at).date()
            if isinstance(new_due_at, datetime.datetime)
            else new_due_at
        )
    elif amount:
        if unit == "working_days":
            target, _skipped = WorkingCalendar.load().add_working_days(previous, amount)
        elif unit == "months":
            target = add_months(previous, amount)
        else:
            target = previous + datetime.timedelta(days=amount)
    else:
        raise ValidationError("请给出新的届满日期或延长的期间")
    days = (target - previous).days
    if days <= 0:
        raise ValidationError({"new_due_date": "新的届满日期必须晚于原届满日期"})
    return target, days


def _notify(specs: list[NotificationSpec]) -> None:
    if specs:
        notify_many(specs)


@transaction.atomic
def deadline_extension_request(
    deadline: Deadline,
    *,
    actor,
    approver,
    reason: str,
    new_due_at: datetime.date | datetime.datetime | None = None,
    amount: int | None = None,
    unit: str = "calendar_days",
) -> DeadlineExtensionRequest:
    """Ask `approver` to extend the clock. Nothing moves until they approve, themselves.
    The approver must be the authority for this kind of clock (see approver_may_approve)."""
    locked = Deadline.objects.select_for_update().select_related("organisation").get(pk=deadline.pk)
    if locked.state in (Deadline.State.MET, Deadline.State.CANCELLED):
        raise ValidationError("已完成或已撤销的期限不能延长")
    kind = get_kind(locked.kind)
    if kind is not None and not kind.extension_by_request:
        raise ValidationError(
            f"“{kind.label}”不能申请审批延长：依法只能在记录法定事由（如双方当事人同意）后延长"
        )
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = ["请填写延长理由"]
    if not approver_may_approve(locked, approver):
        errors["approver"] = [f"{approver} 无权批准延长该期限"]
    if errors:
        raise ValidationError(errors)
    _extension_target(locked, new_due_at=new_due_at, amount=amount, unit=unit)
    if isinstance(new_due_at, datetime.datetime):
        new_due_at = timezone.localtime(new_due_at).date()
    request = DeadlineExtensionRequest.objects.create(
        deadline=locked,
        requested_by=actor,
        approver=approver,
        reason=reason[:200],
        new_due_date=new_due_at,
        amount=amount if new_due_at is None else None,
        unit=unit,
    )
    audit_create(request, actor=actor, note=f"申请延长，待 {approver} 审批：{reason}")
    _notify(
        [
            NotificationSpec(
                recipient=approver,
                kind=KIND_EXTENSION_REQUESTED,
                title=f"延长期限待您审批：{locked.label}",
                body=f"{actor} 申请延长（{reason}）",
                link=request.get_absolute_url(),
                subject=request,
            )
        ]
    )
    return request


def _decide(request, *, actor, transition: str, note: str, changes=None):
    """Lock and check: only the named approver decides, and only while it is pending."""
    if not getattr(actor, "is_authenticated", False) or actor.pk != request.approver_id:
        raise PermissionDenied("只有申请中指定的审批人本人可以审批")
    return EXTENSION_REQUEST_MACHINE.apply(
        request,
        transition,
        actor=actor,
        note=note,
        changes={"decided_at": timezone.now(), "decision_note": note[:200], **(changes or {})},
    )


@transaction.atomic
def deadline_extension_approve(
    request: DeadlineExtensionRequest, *, actor, note: str = ""
) -> DeadlineExtensionRequest:
    """The named approver approves, as themselves: the extension is recorded with them as
    approver and the due date moves (a missed clock reopens)."""
    note = (note or "").strip()
    if not getattr(actor, "is_authenticated", False) or actor.pk != request.approver_id:
        raise PermissionDenied("只有申请中指定的审批人本人可以审批")
    locked = (
        Deadline.objects.select_for_update()
        .select_related("organisation")
        .get(pk=request.deadline_id)
    )
    if locked.state in (Deadline.State.MET, Deadline.State.CANCELLED):
        raise ValidationError("已完成或已撤销的期限不能延长")
    if not approver_may_approve(locked, actor):
        raise PermissionDenied("您已无权批准延长该期限")
    target, days = _extension_target(
        locked, new_due_at=request.new_due_date, amount=request.amount, unit=request.unit
    )
    extension = DeadlineExtension.objects.create(
        deadline=locked,
        requested_by=request.requested_by,
        approved_by=actor,
        reason=request.reason,
        previous_due_at=locked.due_at,
        new_due_at=end_of_day(target),
        days_added=days,
        # Recomputation recounts the extension in the unit it was granted in.
        unit=request.unit if request.new_due_date is None else "",
        amount=request.amount if request.new_due_date is None else None,
    )
    audit_create(extension, actor=actor, note=f"{actor} 批准延长 {days} 日")
    decided = _decide(request, actor=actor, transition="approve", note=note,
                      changes={"extension": extension})  # fmt: skip
    if locked.state == Deadline.State.MISSED:
        DEADLINE_MACHINE.apply(locked, "reopen", actor=actor, note=request.reason)
    deadline_recompute(locked, actor=actor, note=f"经 {actor} 批准延长 {days} 日：{request.reason}")
    kind = get_kind(locked.kind)
    if kind is not None and kind.on_extended is not None:
        kind.on_extended(locked, actor)
    _notify(
        [
            NotificationSpec(
                recipient=request.requested_by,
                kind=KIND_EXTENSION_DECIDED,
                title=f"延长申请已批准：{locked.label}",
                body=f"{actor} 批准延长 {days} 日。{note}",
                link=decided.get_absolute_url(),
                subject=decided,
            )
        ]
    )
    return decided


@transaction.atomic
def deadline_extension_refuse(
    request: DeadlineExtensionRequest, *, actor, note: str
) -> DeadlineExtensionRequest:
    """The named approver refuses, with a reason; the due date stays."""
    note = (note or "").strip()
    if not getattr(actor, "is_authenticated", False) or actor.pk != request.approver_id:
        raise PermissionDenied("只有申请中指定的审批人本人可以审批")
    if not note:
        raise ValidationError({"note": ["请填写不予批准的理由"]})
    decided = _decide(request, actor=actor, transition="refuse", note=note)
    _notify(
        [
            NotificationSpec(
                recipient=request.requested_by,
                kind=KIND_EXTENSION_DECIDED,
                title=f"延长申请未获批准：{decided.deadline.label}",
                body=f"{actor}：{note}",
                link=decided.get_absolute_url(),
                subject=decided,
            )
        ]
    )
    return decided


@transaction.atomic
def deadline_owner_set(deadline: Deadline, *, owner, actor, note: str = "") -> Deadline:
    """Hand a clock to another person (e.g. the case went to another mediator): reminders
    go to them from now on. Audited; nothing else moves."""
    locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if locked.owner_id == getattr(owner, "pk", None):
        return locked
    before = snapshot(locked)
    locked.owner = owner
    locked.save(update_fields=["owner"])
    audit_change(locked, actor=actor, before=before, note=note)
    return locked


@transaction.atomic
def deadline_organisation_set(
    deadline: Deadline, *, organisation, actor, owner=None, note: str = ""
) -> Deadline:
    """Hand a clock to another organisation (a case moved to another court): its lists,
    overdue counts and approvals are that organisation's from now on, and its reminders go
    to `owner` (kept when None). The due date is not recomputed: the period the law gave
    has run from the same start. Audited; a closed clock is left as it was."""
    locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if locked.state not in Deadline.OPEN_STATES and not (
        locked.state == Deadline.State.MISSED and locked.closed_at is None
    ):
        return locked
    changed = ["organisation"] + (["owner"] if owner is not None else [])
    if locked.organisation_id == organisation.pk and (owner is None or locked.owner_id == owner.pk):
        return locked
    before = snapshot(locked)
    locked.organisation = organisation
    if owner is not None:
        locked.owner = owner
    locked.save(update_fields=changed)
    audit_change(locked, actor=actor, before=before, note=note)
    return locked


@transaction.atomic
def deadline_extend_on_record(
    deadline: Deadline, *, actor, reason: str, amount: int, unit: str = "calendar_days"
) -> DeadlineExtension:
    """Extend a clock the law extends on a recorded fact, not on an approval: the owning
    app has recorded the fact (e.g. both parties' consent to extend a pre-litigation
    mediation) and `actor` is the person who recorded it, named as such. The owning app
    checks the fact; this only moves the due date, with its explanation and audit entry."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["请填写延长依据"]})
    locked = Deadline.objects.select_for_update().select_related("organisation").get(pk=deadline.pk)
    if locked.state in (Deadline.State.MET, Deadline.State.CANCELLED):
        raise ValidationError("已完成或已撤销的期限不能延长")
    target, days = _extension_target(locked, new_due_at=None, amount=amount, unit=unit)
    extension = DeadlineExtension.objects.create(
        deadline=locked,
        requested_by=actor,
        approved_by=actor,
        reason=reason[:200],
        previous_due_at=locked.due_at,
        new_due_at=end_of_day(target),
        days_added=days,
        unit=unit,
        amount=amount,
    )
    audit_create(extension, actor=actor, note=f"{actor} 记录延长依据并延长 {days} 日：{reason}")
    if locked.state == Deadline.State.MISSED:
        DEADLINE_MACHINE.apply(locked, "reopen", actor=actor, note=reason)
    deadline_recompute(locked, actor=actor, note=f"依 {reason} 延长 {days} 日（{actor} 记录）")
    return extension


# --- the working calendar ------------------------------------------------------------


@transaction.atomic
def calendar_day_set(
    *, date: datetime.date, is_working_day: bool, name: str, actor
) -> tuple[CalendarDay, int]:
    """Add or correct one day of the working calendar, then recompute every open deadline
    whose period covers that day. Returns the day and how many due dates moved."""
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    if day is None:
        day = CalendarDay.objects.create(
            date=date, is_working_day=is_working_day, name=name,
            changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        )  # fmt: skip
        audit_create(day, actor=actor)
    else:
        before = snapshot(day)
        day.is_working_day, day.name, day.changed_at = is_working_day, name, timezone.now()
        day.save()
        audit_change(day, actor=actor, before=before)
    moved = recompute_for_calendar_change(date=date, actor=actor, note=(
        f"工作日历变更：{date} 设为{'工作日' if is_working_day else '休息日'}（{name}），重新计算期限"
    ))  # fmt: skip
    return day, moved


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, actor) -> int:
    from audit.services import audit_delete

    date = day.date
    audit_delete(day, actor=actor)
    day.delete()
    return recompute_for_calendar_change(
        date=date, actor=actor, note=f"工作日历变更：删除 {date} 的调整，恢复官方日历，重新计算期限"
    )


@transaction.atomic
def calendar_year_set(
    *, year: int, confirmed: bool, actor, note: str = ""
) -> tuple[CalendarYear, int]:
    """Mark a year's working calendar as entered and confirmed (or not), then recompute
    every open deadline whose period reaches into that year: confirmed, its count is no
    longer provisional. Returns the year and how many due dates moved."""
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    changed_by = actor if getattr(actor, "is_authenticated", False) else None
    if calendar_year is None:
        calendar_year = CalendarYear.objects.create(
            year=year, confirmed=confirmed, note=note[:200], changed_by=changed_by
        )
        audit_create(calendar_year, actor=actor)
    else:
        before = snapshot(calendar_year)
        calendar_year.confirmed, calendar_year.note = confirmed, note[:200]
        calendar_year.changed_by, calendar_year.changed_at = changed_by, timezone.now()
        calendar_year.save()
        audit_change(calendar_year, actor=actor, before=before)
    state = "已录入并确认" if confirmed else "取消确认（按暂定日历计算）"
    moved = recompute_for_calendar_change(
        date=datetime.date(year, 1, 1),
        through=datetime.date(year, 12, 31),
        actor=actor,
        note=f"工作日历变更：{year} 年日历{state}，重新计算期限",
    )
    return calendar_year, moved


def recompute_for_calendar_change(
    *, date: datetime.date, actor, note: str, through: datetime.date | None = None
) -> int:
    """Open deadlines whose period (start … due) includes `date` (or meets `date` …
    `through`); each is re-derived from its start, rule, pauses and extensions. Returns
    how many due dates moved."""
    day_start = timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))
    affected = Deadline.objects.filter(
        state__in=Deadline.OPEN_STATES,
        start_at__lt=end_of_day(through or date),
        due_at__gte=day_start,
    ).select_related("organisation")
    calendar = WorkingCalendar.load()
    moved = 0
    for deadline in affected.iterator(chunk_size=500):
        if deadline_recompute(deadline, actor=actor, note=note, calendar=calendar):
            moved += 1
    return moved
