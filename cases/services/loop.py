"""The loop: 研判 → 吹哨 → 应哨 → 答卷 → 交卷 → 评卷, plus 督办, 移交 and 打包.

Every step goes through `cases.states` (guard → change → audit in one transaction) and
appends a DisputeEvent to the timeline. Notifications are sent on commit.
"""

import hashlib
import importlib
import secrets
from datetime import datetime, timedelta

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_create, snapshot
from cases import conf, hooks, timelimits
from cases.models import (
    ACTIVE_DISPATCH_STATUSES,
    OPEN_STATUSES,
    Attachment,
    Bundle,
    Difficulty,
    Dispatch,
    DispatchStatus,
    Dispute,
    DisputeEvent,
    DisputeStatus,
    Rating,
    ReferralTarget,
    SavedFilter,
)
from cases.selectors import person_search_key
from cases.states import CENTRE_ROLES, dispatch_machine, dispute_machine
from common.statemachine import TransitionNotAllowed
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

from ._common import acting_organisation, event_record
from .intake import attachment_add, attachment_validate

Kind = DisputeEvent.Kind


def _tell(users, *, actor=None, kind: str, title: str, body: str, link: str, subject) -> None:
    """Notify `users` (once each, never the actor themselves) through the notifications
    app, if installed: written with the step, delivery enqueued through the outbox."""
    if not apps.is_installed("notifications"):
        return
    services = importlib.import_module("notifications.services")
    recipients = {}
    for user in users:
        if user is not None and user.pk != getattr(actor, "pk", None):
            recipients.setdefault(user.pk, user)
    services.notify_many(
        [
            services.NotificationSpec(
                recipient=user, kind=kind, title=title, body=body, link=link, subject=subject
            )
            for user in recipients.values()
        ]
    )


def _members_of(organisation, roles=None):
    queryset = organisation.memberships.filter(is_active=True).select_related("user")
    if roles:
        queryset = queryset.filter(role__in=roles)
    return [m.user for m in queryset]


def _centre_users(dispute, dispatch=None):
    """Who at the owning centre hears what the departments did: its clerks, supervisors
    and admins, the assignee, and whoever blew the whistle."""
    users = _members_of(dispute.organisation, CENTRE_ROLES)
    if dispute.assignee_id:
        users.append(dispute.assignee)
    if dispatch is not None:
        users.append(dispatch.dispatched_by)
    return users


def _tell_centre(dispatch, *, actor, kind: str, title: str, body: str) -> None:
    dispute = dispatch.dispute
    _tell(
        _centre_users(dispute, dispatch),
        actor=actor,
        kind=kind,
        title=title % {"ref": dispute.reference, "org": dispatch.responder.name},
        body=body,
        link=reverse("cases:detail", args=[dispute.pk]),
        subject=dispute,
    )


def _tell_reporter(dispute, *, actor, title: str, body: str) -> None:
    """The person who reported (e.g. the grid worker) hears the outcome."""
    _tell(
        [dispute.registered_by],
        actor=actor,
        kind="cases.outcome",
        title=title % {"ref": dispute.reference},
        body=body,
        link=reverse("cases:detail", args=[dispute.pk]),
        subject=dispute,
    )


# --- 研判 ------------------------------------------------------------------------------


