"""Documents from the mediation record and the judicial confirmation (司法确认).

- `agreement_document_generate`: the 人民调解协议书 from the recorded agreement, issued by
  the committee through the documents app (one copy per party plus the committee's).
- `confirmation_apply` → `confirmation_accept` | `confirmation_refuse_acceptance` →
  `confirmation_confirm` | `confirmation_reject`; `confirmation_ruling_extension_request`
  asks the court president for the one 10-day extension of the ruling period.
Every step is audited (the state machine and audit_create) and runs in one transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create
from cases.models import Party
from common.pii import decrypt
from common.sequences import sequence_next
from common.statemachine import TransitionNotAllowed
from deadlines import services as deadline_services
from documents import kinds as document_kinds
from documents.models import IssuedDocument
from documents.selectors import documents_for
from documents.services import ISSUING_ROLES, document_issue
from mediation import confirmation_clocks as clocks
from mediation.confirmation_states import COURT_STAFF, confirmation_machine
from mediation.models import (
    Agreement,
    ConfirmationStatus,
    CourtCaseSequence,
    JudicialConfirmation,
    MediationCase,
    Obligation,
    Status,
    SubjectMatter,
)
from mediation.states import MEDIATING
from organisations.models import Organisation
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

from ._common import COMMITTEE_ROLES, members_of, require_roles, tell

# --- the parties and the agreement as the documents print them ----------------------------


def _identity(party: Party) -> str:
    if party.kind == Party.Kind.PERSON:
        return decrypt(party.id_number_encrypted) if party.id_number_encrypted else ""
    return party.credit_code or ""


def document_parties(case: MediationCase, only=None) -> list[dict]:
    """The case's parties with name as this case recorded it and full identity (the issued
    document names them; the public check page masks the names)."""
    rows = []
    selected = case.case_parties.select_related("party").order_by("role", "pk")
    for case_party in selected:
        if only is not None and case_party.pk not in only:
            continue
        party = case_party.party
        rows.append(
            {
                "role": case_party.get_role_display(),
                "name": case_party.name,
                "identity": _identity(party),
                "address": party.address,
                "representative": party.legal_representative,
            }
        )
    return rows


def _obligation_content(obligation: Obligation) -> str:
    if obligation.kind == Obligation.Kind.ACT:
        return obligation.act
    instalments = list(obligation.instalments.all())
    text = _("支付款项")
    if instalments:
        text += _("，分%(n)s期：") % {"n": len(instalments)} + "；".join(
            _("第%(number)s期%(amount)s元于%(due)s前")
            % {"number": i.number, "amount": i.amount, "due": i.due_date.isoformat()}
            for i in instalments
        )
    if obligation.guarantor_name:
        text += _("（%(name)s提供担保）") % {"name": obligation.guarantor_name}
    return text


def agreement_document_data(
    agreement: Agreement, *, issues: str = "", responsibilities: str = "",
    performance_method: str = "",
) -> dict:  # fmt: skip
    case = agreement.case
    session = case.sessions.exclude(place="").order_by("-held_at").first()
    obligations = agreement.obligations.select_related("obligor", "obligee").prefetch_related(
        "instalments"
    )
    return {
        "parties": document_parties(case),
        "facts": case.facts,
        "issues": issues,
        "responsibilities": responsibilities,
        "obligations": [
            {
                "obligor": o.obligor.name,
                "obligee": o.obligee.name,
                "content": _obligation_content(o),
                "amount": o.amount,
                "due_date": o.due_date,
            }
            for o in obligations.order_by("pk")
        ],
        "performance_method": performance_method,
        "mediator": case.mediator.name if case.mediator_id else "",
        "agreed_on": timezone.localtime(agreement.concluded_at).date(),
        "place": session.place if session else "",
    }


def agreement_documents(agreement: Agreement):
    return documents_for(agreement).filter(kind=document_kinds.MEDIATION_AGREEMENT)


@transaction.atomic
def agreement_document_generate(
    *, agreement: Agreement, actor, issues: str = "", responsibilities: str = "",
    performance_method: str = "",
) -> IssuedDocument:  # fmt: skip
    """Issue the 人民调解协议书 in the committee's name from the recorded agreement, the case's
    parties (with identity), the mediator and the three elements the record does not hold
    (争议事项, 各方责任, 履行方式). A missing legally required element is refused (a
    ValidationError listing each one) before anything is numbered. One live document per
    agreement: a correction goes through 替换 on the document's page."""
    case = agreement.case
    require_roles(
        case, actor, MEDIATING, _("只有本案调解员或调解委员会工作人员可以生成调解协议书。")
    )
    if agreement_documents(agreement).filter(status=IssuedDocument.Status.ISSUED).exists():
        raise ValidationError(_("调解协议书已生成；如需更正，请在文书页面替换。"))
    data = agreement_document_data(
        agreement,
        issues=(issues or "").strip(),
        responsibilities=(responsibilities or "").strip(),
        performance_method=(performance_method or "").strip(),
    )
    document = document_issue(
        kind=document_kinds.MEDIATION_AGREEMENT,
        subject=agreement,
        organisation=case.organisation,
        data=data,
        actor=actor,
    )
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    locked.document_generated_at = document.issued_at
    locked.save(update_fields=["document_generated_at"])
    agreement.document_generated_at = document.issued_at
    return document


