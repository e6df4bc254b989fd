"""Complaint meetings (吐槽大会) and legal consultations (法律咨询).

An issue raised at a meeting becomes a dispute of the cases loop in one step
(`meeting_issue_to_dispute`, through `cases.services.dispute_register`: mediation depends
on cases, never the reverse); the meeting page then shows how each one ended.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_create, snapshot
from cases.models import Category, PartyRole, SourceChannel
from cases.services import dispute_register
from common.pii import seal_into, seal_phone
from common.validators import validate_mobile
from mediation.models import ComplaintMeeting, LegalConsultation, MediatorKind, MeetingIssue
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

MEETING_ROLES = frozenset({Role.CLERK, Role.GRID_WORKER, Role.MEDIATOR, Role.ADMIN})


def _require(organisation, actor, roles, message: str) -> None:
    if not (roles_in_scope_of(actor, organisation) & set(roles)):
        raise PermissionDenied(message)


def _required_text(errors, field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = [message]
    return value


def _clean_issue(data: dict, position: int) -> dict:
    summary = (data.get("summary") or "").strip()
    category = data.get("category") or ""
    problems = []
    if not summary:
        problems.append(_("第%(n)d个问题：请写明反映的问题。") % {"n": position + 1})
    if category and category not in Category.values:
        problems.append(_("第%(n)d个问题：纠纷类别无效。") % {"n": position + 1})
    if problems:
        raise ValidationError({"issues": problems})
    return {
        "summary": summary[:200],
        "details": (data.get("details") or "").strip(),
        "raised_by": (data.get("raised_by") or "").strip()[:120],
        "category": category,
    }


@transaction.atomic
def complaint_meeting_create(
    *,
    organisation,
    actor,
    held_on: datetime.date,
    place: str,
    attendees: str,
    notes: str = "",
    issues: list[dict] = (),
) -> ComplaintMeeting:
    """Record a complaint meeting and the issues raised at it."""
    _require(organisation, actor, MEETING_ROLES, _("您无权为该单位记录吐槽大会。"))
    errors: dict[str, list[str]] = {}
    place = _required_text(errors, "place", place, _("请填写地点。"))
    attendees = _required_text(errors, "attendees", attendees, _("请填写参加人员。"))
    if held_on is None:
        errors["held_on"] = [_("请填写日期。")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("日期不能晚于今天。")]
    cleaned = []
    for position, data in enumerate(issues or []):
        try:
            cleaned.append(_clean_issue(data, position))
        except ValidationError as exc:
            errors.setdefault("issues", []).extend(exc.message_dict["issues"])
    if errors:
        raise ValidationError(errors)
    meeting = ComplaintMeeting.objects.create(
        organisation=organisation,
        held_on=held_on,
        place=place,
        attendees=attendees,
        notes=(notes or "").strip(),
        recorded_by=actor,
    )
    audit_create(meeting, actor=actor)
    for row in cleaned:
        audit_create(MeetingIssue.objects.create(meeting=meeting, **row), actor=actor)
    return meeting


@transaction.atomic
def meeting_issue_add(*, meeting: ComplaintMeeting, actor, **data) -> MeetingIssue:
    _require(meeting.organisation, actor, MEETING_ROLES, _("您无权为该单位记录吐槽大会。"))
    issue = MeetingIssue.objects.create(meeting=meeting, **_clean_issue(data, 0))
    audit_create(issue, actor=actor)
    return issue


@transaction.atomic
def meeting_issue_to_dispute(*, issue: MeetingIssue, actor, category: str = ""):
    """One click: the issue becomes a dispute (来源：吐槽大会) registered by the meeting's
    unit, the resident who raised it as the applicant. Once only: the issue keeps its
    dispute, and the source reference refuses a second registration."""
    issue = (
        MeetingIssue.objects.select_for_update()
        .select_related("meeting__organisation")
        .get(pk=issue.pk)
    )
    meeting = issue.meeting
    _require(meeting.organisation, actor, MEETING_ROLES, _("您无权为该单位登记矛盾纠纷。"))
    if issue.dispute_id:
        raise ValidationError({"issue": [_("该问题已登记为矛盾纠纷。")]})
    category = category or issue.category or Category.OTHER
    if category not in Category.values:
        raise ValidationError({"category": [_("纠纷类别无效。")]})
    facts = issue.summary + (f"\n{issue.details}" if issue.details else "")
    facts += "\n" + _("（%(date)s 吐槽大会，%(place)s）") % {
        "date": meeting.held_on.isoformat(),
        "place": meeting.place,
    }
    dispute = dispute_register(
        organisation=meeting.organisation,
        actor=actor,
        source_channel=SourceChannel.COMPLAINT_MEETING,
        source_reference=f"meeting-issue-{issue.pk}",
        category=category,
        facts=facts,
        parties=[{"role": PartyRole.APPLICANT, "name": issue.raised_by or _("居民代表")}],
        region=meeting.organisation.region,
        place=meeting.place,
    )
    before = snapshot(issue)
    issue.dispute = dispute
    if not issue.category:
        issue.category = category
    issue.save(update_fields=["dispute", "category"])
    audit_change(issue, actor=actor, before=before, note=_("登记为矛盾纠纷 %(ref)s") % {
        "ref": dispute.reference
    })  # fmt: skip
    return dispute


@transaction.atomic
def meeting_issue_link_dispute(*, issue: MeetingIssue, actor, dispute) -> MeetingIssue:
    """An issue that is already a dispute (the centre registered it at the meeting, or it
    was reported through another channel too): the issue points to that dispute instead
    of registering a second one, and the meeting page shows how it ended. Once per issue
    and per dispute; the actor must see both the meeting's unit and the dispute."""
    issue = (
        MeetingIssue.objects.select_for_update()
        .select_related("meeting__organisation")
        .get(pk=issue.pk)
    )
    _require(issue.meeting.organisation, actor, MEETING_ROLES, _("您无权为该单位记录吐槽大会。"))
    if issue.dispute_id:
        raise ValidationError({"issue": [_("该问题已登记为矛盾纠纷。")]})
    if not roles_in_scope_of(actor, dispute.organisation):
        raise ValidationError({"dispute": [_("找不到该矛盾纠纷。")]})
    if MeetingIssue.objects.filter(dispute=dispute).exists():
        raise ValidationError({"dispute": [_("该矛盾纠纷已对应另一个问题。")]})
    before = snapshot(issue)
    issue.dispute = dispute
    if not issue.category:
        issue.category = dispute.category
    issue.save(update_fields=["dispute", "category"])
    audit_change(issue, actor=actor, before=before, note=_("对应已登记的矛盾纠纷 %(ref)s") % {
        "ref": dispute.reference
    })  # fmt: skip
    return issue


