"""The loop: 研判 → 吹哨 → 应哨 → 答卷 → 交卷 → 评卷, plus 督办, 移交 and 打包.

Every step goes through `cases.states` (guard → change → audit in one transaction) and
appends a DisputeEvent to the timeline. Notifications are sent on commit.
"""

import hashlib
import importlib
import secrets
from datetime import datetime, timedelta
from functools import partial

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_create, audit_personal_view, snapshot
from cases import conf, timelimits
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
    Party,
    Rating,
    ReferralTarget,
    SavedFilter,
)
from cases.states import CENTRE_ROLES, dispatch_machine, dispute_machine
from common import pii
from common.statemachine import TransitionNotAllowed
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

from ._common import event_record
from .intake import attachment_add, attachment_validate

Kind = DisputeEvent.Kind


def _notify(**kwargs) -> None:
    """Tell someone through the notifications app, if it is installed (after commit)."""
    if not apps.is_installed("notifications"):
        return
    try:
        services = importlib.import_module("notifications.services")
    except ModuleNotFoundError:
        return
    with transaction.atomic():
        services.notify(**kwargs)


def _members_of(organisation, roles=None):
    queryset = organisation.memberships.filter(is_active=True).select_related("user")
    if roles:
        queryset = queryset.filter(role__in=roles)
    return [m.user for m in queryset]


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