# --- judicial confirmation ------------------------------------------------------------------


def _link(confirmation) -> str:
    return reverse("mediation:confirmation_detail", args=[confirmation.pk])


def window_due_date(agreement: Agreement, *, actor) -> datetime.date:
    """The last day for the joint application: the window clock's due day (started when the
    agreement was recorded; started now for an agreement recorded before clocks existed)."""
    clock = clocks.last_clock(agreement, clocks.WINDOW) or clocks.window_start(
        agreement, actor=actor
    )
    return timezone.localtime(clock.due_at).date()


def _may_record_application(case, court, actor) -> bool:
    try:
        require_roles(case, actor, MEDIATING, "")
        return True
    except PermissionDenied:
        return bool(roles_in_scope_of(actor, court) & COURT_STAFF)


@transaction.atomic
def confirmation_apply(
    *, agreement: Agreement, court: Organisation, actor, applicants, subject_matter: str,
    applied_on: datetime.date | None = None,
) -> JudicialConfirmation:  # fmt: skip
    """Record the parties' joint application to `court` and issue it as a document (司法确认
    申请书, on the application's page). Refused, with the reason: an application by fewer
    than all parties, one after the 30-day window, a matter excluded from judicial
    confirmation, a second live application, an applicant the document cannot name with
    an identity number (the documents app lists what is missing). Recorded by the
    committee's staff or the court's clerks; starts the court's 3-day acceptance clock and
    meets the window clock."""
    case = agreement.case
    if court.kind not in (Organisation.Kind.COURT, Organisation.Kind.TRIBUNAL):
        raise ValidationError({"court": [_("请选择人民法院。")]})
    if not _may_record_application(case, court, actor):
        raise PermissionDenied(_("您无权登记此司法确认申请。"))
    today = timezone.localdate()
    applied_on = applied_on or today
    errors: dict[str, list] = {}
    if applied_on > today:
        errors["applied_on"] = [_("申请日期不能晚于今天。")]
    due = window_due_date(agreement, actor=actor)
    if applied_on > due:
        errors["applied_on"] = [
            _("已超过申请司法确认的期限：应当自调解协议生效之日起三十日内申请（截至%(due)s）。")
            % {"due": due.isoformat()}
        ]
    if subject_matter not in SubjectMatter.values:
        errors["subject_matter"] = [_("请选择协议事项。")]
    elif subject_matter != SubjectMatter.CIVIL:
        errors["subject_matter"] = [
            _("“%(matter)s”不属于可以申请司法确认的事项，人民法院不予受理。")
            % {"matter": SubjectMatter(subject_matter).label}
        ]
    all_parties = set(case.case_parties.values_list("pk", flat=True))
    chosen = {getattr(p, "pk", p) for p in applicants or []}
    if not chosen <= all_parties:
        errors["applicants"] = [_("申请人须为本案当事人。")]
    elif chosen != all_parties:
        errors["applicants"] = [_("司法确认须由双方当事人共同申请：请选择全部当事人。")]
    if JudicialConfirmation.objects.filter(
        agreement=agreement,
        status__in=[ConfirmationStatus.APPLIED, ConfirmationStatus.ACCEPTED,
                    ConfirmationStatus.CONFIRMED],
    ).exists():  # fmt: skip
        errors.setdefault("__all__", []).append(_("该调解协议已有进行中或已确认的司法确认申请。"))
    if errors:
        raise ValidationError(errors)
    confirmation = JudicialConfirmation.objects.create(
        agreement=agreement,
        court=court,
        subject_matter=subject_matter,
        applied_on=applied_on,
        recorded_by=actor,
    )
    confirmation.applicants.set(chosen)
    audit_create(confirmation, actor=actor, note=_("登记司法确认申请"))
    # the joint application (司法确认申请书) as a document, with the application; a party
    # without identity or another missing element refuses the application with the list
    application_document_issue(confirmation=confirmation, actor=actor)
    clocks.meet(agreement, clocks.WINDOW, actor=actor)
    # a court clerk who takes the application in owns the 3-day clock; one the committee
    # records has no owner until accepted (the court's clerks are told, a miss escalates)
    deadline_services.deadline_start(
        subject=confirmation, kind=clocks.ACCEPTANCE, organisation=court, actor=actor,
        start=timezone.now(),
        owner=actor if roles_in_scope_of(actor, court) & COURT_STAFF else None,
    )  # fmt: skip
    tell(
        members_of(court, Role.CLERK),
        actor=actor,
        kind="mediation.outcome",
        title=_("新的司法确认申请：%(ref)s") % {"ref": case.reference},
        link=_link(confirmation),
        subject=confirmation,
    )
    return confirmation