def dispute_triage(
    *,
    dispute: Dispute,
    actor,
    difficulty: str,
    duty_note: str = "",
    lead_organisation=None,
    coordinator=None,
    due_at: datetime | None = None,
    note: str = "",
) -> Dispute:
    """一审职责、二审难度、三审时效. Simple → the community itself; complex → a lead
    department; major → a named leader coordinates. The deadline defaults by difficulty."""
    errors = {}
    if difficulty not in Difficulty.values:
        errors["difficulty"] = [_("请选择难易程度。")]
    if difficulty == Difficulty.COMPLEX and lead_organisation is None:
        errors["lead_organisation"] = [_("复杂事项须明确主责部门。")]
    if difficulty == Difficulty.MAJOR and coordinator is None:
        errors["coordinator"] = [_("重大事项须明确牵头领导。")]
    now = timezone.now()
    if due_at is not None and due_at <= now:
        errors["due_at"] = [_("办结期限应晚于当前时间。")]
    if errors:
        raise ValidationError(errors)
    if difficulty == Difficulty.SIMPLE and lead_organisation is None:
        lead_organisation = dispute.organisation
    due_at = due_at or now + conf.deadline_for(difficulty)

    def after(locked):
        event_record(
            locked,
            kind=Kind.TRIAGED,
            actor=actor,
            note=note or duty_note,
            data={
                "difficulty": difficulty,
                "lead_organisation": lead_organisation.pk if lead_organisation else None,
                "coordinator": coordinator.pk if coordinator else None,
                "due_at": due_at.isoformat(),
            },
        )
        timelimits.meet(subject=locked, kind=timelimits.TRIAGE, actor=actor)

    return dispute_machine.apply(
        dispute,
        "triage",
        actor=actor,
        note=note,
        changes={
            "difficulty": difficulty,
            "duty_note": duty_note,
            "lead_organisation": lead_organisation,
            "coordinator": coordinator,
            "due_at": due_at,
            "triaged_at": now,
        },
        after=after,
    )


# --- 吹哨 / 应哨 / 答卷 ----------------------------------------------------------------------


def _check_targets(dispute, targets, now) -> None:
    if not targets:
        raise ValidationError({"responders": [_("请至少选择一个应哨单位。")]})
    # Only this round's live dispatches count: a new round (after an unsatisfied rating)
    # may go to the same units again.
    # The round as stored (the caller's instance may predate a reopen).
    current_round = Dispute.objects.filter(pk=dispute.pk).values_list("round", flat=True).get()
    busy = set(
        dispute.dispatches.filter(
            round=current_round, status__in=[*ACTIVE_DISPATCH_STATUSES, DispatchStatus.ANSWERED]
        ).values_list("responder_id", flat=True)
    )
    errors = []
    for target in targets:
        if target["responder"].pk in busy:
            errors.append(_("已向“%(org)s”吹哨，无需重复。") % {"org": target["responder"].name})
        deadline = target.get("deadline")
        if deadline is not None and deadline <= now:
            errors.append(
                _("“%(org)s”的答卷期限应晚于当前时间。") % {"org": target["responder"].name}
            )
    if errors:
        raise ValidationError({"responders": errors})


def _dispatch_create(locked, *, actor, target, now, note) -> Dispatch:
    """One dispatch of the current round, its clocks, its timeline step and the notice to
    the responder (naming the organisation that blew the whistle)."""
    accept_due = now + timedelta(hours=conf.get("CASES_ACCEPT_HOURS"))
    deadline = (
        target.get("deadline") or locked.due_at or now + conf.deadline_for(Difficulty.COMPLEX)
    )
    dispatching = acting_organisation(actor, locked.organisation)
    redispatched_from = target.get("redispatched_from")
    dispatch = Dispatch.objects.create(
        dispute=locked,
        round=locked.round,
        responder=target["responder"],
        redispatched_from=redispatched_from,
        is_lead=bool(target.get("is_lead"))
        or target["responder"] == locked.lead_organisation
        or bool(redispatched_from and redispatched_from.is_lead),
        instructions=target.get("instructions", ""),
        dispatched_by=actor,
        dispatched_by_organisation=dispatching,
        dispatched_at=now,
        accept_due_at=min(accept_due, deadline),
        deadline=deadline,
    )
    audit_create(dispatch, actor=actor, note=note)
    data = {
        "deadline": deadline.isoformat(),
        "responder": dispatch.responder.name,
        "round": locked.round,
    }
    if redispatched_from is not None:
        data["from"] = redispatched_from.responder.name
    event_record(
        locked,
        kind=Kind.REDISPATCHED if redispatched_from else Kind.DISPATCHED,
        actor=actor,
        organisation=dispatching,
        dispatch=dispatch,
        note=dispatch.instructions or note,
        data=data,
    )
    timelimits.start(
        subject=dispatch,
        kind=timelimits.DISPATCH_ACCEPT,
        organisation=dispatch.responder,
        actor=actor,
        due_at=dispatch.accept_due_at,
    )
    timelimits.start(
        subject=dispatch,
        kind=timelimits.DISPATCH_ANSWER,
        organisation=dispatch.responder,
        actor=actor,
        due_at=deadline,
    )
    _tell(
        _members_of(dispatch.responder),
        actor=actor,
        kind="cases.dispatched",
        title=_("新的吹哨事项：%(ref)s") % {"ref": locked.reference},
        body=_("%(centre)s向贵单位吹哨，请于%(due)s前答卷。")
        % {
            "centre": (dispatching or locked.organisation).name,
            "due": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
        },
        link=reverse("cases:dispatch_detail", args=[dispatch.pk]),
        subject=dispatch,
    )
    return dispatch


