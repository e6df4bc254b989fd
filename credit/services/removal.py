"""Removing sanctions (删除失信信息 / 解除限制消费) within 3 working days of the legal fact.

    removals = removals_start(case=case, trigger=Trigger.FULL_PERFORMANCE,
                              reason="被执行人已全部履行", actor=officer)
    removal_execute(removal=removals[0], actor=officer)

Each live sanction the trigger covers gets one Removal with the `credit.removal` clock
(3 working days from `fact_at`, Chinese working days). Triggers in
`conf.removal_approval_triggers()` wait for the named president's approval first; the
clock runs from the fact all the same. Executing lifts the sanction: a listing is removed
(shielded on restoration), a restriction lifted; partners see it in the feed.

Expiry removes by itself: `sanctions_expire` (beat, daily) creates and executes the removal
of every sanction whose term ended; rerunning it does nothing more.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create
from common.statemachine import TransitionNotAllowed
from deadlines.engine import end_of_day
from deadlines.models import Deadline
from deadlines.selectors import deadlines_for
from deadlines.services import deadline_cancel, deadline_meet, deadline_start

from .. import conf
from ..models import (
    LIVE_PUBLICATION,
    CreditChange,
    Listing,
    Removal,
    Restriction,
    Trigger,
)
from ..states import publication_machine, removal_machine, restriction_machine
from ._common import (
    approver_name,
    is_president,
    require_court_staff,
    require_named_approver,
    tell,
)
from .feed import feed_record

KIND_REMOVAL_DUE = "credit.removal_due"
KIND_REMOVAL_APPROVAL = "credit.removal_approval"
REMOVAL_CLOCK = "credit.removal"

# which sanctions each trigger removes (DOMAIN.md "Removal within 3 working days of …";
# a suspension keeps the restriction, only the listing information is deleted)
TRIGGER_COVERS: dict[str, tuple[type, ...]] = {
    Trigger.FULL_PERFORMANCE: (Listing, Restriction),
    Trigger.SETTLEMENT_PERFORMED: (Listing, Restriction),
    Trigger.APPLICANT_REQUEST: (Listing, Restriction),
    Trigger.EMPTY_SEARCHES: (Listing,),
    Trigger.SUSPENSION_TERMINATION: (Listing,),
    Trigger.EXPIRY: (Listing, Restriction),
    Trigger.SECURITY: (Restriction,),
    Trigger.RESTORATION: (Listing, Restriction),
    Trigger.CORRECTION: (Listing, Restriction),
}
OPEN_REMOVAL = (Removal.State.PENDING_APPROVAL, Removal.State.PENDING)


def live_sanctions(case, *, case_party=None, kinds: Iterable[type] = (Listing, Restriction)):
    """The case's sanctions still in force (optionally of one debtor), with those decided in
    the cases it was resumed from (执恢 carries on the 终本 case: its restrictions bind the
    debtor until this case ends); a debtor is matched by person across the chain."""
    from ..selectors import case_lineage

    lineage = case_lineage(case)
    found = []
    for model in kinds:
        queryset = model.objects.filter(case_id__in=lineage)
        if case_party is not None:
            queryset = queryset.filter(
                Q(case_party=case_party) | Q(debtor_id=case_party.party_id, case_id__in=lineage[1:])
            )
        if model is Listing:
            queryset = queryset.filter(publication__in=LIVE_PUBLICATION)
        else:
            queryset = queryset.filter(state=Restriction.State.IN_FORCE)
        found.extend(queryset.order_by("pk"))
    return found


def _open_removal(sanction) -> Removal | None:
    field = "listing" if isinstance(sanction, Listing) else "restriction"
    return Removal.objects.filter(**{field: sanction, "state__in": OPEN_REMOVAL}).first()


@transaction.atomic
def removals_start(
    *,
    case,
    trigger: str,
    reason: str,
    actor,
    case_party=None,
    fact_at: datetime.datetime | None = None,
    approver=None,
    sanctions: Iterable | None = None,
) -> list[Removal]:
    """One removal per live sanction the trigger covers, each with its 3-working-day
    clock from `fact_at` (default now). A sanction with an open removal keeps it (so a
    repeated call changes nothing). `actor` None is the system (expiry, a case event)."""
    if actor is not None:
        require_court_staff(actor, case.court)
    errors = {}
    if trigger not in Trigger.values:
        errors["trigger"] = [_("请选择删除事由。")]
    if not (reason or "").strip():
        errors["reason"] = [_("请写明删除事由。")]
    needs_approval = trigger in conf.removal_approval_triggers()
    if needs_approval and not is_president(approver, case.court):
        errors["approver"] = [_("该事由须经本院院长（副院长）审批：请指定审批人。")]
    if errors:
        raise ValidationError(errors)
    if sanctions is None:
        sanctions = live_sanctions(case, case_party=case_party, kinds=TRIGGER_COVERS[trigger])
    fact_at = fact_at or timezone.now()
    owner = case.officer or (actor if getattr(actor, "is_authenticated", False) else None)
    removals = []
    for sanction in sanctions:
        existing = _open_removal(sanction)
        if existing is not None:
            removals.append(existing)
            continue
        removal = Removal.objects.create(
            listing=sanction if isinstance(sanction, Listing) else None,
            restriction=sanction if isinstance(sanction, Restriction) else None,
            case=case,
            court=case.court,
            trigger=trigger,
            reason=reason.strip(),
            fact_at=fact_at,
            state=Removal.State.PENDING_APPROVAL if needs_approval else Removal.State.PENDING,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            owner=owner,
            approver=approver if needs_approval else None,
        )
        audit_create(removal, actor=actor, note=removal.get_trigger_display())
        deadline = deadline_start(
            subject=removal,
            kind=REMOVAL_CLOCK,
            start=fact_at,
            owner=owner,
            organisation=case.court,
            actor=actor,
        )
        Removal.objects.filter(pk=removal.pk).update(due_at=deadline.due_at)
        removal.due_at = deadline.due_at
        removals.append(removal)
        if needs_approval:
            tell(
                [approver], actor=actor, kind=KIND_REMOVAL_APPROVAL,
                title=_("删除/解除待您审批：%(name)s") % {"name": sanction.debtor_name},
                body=f"{case.case_number} · {removal.get_trigger_display()}",
                link=removal.get_absolute_url(), subject=removal,
            )  # fmt: skip
        elif actor is not None:
            tell(
                [owner], actor=actor, kind=KIND_REMOVAL_DUE,
                title=_("三个工作日内删除/解除：%(name)s") % {"name": sanction.debtor_name},
                body=f"{case.case_number} · {removal.get_trigger_display()}",
                link=removal.get_absolute_url(), subject=removal,
            )  # fmt: skip
    return removals


def _open_clocks(removal: Removal):
    return deadlines_for(removal).filter(state__in=Deadline.OPEN_STATES)


def _require_approver(removal: Removal, actor) -> None:
    """The named president, and a president of the court the removal is with now — the
    case's court (执行法院): a removal asked before the case was moved is approved by the
    receiving court's president, never by the original court's."""
    require_named_approver(removal, actor)
    if not is_president(actor, removal.court):
        raise PermissionDenied(_("须由承办法院的院长（副院长）审批，您不是该院院长（副院长）。"))


@transaction.atomic
def removal_approver_name(*, removal: Removal, approver, actor) -> Removal:
    """Name the president who approves a removal waiting for approval when no president
    of its court is named — after the case moved to another court (the transfer takes the
    original court's president off it), the receiving court's staff ask their own."""
    require_court_staff(actor, removal.court)
    locked = Removal.objects.select_for_update().get(pk=removal.pk)
    approver_name(
        locked, approver=approver, actor=actor,
        not_pending=_("该删除/解除不在待审批状态。"),
        not_president=_("须报请本院院长（副院长）审批：请指定审批人。"),
    )  # fmt: skip
    tell(
        [approver], actor=actor, kind=KIND_REMOVAL_APPROVAL,
        title=_("删除/解除待您审批：%(name)s") % {"name": locked.sanction.debtor_name},
        body=f"{locked.case.case_number} · {locked.get_trigger_display()}",
        link=locked.get_absolute_url(), subject=locked,
    )  # fmt: skip
    removal.refresh_from_db()
    return removal


@transaction.atomic
def removal_approve(*, removal: Removal, actor, note: str = "") -> Removal:
    _require_approver(removal, actor)
    removal_machine.apply(
        removal, "approve", actor=actor, note=note,
        changes={"decided_at": timezone.now(), "decision_note": (note or "")[:200]},
    )  # fmt: skip
    tell(
        [removal.owner], actor=actor, kind=KIND_REMOVAL_DUE,
        title=_("删除/解除已批准，请在期限内办理"), link=removal.get_absolute_url(),
        subject=removal,
    )  # fmt: skip
    return removal


@transaction.atomic
def removal_refuse(*, removal: Removal, actor, note: str) -> Removal:
    _require_approver(removal, actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写不予删除的理由。")]})
    removal_machine.apply(
        removal, "refuse", actor=actor, note=note,
        changes={"decided_at": timezone.now(), "decision_note": note[:200]},
    )  # fmt: skip
    for clock in _open_clocks(removal):
        deadline_cancel(clock, actor=actor, reason=_("不予删除：%(note)s") % {"note": note})
    return removal


def _lift(sanction, *, trigger: str, actor, note: str) -> None:
    """Take the sanction out of force and off the list (shielded on restoration)."""
    model = type(sanction)
    locked = model.objects.select_for_update().get(pk=sanction.pk)
    now = timezone.now()
    if isinstance(locked, Restriction) and locked.state == Restriction.State.IN_FORCE:
        restriction_machine.apply(locked, "lift", actor=actor, note=note,
                                  changes={"lifted_at": now})  # fmt: skip
        locked.refresh_from_db()
    if locked.publication not in LIVE_PUBLICATION:
        return
    was_public = locked.published_at is not None
    shield = trigger == Trigger.RESTORATION
    publication_machine.apply(
        locked, "shield" if shield else "remove", actor=actor, note=note,
        changes={"lifted_at": locked.lifted_at or now},
    )  # fmt: skip
    if was_public:
        feed_record(
            sanction=locked,
            action=CreditChange.Action.SHIELDED if shield else CreditChange.Action.REMOVED,
            note=note,
        )


@transaction.atomic
def removal_execute(*, removal: Removal, actor) -> Removal:
    """Remove/lift the sanction now and close the clock (late if after its due moment)."""
    if actor is not None:
        require_court_staff(actor, removal.court)
    removal_machine.apply(
        removal, "execute", actor=actor,
        changes={"done_at": timezone.now(),
                 "done_by": actor if getattr(actor, "is_authenticated", False) else None},
    )  # fmt: skip
    note = f"{removal.get_trigger_display()}：{removal.reason}"[:200]
    _lift(removal.sanction, trigger=removal.trigger, actor=actor, note=note)
    for clock in _open_clocks(removal):
        deadline_meet(clock, actor=actor)
    return removal


def removals_start_and_execute(**kwargs) -> list[Removal]:
    """For triggers that are the court's own decision (restoration, correction, expiry):
    the removal is recorded with its clock and done at once."""
    with transaction.atomic():
        removals = removals_start(**kwargs)
        for removal in removals:
            if removal.state == Removal.State.PENDING:
                removal_execute(removal=removal, actor=kwargs["actor"])
            elif removal.state == Removal.State.PENDING_APPROVAL:
                raise TransitionNotAllowed(_("该删除须先经审批。"))
    return removals


def sanctions_expire(*, today: datetime.date | None = None) -> int:
    """Remove every sanction whose term ended before `today` (beat, daily). Idempotent:
    each sanction is taken under a row lock and only while still live."""
    today = today or timezone.localdate()
    done = 0
    candidates = [
        (Listing, pk)
        for pk in Listing.objects.filter(
            publication__in=LIVE_PUBLICATION, ends_on__isnull=False, ends_on__lt=today
        ).values_list("pk", flat=True)
    ] + [
        (Restriction, pk)
        for pk in Restriction.objects.filter(
            state=Restriction.State.IN_FORCE, ends_on__isnull=False, ends_on__lt=today
        ).values_list("pk", flat=True)
    ]
    for model, pk in candidates:
        with transaction.atomic():
            sanction = (
                model.objects.select_for_update(skip_locked=True)
                .select_related("case", "court")
                .filter(pk=pk)
                .first()
            )
            if sanction is None or (
                sanction.publication not in LIVE_PUBLICATION
                if model is Listing
                else sanction.state != Restriction.State.IN_FORCE
            ):
                continue
            # the term's last day is ends_on: the fact (expiry) is the next day's start
            fact_at = end_of_day(sanction.ends_on) + datetime.timedelta(seconds=1)
            removals = removals_start(
                case=sanction.case,
                trigger=Trigger.EXPIRY,
                reason=_("期限届满（%(date)s）") % {"date": sanction.ends_on.isoformat()},
                actor=None,
                fact_at=fact_at,
                sanctions=[sanction],
            )
            for removal in removals:
                if removal.state == Removal.State.PENDING:
                    removal_execute(removal=removal, actor=None)
                    done += 1
    return done