def application_document_data(confirmation: JudicialConfirmation) -> dict:
    """The 司法确认申请书's elements: the applicants with their identity, the court, the
    committee, the agreement (its document's number, else the case's) and its terms."""
    agreement = confirmation.agreement
    case = agreement.case
    applicants = set(confirmation.applicants.values_list("pk", flat=True))
    issued = agreement_documents(agreement).filter(status=IssuedDocument.Status.ISSUED).first()
    return {
        "parties": document_parties(case, only=applicants),
        "court": confirmation.court.name,
        "mediation_organisation": case.organisation.name,
        "agreement_number": issued.number
        if issued
        else _("调解案件编号%(ref)s") % {"ref": case.reference},
        "agreement_date": timezone.localtime(agreement.concluded_at).date(),
        "agreement_terms": agreement.terms,
        "applied_on": confirmation.applied_on,
    }


def _application_issuer(case, court, actor) -> Organisation:
    """Who puts the application on paper: the committee when its staff record it (they help
    the parties draw it up), the court when its clerk takes it in (an oral application is
    written down by the court), else the recorder's own unit."""
    candidates = [case.organisation, court]
    candidates += [m.organisation for m in actor.active_memberships]
    for organisation in candidates:
        if roles_in_scope_of(actor, organisation) & ISSUING_ROLES:
            return organisation
    raise PermissionDenied(_("您无权出具司法确认申请书。"))


def application_document_issue(*, confirmation: JudicialConfirmation, actor) -> IssuedDocument:
    """Issue the 司法确认申请书 about `confirmation` (shown on its page and in its history)."""
    case = confirmation.agreement.case
    return document_issue(
        kind=document_kinds.CONFIRMATION_APPLICATION,
        subject=confirmation,
        organisation=_application_issuer(case, confirmation.court, actor),
        data=application_document_data(confirmation),
        actor=actor,
    )


def application_documents(confirmation: JudicialConfirmation):
    return documents_for(confirmation).filter(kind=document_kinds.CONFIRMATION_APPLICATION)


def case_number(*, court: Organisation, year: int, sequence: int) -> str:
    """（2026）蒙0302民特12号."""
    return f"（{year}）{court.court_code}民特{sequence}号"


def _next_number(court: Organisation, year: int) -> int:
    return sequence_next(CourtCaseSequence, court=court, case_type="民特", year=year)


