"""Coercive measures (强制措施) with their legal limits and the president's approval.

DOMAIN.md, "Legal rules": compelled appearance (拘传) questions for at most 8 hours, 24
where the case is complex and detention may follow, and may not be repeated to hold a
person in effect (连续拘传变相羁押); a fine is at most 100,000 yuan for an individual and
50,000–1,000,000 for an organisation; detention is at most 15 days, the family told within
24 hours; fines and detention need the president's approval and a written decision. Here
拘传, 罚款, 拘留, 搜查 and the 拒执罪 referral go to the court's president (院长/副院长: a
supervisor of the court itself), named by the requester, who approves or refuses as
themselves; the requester never approves their own request. 限制出境 and 曝光/悬赏 are
decided by the officer with their document at once.

A limit broken is refused (ValidationError on the field, with the rule), never warned.
The decision document is issued through the documents service when the measure is
decided. Every step is audited (the state machine in states_measures.py).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_create, snapshot
from cases.models import Party
from common import pii
from common.money import format_yuan
from common.statemachine import TransitionNotAllowed
from deadlines import services as deadline_services
from deadlines.models import Deadline
from documents.services import document_issue
from enforcement import document_kinds_measures as kinds
from enforcement.models import (
    OPEN_STATUSES,
    CampaignCase,
    CaseParty,
    CoerciveMeasure,
    EnforcementCase,
    MeasureKind,
    MeasureStatus,
)
from enforcement.states_measures import MEASURE_MACHINE

from .endings import is_president
from .notices import lock_case, require_staff

FAMILY_CLOCK = "enforcement.detention_family_notice"

NEEDS_APPROVAL = frozenset(
    {
        MeasureKind.APPEARANCE,
        MeasureKind.FINE,
        MeasureKind.DETENTION,
        MeasureKind.SEARCH,
        MeasureKind.CRIMINAL_REFERRAL,
    }
)
DOCUMENT_KIND = {
    MeasureKind.APPEARANCE: kinds.APPEARANCE,
    MeasureKind.FINE: kinds.FINE,
    MeasureKind.DETENTION: kinds.DETENTION,
    MeasureKind.EXIT_RESTRICTION: kinds.EXIT_RESTRICTION,
    MeasureKind.SEARCH: kinds.SEARCH,
    MeasureKind.PUBLICATION: kinds.PUBLICATION,
    MeasureKind.CRIMINAL_REFERRAL: kinds.CRIMINAL_REFERRAL,
}


# --- configuration (DOMAIN.md numbers as defaults; a court may set tighter ones) -----------


def limits() -> dict:
    return {
        "appearance_hours": int(getattr(settings, "ENFORCEMENT_APPEARANCE_HOURS", 8)),
        "appearance_hours_serious": int(
            getattr(settings, "ENFORCEMENT_APPEARANCE_HOURS_SERIOUS", 24)
        ),
        # a new 拘传 of the same person only this long after the last one ended
        "appearance_gap_hours": int(getattr(settings, "ENFORCEMENT_APPEARANCE_GAP_HOURS", 24)),
        "fine_person_max": Decimal(getattr(settings, "ENFORCEMENT_FINE_PERSON_MAX", "100000")),
        "fine_org_min": Decimal(getattr(settings, "ENFORCEMENT_FINE_ORG_MIN", "50000")),
        "fine_org_max": Decimal(getattr(settings, "ENFORCEMENT_FINE_ORG_MAX", "1000000")),
        "detention_days": int(getattr(settings, "ENFORCEMENT_DETENTION_DAYS", 15)),
    }


# --- who ---------------------------------------------------------------------------------


def _require_named_approver(measure: CoerciveMeasure, actor) -> None:
    if not getattr(actor, "is_authenticated", False) or actor.pk != measure.approver_id:
        raise PermissionDenied(_("只有申请中指定的审批人本人可以审批。"))
    if actor.pk == measure.requested_by_id:
        raise PermissionDenied(_("申请人不能审批自己的申请。"))


# --- limits ------------------------------------------------------------------------------


def _is_organisation(subject: CaseParty, responsible_person: str) -> bool:
    return subject.party.kind == Party.Kind.ORGANISATION and not responsible_person


def check_limits(
    *, case: EnforcementCase, kind: str, subject: CaseParty, responsible_person: str = "",
    hours=None, detention_may_follow: bool = False, amount=None, days=None, place: str = "",
    exclude_pk=None, now=None,
) -> dict:  # fmt: skip
    """The field errors of a measure that breaks the law ({} when it is lawful)."""
    rules = limits()
    errors: dict[str, list[str]] = {}
    if kind == MeasureKind.APPEARANCE:
        cap = (
            rules["appearance_hours_serious"] if detention_may_follow else rules["appearance_hours"]
        )
        if hours is None:
            errors["hours"] = [_("请填写询问时间上限（小时）。")]
        elif not 1 <= int(hours) <= cap:
            errors["hours"] = [
                _("拘传询问时间不得超过%(cap)s小时%(why)s。")
                % {
                    "cap": cap,
                    "why": ""
                    if detention_may_follow
                    else _("（案情复杂、可能采取拘留措施的，不得超过%(s)s小时）")
                    % {"s": rules["appearance_hours_serious"]},
                }
            ]
        reason = _appearance_repeat_refusal(
            case, subject, responsible_person, exclude_pk=exclude_pk, now=now
        )
        if reason:
            errors.setdefault("subject", []).append(reason)
    elif kind == MeasureKind.FINE:
        if amount is None:
            errors["amount"] = [_("请填写罚款金额。")]
        else:
            amount = Decimal(amount)
            if _is_organisation(subject, responsible_person):
                low, high = rules["fine_org_min"], rules["fine_org_max"]
                if not low <= amount <= high:
                    errors["amount"] = [
                        _("对单位的罚款金额为%(low)s以上%(high)s以下。")
                        % {"low": format_yuan(low), "high": format_yuan(high)}
                    ]
            elif not Decimal("0.01") <= amount <= rules["fine_person_max"]:
                errors["amount"] = [
                    _("对个人的罚款金额不得超过%(high)s。")
                    % {"high": format_yuan(rules["fine_person_max"])}
                ]
    elif kind == MeasureKind.DETENTION:
        if days is None:
            errors["days"] = [_("请填写拘留日数。")]
        elif not 1 <= int(days) <= rules["detention_days"]:
            errors["days"] = [_("拘留期限不得超过%(d)s日。") % {"d": rules["detention_days"]}]
        if _is_organisation(subject, responsible_person):
            errors["responsible_person"] = [
                _("拘留只能对自然人采取：对单位，请填写其主要负责人或直接责任人员。")
            ]
    elif kind == MeasureKind.SEARCH:
        if not place.strip():
            errors["place"] = [_("请填写搜查的场所。")]
    elif kind == MeasureKind.PUBLICATION:
        if amount is not None and Decimal(amount) < 0:
            errors["amount"] = [_("悬赏金额不能为负数。")]
    elif kind == MeasureKind.EXIT_RESTRICTION:
        pass
    return errors


def _appearance_repeat_refusal(case, subject, responsible_person, *, exclude_pk=None, now=None):
    """拘传 may not follow 拘传 to hold a person in effect: none may be under way, and the
    last one must have ended at least the configured gap (24 hours) before."""
    now = now or timezone.now()
    gap = datetime.timedelta(hours=limits()["appearance_gap_hours"])
    previous = CoerciveMeasure.objects.filter(
        subject__party_id=subject.party_id,
        responsible_person=responsible_person,
        kind=MeasureKind.APPEARANCE,
        status__in=(MeasureStatus.EXECUTED, MeasureStatus.ENDED),
    ).exclude(pk=exclude_pk)
    for measure in previous:
        if measure.status == MeasureStatus.EXECUTED:
            return _("对该人的拘传尚未结束，不得连续拘传。")
        if measure.ended_at and now - measure.ended_at < gap:
            return _("上次拘传于%(t)s结束，不得以连续拘传的形式变相羁押（间隔不少于%(h)s小时）。") % {
                "t": timezone.localtime(measure.ended_at).strftime("%Y-%m-%d %H:%M"),
                "h": limits()["appearance_gap_hours"],
            }  # fmt: skip
    return None


# --- the decision document ---------------------------------------------------------------


def _identity(party: Party) -> str:
    if party.kind == Party.Kind.PERSON:
        return pii.decrypt(party.id_number_encrypted) if party.id_number_encrypted else ""
    return party.credit_code or ""


def _decision_text(measure: CoerciveMeasure) -> str:
    who = measure.subject_label
    kind = measure.kind
    if kind == MeasureKind.APPEARANCE:
        return _(
            "依照《中华人民共和国民事诉讼法》关于拘传的规定，决定对%(who)s予以拘传，到达指定地点后"
            "询问查证的时间不得超过%(h)s小时；询问查证后，应当责令其按指定时间、地点接受处理。"
        ) % {"who": who, "h": measure.hours}
    if kind == MeasureKind.FINE:
        return _("依照《中华人民共和国民事诉讼法》关于妨害民事诉讼的强制措施的规定，决定对%(who)s罚款人民币%(a)s，限于收到本决定书之日起缴纳。") % {  # noqa: E501
            "who": who, "a": format_yuan(measure.amount)}  # fmt: skip
    if kind == MeasureKind.DETENTION:
        text = _(
            "依照《中华人民共和国民事诉讼法》关于妨害民事诉讼的强制措施的规定，决定对%(who)s拘留"
            "%(d)s日，交%(place)s看管；被拘留人在拘留期间承认并改正错误的，可以提前解除拘留。"
        ) % {"who": who, "d": measure.days, "place": measure.place or _("公安机关")}
        if measure.assisting_court:
            text += _("本案异地拘留，委托%(c)s协助执行。") % {"c": measure.assisting_court}
        return text
    if kind == MeasureKind.EXIT_RESTRICTION:
        return _("决定限制%(who)s出境，通知出入境边防检查机关依法执行，至义务履行完毕或本院解除时止。") % {  # noqa: E501
            "who": who}  # fmt: skip
    if kind == MeasureKind.SEARCH:
        return _("被执行人不履行法律文书确定的义务，并隐匿财产，本院决定对%(place)s进行搜查。") % {
            "place": measure.place}  # fmt: skip
    if kind == MeasureKind.PUBLICATION:
        text = _("本院依法将%(who)s不履行法律文书确定义务的情况向社会公布") % {"who": who}
        if measure.amount:
            text += _("，并悬赏征集财产线索，线索经查证属实并执行到位的，按执行到位金额给予不超过%(a)s的奖励") % {  # noqa: E501
                "a": format_yuan(measure.amount)}  # fmt: skip
        return text + "。"
    return _("%(who)s有能力执行而拒不执行人民法院生效判决、裁定，情节严重，涉嫌拒不执行判决、裁定罪，现将案件线索移送%(place)s依法立案侦查。") % {  # noqa: E501
        "who": who, "place": measure.place or _("公安机关")}  # fmt: skip


def _remedy(measure: CoerciveMeasure) -> str:
    if measure.kind in (MeasureKind.FINE, MeasureKind.DETENTION):
        return _(
            "如不服本决定，可以在收到决定书之日起三日内向上一级人民法院申请复议一次。"
            "复议期间，不停止本决定的执行。"
        )
    return ""


def measure_document_data(measure: CoerciveMeasure, *, approver=None) -> dict:
    case = measure.case
    party = measure.subject.party
    row = {
        "name": measure.responsible_person or measure.subject.name,
        "identity": _identity(party) if not measure.responsible_person else _("见卷宗"),
        "address": measure.subject.address or party.address,
        "representative": (
            _("%(org)s的负责人") % {"org": measure.subject.name}
            if measure.responsible_person
            else (party.legal_representative if party.kind == Party.Kind.ORGANISATION else "")
        ),
    }
    return {
        "court": case.court.name,
        "case_number": case.case_number,
        "subjects": [row],
        "reason": measure.reason,
        "decision": _decision_text(measure),
        "remedy": _remedy(measure),
        "approver": str(approver) if approver else "",
        "officer": str(case.officer) if case.officer_id else str(measure.requested_by),
    }


def _issue_document(measure: CoerciveMeasure, *, actor, approver=None):
    """The decision in the case number's series (号之一 …): the caller holds the case's
    row lock, so no other document of the case takes the same number."""
    document = document_issue(
        kind=DOCUMENT_KIND[measure.kind],
        subject=measure,
        organisation=measure.case.court,
        data=measure_document_data(measure, approver=approver),
        actor=actor,
        case_number=measure.case.case_number,
    )
    measure.document = document
    measure.save(update_fields=["document"])
    return document


# --- services ----------------------------------------------------------------------------


def _campaign_of(case: EnforcementCase, day: datetime.date):
    tag = (
        CampaignCase.objects.filter(
            case=case, campaign__starts_on__lte=day, campaign__ends_on__gte=day
        )
        .select_related("campaign")
        .order_by("-campaign__starts_on", "-pk")
        .first()
    )
    return tag.campaign if tag else None


@transaction.atomic
def measure_request(
    *, case: EnforcementCase, kind: str, subject: CaseParty, actor, reason: str,
    approver=None, responsible_person: str = "", hours: int | None = None,
    detention_may_follow: bool = False, amount: Decimal | None = None,
    days: int | None = None, place: str = "", assisting_court: str = "",
) -> CoerciveMeasure:  # fmt: skip
    """Ask for a measure (or, for one the officer decides, decide it and issue its
    document). Refuses a closed case (TransitionNotAllowed), a person outside the case,
    a broken limit, a missing or ineligible approver (ValidationError by field)."""
    require_staff(case, actor)
    case = lock_case(case)
    if case.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(
            _("案件当前状态为“%(state)s”，不能采取强制措施。")
            % {"state": case.get_status_display()}
        )
    errors: dict[str, list[str]] = {}
    if kind not in MeasureKind.values:
        raise ValidationError({"kind": [_("未知的强制措施。")]})
    if subject is None or subject.case_id != case.pk:
        raise ValidationError({"subject": [_("不是本案当事人。")]})
    if not (reason or "").strip():
        errors["reason"] = [_("请填写事实和理由。")]
    responsible_person = (responsible_person or "").strip()
    errors.update(
        check_limits(
            case=case, kind=kind, subject=subject, responsible_person=responsible_person,
            hours=hours, detention_may_follow=detention_may_follow, amount=amount, days=days,
            place=place,
        )
    )  # fmt: skip
    needs_approval = kind in NEEDS_APPROVAL
    if needs_approval:
        if approver is None:
            errors["approver"] = [_("该措施须经院长批准，请选择审批人。")]
        elif approver.pk == actor.pk:
            errors["approver"] = [_("申请人不能审批自己的申请。")]
        elif not is_president(approver, case.court):
            errors["approver"] = [_("审批人须为本院院长或副院长。")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    measure = CoerciveMeasure.objects.create(
        case=case, kind=kind, subject=subject, responsible_person=responsible_person,
        reason=reason.strip(), hours=hours if kind == MeasureKind.APPEARANCE else None,
        detention_may_follow=bool(detention_may_follow) and kind == MeasureKind.APPEARANCE,
        amount=amount if kind in (MeasureKind.FINE, MeasureKind.PUBLICATION) else None,
        days=days if kind == MeasureKind.DETENTION else None, place=place.strip(),
        assisting_court=assisting_court.strip() if kind == MeasureKind.DETENTION else "",
        needs_approval=needs_approval, requested_by=actor, requested_at=now,
        approver=approver if needs_approval else None,
        campaign=_campaign_of(case, timezone.localdate(now)),
        status=MeasureStatus.REQUESTED if needs_approval else MeasureStatus.APPROVED,
        decided_by=None if needs_approval else actor, decided_at=None if needs_approval else now,
    )  # fmt: skip
    measure.case = case
    if needs_approval:
        audit_create(
            measure, actor=actor, note=_("申请%(k)s，待%(a)s审批") % {
                "k": measure.get_kind_display(), "a": approver})  # fmt: skip
        _tell(approver, actor=actor, measure=measure,
              title=_("强制措施待您审批：%(k)s") % {"k": measure.get_kind_display()})  # fmt: skip
    else:
        audit_create(measure, actor=actor, note=_("决定%(k)s") % {"k": measure.get_kind_display()})
        _issue_document(measure, actor=actor)
    return measure


def _tell(user, *, actor, measure, title) -> None:
    from notifications.services import NotificationSpec, notify_many

    if user is None or user.pk == getattr(actor, "pk", None):
        return
    notify_many(
        [
            NotificationSpec(
                recipient=user, kind="enforcement.measure", title=str(title),
                body=f"{measure.case.case_number} {measure.subject_label}",
                link=measure.get_absolute_url(), subject=measure,
            )
        ]
    )  # fmt: skip


def _lock(measure: CoerciveMeasure) -> CoerciveMeasure:
    return (
        CoerciveMeasure.objects.select_for_update(of=("self",))
        .select_related("case", "case__court", "case__officer", "subject", "subject__party")
        .get(pk=measure.pk)
    )


@transaction.atomic
def measure_approve(*, measure: CoerciveMeasure, actor, note: str = "") -> CoerciveMeasure:
    """The named approver approves as themselves; the decision document is issued in the
    court's name with them as approver. The limits are checked again (a 拘传 approved a day
    later must still not follow another)."""
    _require_named_approver(measure, actor)
    # the case before the measure (the order a case transition takes them in): the
    # decision is numbered in the case's series
    case = lock_case(measure.case)
    locked = _lock(measure)
    if not is_president(actor, locked.case.court):
        raise PermissionDenied(_("您已无权审批该措施。"))
    if locked.status == MeasureStatus.REQUESTED:
        errors = check_limits(
            case=locked.case, kind=locked.kind, subject=locked.subject,
            responsible_person=locked.responsible_person, hours=locked.hours,
            detention_may_follow=locked.detention_may_follow, amount=locked.amount,
            days=locked.days, place=locked.place, exclude_pk=locked.pk,
        )  # fmt: skip
        if errors:
            raise ValidationError(errors)
    decided = MEASURE_MACHINE.apply(
        locked, "approve", actor=actor, note=note,
        changes={"decided_by": actor, "decided_at": timezone.now(),
                 "decision_note": (note or "").strip()[:300]},
    )  # fmt: skip
    decided.case = case
    decided.subject = locked.subject
    _issue_document(decided, actor=actor, approver=actor)
    _tell(decided.requested_by, actor=actor, measure=decided,
          title=_("强制措施已批准：%(k)s") % {"k": decided.get_kind_display()})  # fmt: skip
    return decided


@transaction.atomic
def measure_refuse(*, measure: CoerciveMeasure, actor, note: str) -> CoerciveMeasure:
    """The named approver refuses, with the reason; nothing is issued."""
    _require_named_approver(measure, actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写不予批准的理由。")]})
    locked = _lock(measure)
    decided = MEASURE_MACHINE.apply(
        locked, "refuse", actor=actor, note=note,
        changes={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note[:300]},
    )  # fmt: skip
    _tell(decided.requested_by, actor=actor, measure=locked,
          title=_("强制措施未获批准：%(k)s") % {"k": locked.get_kind_display()})  # fmt: skip
    return decided


@transaction.atomic
def measure_execute(*, measure: CoerciveMeasure, actor, started_at=None, note: str = ""):
    """Record that the measure was carried out (the person brought in, taken to the
    detention house, the search made, the referral sent). A detention starts its term
    (ends_on) and the 24-hour clock to tell the family."""
    require_staff(measure.case, actor)
    locked = _lock(measure)
    started_at = started_at or timezone.now()
    if started_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"started_at": [_("开始时间不能晚于现在。")]})
    if locked.kind == MeasureKind.APPEARANCE:
        reason = _appearance_repeat_refusal(
            locked.case, locked.subject, locked.responsible_person, exclude_pk=locked.pk,
            now=started_at,
        )  # fmt: skip
        if reason:
            raise TransitionNotAllowed(reason)
    changes = {"started_at": started_at}
    if locked.kind == MeasureKind.DETENTION:
        first_day = timezone.localtime(started_at).date()
        changes["ends_on"] = first_day + datetime.timedelta(days=locked.days - 1)
    executed = MEASURE_MACHINE.apply(locked, "execute", actor=actor, note=note, changes=changes)
    if locked.kind == MeasureKind.DETENTION:
        deadline_services.deadline_start(
            subject=executed, kind=FAMILY_CLOCK, organisation=locked.case.court,
            owner=locked.case.officer, actor=actor, start=started_at,
            due_at=started_at + datetime.timedelta(hours=24),
        )  # fmt: skip
    return executed


@transaction.atomic
def measure_family_notified(*, measure: CoerciveMeasure, actor, notified_at=None, note: str):
    """A detainee's family told (within 24 hours): meets the clock (late → missed)."""
    require_staff(measure.case, actor)
    locked = _lock(measure)
    if locked.kind != MeasureKind.DETENTION or locked.status not in (
        MeasureStatus.EXECUTED, MeasureStatus.ENDED):  # fmt: skip
        raise TransitionNotAllowed(_("只有已执行的拘留需要通知家属。"))
    if locked.family_notified_at:
        raise TransitionNotAllowed(_("已记录通知家属。"))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写通知了谁、以何种方式。")]})
    notified_at = notified_at or timezone.now()
    if locked.started_at and notified_at < locked.started_at:
        raise ValidationError({"notified_at": [_("通知时间不能早于拘留开始时间。")]})
    before = snapshot(locked)
    locked.family_notified_at = notified_at
    locked.family_notice_note = note[:200]
    locked.save(update_fields=["family_notified_at", "family_notice_note", "updated_at"])
    audit_change(locked, actor=actor, before=before, note=_("通知家属：%(n)s") % {"n": note})
    clock = _clock(locked, FAMILY_CLOCK)
    if clock is not None:
        deadline_services.deadline_meet(clock, actor=actor)
    return locked