def dispute_dispatch(
    *, dispute: Dispute, actor, targets: list[dict], note: str = ""
) -> list[Dispatch]:
    """吹哨 to one or more responders: each target is {"responder", "deadline"?,
    "instructions"?, "is_lead"?}; the deadline defaults to the dispute's due date."""
    if not targets:
        raise ValidationError({"responders": [_("请至少选择一个应哨单位。")]})
    now = timezone.now()
    busy = set(
        dispute.dispatches.filter(
            status__in=[*ACTIVE_DISPATCH_STATUSES, DispatchStatus.ANSWERED]
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
    created: list[Dispatch] = []

    def after(locked):
        accept_due = now + timedelta(hours=conf.get("CASES_ACCEPT_HOURS"))
        for target in targets:
            deadline = (
                target.get("deadline")
                or locked.due_at
                or now + conf.deadline_for(Difficulty.COMPLEX)
            )
            dispatch = Dispatch.objects.create(
                dispute=locked,
                responder=target["responder"],
                is_lead=bool(target.get("is_lead"))
                or target["responder"] == locked.lead_organisation,
                instructions=target.get("instructions", ""),
                dispatched_by=actor,
                dispatched_at=now,
                accept_due_at=min(accept_due, deadline),
                deadline=deadline,
            )
            audit_create(dispatch, actor=actor, note=note)
            event_record(
                locked,
                kind=Kind.DISPATCHED,
                actor=actor,
                organisation=dispatch.responder,
                dispatch=dispatch,
                note=dispatch.instructions or note,
                data={"deadline": deadline.isoformat(), "responder": dispatch.responder.name},
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
            link = reverse("cases:dispatch_detail", args=[dispatch.pk])
            for user in _members_of(dispatch.responder):
                transaction.on_commit(
                    partial(
                        _notify,
                        recipient=user,
                        kind="cases.dispatched",
                        title=_("新的吹哨事项：%(ref)s") % {"ref": locked.reference},
                        body=_("%(centre)s向贵单位吹哨，请于%(due)s前答卷。")
                        % {
                            "centre": locked.organisation.name,
                            "due": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
                        },
                        link=link,
                        subject=dispatch,
                    )
                )
            created.append(dispatch)

    dispute_machine.apply(dispute, "dispatch", actor=actor, note=note, after=after)
    return created


def dispatch_accept(*, dispatch: Dispatch, actor) -> Dispatch:
    """应哨: the responder takes the matter on; time to accept is recorded."""
    now = timezone.now()

    def after(locked):
        event_record(
            locked.dispute,
            kind=Kind.ACCEPTED,
            actor=actor,
            organisation=locked.responder,
            dispatch=locked,
            data={"seconds_to_accept": int((now - locked.dispatched_at).total_seconds())},
        )
        timelimits.meet(subject=locked, kind=timelimits.DISPATCH_ACCEPT, actor=actor)

    return dispatch_machine.apply(
        dispatch,
        "accept",
        actor=actor,
        changes={"accepted_at": now, "accepted_by": actor},
        after=after,
    )


def dispatch_answer(*, dispatch: Dispatch, actor, answer: str, attachments=()) -> Dispatch:
    """答卷: what the responder did. When the last active responder answers, the dispute
    moves to review (待交卷)."""
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
            organisation=locked.responder,
            dispatch=locked,
            note=answer,
        )
        timelimits.meet(subject=locked, kind=timelimits.DISPATCH_ANSWER, actor=actor)
        _maybe_all_answered(locked.dispute, actor)

    return dispatch_machine.apply(
        dispatch,
        "answer",
        actor=actor,
        changes={"answer": answer, "answered_at": now, "answered_by": actor},
        after=after,
    )


def _maybe_all_answered(dispute, actor):
    dispute = Dispute.objects.get(pk=dispute.pk)
    if dispute_machine.refusal(dispute, "all_answered") is None:
        dispute_machine.apply(dispute, "all_answered", actor=actor)
        event_record(dispute, kind=Kind.ALL_ANSWERED, actor=actor)
        for user in _members_of(dispute.organisation, CENTRE_ROLES):
            transaction.on_commit(
                partial(
                    _notify,
                    recipient=user,
                    kind="cases.answered",
                    title=_("待交卷审核：%(ref)s") % {"ref": dispute.reference},
                    body=_("应哨单位已全部答卷，请审核。"),
                    link=reverse("cases:detail", args=[dispute.pk]),
                    subject=dispute,
                )
            )


def dispatch_hand_back(*, dispatch: Dispatch, actor, reason: str) -> Dispatch:
    """退回: not this responder's duty (or cannot act); the reason is required. If nobody is
    left on the dispute, it goes back to the centre to dispatch again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写退回理由。")]})

    def after(locked):
        event_record(
            locked.dispute,
            kind=Kind.HANDED_BACK,
            actor=actor,
            organisation=locked.responder,
            dispatch=locked,
            note=reason,
        )
        timelimits.cancel(
            subject=locked, kind=timelimits.DISPATCH_ACCEPT, actor=actor, reason=reason
        )
        timelimits.cancel(
            subject=locked, kind=timelimits.DISPATCH_ANSWER, actor=actor, reason=reason
        )
        dispute = Dispute.objects.get(pk=locked.dispute_id)
        if dispute_machine.refusal(dispute, "all_handed_back") is None:
            dispute_machine.apply(dispute, "all_handed_back", actor=actor, note=reason)
        else:
            _maybe_all_answered(dispute, actor)

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
        for dispatch in locked.dispatches.filter(status=DispatchStatus.ANSWERED):
            dispatch_machine.apply(dispatch, "reopen", actor=actor, note=reason)
            event_record(
                locked,
                kind=Kind.SENT_BACK,
                actor=actor,
                organisation=dispatch.responder,
                dispatch=dispatch,
                note=reason,
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
    event_record(
        dispute,
        kind=Kind.RATED,
        actor=None,
        note=rating.comment,
        data={"score": score, "satisfied": rating.satisfied},
    )
    if rating.satisfied:
        dispute_machine.apply(dispute, "rate_satisfied", actor=actor, changes={"closed_at": now})
        event_record(dispute, kind=Kind.CLOSED, actor=None, note=_("群众满意，销号"))
    else:
        dispute_machine.apply(
            dispute,
            "rate_unsatisfied",
            actor=actor,
            note=rating.comment,
            changes={"resolved_at": None},
        )
        event_record(dispute, kind=Kind.REOPENED, actor=None, note=rating.comment)
        for user in _members_of(dispute.organisation, CENTRE_ROLES):
            transaction.on_commit(
                partial(
                    _notify,
                    recipient=user,
                    kind="cases.reopened",
                    title=_("群众不满意，重新办理：%(ref)s") % {"ref": dispute.reference},
                    body=rating.comment or _("群众评价不满意。"),
                    link=reverse("cases:detail", args=[dispute.pk]),
                    subject=dispute,
                )
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

    return dispute_machine.apply(
        dispute, "close", actor=actor, note=note, changes={"closed_at": timezone.now()}, after=after
    )


def dispute_refer(*, dispute: Dispute, actor, target: str, note: str = "") -> Dispute:
    """移交 to mediation (creates the mediation case when the mediation app exists) or court."""
    if target not in ReferralTarget.values:
        raise ValidationError({"target": [_("请选择移交去向。")]})

    def after(locked):
        created = None
        if target == ReferralTarget.MEDIATION and apps.is_installed("mediation"):
            services = importlib.import_module("mediation.services")
            create = getattr(services, "mediation_case_create_from_dispute", None)
            if create is not None:
                created = create(dispute=locked, actor=actor)
        event_record(
            locked,
            kind=Kind.REFERRED,
            actor=actor,
            note=note,
            data={"target": target, "mediation_case": getattr(created, "pk", None)},
        )

    return dispute_machine.apply(
        dispute, "refer", actor=actor, note=note, changes={"referral_target": target}, after=after
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
        organisation=actor.primary_organisation,
        note=note,
        data={"source_channel": source_channel},
    )
    return dispute


@transaction.atomic
def party_personal_data_reveal(
    *, party: Party, actor, fields: tuple[str, ...] = ("id_number", "phone")
) -> dict:
    """The full ID number / phone for a role that needs them; every reveal is audited."""
    values = {}
    for field in fields:
        encrypted = getattr(party, f"{field}_encrypted")
        values[field] = pii.decrypt(encrypted)
    audit_personal_view(party, actor=actor, fields=list(fields))
    return values


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
        dispute.dispatches.filter(status__in=ACTIVE_DISPATCH_STATUSES).update(
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
def saved_filter_save(*, user, name: str, query: str) -> SavedFilter:
    name = (name or "").strip()[:60]
    if not name:
        raise ValidationError({"name": [_("请为筛选条件命名。")]})
    saved, _created = SavedFilter.objects.update_or_create(
        user=user, name=name, defaults={"query": query[:1000]}
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, user, pk: int) -> None:
    SavedFilter.objects.filter(user=user, pk=pk).delete()