@transaction.atomic
def confirmation_accept(*, confirmation: JudicialConfirmation, actor) -> JudicialConfirmation:
    """受理: the 民特 number from the court's gap-free sequence; the 15-day ruling clock starts."""
    refusal = confirmation_machine.refusal(confirmation, "accept", actor)
    if refusal:
        raise TransitionNotAllowed(refusal)
    court = Organisation.objects.get(pk=confirmation.court_id)
    if not court.court_code:
        raise ValidationError(_("该法院尚未设置法院代字，无法编立案号。"))
    now = timezone.now()
    year = timezone.localtime(now).year
    sequence = _next_number(court, year)
    number = case_number(court=court, year=year, sequence=sequence)

    def after(locked):
        clocks.meet(locked, clocks.ACCEPTANCE, actor=actor)
        # the clerk who accepts owns the ruling clock (its reminders reach them)
        deadline_services.deadline_start(
            subject=locked, kind=clocks.RULING, organisation=court, actor=actor, start=now,
            owner=actor,
        )  # fmt: skip

    return confirmation_machine.apply(
        confirmation,
        "accept",
        actor=actor,
        note=number,
        changes={
            "case_number": number,
            "number_year": year,
            "number_sequence": sequence,
            "accepted_at": now,
        },
        after=after,
    )