def _clock(subject, kind):
    from django.contrib.contenttypes.models import ContentType

    return (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            kind=kind,
            state__in=Deadline.OPEN_STATES,
        )  # fmt: skip
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def measure_end(*, measure: CoerciveMeasure, actor, ended_at=None, note: str = ""):
    """End a measure under way: questioning over (within its hours), a detainee released
    (at the end of the term or early, e.g. after paying), an exit restriction lifted."""
    require_staff(measure.case, actor)
    locked = _lock(measure)
    ended_at = ended_at or timezone.now()
    if locked.started_at and ended_at < locked.started_at:
        raise ValidationError({"ended_at": [_("结束时间不能早于开始时间。")]})
    if locked.kind == MeasureKind.APPEARANCE and locked.started_at:
        limit = datetime.timedelta(hours=locked.hours or limits()["appearance_hours"])
        if ended_at - locked.started_at > limit:
            raise ValidationError(
                {"ended_at": [_("询问查证时间不得超过%(h)s小时，应在%(t)s前结束。") % {
                    "h": locked.hours,
                    "t": timezone.localtime(locked.started_at + limit).strftime("%Y-%m-%d %H:%M"),
                }]}
            )  # fmt: skip
    if locked.kind == MeasureKind.DETENTION and locked.ends_on:
        if timezone.localtime(ended_at).date() > locked.ends_on + datetime.timedelta(days=1):
            raise ValidationError({"ended_at": [_("拘留期限届满应即解除（%(d)s）。") % {
                "d": locked.ends_on}]})  # fmt: skip
    return MEASURE_MACHINE.apply(
        locked, "end", actor=actor, note=note,
        changes={"ended_at": ended_at, "end_note": (note or "").strip()[:300]},
    )  # fmt: skip


