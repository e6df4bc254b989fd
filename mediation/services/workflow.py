"""The mediation itself: signed receipt (the clock starts), sessions with their record,
photos and next session, extension on both parties' consent, and the outcomes."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create, audit_personal_view
from cases.models import DisputeStatus
from cases.services import dispute_referral_return
from cases.services.intake import attachment_validate
from common.money import to_yuan
from deadlines import services as deadline_services
from mediation import clocks, confirmation_clocks
from mediation.models import (
    Agreement,
    Attendee,
    Extension,
    Instalment,
    MediationCase,
    MediationFile,
    MediationParty,
    Mediator,
    Obligation,
    Session,
    Source,
    Status,
)
from mediation.states import MEDIATING, mediation_machine

from ._common import COMMITTEE_ROLES, COURT_ROLES, members_of, require_roles, tell
from .compliance import instalment_clocks_start


def _link(case) -> str:
    return reverse("mediation:detail", args=[case.pk])


# --- receipt ---------------------------------------------------------------------------


@transaction.atomic
def mediation_receipt_sign(*, case: MediationCase, actor, signed_at=None) -> MediationCase:
    """签收: the assigned mediator signs the receipt (now, or at the moment a paper receipt
    was signed). The mediation period starts here: 30 days for a court delegation, 15/7
    for an entrustment, a month otherwise."""
    now = timezone.now()
    signed_at = signed_at or now
    if signed_at > now + datetime.timedelta(minutes=5):
        raise ValidationError({"signed_at": [_("签收时间不能晚于现在。")]})
    if signed_at < case.received_at - datetime.timedelta(minutes=5):
        raise ValidationError({"signed_at": [_("签收时间不能早于收案时间。")]})

    def after(locked):
        clocks.period_start(locked, actor=actor, start=signed_at)
        if locked.court_id:
            tell(
                members_of(locked.court, *COURT_ROLES) + [locked.created_by],
                actor=actor,
                kind="mediation.outcome",
                title=_("调解员已签收：%(ref)s")
                % {"ref": locked.court_reference or locked.reference},
                body=str(locked.mediator),
                link=_link(locked),
                subject=locked,
            )

    return mediation_machine.apply(
        case,
        "sign_receipt",
        actor=actor,
        changes={"receipt_signed_at": signed_at, "receipt_signed_by": actor},
        after=after,
    )


# --- sessions ---------------------------------------------------------------------------


def _add_file(case, *, actor, upload, session=None) -> MediationFile:
    try:
        content_type = attachment_validate(upload)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from exc
    stored = MediationFile(
        case=case,
        session=session,
        kind=MediationFile.Kind.PHOTO
        if content_type.startswith("image/")
        else MediationFile.Kind.DOCUMENT,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    stored.file.save(upload.name, upload, save=False)
    stored.save()
    audit_create(stored, actor=actor)
    return stored


@transaction.atomic
def mediation_file_add(*, case: MediationCase, actor, upload, session=None) -> MediationFile:
    """A photo or document on the case (checked like a dispute's attachments)."""
    require_roles(case, actor, MEDIATING, _("只有调解员可以上传调解材料。"))
    return _add_file(case, actor=actor, upload=upload, session=session)


@transaction.atomic
def mediation_file_read(*, stored: MediationFile, actor) -> MediationFile:
    """Every download of a mediation file is audited (it carries personal data)."""
    audit_personal_view(
        stored,
        actor=actor,
        fields=["file"],
        note=_("下载调解材料：%(n)s") % {"n": stored.original_name},
    )
    return stored


ATTENDEE_KINDS = {choice for choice, _label in Attendee.Kind.choices}


@transaction.atomic
def session_log(
    *,
    case: MediationCase,
    actor,
    held_at: datetime.datetime | None = None,
    place: str = "",
    record: str = "",
    attendees: list | None = None,
    mediators: list[Mediator] | None = None,
    next_steps: str = "",
    next_session_at: datetime.datetime | None = None,
    photos: list | None = None,
    planned: bool = False,
) -> Session:
    """Log a session (after the fact, the usual case) or plan one. The first held session
    starts the mediation (已签收 → 调解中). A next session date becomes a reminder in the
    deadline engine for the mediator. `attendees` are Attendee.Kind codes or dicts
    {kind, name, party}."""
    case = (
        MediationCase.objects.select_for_update(of=("self",))
        .select_related("mediator")
        .get(pk=case.pk)
    )
    require_roles(case, actor, MEDIATING, _("只有本案调解员或调解组织的人员可以记录调解。"))
    now = timezone.now()
    held_at = held_at or now
    errors = {}
    if not case.is_open:
        errors["__all__"] = [_("调解已结束，不能再记录调解。")]
    elif not planned and case.status == Status.RECEIVED:
        errors["__all__"] = [_("请调解员先签收案件，再记录调解（调解期限自签收起算）。")]
    if planned and held_at <= now:
        errors["held_at"] = [_("计划的调解时间应晚于现在。")]
    if not planned and held_at > now + datetime.timedelta(minutes=5):
        errors["held_at"] = [_("已举行的调解，时间不能晚于现在；如是计划，请选择“计划下次调解”。")]
    if not planned and not (record or "").strip():
        errors["record"] = [_("请填写调解笔录（要点即可）。")]
    if next_session_at is not None and next_session_at <= max(held_at, now):
        errors["next_session_at"] = [_("下次调解时间应晚于本次和现在。")]
    rows = []
    for item in attendees or []:
        data = item if isinstance(item, dict) else {"kind": item}
        if data.get("kind") not in ATTENDEE_KINDS:
            errors["attendees"] = [_("参加人身份无效。")]
            break
        party = data.get("party")
        if party is not None and getattr(party, "case_id", None) != case.pk:
            errors["attendees"] = [_("参加的当事人不属于本案。")]
            break
        rows.append(data)
    if errors:
        raise ValidationError(errors)
    if mediators is None:
        own = (
            getattr(actor, "mediator_profile", None) if hasattr(actor, "mediator_profile") else None
        )
        mediators = [m for m in (own, case.mediator) if m is not None]
    session = Session.objects.create(
        case=case,
        held_at=held_at,
        is_planned=planned,
        place=(place or "").strip()[:120],
        record=(record or "").strip(),
        next_steps=(next_steps or "").strip(),
        next_session_at=next_session_at,
        logged_by=actor,
        logged_at=now,
    )
    session.mediators.set({m.pk for m in mediators})
    Attendee.objects.bulk_create(
        Attendee(
            session=session,
            kind=row["kind"],
            name=(row.get("name") or "").strip()[:120],
            party=row.get("party"),
        )
        for row in rows
    )
    audit_create(session, actor=actor)
    for upload in photos or []:
        _add_file(case, actor=actor, upload=upload, session=session)
    if planned:
        clocks.next_session_set(case, actor=actor, at=held_at)
        return session
    clocks.next_session_held(case, actor=actor)
    if case.status == Status.ACCEPTED:
        mediation_machine.apply(case, "start", actor=actor, note=str(session))
    if next_session_at is not None:
        clocks.next_session_set(case, actor=actor, at=next_session_at)
    return session


# --- extension --------------------------------------------------------------------------


@transaction.atomic
def mediation_extend_with_consent(
    *,
    case: MediationCase,
    actor,
    days: int,
    manner: str,
    consenting_parties: list[MediationParty],
    note: str = "",
) -> Extension:
    """Extend the mediation period on both parties' recorded consent — for 诉前调解 the only
    way it may be extended. Every party of the case must be among those consenting.
    An entrusted case's period is the court's to extend (its supervisor approves)."""
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    require_roles(case, actor, MEDIATING, _("只有本案调解员或调解组织的人员可以记录延期。"))
    if case.source == Source.COURT_ENTRUSTED:
        raise ValidationError(
            {
                "__all__": [
                    _("委托调解期限的延长由委托法院决定，请向法院申请（期限页面“申请延长”）。")
                ]
            }
        )
    errors = {}
    if not case.is_open:
        errors["__all__"] = [_("调解已结束，不能延长。")]
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if days <= 0 or days > 366:
        errors["days"] = [_("请填写延长的天数。")]
    if manner not in Extension.Manner.values:
        errors["manner"] = [_("请选择当事人同意的方式。")]
    parties = list(case.case_parties.all())
    consenting = {p.pk for p in consenting_parties if p.case_id == case.pk}
    missing = [p for p in parties if p.pk not in consenting]
    if missing or len(parties) < 2:
        errors["consenting_parties"] = [
            _("延长调解期限须经双方当事人同意并记录；尚未同意：%(names)s")
            % {"names": "、".join(p.name for p in missing) or _("（本案当事人不足两方）")}
        ]
    clock = clocks.period_clock(case)
    if clock is None and "__all__" not in errors:
        errors["__all__"] = [_("调解期限尚未起算（调解员签收后起算），无需延长。")]
    if errors:
        raise ValidationError(errors)
    extension = Extension.objects.create(
        case=case,
        days=days,
        manner=manner,
        note=(note or "").strip()[:200],
        recorded_by=actor,
    )
    extension.consenting_parties.set(parties)
    audit_create(extension, actor=actor, note=extension.note)
    reason = _("双方当事人同意延长（%(manner)s：%(names)s）") % {
        "manner": extension.get_manner_display(),
        "names": "、".join(p.name for p in parties),
    }
    deadline_services.deadline_extend_on_record(
        clock, actor=actor, reason=reason, amount=days, unit="calendar_days"
    )
    return extension


# --- outcomes ---------------------------------------------------------------------------


def _tell_outcome(case: MediationCase, *, actor, title: str, body: str) -> None:
    """The court that delegated or entrusted sees the result without asking (a referred
    dispute's centre hears of a failure through the cases loop, which reopens it)."""
    recipients = []
    if case.court_id:
        recipients += members_of(case.court, *COURT_ROLES) + [case.created_by]
    recipients += members_of(case.organisation, *COMMITTEE_ROLES)
    tell(
        recipients,
        actor=actor,
        kind="mediation.outcome",
        title=title % {"ref": case.court_reference or case.reference},
        body=body,
        link=_link(case),
        subject=case,
    )


def _end(case, name, *, actor, note, title, record=None):
    def after(locked):
        if record is not None:
            record(locked)
        clocks.period_meet(locked, actor=actor)
        for deadline in clocks.open_clocks(locked, clocks.NEXT_SESSION):
            deadline_services.deadline_cancel(deadline, actor=actor, reason=note)
        _tell_outcome(locked, actor=actor, title=title, body=note)

    return mediation_machine.apply(
        case,
        name,
        actor=actor,
        note=note,
        changes={"ended_at": timezone.now(), "end_reason": note},
        after=after,
    )


@transaction.atomic
def mediation_fail(*, case: MediationCase, actor, reason: str) -> MediationCase:
    """终止调解, with the reason: the matter goes back to the court (which is told and sees
    the reason) or to the centre that referred the dispute."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请写明终止调解的原因。")]})

    def back_to_the_loop(locked):
        # back to the loop, unless the centre has meanwhile closed or moved it itself
        if locked.dispute_id and locked.dispute.status == DisputeStatus.REFERRED:
            dispute_referral_return(
                dispute=locked.dispute,
                actor=actor,
                note=_("调解终止（%(ref)s）：%(reason)s")
                % {"ref": locked.reference, "reason": reason},
            )

    return _end(
        case,
        "fail",
        actor=actor,
        note=reason,
        title=_("调解终止：%(ref)s"),
        record=back_to_the_loop,
    )


@transaction.atomic
def mediation_withdraw(*, case: MediationCase, actor, note: str = "") -> MediationCase:
    """调撤: after mediation the plaintiff withdraws the filed (entrusted) case."""
    note = (note or "").strip() or _("调解后原告撤回起诉")
    return _end(case, "withdraw", actor=actor, note=note, title=_("调解撤诉：%(ref)s"))


def _clean_obligation(case, data: dict, position: int, parties: dict) -> dict:
    prefix = _("第%(n)d项义务：") % {"n": position + 1}
    errors = []
    obligor = parties.get(getattr(data.get("obligor"), "pk", data.get("obligor")))
    obligee = parties.get(getattr(data.get("obligee"), "pk", data.get("obligee")))
    if obligor is None or obligee is None:
        errors.append(prefix + _("请选择本案的义务人和权利人。"))
    elif obligor.pk == obligee.pk:
        errors.append(prefix + _("义务人和权利人不能是同一人。"))
    kind = data.get("kind")
    amount = None
    act = (data.get("act") or "").strip()
    if kind == Obligation.Kind.MONEY:
        try:
            amount = to_yuan(data.get("amount"))
        except (TypeError, ValueError):
            amount = None
        if amount is None or amount <= 0:
            errors.append(prefix + _("请填写给付金额（元，大于零）。"))
    elif kind == Obligation.Kind.ACT:
        if not act:
            errors.append(prefix + _("请写明应履行的行为。"))
    else:
        errors.append(prefix + _("请选择义务类型。"))
    due_date = data.get("due_date")
    if not isinstance(due_date, datetime.date):
        errors.append(prefix + _("请填写履行期限。"))
    instalments = []
    for number, item in enumerate(data.get("instalments") or [], start=1):
        try:
            part = to_yuan(item.get("amount"))
        except (TypeError, ValueError):
            part = Decimal("0")
        when = item.get("due_date")
        if part <= 0 or not isinstance(when, datetime.date):
            errors.append(prefix + _("第%(k)d期的金额或日期无效。") % {"k": number})
            continue
        instalments.append({"number": number, "amount": part, "due_date": when})
    if instalments:
        if kind != Obligation.Kind.MONEY:
            errors.append(prefix + _("只有金钱给付可以分期。"))
        elif amount is not None and sum(i["amount"] for i in instalments) != amount:
            errors.append(prefix + _("各期金额之和应等于给付总额。"))
        dates = [i["due_date"] for i in instalments]
        if dates != sorted(dates):
            errors.append(prefix + _("各期到期日应依次排列。"))
        elif isinstance(due_date, datetime.date) and dates[-1] > due_date:
            errors.append(prefix + _("最后一期不能晚于履行期限。"))
    if errors:
        raise ValidationError({"obligations": errors})
    return {
        "obligor": obligor,
        "obligee": obligee,
        "kind": kind,
        "amount": amount,
        "act": act[:200] if kind == Obligation.Kind.ACT else "",
        "due_date": due_date,
        "guarantor_name": (data.get("guarantor_name") or "").strip()[:120],
        "instalments": instalments,
    }


@transaction.atomic
def mediation_agree(
    *,
    case: MediationCase,
    actor,
    terms: str,
    obligations: list[dict],
    concluded_at: datetime.datetime | None = None,
    is_oral: bool = False,
) -> Agreement:
    """达成调解协议: the agreement with its obligations (who owes whom: money in yuan or an
    act, by when, in instalments, with a guarantor). The 调解协议书 is generated by the
    documents app (`agreement_document_generate`); the 30-day window for judicial
    confirmation starts."""
    require_roles(case, actor, MEDIATING, _("只有本案调解员可以记录调解协议。"))
    terms = (terms or "").strip()
    errors = {}
    if not terms:
        errors["terms"] = [_("请写明协议内容。")]
    parties = {p.pk: p for p in case.case_parties.all()}
    cleaned = []
    if not is_oral and not obligations:
        errors["obligations"] = [_("请至少填写一项义务（谁向谁履行什么、何时履行）。")]
    for position, data in enumerate(obligations or []):
        try:
            cleaned.append(_clean_obligation(case, data, position, parties))
        except ValidationError as exc:
            errors.setdefault("obligations", []).extend(exc.message_dict["obligations"])
    if errors:
        raise ValidationError(errors)
    concluded_at = concluded_at or timezone.now()
    created = {}

    def after(locked):
        agreement = Agreement.objects.create(
            case=locked, concluded_at=concluded_at, terms=terms, is_oral=is_oral, recorded_by=actor
        )
        audit_create(agreement, actor=actor)
        for row in cleaned:
            instalments = row.pop("instalments")
            obligation = Obligation.objects.create(agreement=agreement, **row)
            audit_create(obligation, actor=actor)
            for item in instalments:
                audit_create(Instalment.objects.create(obligation=obligation, **item), actor=actor)
        instalment_clocks_start(agreement=agreement, actor=actor)
        created["agreement"] = agreement
        # the 30-day window for the joint application to a court (司法确认)
        confirmation_clocks.window_start(agreement, actor=actor)

    _end(case, "agree", actor=actor, note=terms[:200], title=_("调解成功：%(ref)s"), record=after)
    return created["agreement"]


def case_may_act(case, user) -> bool:
    try:
        require_roles(case, user, MEDIATING, "")
    except PermissionDenied:
        return False
    return True