def dispute_dispatch(
    *, dispute: Dispute, actor, targets: list[dict], note: str = ""
) -> list[Dispatch]:
    """吹哨 to one or more responders: each target is {"responder", "deadline"?,
    "instructions"?, "is_lead"?}; the deadline defaults to the dispute's due date."""
    now = timezone.now()
    _check_targets(dispute, targets, now)
    created: list[Dispatch] = []

    def after(locked):
        for target in targets:
            created.append(_dispatch_create(locked, actor=actor, target=target, now=now, note=note))

    dispute_machine.apply(dispute, "dispatch", actor=actor, note=note, after=after)
    return created


def dispatch_redispatch(
    *,
    dispatch: Dispatch,
    actor,
    responder,
    deadline: datetime | None = None,
    instructions: str = "",
    note: str = "",
) -> Dispatch:
    """改派: the centre sends a handed-back matter to another unit, in the same round, with
    its own clocks. Each handed-back dispatch is re-dispatched at most once."""
    dispute = Dispute.objects.get(pk=dispatch.dispute_id)
    errors = {}
    if dispatch.status != DispatchStatus.HANDED_BACK:
        raise TransitionNotAllowed(_("只有被退回的交办可以改派。"))
    if dispatch.round != dispute.round:
        raise TransitionNotAllowed(_("这是上一轮的交办，请在本轮重新吹哨。"))
    if Dispatch.objects.filter(redispatched_from=dispatch).exists():
        raise TransitionNotAllowed(_("该交办已改派。"))
    if responder is None:
        errors["responder"] = [_("请选择改派的单位。")]
    elif responder.pk == dispatch.responder_id:
        errors["responder"] = [_("改派须交给另一个单位。")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    target = {
        "responder": responder,
        "deadline": deadline,
        "instructions": instructions,
        "redispatched_from": dispatch,
    }
    _check_targets(dispute, [target], now)
    created: list[Dispatch] = []

    def after(locked):
        created.append(_dispatch_create(locked, actor=actor, target=target, now=now, note=note))

    dispute_machine.apply(dispute, "redispatch", actor=actor, note=note, after=after)
    return created[0]


def dispatch_accept(*, dispatch: Dispatch, actor) -> Dispatch:
    """应哨: the responder takes the matter on; time to accept, and whether it was late
    (now against the acceptance due time, at this moment), are recorded."""
    now = timezone.now()

    def after(locked):
        event_record(
            locked.dispute,
            kind=Kind.ACCEPTED,
            actor=actor,
            acting_for=locked.responder,
            dispatch=locked,
            data={
                "seconds_to_accept": int((now - locked.dispatched_at).total_seconds()),
                "late": locked.accepted_late,
            },
        )
        timelimits.meet(subject=locked, kind=timelimits.DISPATCH_ACCEPT, actor=actor)
        _tell_centre(
            locked,
            actor=actor,
            kind="cases.accepted",
            title=_("%(org)s已应哨：%(ref)s"),
            body=_("逾期应哨。") if locked.accepted_late else _("已按时应哨。"),
        )

    late = bool(dispatch.accept_due_at and now > dispatch.accept_due_at)
    return dispatch_machine.apply(
        dispatch,
        "accept",
        actor=actor,
        changes={"accepted_at": now, "accepted_by": actor, "accepted_late": late},
        after=after,
    )


def dispatch_answer(*, dispatch: Dispatch, actor, answer: str, attachments=()) -> Dispatch:
    """答卷: what the responder did, and whether it came after the answer deadline. When
    the last active responder of this round answers, the dispute moves to review (待交卷)."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_("请填写处置情况。")]})
    # Check every file before storing any, so a refused file leaves no stored orphans.
    for upload in attachments:
        attachment_validate(upload)
    now = timezone.now()

    def after(locked):
        for upload in attachments:
            attachment_add(
                dispute=locked.dispute,
                actor=actor,
                upload=upload,
                kind=Attachment.Kind.ANSWER,
                dispatch=locked,
            )
        event_record(
            locked.dispute,
            kind=Kind.ANSWERED,
            actor=actor,
            acting_for=locked.responder,
            dispatch=locked,
            note=answer,
            data={"late": locked.answered_late},
        )
        timelimits.meet(subject=locked, kind=timelimits.DISPATCH_ANSWER, actor=actor)
        _tell_centre(
            locked,
            actor=actor,
            kind="cases.dispatch_answered",
            title=_("%(org)s已答卷：%(ref)s"),
            body=answer[:500],
        )
        _maybe_all_answered(locked.dispute)

    return dispatch_machine.apply(
        dispatch,
        "answer",
        actor=actor,
        changes={
            "answer": answer,
            "answered_at": now,
            "answered_by": actor,
            "answered_late": now > dispatch.deadline,
        },
        after=after,
    )


def _maybe_all_answered(dispute):
    """System step: when every live dispatch of this round has answered."""
    dispute = Dispute.objects.get(pk=dispute.pk)
    if dispute_machine.refusal(dispute, "all_answered") is None:
        dispute_machine.apply(dispute, "all_answered", actor=None)
        event_record(dispute, kind=Kind.ALL_ANSWERED, actor=None, data={"round": dispute.round})
        dispatchers = [
            d.dispatched_by
            for d in dispute.dispatches.filter(round=dispute.round).select_related("dispatched_by")
        ]
        _tell(
            [*_centre_users(dispute), *dispatchers],
            kind="cases.answered",
            title=_("待交卷审核：%(ref)s") % {"ref": dispute.reference},
            body=_("应哨单位已全部答卷，请审核。"),
            link=reverse("cases:detail", args=[dispute.pk]),
            subject=dispute,
        )


def _cancel_dispatch_clocks(dispatch, *, actor, reason: str) -> None:
    timelimits.cancel(subject=dispatch, kind=timelimits.DISPATCH_ACCEPT, actor=actor, reason=reason)
    timelimits.cancel(subject=dispatch, kind=timelimits.DISPATCH_ANSWER, actor=actor, reason=reason)


def dispatch_hand_back(*, dispatch: Dispatch, actor, reason: str) -> Dispatch:
    """退回: not this responder's duty (or cannot act); the reason is required. The centre
    is told and may re-dispatch (改派); if nobody is left on the dispute, it goes back to
    the centre to dispatch again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写退回理由。")]})

    def after(locked):
        event_record(
            locked.dispute,
            kind=Kind.HANDED_BACK,
            actor=actor,
            acting_for=locked.responder,
            dispatch=locked,
            note=reason,
        )
        _cancel_dispatch_clocks(locked, actor=actor, reason=reason)
        _tell_centre(
            locked,
            actor=actor,
            kind="cases.handed_back",
            title=_("%(org)s退回：%(ref)s"),
            body=reason,
        )
        dispute = Dispute.objects.get(pk=locked.dispute_id)
        if dispute_machine.refusal(dispute, "all_handed_back") is None:
            dispute_machine.apply(dispute, "all_handed_back", actor=None, note=reason)
        else:
            _maybe_all_answered(dispute)

    return dispatch_machine.apply(
        dispatch,
        "hand_back",
        actor=actor,
        note=reason,
        changes={"hand_back_reason": reason, "handed_back_at": timezone.now()},
        after=after,
    )


# --- 交卷 / 评卷 / 销号 -------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "ignore")).hexdigest()


def rating_link_issue(*, dispute: Dispute, actor) -> tuple[Rating, str]:
    """A fresh no-login rating link (earlier unused links stop working). The plain token
    is returned once and stored only as its SHA-256."""
    if dispute.status != DisputeStatus.RESOLVED:
        raise TransitionNotAllowed(_("只有待评卷的纠纷才能生成评价链接。"))
    now = timezone.now()
    Rating.objects.filter(dispute=dispute, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    token = secrets.token_urlsafe(24)
    rating = Rating.objects.create(
        dispute=dispute,
        token_hash=_token_hash(token),
        expires_at=now + timedelta(days=conf.get("CASES_RATING_LINK_DAYS")),
    )
    audit_create(rating, actor=actor, note=_("生成评价链接"))
    return rating, token


def rating_sms_text(*, dispute: Dispute, url: str) -> str:
    return _(
        "【枫桥】您反映的事项（%(ref)s）已办理完毕，请点击链接评价：%(url)s （%(days)d天内有效）"
    ) % {
        "ref": dispute.reference,
        "url": url,
        "days": conf.get("CASES_RATING_LINK_DAYS"),
    }


@transaction.atomic
def dispute_review_close(*, dispute: Dispute, actor, note: str = "") -> tuple[Dispute, str]:
    """交卷·确认化解: the centre accepts the answers; the dispute counts as resolved (化解)
    and waits for the resident's rating. Returns the dispute and the new rating token."""
    now = timezone.now()

    def after(locked):
        event_record(locked, kind=Kind.CLOSED_RESOLVED, actor=actor, note=note)
        _tell_reporter(
            locked,
            actor=actor,
            title=_("您反映的事项已化解：%(ref)s"),
            body=note or _("经审核确认化解，待群众评价。"),
        )

    dispute = dispute_machine.apply(
        dispute, "close_resolved", actor=actor, note=note, changes={"resolved_at": now}, after=after
    )
    _rating, token = rating_link_issue(dispute=dispute, actor=actor)
    return dispute, token


def dispute_send_back(*, dispute: Dispute, actor, reason: str) -> Dispute:
    """交卷·退回重办: the answers are not good enough; answered dispatches reopen."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写退回重办的理由。")]})

    def after(locked):
        answered = locked.dispatches.filter(
            round=locked.round, status=DispatchStatus.ANSWERED
        ).select_related("responder", "dispatched_by")
        for dispatch in answered:
            dispatch_machine.apply(dispatch, "reopen", actor=actor, note=reason)
            event_record(locked, kind=Kind.SENT_BACK, actor=actor, dispatch=dispatch, note=reason)
            _tell(
                _members_of(dispatch.responder),
                actor=actor,
                kind="cases.dispatched",
                title=_("答卷被退回重办：%(ref)s") % {"ref": locked.reference},
                body=reason,
                link=reverse("cases:dispatch_detail", args=[dispatch.pk]),
                subject=dispatch,
            )

    return dispute_machine.apply(dispute, "send_back", actor=actor, note=reason, after=after)


class RatingLinkInvalid(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def rating_for_token(token: str) -> Rating:
    """The rating a link points to, or RatingLinkInvalid saying why (unknown/expired/used)."""
    rating = (
        Rating.objects.select_related("dispute").filter(token_hash=_token_hash(token or "")).first()
    )
    if rating is None:
        raise RatingLinkInvalid(_("评价链接无效，请核对短信中的链接。"))
    if rating.used_at is not None:
        raise RatingLinkInvalid(_("您已评价过此事项，感谢您的反馈。"))
    if rating.expires_at <= timezone.now():
        raise RatingLinkInvalid(_("评价链接已过期，如需评价请联系办理单位。"))
    return rating


@transaction.atomic
def rating_submit(*, token: str, score: int, comment: str = "") -> Rating:
    """评卷 by the resident (no login): satisfied (score ≥ 3) closes off the dispute (销号);
    unsatisfied reopens the loop. The link works once."""
    rating = rating_for_token(token)
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    if rating.used_at is not None:
        raise RatingLinkInvalid(_("您已评价过此事项，感谢您的反馈。"))
    if score not in (1, 2, 3, 4, 5):
        raise ValidationError({"score": [_("请选择评价。")]})
    now = timezone.now()
    rating.used_at = now
    rating.score = score
    rating.satisfied = score >= 3
    rating.comment = (comment or "").strip()[:1000]
    rating.save(update_fields=["used_at", "score", "satisfied", "comment"])
    actor = _("群众（评价链接）")
    dispute = rating.dispute
    # The resident's steps: no login, shown by name ("群众"), no organisation.
    resident = _("群众")
    event_record(
        dispute,
        kind=Kind.RATED,
        actor=resident,
        note=rating.comment,
        data={"score": score, "satisfied": rating.satisfied},
    )
    if rating.satisfied:
        dispute_machine.apply(dispute, "rate_satisfied", actor=actor, changes={"closed_at": now})
        event_record(dispute, kind=Kind.CLOSED, actor=resident, note=_("群众满意，销号"))
        _tell_reporter(
            dispute,
            actor=None,
            title=_("群众满意，已销号：%(ref)s"),
            body=rating.comment or _("评分%(score)d。") % {"score": score},
        )
    else:
        # A new round: earlier dispatches and answers no longer count.
        dispute_machine.apply(
            dispute,
            "rate_unsatisfied",
            actor=actor,
            note=rating.comment,
            changes={"resolved_at": None, "round": dispute.round + 1},
        )
        event_record(
            dispute,
            kind=Kind.REOPENED,
            actor=resident,
            note=rating.comment,
            data={"round": dispute.round},
        )
        _tell(
            _centre_users(dispute),
            kind="cases.reopened",
            title=_("群众不满意，重新办理：%(ref)s") % {"ref": dispute.reference},
            body=rating.comment or _("群众评价不满意。"),
            link=reverse("cases:detail", args=[dispute.pk]),
            subject=dispute,
        )
        _tell_reporter(
            dispute,
            actor=None,
            title=_("群众不满意，重新办理：%(ref)s"),
            body=rating.comment or _("群众评价不满意。"),
        )
    return rating


def dispute_close(*, dispute: Dispute, actor, note: str) -> Dispute:
    """销号 without a rating (e.g. the resident cannot be reached); a note is required."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请说明销号理由。")]})

    def after(locked):
        Rating.objects.filter(dispute=locked, used_at__isnull=True).update(
            expires_at=timezone.now()
        )
        event_record(locked, kind=Kind.CLOSED, actor=actor, note=note)
        _tell_reporter(locked, actor=actor, title=_("您反映的事项已销号：%(ref)s"), body=note)

    return dispute_machine.apply(
        dispute, "close", actor=actor, note=note, changes={"closed_at": timezone.now()}, after=after
    )