def lock_case_number(case_number: str) -> bool:
    """The row lock of the judicial confirmation numbered `case_number` (民特), as
    `confirmation_confirm` takes it while it numbers the ruling: registered with
    `documents.registry.register_case_number_lock` for replacements of the case's
    documents. False when no confirmation has that number."""
    locked = list(
        JudicialConfirmation.objects.select_for_update()
        .filter(case_number=case_number, number_sequence__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return bool(locked)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请写明理由。")]})
    return reason


def _tell_committee(confirmation, *, actor, title):
    case = confirmation.agreement.case
    tell(
        members_of(case.organisation, *COMMITTEE_ROLES),
        actor=actor,
        kind="mediation.outcome",
        title=title % {"ref": case.reference},
        body=confirmation.reason,
        link=_link(confirmation),
        subject=confirmation,
    )


@transaction.atomic
def confirmation_refuse_acceptance(
    *, confirmation: JudicialConfirmation, actor, reason: str
) -> JudicialConfirmation:
    reason = _reason(reason)
    locked = confirmation_machine.apply(
        confirmation,
        "refuse_acceptance",
        actor=actor,
        note=reason,
        changes={"reason": reason, "ruled_at": timezone.now()},
        after=lambda c: clocks.meet(c, clocks.ACCEPTANCE, actor=actor),
    )
    _tell_committee(locked, actor=actor, title=_("司法确认申请不予受理：%(ref)s"))
    return locked


def ruling_document_data(confirmation: JudicialConfirmation, *, ruling_text, judge, clerk_name,
                         ruled_on) -> dict:  # fmt: skip
    agreement = confirmation.agreement
    case = agreement.case
    applicants = set(confirmation.applicants.values_list("pk", flat=True))
    return {
        "case_number": confirmation.case_number,
        "court": confirmation.court.name,
        "parties": document_parties(case, only=applicants),
        "mediation_organisation": case.organisation.name,
        "agreement_date": timezone.localtime(agreement.concluded_at).date(),
        "application_date": confirmation.applied_on,
        "agreement_terms": agreement.terms,
        "ruling_text": ruling_text,
        "judge": judge,
        "court_clerk": clerk_name,
        "ruled_on": ruled_on,
    }


@transaction.atomic
def confirmation_confirm(
    *, confirmation: JudicialConfirmation, actor, judge: str, court_clerk_name: str,
    ruling_text: str = "",
) -> IssuedDocument:  # fmt: skip
    """裁定确认有效: the ruling (司法确认裁定书) is issued in the court's name, numbered by the
    民特 case number as a court numbers a case's documents (the case number itself; a later
    document of the case, such as a replacement, 号之一 …); the agreement becomes an
    enforceable basis, the ruling clock is met. Returns the ruling document.

    The confirmation's row is locked first and held while the ruling is numbered: the lock
    `lock_case_number` takes for the documents service, so a ruling and a replacement of
    one of the case's documents never count the same number."""
    held = JudicialConfirmation.objects.select_for_update().get(pk=confirmation.pk)
    refusal = confirmation_machine.refusal(held, "confirm", actor)
    if refusal:
        raise TransitionNotAllowed(refusal)
    judge, court_clerk_name = (judge or "").strip(), (court_clerk_name or "").strip()
    errors = {}
    if not judge:
        errors["judge"] = [_("请填写审判员。")]
    if not court_clerk_name:
        errors["court_clerk_name"] = [_("请填写书记员。")]
    if errors:
        raise ValidationError(errors)
    agreement = held.agreement
    ruling_text = (ruling_text or "").strip() or _(
        "确认申请人于%(date)s经%(org)s主持调解达成的调解协议有效。当事人应当按照调解协议的约定"
        "自觉履行义务。一方当事人拒绝履行或者未全部履行的，对方当事人可以向人民法院申请强制执行。"
    ) % {
        "date": timezone.localtime(agreement.concluded_at).date().isoformat(),
        "org": agreement.case.organisation.name,
    }
    now = timezone.now()
    document = document_issue(
        kind=document_kinds.CONFIRMATION_RULING,
        subject=held,
        organisation=held.court,
        data=ruling_document_data(
            held,
            ruling_text=ruling_text,
            judge=judge,
            clerk_name=court_clerk_name,
            ruled_on=timezone.localtime(now).date(),
        ),  # fmt: skip
        actor=actor,
        case_number=held.case_number,
    )
    locked = confirmation_machine.apply(
        confirmation,
        "confirm",
        actor=actor,
        note=document.number,
        changes={
            "judge": judge,
            "court_clerk_name": court_clerk_name,
            "ruling_text": ruling_text,
            "ruled_at": now,
            "is_enforceable_basis": True,
        },
        after=lambda c: clocks.meet(c, clocks.RULING, actor=actor),
    )
    _tell_committee(locked, actor=actor, title=_("调解协议经司法确认有效：%(ref)s"))
    return document


@transaction.atomic
def confirmation_reject(
    *, confirmation: JudicialConfirmation, actor, reason: str, judge: str = ""
) -> JudicialConfirmation:
    reason = _reason(reason)
    locked = confirmation_machine.apply(
        confirmation,
        "reject",
        actor=actor,
        note=reason,
        changes={"reason": reason, "judge": (judge or "").strip(), "ruled_at": timezone.now()},
        after=lambda c: clocks.meet(c, clocks.RULING, actor=actor),
    )
    _tell_committee(locked, actor=actor, title=_("司法确认申请被驳回：%(ref)s"))
    return locked


@transaction.atomic
def confirmation_ruling_extension_request(
    *, confirmation: JudicialConfirmation, actor, approver, reason: str
):
    """Ask the court president (a supervisor of the court itself) for the 10-day extension
    of the ruling period. Only once; nothing moves until the president approves it through
    the deadline engine (`deadline_extension_approve`, /deadlines/extensions/)."""
    if not (roles_in_scope_of(actor, confirmation.court) & COURT_STAFF):
        raise PermissionDenied(_("只有受理法院的工作人员可以申请延长审查期限。"))
    clock = clocks.open_clock(confirmation, clocks.RULING)
    if clock is None:
        raise ValidationError(_("审查期限未在计时中。"))
    if clock.extensions.exists() or clock.extension_requests.filter(status="pending").exists():
        raise ValidationError(_("审查期限只能经院长批准延长一次（十日）。"))
    return deadline_services.deadline_extension_request(
        clock,
        actor=actor,
        approver=approver,
        reason=reason,
        amount=clocks.RULING_EXTENSION_DAYS,
        unit="calendar_days",
    )


# --- 终止调解告知书 ----------------------------------------------------------------------------


@transaction.atomic
def termination_document_generate(*, case: MediationCase, actor) -> IssuedDocument:
    """The 终止调解告知书 for a failed mediation (art. 26: the parties may go to court or to
    arbitration), from the case's parties, facts, the recorded reason and its date; issued
    in the committee's name, once (a correction goes through 替换)."""
    require_roles(case, actor, MEDIATING, _("只有本案调解员或调解委员会工作人员可以出具告知书。"))
    if case.status != Status.FAILED:
        raise ValidationError(_("只有终止调解的案件可以出具终止调解告知书。"))
    existing = documents_for(case).filter(
        kind=document_kinds.MEDIATION_TERMINATION, status=IssuedDocument.Status.ISSUED
    )
    if existing.exists():
        raise ValidationError(_("终止调解告知书已出具；如需更正，请在文书页面替换。"))
    return document_issue(
        kind=document_kinds.MEDIATION_TERMINATION,
        subject=case,
        organisation=case.organisation,
        data={
            "parties": document_parties(case),
            "facts": case.facts,
            "termination_reason": case.end_reason,
            "terminated_on": timezone.localtime(case.ended_at).date() if case.ended_at else None,
            "mediator": case.mediator.name if case.mediator_id else "",
        },
        actor=actor,
    )