@transaction.atomic
def measure_cancel(*, measure: CoerciveMeasure, actor, note: str):
    """The requester (or the court's staff) withdraws a measure not yet carried out."""
    require_staff(measure.case, actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写撤销理由。")]})
    locked = _lock(measure)
    cancelled = MEASURE_MACHINE.apply(locked, "cancel", actor=actor, note=note)
    if locked.document_id:
        from documents.services import document_revoke

        document_revoke(document=locked.document, actor=actor, reason=note[:200])
    return cancelled


def measure_actions(measure: CoerciveMeasure, user, *, acting: bool | None = None) -> list[str]:
    """The steps `user` may take on `measure` now (the page's buttons); `acting` is whether
    they act in the case's court, when the caller already knows (a list of measures)."""
    from .notices import may_act

    if acting is None:
        acting = may_act(measure.case, user)
    actions = []
    if measure.status == MeasureStatus.REQUESTED and user.pk == measure.approver_id:
        if user.pk != measure.requested_by_id:
            actions += ["approve", "refuse"]
    if acting:
        if measure.status == MeasureStatus.APPROVED:
            actions.append("execute")
        if measure.status == MeasureStatus.EXECUTED:
            actions.append("end")
            if measure.kind == MeasureKind.DETENTION and not measure.family_notified_at:
                actions.append("family")
        if measure.status in (MeasureStatus.REQUESTED, MeasureStatus.APPROVED):
            actions.append("cancel")
    return actions


# What a concluded case does to its measures (listener on the case's machine): on full
# performance, settlement performed or termination the measures that bind the debtor for the
# future are lifted (限制出境 lifted, 曝光/悬赏 withdrawn), requests not yet decided and
# compulsion not yet carried out are cancelled; a detainee is released by the officer (a
# next step says so); after 终本 they stay in force (DOMAIN.md: restrictions stay in force).
LIFTED_ON = ("performed", "terminated", "bankruptcy")
LIFTED_KINDS = (MeasureKind.EXIT_RESTRICTION, MeasureKind.PUBLICATION)
# decided but not yet carried out, and pointless once the debtor performed; a decided fine
# and a referral stand (they answer past conduct): the officer deals with them
NOT_YET_CARRIED_OUT = (MeasureKind.APPEARANCE, MeasureKind.DETENTION, MeasureKind.SEARCH)


def measures_on_case_transition(case, transition, actor, source) -> None:
    """Runs inside the case's transition (common.statemachine listeners)."""
    if transition.target not in LIFTED_ON:
        return
    reason = _("案件%(action)s") % {"action": transition.label}
    now = timezone.now()
    for measure in CoerciveMeasure.objects.select_for_update().filter(
        case=case, status__in=(MeasureStatus.REQUESTED, MeasureStatus.APPROVED, MeasureStatus.EXECUTED)
    ):  # fmt: skip
        if measure.status == MeasureStatus.REQUESTED or (
            measure.status == MeasureStatus.APPROVED and measure.kind in NOT_YET_CARRIED_OUT
        ):
            MEASURE_MACHINE.apply(measure, "cancel", actor=actor, note=reason)
        elif measure.kind in LIFTED_KINDS and measure.status != MeasureStatus.REQUESTED:
            if measure.status == MeasureStatus.APPROVED:
                MEASURE_MACHINE.apply(measure, "execute", actor=actor, note=reason,
                                      changes={"started_at": measure.decided_at or now})  # fmt: skip
            MEASURE_MACHINE.apply(measure, "end", actor=actor, note=reason,
                                  changes={"ended_at": now, "end_note": reason[:300]})  # fmt: skip