def dispute_refer(*, dispute: Dispute, actor, target: str, note: str = "") -> Dispute:
    """移交 to mediation or court. An app that takes referrals (mediation) registers a handler
    in `cases.hooks`; it runs in this transaction and its record is named on the timeline."""
    if target not in ReferralTarget.values:
        raise ValidationError({"target": [_("请选择移交去向。")]})

    def after(locked):
        handler = hooks.referral_handler(target)
        created = handler(dispute=locked, actor=actor, note=note) if handler else None
        timelimits.cancel(subject=locked, kind=timelimits.TRIAGE, actor=actor, reason=note)
        data = {"target": target}
        if created is not None:
            data.update(received_as=str(created), received_id=created.pk)
        event_record(locked, kind=Kind.REFERRED, actor=actor, note=note, data=data)

    return dispute_machine.apply(
        dispute, "refer", actor=actor, note=note, changes={"referral_target": target}, after=after
    )


def dispute_referral_return(*, dispute: Dispute, actor, note: str) -> Dispute:
    """The body a dispute was referred to gives it back (e.g. 终止调解, with the reason): the
    dispute is open again for its centre (重新办理, same round), the reason is on its
    timeline and the centre is told. Called by that app's own step (mediation_fail), in
    its transaction."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请说明退回原因。")]})

    def after(locked):
        event_record(locked, kind=Kind.REFERRAL_RETURNED, actor=actor, note=note)
        _tell(
            _centre_users(locked),
            actor=actor,
            kind="cases.referral_returned",
            title=_("移交的纠纷已退回，请重新办理：%(ref)s") % {"ref": locked.reference},
            body=note,
            link=reverse("cases:detail", args=[locked.pk]),
            subject=locked,
        )

    return dispute_machine.apply(
        dispute,
        "referral_return",
        actor=actor,
        note=note,
        changes={"referral_target": ""},
        after=after,
    )


# --- 督办, assignment, duplicates --------------------------------------------------------------


@transaction.atomic
def dispute_flag(*, dispute: Dispute, actor, flagged: bool = True, note: str = "") -> Dispute:
    """督办: a supervisor marks (or unmarks) a dispute for oversight."""
    if not ({Role.SUPERVISOR, Role.ADMIN} & roles_in_scope_of(actor, dispute.organisation)):
        raise PermissionDenied(_("只有监督领导可以督办。"))
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    before = snapshot(dispute)
    dispute.is_flagged = flagged
    dispute.flagged_note = note[:200] if flagged else ""
    dispute.save(update_fields=["is_flagged", "flagged_note", "updated_at"])
    audit_change(dispute, actor=actor, before=before, note=note)
    event_record(dispute, kind=Kind.FLAGGED if flagged else Kind.UNFLAGGED, actor=actor, note=note)
    return dispute


@transaction.atomic
def dispute_assign_bulk(*, disputes, actor, assignee) -> int:
    """Bulk assign (分派承办人): one audit entry and timeline step per dispute."""
    count = 0
    locked = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("organisation__region")
        .filter(pk__in=[d.pk for d in disputes])
    )
    for dispute in locked:
        if not (CENTRE_ROLES & roles_in_scope_of(actor, dispute.organisation)):
            raise PermissionDenied(_("无权分派纠纷%(ref)s。") % {"ref": dispute.reference})
        before = snapshot(dispute)
        dispute.assignee = assignee
        dispute.save(update_fields=["assignee", "updated_at"])
        audit_change(dispute, actor=actor, before=before)
        event_record(dispute, kind=Kind.ASSIGNED, actor=actor, data={"assignee": str(assignee)})
        count += 1
    return count


@transaction.atomic
def dispute_link_report(*, dispute: Dispute, actor, note: str, source_channel: str = "") -> Dispute:
    """Link a new report to an existing open dispute instead of registering it again."""
    event_record(
        dispute,
        kind=Kind.LINKED,
        actor=actor,
        note=note,
        data={"source_channel": source_channel},
    )
    return dispute


# --- 打包 ------------------------------------------------------------------------------


@transaction.atomic
def bundle_create(
    *, organisation, actor, title: str, disputes=(), description: str = "", category: str = ""
) -> Bundle:
    """打包: group disputes about one common problem."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("请填写共性问题。")]})
    # The list page's bulk form posts the title without a Django form: check it here.
    limit = Bundle._meta.get_field("title").max_length
    if len(title) > limit:
        raise ValidationError({"title": [_("共性问题不能超过%(n)d个字。") % {"n": limit}]})
    bundle = Bundle.objects.create(
        organisation=organisation,
        title=title,
        description=description,
        category=category,
        created_by=actor,
    )
    audit_create(bundle, actor=actor)
    bundle_add(bundle=bundle, actor=actor, disputes=disputes)
    return bundle