@transaction.atomic
def legal_consultation_record(
    *,
    expert,
    actor,
    asked_on: datetime.date,
    asker_name: str,
    topic: str,
    question: str,
    answer: str,
    asker_phone: str = "",
    follow_up: str = "",
    dispute=None,
) -> LegalConsultation:
    """A question a chief legal expert answered. The expert records their own; a clerk of
    the expert's unit may record on the expert's behalf (the record names who wrote it)."""
    if expert.kind != MediatorKind.CHIEF_LEGAL_EXPERT or not expert.is_active:
        raise ValidationError({"expert": [_("请选择在岗的首席法律咨询专家。")]})
    own = expert.user_id is not None and expert.user_id == actor.pk
    if not own:
        _require(
            expert.organisation, actor, {Role.CLERK, Role.ADMIN}, _("只能记录本人的法律咨询。")
        )
    errors: dict[str, list[str]] = {}
    asker_name = _required_text(errors, "asker_name", asker_name, _("请填写咨询人。"))
    topic = _required_text(errors, "topic", topic, _("请填写咨询事项。"))
    question = _required_text(errors, "question", question, _("请填写咨询问题。"))
    answer = _required_text(errors, "answer", answer, _("请填写解答意见。"))
    if asked_on is None:
        errors["asked_on"] = [_("请填写咨询日期。")]
    elif asked_on > timezone.localdate():
        errors["asked_on"] = [_("咨询日期不能晚于今天。")]
    if asker_phone:
        try:
            validate_mobile(asker_phone)
        except ValidationError as exc:
            errors["asker_phone"] = exc.messages
    if dispute is not None and not (roles_in_scope_of(actor, dispute.organisation)):
        errors["dispute"] = [_("找不到该矛盾纠纷。")]
    if errors:
        raise ValidationError(errors)
    consultation = LegalConsultation(
        organisation=expert.organisation,
        expert=expert,
        asked_on=asked_on,
        asker_name=asker_name[:60],
        topic=topic[:120],
        question=question,
        answer=answer,
        follow_up=(follow_up or "").strip(),
        dispute=dispute,
        recorded_by=actor,
    )
    seal_into(consultation, "asker_phone", seal_phone(asker_phone))
    consultation.save()
    audit_create(consultation, actor=actor)
    return consultation
