"""执行担保 (enforcement guarantee, enf-guarantee).

The rules (Civil Procedure Law on enforcement guarantee; SPC 关于执行担保若干问题的规定):
- the debtor or another person (a person or an organisation) offers property or an
  undertaking (保证) as security; **the applicant must consent** — without it the offer is
  refused;
- the court (the president, as themselves; the requester cannot approve) decides; approved,
  enforcement is **suspended (暂缓执行) for at most one year** — a later day is refused with
  the latest allowed day. The case goes to 暂缓执行 (suspended), its 6-month limit is paused
  (the days not counted), and the suspension gets its clock (`enforcement.guarantee_suspension`
  from the deadlines engine, reminding the officer 30 and 7 days before it ends);
- the debtor performs within the period: the guarantee is discharged, enforcement resumes
  (the officer concludes the case as usual);
- the period ends and the debtor has not performed (or, earlier, the guarantor moves, hides,
  sells or damages the guaranteed property): on the applicant's application enforcement
  resumes **against the guaranteed property or the guarantor**, who joins the case as a
  party (担保人) — liable only up to the guaranteed amount, never turned into the debtor —
  and is told with the court's ruling (执行裁定书, issued through the documents service in
  the case number's form). An application after the guarantee period is refused: the period
  the 担保书 names (at most 60 months — a plausibility cap of the portal's, the law sets
  none), counted from the end of the suspension; one year when it names none (SPC 关于执行
  担保若干问题的规定: 担保书中没有记载担保期间或者记载不明的，担保期间为一年);
- what the guarantor pays goes into the case-fund ledger as a receipt from the guarantor
  (担保人代偿), never more than is left of the guaranteed amount.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_change, audit_create, snapshot
from common.statemachine import StateMachine, Transition, TransitionNotAllowed
from common.validators import (
    normalise_credit_code,
    normalise_id_number,
    normalise_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)
from deadlines.calendar import add_months
from deadlines.models import Deadline
from deadlines.services import deadline_cancel, deadline_meet, deadline_pause, deadline_resume
from documents.services import document_issue
from organisations.roles import Role

from ..case_data import may_hold
from ..document_kinds_guarantee import ENFORCEMENT_RULING, SUSPENSION_DECISION
from ..models import (
    CaseParty,
    CaseStatus,
    EnforcementCase,
    EnforcementGuarantee,
    EnforcementRole,
    FundReceipt,
    GuaranteeKind,
    GuaranteeStatus,
    GuarantorKind,
    ReceiptSource,
    Settlement,
    SettlementStatus,
)
from ..selectors import acting_roles
from ..selectors_filing import TIME_LIMIT, case_clock
from ..states import COURT_STAFF, case_machine
from .endings import check_approver, clean_text, require_named_approver, require_staff, tell
from .settlement import _date, _due_at, _money, settlement_last_day

SUSPENSION_CLOCK = "enforcement.guarantee_suspension"
MAX_SUSPENSION_MONTHS = 12  # 暂缓执行的期限最长不得超过一年
GUARANTEE_PERIOD_MONTHS = 12  # 担保书未载明担保期间的，为暂缓执行期限届满之日起一年
# The law sets no upper bound on the period a 担保书 names; five years catches a typing slip
# (months entered as days) without refusing any period a court would plausibly accept.
MAX_GUARANTEE_PERIOD_MONTHS = 60
NOTIFICATION_KIND = "enforcement.guarantee"
S = GuaranteeStatus

guarantee_machine = StateMachine(
    state_field="status",
    states=GuaranteeStatus,
    roles_of=lambda guarantee, user: acting_roles(user, guarantee.case.court),
    transitions=[
        Transition("approve", gettext_lazy("准许执行担保，暂缓执行"), (S.OFFERED,), S.SUSPENDED,
                   frozenset({Role.SUPERVISOR})),
        Transition("refuse", gettext_lazy("不予准许执行担保"), (S.OFFERED,), S.REFUSED,
                   frozenset({Role.SUPERVISOR}), button_style="danger"),
        Transition("discharge", gettext_lazy("被执行人已履行，解除担保"),
                   (S.SUSPENDED, S.SECURING), S.DISCHARGED, COURT_STAFF),
        Transition("enforce", gettext_lazy("恢复执行，执行担保财产/担保人"),
                   (S.SUSPENDED, S.SECURING), S.ENFORCED, COURT_STAFF, button_style="warning"),
    ],
)  # fmt: skip


# --- the case machine's guards (registered at ready())


def open_guarantee(case: EnforcementCase) -> EnforcementGuarantee | None:
    """The case's guarantee awaiting approval or suspending it (at most one), read once per
    case object: the case page's panel, actions and next steps share it, and a list's
    prefetch (panels_guarantee) sets it for every row. The state machine applies guards to
    a freshly locked row, which has no memo."""
    if not hasattr(case, "_guarantee_open"):
        recent_guarantees(case)
    return case._guarantee_open


def recent_guarantees(case: EnforcementCase) -> list[EnforcementGuarantee]:
    """The case's three newest guarantees (the panel's), read once per case object; the
    open one, if any, is the newest (nothing can be offered while one is open)."""
    if not hasattr(case, "_guarantee_recent"):
        held = may_hold(case, EnforcementGuarantee)  # the case page knows when there is none
        case._guarantee_recent = (
            list(
                case.guarantees.select_related("decision", "enforcement_ruling").order_by("-pk")[:3]
            )
            if held
            else []
        )
        newest = case._guarantee_recent[0] if case._guarantee_recent else None
        case._guarantee_open = (
            newest if newest and newest.status in (S.OFFERED, S.SUSPENDED) else None
        )
    return case._guarantee_recent


def guarantee_suspend_refusal(case: EnforcementCase) -> str | None:
    current = open_guarantee(case)
    if current is None or current.status != S.OFFERED:
        return _("暂缓执行须有院长准许的执行担保。")
    return None


def guarantee_resume_refusal(case: EnforcementCase) -> str | None:
    current = open_guarantee(case)
    if current is None or current.status != S.SUSPENDED:
        return _("本案没有因执行担保暂缓执行。")
    return None


def end_suspension_refusal(case: EnforcementCase) -> str | None:
    current = open_guarantee(case)
    if current is not None and current.status == S.SUSPENDED:
        return _("本案因执行担保暂缓执行：请在执行担保中登记被执行人已履行或恢复执行。")
    return None


def latest_suspension_day(today: datetime.date | None = None) -> datetime.date:
    return add_months(today or timezone.localdate(), MAX_SUSPENSION_MONTHS)


def guarantee_period_ends_on(guarantee: EnforcementGuarantee) -> datetime.date:
    """The last day the guarantor can be enforced against: the period the 担保书 names (or a
    year) from the end of the suspension (a settlement's: its last performance day)."""
    months = guarantee.guarantee_period_months or GUARANTEE_PERIOD_MONTHS
    return add_months(guarantee.suspension_until, months)


def clean_guarantee_period(value) -> int | None:
    """The guarantee period the 担保书 names, in whole months (1–60), or None when it names
    none (the default year applies). A string of digits (the page's form) or an int."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    message = _("担保期间须为 1 至 %(m)s 个月的整数（担保书未载明的留空，按一年计）。") % {
        "m": MAX_GUARANTEE_PERIOD_MONTHS}  # fmt: skip
    if isinstance(value, bool):
        raise ValidationError({"guarantee_period_months": [message]})
    if isinstance(value, str):
        value = value.strip()
        if not value.isascii() or not value.isdigit():
            raise ValidationError({"guarantee_period_months": [message]})
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= MAX_GUARANTEE_PERIOD_MONTHS:
        raise ValidationError({"guarantee_period_months": [message]})
    return value


def _check_suspension(until: datetime.date) -> None:
    today = timezone.localdate()
    if until <= today:
        raise ValidationError({"suspension_until": [_("暂缓执行期限须晚于今天。")]})
    latest = latest_suspension_day(today)
    if until > latest:
        raise ValidationError(
            {"suspension_until": [
                _("暂缓执行的期限最长不得超过一年（最迟 %(d)s）。") % {"d": latest.isoformat()}
            ]}
        )  # fmt: skip


def _clean_guarantor(
    guarantor_kind: str, name: str, id_number: str, credit_code: str
) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["guarantor_name"] = [_("请填写担保人的姓名或名称。")]
    if guarantor_kind not in GuarantorKind.values:
        errors["guarantor_kind"] = [_("请选择担保人类型。")]
    id_number = normalise_id_number(id_number or "")
    credit_code = normalise_credit_code(credit_code or "")
    if guarantor_kind == GuarantorKind.PERSON:
        if credit_code:
            errors["guarantor_credit_code"] = [_("自然人请填写身份证号码，而非统一社会信用代码。")]
        if not id_number:
            errors["guarantor_id_number"] = [_("请填写担保人的身份证号码。")]
        else:
            try:
                validate_id_number(id_number)
            except ValidationError as exc:
                errors["guarantor_id_number"] = list(exc.messages)
    elif guarantor_kind == GuarantorKind.ORGANISATION:
        if id_number:
            errors["guarantor_id_number"] = [
                _("法人或其他组织请填写统一社会信用代码，而非身份证号码。")
            ]
        if not credit_code:
            errors["guarantor_credit_code"] = [_("请填写担保人的统一社会信用代码。")]
        else:
            try:
                validate_credit_code(credit_code)
            except ValidationError as exc:
                errors["guarantor_credit_code"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    return name, id_number, credit_code


def _clean_phone(phone: str) -> str:
    """The guarantor's mobile number (optional), checked with the other fields so that its
    error comes back with theirs, not after they are put right."""
    phone = normalise_mobile(phone or "")
    if phone:
        try:
            validate_mobile(phone)
        except ValidationError as exc:
            raise ValidationError({"guarantor_phone": list(exc.messages)}) from None
    return phone


@transaction.atomic
def guarantee_offer(
    *,
    case: EnforcementCase,
    actor,
    kind: str,
    guarantor_kind: str,
    guarantor_name: str,
    amount,
    suspension_until,
    applicant_consent: bool,
    approver,
    guarantor_id_number: str = "",
    guarantor_credit_code: str = "",
    guarantor_address: str = "",
    guarantor_phone: str = "",
    property_description: str = "",
    consent_note: str = "",
    reason: str = "",
    guarantee_period_months=None,
) -> EnforcementGuarantee:
    """Record the guarantee offered (with the applicant's consent) and ask the named
    president to approve it and suspend enforcement until `suspension_until` (≤ 1 year).
    `guarantee_period_months`: the guarantee period the 担保书 names (None: a year)."""
    require_staff(case, actor)
    EnforcementCase.objects.select_for_update().filter(pk=case.pk).first()
    case.refresh_from_db()
    if case.status != CaseStatus.IN_PROGRESS:
        raise TransitionNotAllowed(
            _("案件当前为“%(s)s”，只有执行中的案件可以提供执行担保。")
            % {"s": case.get_status_display()}
        )
    if case.guarantees.filter(status__in=[S.OFFERED, S.SUSPENDED]).exists():
        raise TransitionNotAllowed(_("本案已有待审批或正在暂缓执行的执行担保。"))
    errors: dict[str, list[str]] = {}
    if kind not in GuaranteeKind.values:
        errors["kind"] = [_("请选择担保方式。")]
    property_description = (property_description or "").strip()
    if kind == GuaranteeKind.PROPERTY and not property_description:
        errors["property_description"] = [_("财产担保请写明担保财产（名称、数量、所在地、权属）。")]
    if applicant_consent is not True:
        errors["applicant_consent"] = [_("执行担保须经申请执行人同意。")]
    for field, check in (
        ("amount", lambda: _money(amount, "amount")),
        ("suspension_until", lambda: _check_suspension(_date(suspension_until, "suspension_until"))),
        ("guarantor", lambda: _clean_guarantor(guarantor_kind, guarantor_name,
                                                guarantor_id_number, guarantor_credit_code)),
        ("approver", lambda: check_approver(case, approver=approver, actor=actor)),
        ("guarantee_period_months", lambda: clean_guarantee_period(guarantee_period_months)),
        ("guarantor_phone", lambda: _clean_phone(guarantor_phone)),
    ):  # fmt: skip
        try:
            check()
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key if key != "__all__" else field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    amount = _money(amount, "amount")
    until = _date(suspension_until, "suspension_until")
    name, id_number, credit_code = _clean_guarantor(
        guarantor_kind, guarantor_name, guarantor_id_number, guarantor_credit_code
    )
    party = _guarantor_party(guarantor_kind, name, id_number, credit_code, guarantor_phone,
                             guarantor_address, actor=actor)  # fmt: skip
    guarantee = EnforcementGuarantee.objects.create(
        case=case, kind=kind, guarantor_kind=guarantor_kind, guarantor=party,
        guarantor_name=name, property_description=property_description, amount=amount,
        applicant_consent=True, consent_note=(consent_note or "").strip()[:200],
        suspension_until=until, reason=(reason or "").strip(), requested_by=actor,
        approver=approver, guarantee_period_months=clean_guarantee_period(guarantee_period_months),
    )  # fmt: skip
    audit_create(guarantee, actor=actor, note=_("提供执行担保，申请暂缓执行至 %(d)s") % {
        "d": until.isoformat()})  # fmt: skip
    tell(approver, actor=actor, kind=NOTIFICATION_KIND,
         title=_("%(n)s 执行担保待您审批") % {"n": case.case_number},
         body=_("担保人：%(g)s，担保金额 %(a)s 元，暂缓执行至 %(d)s。") % {
             "g": name, "a": amount, "d": until.isoformat()},
         link=guarantee_url(case), subject=guarantee)  # fmt: skip
    return guarantee


def _guarantor_party(kind, name, id_number, credit_code, phone, address, *, actor):
    from cases.services.intake import party_find_or_create

    try:
        party, _created = party_find_or_create(
            data={"kind": kind, "name": name, "id_number": id_number,
                  "credit_code": credit_code, "phone": phone or "",
                  "address": address or "", "role": "applicant"},
            actor=actor,
        )  # fmt: skip
    except ValidationError as exc:
        raise ValidationError({"guarantor_phone": exc.messages}) from None
    return party


def settlement_guarantee_clean(
    *,
    kind: str,
    guarantor_kind: str,
    guarantor_name: str,
    amount,
    undertaking: bool,
    guarantor_id_number: str = "",
    guarantor_credit_code: str = "",
    guarantor_address: str = "",
    guarantor_phone: str = "",
    property_description: str = "",
    reason: str = "",
    guarantee_period_months=None,
) -> dict:
    """The rules of a settlement's guarantee (settlement_guarantee_add's arguments), every
    field's error at once in one ValidationError, nothing read or written: the service
    checks with it, and so do the pages' forms (forms_endings) before they call the
    service, so that the clerk sees every error on the first submit. Returns the values as
    the record keeps them."""
    errors: dict[str, list[str]] = {}
    if kind not in GuaranteeKind.values:
        errors["kind"] = [_("请选择担保方式。")]
    property_description = (property_description or "").strip()
    if kind == GuaranteeKind.PROPERTY and not property_description:
        errors["property_description"] = [_("财产担保请写明担保财产（名称、数量、所在地、权属）。")]
    if undertaking is not True:
        errors["undertaking"] = [
            _("担保人须向人民法院承诺在被执行人不履行和解协议时自愿接受直接强制执行，"
              "否则不能在本案中直接执行担保人的财产。")
        ]  # fmt: skip
    clean: dict = {}
    for key, check in (
        ("amount", lambda: _money(amount, "amount")),
        ("guarantee_period_months", lambda: clean_guarantee_period(guarantee_period_months)),
        ("guarantor", lambda: _clean_guarantor(guarantor_kind, guarantor_name,
                                                guarantor_id_number, guarantor_credit_code)),
        ("guarantor_phone", lambda: _clean_phone(guarantor_phone)),
    ):  # fmt: skip
        try:
            clean[key] = check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    name, id_number, credit_code = clean.pop("guarantor")
    return {
        **clean, "kind": kind, "guarantor_kind": guarantor_kind, "guarantor_name": name,
        "guarantor_id_number": id_number, "guarantor_credit_code": credit_code,
        "guarantor_address": (guarantor_address or "").strip(),
        "property_description": property_description, "reason": (reason or "").strip(),
    }  # fmt: skip


@transaction.atomic
def settlement_guarantee_add(
    *,
    settlement: Settlement,
    actor,
    kind: str,
    guarantor_kind: str,
    guarantor_name: str,
    amount,
    undertaking: bool,
    guarantor_id_number: str = "",
    guarantor_credit_code: str = "",
    guarantor_address: str = "",
    guarantor_phone: str = "",
    property_description: str = "",
    reason: str = "",
    guarantee_period_months=None,
) -> EnforcementGuarantee:
    """The guarantee a settlement agreement names (执行和解协议约定的担保): a person or an
    organisation guarantees the debtor's performance of the settlement, up to `amount`,
    with property or an undertaking. It suspends nothing of its own (the settlement does)
    and needs no approval (the applicant agreed to it in the settlement). Only a guarantor
    who undertook to the court to accept direct enforcement if the settlement is not
    performed (`undertaking`) can later be enforced against in this case — without it the
    applicant must sue the guarantor, so it is refused here. Its guarantee period, when the
    undertaking names none, runs one year from the settlement's last performance day
    (`guarantee_period_months`: the period it names, counted from that day)."""
    settlement = (
        Settlement.objects.select_for_update().select_related("case__court").get(pk=settlement.pk)
    )
    case = settlement.case
    require_staff(case, actor)
    if settlement.status != SettlementStatus.PERFORMING:
        raise TransitionNotAllowed(
            _("和解协议已“%(s)s”，不能再约定担保。") % {"s": settlement.get_status_display()}
        )
    clean = settlement_guarantee_clean(
        kind=kind, guarantor_kind=guarantor_kind, guarantor_name=guarantor_name, amount=amount,
        undertaking=undertaking, guarantor_id_number=guarantor_id_number,
        guarantor_credit_code=guarantor_credit_code, guarantor_address=guarantor_address,
        guarantor_phone=guarantor_phone, property_description=property_description,
        reason=reason, guarantee_period_months=guarantee_period_months,
    )  # fmt: skip
    name = clean["guarantor_name"]
    party = _guarantor_party(guarantor_kind, name, clean["guarantor_id_number"],
                             clean["guarantor_credit_code"], clean["guarantor_phone"],
                             clean["guarantor_address"], actor=actor)  # fmt: skip
    guarantee = EnforcementGuarantee.objects.create(
        case=case, settlement=settlement, status=S.SECURING, kind=kind,
        guarantor_kind=guarantor_kind, guarantor=party, guarantor_name=name,
        property_description=clean["property_description"], amount=clean["amount"],
        applicant_consent=True, consent_note=_("申请执行人在和解协议中同意"),
        suspension_until=settlement_last_day(settlement), reason=clean["reason"],
        requested_by=actor, approver=None, undertaking=True,
        guarantee_period_months=clean["guarantee_period_months"],
    )  # fmt: skip
    audit_create(guarantee, actor=actor, note=_("执行和解协议约定担保：%(g)s，以 %(a)s 元为限") % {
        "g": name, "a": guarantee.amount})  # fmt: skip
    if not settlement.guarantor:
        before = snapshot(settlement)
        settlement.guarantor = name[:120]
        settlement.save(update_fields=["guarantor"])
        audit_change(settlement, actor=actor, before=before, note=_("和解协议担保人"))
    return guarantee


def settlement_guarantees_discharge(settlement: Settlement, *, actor) -> int:
    """The settlement performed: its guarantees are discharged (inside its transaction)."""
    count = 0
    for guarantee in settlement.guarantees.select_for_update().filter(status=S.SECURING):
        guarantee_machine.apply(
            guarantee, "discharge", actor=actor, note=_("和解协议履行完毕，担保解除"),
            changes={"ended_at": timezone.now(), "end_note": _("和解协议履行完毕，担保解除")},
        )  # fmt: skip
        count += 1
    return count


def guarantee_url(case) -> str:
    from django.urls import reverse

    return reverse("enforcement:guarantee", args=[case.pk])


def _lock(guarantee: EnforcementGuarantee) -> EnforcementGuarantee:
    return (
        EnforcementGuarantee.objects.select_for_update(of=("self",))
        .select_related("case__court", "case__officer", "settlement")
        .get(pk=guarantee.pk)
    )


def _decision_data(guarantee: EnforcementGuarantee, case: EnforcementCase, *, actor) -> dict:
    from .notices import _applicant_names, _basis_text, _debtor_rows

    officer = case.officer or guarantee.requested_by
    what = _guaranteed_what(guarantee)
    return {
        "court": case.court.name,
        "case_number": case.case_number,
        "debtors": _debtor_rows(case),
        "applicants": _applicant_names(case),
        "basis": _basis_text(case),
        "guarantor": guarantee.guarantor_name,
        "guarantee": what,
        "amount": guarantee.amount,
        "suspension_until": guarantee.suspension_until,
        "approver": actor.full_name or actor.username,
        "officer": officer.full_name or officer.username,
    }


@transaction.atomic
def guarantee_approve(*, guarantee: EnforcementGuarantee, actor, note: str = ""):
    """The president named in the request approves, as themselves: enforcement suspended
    until the day asked (checked again: still at most a year from today), the time limit
    paused, the suspension clock started, the decision (暂缓执行决定书, in the case
    number's form) issued."""
    guarantee = _lock(guarantee)
    require_named_approver(guarantee, actor)
    case = guarantee.case
    if guarantee.status == S.OFFERED:
        _check_suspension(guarantee.suspension_until)

    def suspended(locked_case):
        limit = case_clock(locked_case, TIME_LIMIT)
        if limit is not None and limit.state == Deadline.State.PENDING:
            deadline_pause(limit, actor=actor, reason=_("执行担保，暂缓执行"))

    # The case first: its guard asks for the offered guarantee this step approves.
    case_machine.apply(case, "guarantee_suspend", actor=actor,
                       note=_("暂缓执行至 %(d)s") % {"d": guarantee.suspension_until.isoformat()},
                       after=suspended)  # fmt: skip

    def approved(locked):
        from deadlines.services import deadline_start

        locked.suspension_clock = deadline_start(
            subject=locked, kind=SUSPENSION_CLOCK, organisation=case.court, actor=actor,
            owner=case.officer, due_at=_due_at(locked.suspension_until),
        )  # fmt: skip
        locked.decision = document_issue(
            kind=SUSPENSION_DECISION, subject=locked, organisation=case.court,
            data=_decision_data(locked, case, actor=actor), actor=actor,
            case_number=case.case_number,
        )  # fmt: skip
        locked.save(update_fields=["suspension_clock", "decision"])

    guarantee = guarantee_machine.apply(
        guarantee, "approve", actor=actor, note=(note or "").strip()[:200],
        changes={"decided_at": timezone.now(), "decision_note": (note or "").strip()},
        after=approved,
    )  # fmt: skip
    tell(guarantee.requested_by, actor=actor, kind=NOTIFICATION_KIND,
         title=_("%(n)s 执行担保已准许，暂缓执行至 %(d)s") % {
             "n": case.case_number, "d": guarantee.suspension_until.isoformat()},
         link=guarantee_url(case), subject=guarantee)  # fmt: skip
    return guarantee


@transaction.atomic
def guarantee_refuse(*, guarantee: EnforcementGuarantee, actor, note: str):
    """The president named in the request refuses, with the reasons."""
    guarantee = _lock(guarantee)
    require_named_approver(guarantee, actor)
    note = clean_text(note, "note", _("不予准许须写明理由。"))
    guarantee = guarantee_machine.apply(
        guarantee, "refuse", actor=actor, note=note[:200],
        changes={"decided_at": timezone.now(), "decision_note": note, "ended_at": timezone.now()},
    )  # fmt: skip
    tell(guarantee.requested_by, actor=actor, kind=NOTIFICATION_KIND,
         title=_("%(n)s 执行担保不予准许") % {"n": guarantee.case.case_number}, body=note,
         link=guarantee_url(guarantee.case), subject=guarantee)  # fmt: skip
    return guarantee


def _resume_case(guarantee: EnforcementGuarantee, *, actor, note: str, early: bool) -> None:
    def resumed(locked_case):
        limit = case_clock(locked_case, TIME_LIMIT)
        if limit is not None and limit.state == Deadline.State.PAUSED:
            deadline_resume(limit, actor=actor)

    case_machine.apply(guarantee.case, "guarantee_resume", actor=actor, note=note[:200],
                       after=resumed)  # fmt: skip
    clock = guarantee.suspension_clock
    if clock is not None and clock.state in (Deadline.State.PENDING, Deadline.State.MISSED):
        if early and clock.state == Deadline.State.PENDING:
            deadline_cancel(clock, actor=actor, reason=note[:200])
        else:
            deadline_meet(clock, actor=actor)


@transaction.atomic
def guarantee_discharge(*, guarantee: EnforcementGuarantee, actor, note: str):
    """The debtor performed during the suspension: the guarantee is discharged and
    enforcement resumes (the officer then concludes the case, e.g. 执行完毕)."""
    guarantee = _lock(guarantee)
    require_staff(guarantee.case, actor)
    note = clean_text(note, "note", _("请写明被执行人履行的情况。"))

    if guarantee.status != S.SUSPENDED:
        raise TransitionNotAllowed(_("执行担保已“%(s)s”。") % {"s": guarantee.get_status_display()})
    # The case first: its guard asks for the guarantee still suspending it.
    _resume_case(guarantee, actor=actor, note=note, early=True)
    return guarantee_machine.apply(
        guarantee, "discharge", actor=actor, note=note[:200],
        changes={"ended_at": timezone.now(), "end_note": note},
    )  # fmt: skip


@transaction.atomic
def guarantee_enforce(
    *,
    guarantee: EnforcementGuarantee,
    actor,
    applied_on,
    note: str,
    early: bool = False,
    told_by: str = "",
):
    """On the applicant's application, enforcement resumes against the guaranteed property
    or the guarantor: the guarantor joins the case as 担保人 (liable up to the guaranteed
    amount) and is told with the ruling (执行裁定书, issued in the same step, numbered in
    the case number's form). A settlement's guarantee (`settlement`): only once the
    settlement was found broken and the case resumed (settlement_breach), within its
    guarantee period. Before the suspension ends only for the guarantor's hiding, moving,
    selling or damaging the guaranteed property (`early`, with what happened); after the
    guarantee period refused."""
    guarantee = _lock(guarantee)
    case = guarantee.case
    require_staff(case, actor)
    note = clean_text(note, "note", _("请写明被执行人未履行（或担保人处分担保财产）的情况。"))
    applied_on = _date(applied_on, "applied_on")
    today = timezone.localdate()
    if applied_on > today:
        raise ValidationError({"applied_on": [_("申请日期不能晚于今天。")]})
    if guarantee.status not in (S.SUSPENDED, S.SECURING):
        raise TransitionNotAllowed(
            _("执行担保已“%(s)s”，不能恢复执行。") % {"s": guarantee.get_status_display()}
        )
    if guarantee.settlement_id is not None:
        settlement = guarantee.settlement
        if settlement.status != SettlementStatus.BROKEN or case.status != CaseStatus.IN_PROGRESS:
            raise TransitionNotAllowed(
                _("和解协议（%(s)s）未被认定未履行并恢复执行前，不能执行和解协议的担保人。")
                % {"s": settlement.get_status_display()}
            )
    elif today <= guarantee.suspension_until and not early:
        raise TransitionNotAllowed(
            _("暂缓执行期限至 %(d)s 届满；届满前只有担保人转移、隐藏、变卖、毁损担保财产等"
              "情形才能提前恢复执行（请勾选并写明情况）。") % {
                "d": guarantee.suspension_until.isoformat()}
        )  # fmt: skip
    period_end = guarantee_period_ends_on(guarantee)
    if applied_on > period_end:
        raise TransitionNotAllowed(
            _("担保期间已于 %(d)s 届满，不能再执行担保财产或担保人的财产。")
            % {"d": period_end.isoformat()}
        )
    told_by = (told_by or "").strip()[:40] or _("书面通知")

    if guarantee.settlement_id is None:  # a settlement's breach already resumed the case
        _resume_case(guarantee, actor=actor, note=note, early=early)

    def after(locked):
        # the ruling is numbered in the case number's form: hold the case's row (a
        # settlement's breach resumed the case in an earlier step, so nothing locked it here)
        EnforcementCase.objects.select_for_update().filter(pk=case.pk).first()
        link = (
            CaseParty.objects.filter(case=case, party=locked.guarantor,
                                     role=EnforcementRole.GUARANTOR).first()
        )  # fmt: skip
        if link is None:
            party = locked.guarantor
            link = CaseParty(case=case, party=party, role=EnforcementRole.GUARANTOR,
                             name=locked.guarantor_name, address=party.address[:200],
                             phone_encrypted=party.phone_encrypted,
                             phone_index=party.phone_index, phone_masked=party.phone_masked,
                             position=case.case_parties.count())  # fmt: skip
            link.save()
            audit_create(
                link,
                actor=actor,
                note=_("执行担保：追加担保人为被执行财产的主体，以担保金额 %(a)s 元为限")
                % {"a": locked.amount},
            )
        before = snapshot(locked)
        locked.enforcement_ruling = document_issue(
            kind=ENFORCEMENT_RULING, subject=locked, organisation=case.court,
            data=_ruling_data(locked, case, note=note, actor=actor), actor=actor,
            case_number=case.case_number,
        )  # fmt: skip
        locked.guarantor_party = link
        locked.guarantor_notice = guarantor_notice_text(locked)
        locked.guarantor_told_at = timezone.now()
        locked.guarantor_told_by = told_by
        locked.save(update_fields=["guarantor_party", "guarantor_notice", "guarantor_told_at",
                                   "guarantor_told_by", "enforcement_ruling"])  # fmt: skip
        audit_change(locked, actor=actor, before=before, note=_("裁定执行担保，告知担保人"))
        tell(case.officer, actor=actor, kind=NOTIFICATION_KIND,
             title=_("%(n)s 恢复执行：执行担保人 %(g)s") % {"n": case.case_number,
                                                        "g": locked.guarantor_name},
             link=guarantee_url(case), subject=locked)  # fmt: skip

    early_resumption = bool(early) and guarantee.settlement_id is None
    return guarantee_machine.apply(
        guarantee, "enforce", actor=actor, note=note[:200],
        changes={"ended_at": timezone.now(), "end_note": note, "applied_on": applied_on,
                 "early": early_resumption},
        after=after,
    )  # fmt: skip


def _guaranteed_what(guarantee: EnforcementGuarantee) -> str:
    what = str(guarantee.get_kind_display())
    if guarantee.property_description:
        what = f"{what}（{guarantee.property_description}）"
    return what


def _ruling_data(guarantee: EnforcementGuarantee, case: EnforcementCase, *, note, actor) -> dict:
    """The elements of the ruling enforcing the guaranteed property or the guarantor's
    property (document_kinds_guarantee.ENFORCEMENT_RULING)."""
    from .notices import _applicant_names, _basis_text, _debtor_rows

    officer = case.officer or actor
    if guarantee.settlement_id is not None:
        reason = _(
            "被执行人未履行%(s)s签订的执行和解协议，本院已恢复执行原生效法律文书。担保人"
            "%(g)s在和解协议中提供担保，并承诺被执行人不履行和解协议时自愿接受直接强制执行。"
            "%(note)s。"
        ) % {"s": guarantee.settlement.signed_on.isoformat(), "g": guarantee.guarantor_name,
             "note": note.rstrip("。")}  # fmt: skip
        legal_basis = _(
            "依照《最高人民法院关于执行和解若干问题的规定》，执行和解协议中约定担保条款，且担保人"
            "承诺在被执行人不履行执行和解协议时自愿接受直接强制执行的，恢复执行原生效法律文书后"
        )
    else:
        if guarantee.early:
            reason = _("在暂缓执行期间（至 %(d)s），担保人有转移、隐藏、变卖、毁损担保财产等"
                       "行为：%(note)s。")  # fmt: skip
        else:
            reason = _("暂缓执行期限（至 %(d)s）届满后，被执行人仍未履行生效法律文书确定的"
                       "义务：%(note)s。")  # fmt: skip
        reason = reason % {"d": guarantee.suspension_until.isoformat(), "note": note.rstrip("。")}
        legal_basis = _(
            "依照《中华人民共和国民事诉讼法》关于执行担保的规定及《最高人民法院关于执行担保若干"
            "问题的规定》，暂缓执行期限届满后被执行人仍不履行义务，或者暂缓执行期间担保人有转移、"
            "隐藏、变卖、毁损担保财产等行为的"
        )
    if guarantee.kind == GuaranteeKind.PROPERTY:
        ruling = _("执行担保人%(g)s提供的担保财产（%(p)s）") % {
            "g": guarantee.guarantor_name, "p": guarantee.property_description}  # fmt: skip
    else:
        ruling = _("执行担保人%(g)s的财产") % {"g": guarantee.guarantor_name}
    return {
        "court": case.court.name,
        "case_number": case.case_number,
        "debtors": _debtor_rows(case),
        "applicants": _applicant_names(case),
        "basis": _basis_text(case),
        "guarantor": guarantee.guarantor_name,
        "guarantee": _guaranteed_what(guarantee),
        "amount": guarantee.amount,
        "applied_on": guarantee.applied_on,
        "reason": reason,
        "legal_basis": legal_basis,
        "ruling": ruling,
        "officer": officer.full_name or officer.username,
    }


def guarantor_notice_text(guarantee: EnforcementGuarantee) -> str:
    """What the guarantor is told; once the ruling is issued the notice names it (the
    guarantor is served the ruling with it)."""
    text = _guarantor_notice_body(guarantee)
    ruling = guarantee.enforcement_ruling
    if ruling is not None:
        text += _("随本通知送达本院%(n)s执行裁定书（核验码 %(c)s）。") % {
            "n": ruling.number, "c": ruling.verification_code_display}  # fmt: skip
    return text


def _guarantor_notice_body(guarantee: EnforcementGuarantee) -> str:
    what = (
        _("担保财产（%(p)s）") % {"p": guarantee.property_description}
        if guarantee.kind == GuaranteeKind.PROPERTY
        else _("你（单位）的财产")
    )
    if guarantee.settlement_id is not None:
        return _(
            "%(g)s：你（单位）为本院执行的%(n)s案件中的执行和解协议（%(s)s签订）提供担保，"
            "并承诺被执行人不履行和解协议时自愿接受直接强制执行。被执行人未履行和解协议，"
            "本院依申请执行人的申请恢复执行原生效法律文书，将执行%(what)s，以担保金额 %(a)s 元为限。"
        ) % {"g": guarantee.guarantor_name, "n": guarantee.case.case_number,
             "s": guarantee.settlement.signed_on.isoformat(), "what": what,
             "a": guarantee.amount}  # fmt: skip
    return _(
        "%(g)s：你（单位）于本院执行的%(n)s案件中提供执行担保，暂缓执行期限至 %(d)s。"
        "被执行人未履行生效法律文书确定的义务，本院依申请执行人的申请恢复执行，"
        "将执行%(what)s，以担保金额 %(a)s 元为限。"
    ) % {"g": guarantee.guarantor_name, "n": guarantee.case.case_number,
         "d": guarantee.suspension_until.isoformat(), "what": what,
         "a": guarantee.amount}  # fmt: skip


def guarantor_received(guarantee: EnforcementGuarantee) -> Decimal:
    total = FundReceipt.objects.filter(
        case_id=guarantee.case_id, source=ReceiptSource.GUARANTOR,
        control_kind=EnforcementGuarantee._meta.label_lower, control_id=guarantee.pk,
    ).aggregate(total=Sum("amount"))["total"]  # fmt: skip
    return total or Decimal("0.00")


@transaction.atomic
def guarantee_receipt_record(
    *, guarantee: EnforcementGuarantee, actor, amount, received_on, note: str = ""
) -> FundReceipt:
    """What the guarantor paid, into the case's fund ledger (source: guarantor), never more
    than is left of the guaranteed amount."""
    from .funds import fund_receipt_record

    guarantee = _lock(guarantee)
    require_staff(guarantee.case, actor)
    if guarantee.status != S.ENFORCED:
        raise TransitionNotAllowed(_("只有恢复执行担保人后，才能登记担保人代偿的款项。"))
    amount = _money(amount, "amount")
    received_on = _date(received_on, "received_on")
    left = guarantee.amount - guarantor_received(guarantee)
    if amount > left:
        raise ValidationError(
            {"amount": [_("超过担保金额尚余的 %(l)s 元（担保人以担保金额为限承担责任）。")
                        % {"l": left}]}
        )  # fmt: skip
    return fund_receipt_record(
        case=guarantee.case, amount=amount, source=ReceiptSource.GUARANTOR,
        received_on=received_on, actor=actor, payer=guarantee.guarantor_name,
        note=(note or "").strip() or _("担保人代偿"), control=guarantee,
    )  # fmt: skip