@transaction.atomic
def bundle_add(*, bundle: Bundle, actor, disputes) -> int:
    if bundle.status == Bundle.Status.CLOSED:
        raise TransitionNotAllowed(_("打包事项已办结，不能再加入纠纷。"))
    count = 0
    for dispute in Dispute.objects.select_for_update().filter(pk__in=[d.pk for d in disputes]):
        if dispute.status not in OPEN_STATUSES:
            raise ValidationError(
                {"disputes": [_("纠纷%(ref)s已办结，不能打包。") % {"ref": dispute.reference}]}
            )
        before = snapshot(dispute)
        dispute.bundle = bundle
        dispute.save(update_fields=["bundle", "updated_at"])
        audit_change(dispute, actor=actor, before=before)
        event_record(
            dispute,
            kind=Kind.BUNDLED,
            actor=actor,
            data={"bundle": bundle.pk, "title": bundle.title},
        )
        count += 1
    return count


@transaction.atomic
def bundle_escalate(*, bundle: Bundle, actor, escalated_to, note: str = "") -> Bundle:
    """打包向上反映: the bundle goes up as one; each member's timeline shows it."""
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    if bundle.status != Bundle.Status.OPEN:
        raise TransitionNotAllowed(_("只有归集中的打包事项可以上报。"))
    before = snapshot(bundle)
    bundle.status = Bundle.Status.ESCALATED
    bundle.escalated_to = escalated_to
    bundle.escalated_at = timezone.now()
    bundle.save()
    audit_change(bundle, actor=actor, before=before, note=note)
    for dispute in bundle.disputes.all():
        event_record(
            dispute,
            kind=Kind.ESCALATED,
            actor=actor,
            note=note,
            data={"bundle": bundle.pk, "to": escalated_to.name},
        )
    return bundle


@transaction.atomic
def bundle_close(*, bundle: Bundle, actor, result: str) -> Bundle:
    """Closing the bundle closes every open member: one audit entry and one timeline step each."""
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": [_("请填写办理结果。")]})
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    if bundle.status == Bundle.Status.CLOSED:
        raise TransitionNotAllowed(_("打包事项已办结。"))
    now = timezone.now()
    before = snapshot(bundle)
    bundle.status = Bundle.Status.CLOSED
    bundle.closed_at = now
    bundle.result = result
    bundle.save()
    audit_change(bundle, actor=actor, before=before)
    for dispute in bundle.disputes.filter(status__in=[*OPEN_STATUSES, DisputeStatus.RESOLVED]):
        # The loop's own step closes its clocks: withdrawn dispatches and an untriaged
        # dispute have nothing left to be late for.
        active = list(dispute.dispatches.filter(status__in=ACTIVE_DISPATCH_STATUSES))
        for dispatch in active:
            _cancel_dispatch_clocks(dispatch, actor=actor, reason=result)
        timelimits.cancel(subject=dispute, kind=timelimits.TRIAGE, actor=actor, reason=result)
        dispute.dispatches.filter(pk__in=[d.pk for d in active]).update(
            status=DispatchStatus.WITHDRAWN
        )
        dispute_machine.apply(
            dispute,
            "close_by_bundle",
            actor=actor,
            note=result,
            changes={"resolved_at": dispute.resolved_at or now, "closed_at": now},
        )
        event_record(
            dispute, kind=Kind.CLOSED, actor=actor, note=result, data={"bundle": bundle.pk}
        )
    return bundle


# --- saved filters ---------------------------------------------------------------------


@transaction.atomic
def saved_filter_query(query: str) -> str:
    """A list query fit to keep: without the paging cursor, the session reference of an
    ID number / phone search, or an ID number or phone typed as the search text."""
    params = QueryDict(query or "", mutable=True)
    for key in ("after", "person"):
        params.pop(key, None)
    if person_search_key(params.get("q", "")) is not None:
        params.pop("q")
    return params.urlencode()


def saved_filter_save(*, user, name: str, query: str) -> SavedFilter:
    name = (name or "").strip()[:60]
    if not name:
        raise ValidationError({"name": [_("请为筛选条件命名。")]})
    saved, _created = SavedFilter.objects.update_or_create(
        user=user, name=name, defaults={"query": saved_filter_query(query)[:1000]}
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, user, pk: int) -> None:
    SavedFilter.objects.filter(user=user, pk=pk).delete()
