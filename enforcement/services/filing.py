"""立案: the legal basis (by hand, or from a court's judicial confirmation in one step), the
application (period flag, target, applicants' shares to the fen, representatives), and the
case number from the court's gap-free sequence with the clocks filing starts.

An application is either filed at once (status filed, a number) or, with the applicant's
consent, urged first (执前督促: status urging, no number; enforcement/services/urging.py).
Everything here is keyword-only, atomic and audited in the same transaction.
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import (
    audit_bulk_write,
    audit_change,
    audit_change_entry,
    audit_create,
    audit_create_entry,
    snapshot,
)
from cases.services.intake import party_find_or_create
from common import pii
from common.money import format_yuan, to_yuan
from common.sequences import sequence_next
from deadlines.engine import compute, end_of_day, resolve_rule
from deadlines.services import deadline_start
from organisations.models import Organisation

from .. import conf
from ..models import (
    BasisKind,
    CaseParty,
    CaseSequence,
    CaseStatus,
    CaseType,
    EnforcementCase,
    EnforcementRole,
    LegalBasis,
    PerformanceDeadline,
    TargetKind,
)
from ..numbers import case_number_format
from ..selectors import COURT_KINDS, acting_roles
from ..selectors_filing import ASSIGNMENT, TIME_LIMIT
from ..states import FILING_STAFF

APPLICATION_PERIOD = "enforcement.application_period"
PROCEDURE_FILE = "file"
PROCEDURE_URGING = "urging"
ZERO = Decimal("0.00")
ONE_DAY = datetime.timedelta(days=1)


# --- who may file -------------------------------------------------------------------------


def may_file(user, court) -> bool:
    return bool(acting_roles(user, court) & FILING_STAFF)


def require_filing_staff(user, court) -> None:
    if not may_file(user, court):
        raise PermissionDenied(_("只有本院立案人员（书记员、院领导）可以办理立案。"))


def _require_court(court) -> Organisation:
    court = Organisation.objects.select_related("region").get(pk=court.pk)
    if court.kind not in COURT_KINDS:
        raise ValidationError({"court": [_("执行法院须为人民法院。")]})
    return court


# --- the legal basis ----------------------------------------------------------------------


def _amount(value, *, label: str, errors: list, allow_zero=False) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = to_yuan(value)
    except (TypeError, ValueError):
        errors.append(_("%(label)s须为金额（元，最多两位小数）。") % {"label": label})
        return None
    if amount < 0 or (amount == 0 and not allow_zero):
        errors.append(_("%(label)s须大于零。") % {"label": label})
        return None
    return amount


def _clean_deadlines(deadlines: Sequence[dict]) -> list[dict]:
    errors: list[str] = []
    cleaned = []
    for position, item in enumerate(deadlines or [], start=1):
        due = item.get("due_date")
        if not isinstance(due, datetime.date):
            errors.append(_("第%(n)d期：请填写履行期限届满日。") % {"n": position})
            continue
        amount = _amount(item.get("amount"), label=_("第%(n)d期金额") % {"n": position},
                         errors=errors)  # fmt: skip
        cleaned.append(
            {"due_date": due, "amount": amount,
             "description": (item.get("description") or "").strip()[:200]}
        )  # fmt: skip
    if not cleaned and not errors:
        errors.append(_("请至少填写一个履行期限（分期履行的，逐期填写）。"))
    dates = [c["due_date"] for c in cleaned]
    if len(set(dates)) != len(dates):
        errors.append(_("各期履行期限不能重复。"))
    if errors:
        raise ValidationError({"deadlines": errors})
    return sorted(cleaned, key=lambda c: c["due_date"])


@transaction.atomic
def basis_record(
    *,
    court,
    actor,
    kind: str,
    issuing_body: str,
    document_number: str,
    effective_on: datetime.date,
    deadlines: Sequence[dict],
    main_text: str = "",
    judicial_confirmation=None,
) -> LegalBasis:
    """登记执行依据: the document, who made it, its number (either bracket form), the day it
    took effect and one performance deadline or one per instalment."""
    court = _require_court(court)
    require_filing_staff(actor, court)
    errors: dict[str, list] = {}
    if kind not in BasisKind.values:
        errors["kind"] = [_("请选择依据类型。")]
    issuing_body = (issuing_body or "").strip()
    if not issuing_body:
        errors["issuing_body"] = [_("请填写作出机关。")]
    document_number = (document_number or "").strip()
    if not document_number:
        errors["document_number"] = [_("请填写文书编号。")]
    elif len(document_number) > 60:
        errors["document_number"] = [_("文书编号过长。")]
    if not isinstance(effective_on, datetime.date):
        errors["effective_on"] = [_("请填写生效日期。")]
    elif effective_on > timezone.localdate():
        errors["effective_on"] = [_("生效日期不能晚于今天。")]
    try:
        cleaned = _clean_deadlines(deadlines)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned = []
    if errors:
        raise ValidationError(errors)
    basis = LegalBasis.objects.create(
        court=court,
        kind=kind,
        issuing_body=issuing_body[:120],
        document_number=document_number,
        effective_on=effective_on,
        main_text=(main_text or "").strip(),
        judicial_confirmation=judicial_confirmation,
        recorded_by=actor,
    )
    audit_create(basis, actor=actor, note=_("登记执行依据：%(n)s") % {"n": document_number})
    rows = PerformanceDeadline.objects.bulk_create(
        PerformanceDeadline(basis=basis, number=number, **item)
        for number, item in enumerate(cleaned, start=1)
    )
    audit_bulk_write(audit_create_entry(row, actor=actor) for row in rows)
    return basis


def confirmation_deadlines(confirmation) -> list[dict]:
    """The agreement's performance deadlines: each instalment (or each obligation's due
    date), the amounts falling due on the same day added together."""
    by_date: dict[datetime.date, dict] = {}
    obligations = confirmation.agreement.obligations.prefetch_related("instalments").order_by("pk")
    for obligation in obligations:
        instalments = list(obligation.instalments.all())
        items = [(i.due_date, i.amount) for i in instalments] or [
            (obligation.due_date, obligation.amount)
        ]
        for due, amount in items:
            entry = by_date.setdefault(due, {"due_date": due, "amount": None, "acts": []})
            if amount:
                entry["amount"] = (entry["amount"] or ZERO) + amount
            if obligation.kind == "act" and obligation.act:
                entry["acts"].append(obligation.act)
    rows = []
    for due in sorted(by_date):
        entry = by_date[due]
        parts = ([_("给付金钱")] if entry["amount"] else []) + entry["acts"]
        rows.append(
            {"due_date": due, "amount": entry["amount"], "description": "；".join(parts)[:200]}
        )
    return rows


def confirmation_parties(confirmation) -> list[dict]:
    """The parties carried over: obligees → applicants (share = the money owed to them),
    obligors → debtors; names as the mediation recorded them, the person the same
    cases.Party (found by blind index when the mediation registered them)."""
    applicants: dict[int, dict] = {}
    debtors: dict[int, dict] = {}

    def carried(mediation_party, role):
        return {
            "role": role,
            "name": mediation_party.name,
            "party": mediation_party.party,
            "phone_sealed": pii.Sealed(
                mediation_party.phone_encrypted,
                mediation_party.phone_index,
                mediation_party.phone_masked,
            ),
            "address": mediation_party.party.address,
            "share": None,
        }

    obligations = confirmation.agreement.obligations.select_related(
        "obligor__party", "obligee__party"
    ).order_by("pk")
    for obligation in obligations:
        applicant = applicants.setdefault(
            obligation.obligee_id, carried(obligation.obligee, EnforcementRole.APPLICANT)
        )
        if obligation.kind == "money" and obligation.amount:
            applicant["share"] = (applicant["share"] or ZERO) + obligation.amount
        debtors.setdefault(
            obligation.obligor_id, carried(obligation.obligor, EnforcementRole.DEBTOR)
        )
    return [*applicants.values(), *debtors.values()]


def confirmation_target(confirmation) -> dict:
    """The target carried over: money owed under the agreement and the acts it orders."""
    money, acts = ZERO, []
    for obligation in confirmation.agreement.obligations.order_by("pk"):
        if obligation.kind == "money" and obligation.amount:
            money += obligation.amount
        elif obligation.act:
            acts.append(obligation.act)
    kind = TargetKind.BOTH if money and acts else TargetKind.ACT if acts else TargetKind.MONEY
    return {"target_kind": kind, "principal": money, "act_description": "；".join(acts)}


@transaction.atomic
def basis_from_confirmation(*, confirmation, actor, court=None) -> LegalBasis:
    """The confirmed agreement as the basis, in one step: the 民特 ruling's number, the day it
    took effect (the ruling is effective when made), the instalments. `confirmation` comes
    from `enforceable_bases_for_user(actor)`. Taken twice at one court, the same basis."""
    if confirmation.status != "confirmed" or not confirmation.is_enforceable_basis:
        raise ValidationError(
            {"confirmation": [_("该司法确认尚未裁定确认有效，不能作为执行依据。")]}
        )
    court = _require_court(court or confirmation.court)
    require_filing_staff(actor, court)
    existing = LegalBasis.objects.filter(judicial_confirmation=confirmation, court=court).first()
    if existing is not None:
        return existing
    ruled_on = timezone.localtime(confirmation.ruled_at).date()
    agreement = confirmation.agreement
    main_text = "\n".join(
        part for part in (
            confirmation.ruling_text,
            _("调解协议内容：%(terms)s") % {"terms": agreement.terms},
        ) if part
    )  # fmt: skip
    return basis_record(
        court=court,
        actor=actor,
        kind=BasisKind.CONFIRMATION_RULING,
        issuing_body=confirmation.court.name,
        document_number=confirmation.case_number,
        effective_on=ruled_on,
        deadlines=confirmation_deadlines(confirmation),
        main_text=main_text,
        judicial_confirmation=confirmation,
    )


# --- the application ----------------------------------------------------------------------


def application_period(basis: LegalBasis, applied_on: datetime.date) -> dict:
    """申请执行期间: 2 years (the court's rule, if stricter) from the last performance day —
    for instalments the last instalment's — through the deadlines engine, explained. Late
    is accepted and flagged, never refused."""
    last = basis.last_performance_date
    rule = resolve_rule(APPLICATION_PERIOD, basis.court)
    result = compute(start_at=end_of_day(last), unit=rule.unit, amount=rule.amount, rule=rule)
    ends_on = result.due_date
    count = basis.performance_deadlines.count()
    lines = [
        _("申请执行期间自%(what)s %(last)s 起算，%(rule)s，至 %(end)s 届满。")
        % {
            "what": _("最后一期履行期限届满日") if count > 1 else _("履行期限届满日"),
            "last": last.isoformat(),
            "rule": rule.source_label + " " + str(result.explanation["rule"]["applied"]),
            "end": ends_on.isoformat(),
        }
    ]
    lines += [step["text"] for step in result.explanation["steps"] if step["step"] == "roll"]
    late = applied_on > ends_on
    if late:
        lines.append(
            _("申请日期 %(applied)s 已超过申请执行期间 %(days)d 日：依法受理并予标注，"
              "被执行人可以提出申请执行时效抗辩。")
            % {"applied": applied_on.isoformat(), "days": (applied_on - ends_on).days}
        )  # fmt: skip
    else:
        lines.append(
            _("申请日期 %(applied)s 在申请执行期间内。") % {"applied": applied_on.isoformat()}
        )
    return {
        "application_period_ends_on": ends_on,
        "application_late": late,
        "application_note": "\n".join(lines),
    }


def _clean_target(
    *, target_kind, principal, interest, costs, act_description, errors: dict
) -> dict:
    if target_kind not in TargetKind.values:
        errors["target_kind"] = [_("请选择执行标的类型。")]
        target_kind = TargetKind.MONEY
    amounts = {}
    for name, value, label in (
        ("principal", principal, _("本金")),
        ("interest", interest, _("利息")),
        ("costs", costs, _("诉讼费等费用")),
    ):
        problems: list[str] = []
        amounts[name] = _amount(value, label=label, errors=problems, allow_zero=True) or ZERO
        if problems:
            errors[name] = problems
    act_description = (act_description or "").strip()
    money = sum(amounts.values(), ZERO)
    if target_kind in (TargetKind.MONEY, TargetKind.BOTH) and money <= 0:
        errors.setdefault("principal", []).append(_("金钱给付的执行标的金额须大于零。"))
    if target_kind == TargetKind.ACT and money > 0:
        errors.setdefault("principal", []).append(
            _("行为类执行标的不填写金额；既有金钱又有行为的，请选“金钱及行为”。")
        )
    if target_kind in (TargetKind.ACT, TargetKind.BOTH) and not act_description:
        errors["act_description"] = [_("请写明应履行的行为（如交付子女、返还设备、腾退房屋）。")]
    return {"target_kind": target_kind, **amounts, "act_description": act_description}


def _clean_parties(parties: Sequence[dict], *, target: dict, actor, errors: dict) -> list[dict]:
    """Each party as a CaseParty's values (not saved); the persons are found or created
    (cases.Party, by blind index). Shares: each applicant's amount, to the fen, summing to
    the money target; a sole applicant's share defaults to the whole target."""
    problems: list[str] = []
    cleaned = []
    money_target = target["principal"] + target["interest"] + target["costs"]
    is_money = target["target_kind"] in (TargetKind.MONEY, TargetKind.BOTH)
    for position, data in enumerate(parties or []):
        prefix = _("第%(n)d位当事人：") % {"n": position + 1}
        role = data.get("role")
        if role not in EnforcementRole.values:
            problems.append(prefix + _("请选择诉讼地位。"))
            continue
        share = None
        if data.get("share") not in (None, ""):
            share_problems: list[str] = []
            share = _amount(data.get("share"), label=_("份额"), errors=share_problems,
                            allow_zero=True)  # fmt: skip
            problems.extend(prefix + p for p in share_problems)
            if share is not None and role != EnforcementRole.APPLICANT:
                problems.append(prefix + _("只有申请执行人有应得份额。"))
        cleaned.append({**data, "role": role, "share": share, "position": position})
    applicants = [p for p in cleaned if p["role"] == EnforcementRole.APPLICANT]
    if not applicants:
        problems.append(_("请至少填写一位申请执行人。"))
    if not any(p["role"] == EnforcementRole.DEBTOR for p in cleaned):
        problems.append(_("请至少填写一位被执行人。"))
    if is_money and applicants:
        if len(applicants) == 1 and applicants[0]["share"] is None:
            applicants[0]["share"] = money_target
        total = sum((p["share"] or ZERO for p in applicants), ZERO)
        if total != money_target:
            errors.setdefault("shares", []).append(
                _(
                    "各申请执行人的份额之和（%(total)s）应等于执行标的金额（%(target)s），相差 %(diff)s。"
                )
                % {
                    "total": format_yuan(total),
                    "target": format_yuan(money_target),
                    "diff": format_yuan(abs(money_target - total)),
                }
            )
    elif not is_money and any(p["share"] for p in applicants):
        errors.setdefault("shares", []).append(_("行为类执行标的不分份额。"))
    if problems:
        errors.setdefault("parties", []).extend(problems)
    if errors:
        return cleaned
    # the persons (only once everything else is valid: this writes)
    for item in cleaned:
        if item.get("party") is not None:
            continue
        try:
            party, _created = party_find_or_create(
                data={
                    "role": "applicant",  # cases' own roles; the enforcement role is ours
                    "kind": item.get("kind") or "person",
                    "name": item.get("name", ""),
                    "id_number": item.get("id_number", ""),
                    "credit_code": item.get("credit_code", ""),
                    "phone": item.get("phone", ""),
                    "legal_representative": item.get("legal_representative", ""),
                    "address": item.get("address", ""),
                },
                actor=actor,
                position=item["position"],
            )
        except ValidationError as exc:
            errors.setdefault("parties", []).extend(exc.message_dict.get("parties", exc.messages))
            continue
        item["party"] = party
        item["name"] = (item.get("name") or "").strip()
        item["phone_sealed"] = pii.seal_phone(item.get("phone", ""))
    return cleaned


def _clean_representatives(representatives, parties: list[dict], errors: dict) -> list[tuple]:
    """[{"representative": i, "represented": [j, …]}] over the parties' positions (0-based)
    → [(i, [j, …])]. Only applicants; nobody represented twice or by themselves."""
    problems = []
    pairs = []
    seen: set[int] = set()
    leaders: set[int] = set()
    count = len(parties)
    for number, item in enumerate(representatives or [], start=1):
        prefix = _("第%(n)d组代表：") % {"n": number}
        leader = item.get("representative")
        members = list(item.get("represented") or [])
        valid = [i for i in (leader, *members) if isinstance(i, int) and 0 <= i < count]
        if len(valid) != 1 + len(members):
            problems.append(prefix + _("当事人序号无效。"))
            continue
        if any(parties[i]["role"] != EnforcementRole.APPLICANT for i in (leader, *members)):
            problems.append(prefix + _("代表人和被代表人都须是申请执行人。"))
            continue
        if leader in members:
            problems.append(prefix + _("代表人不能代表自己。"))
            continue
        if not members:
            problems.append(prefix + _("请选择其代表的申请执行人。"))
            continue
        twice = seen & set(members)
        if twice or len(set(members)) != len(members):
            problems.append(prefix + _("同一申请执行人只能由一位代表人代表。"))
            continue
        seen.update(members)
        leaders.add(leader)
        pairs.append((leader, members))
    if leaders & seen:
        problems.append(_("代表人本人不能再由他人代表。"))
    if problems:
        errors.setdefault("representatives", []).extend(problems)
    return pairs


def _save_parties(case, parties: list[dict], pairs: list[tuple], *, actor) -> list[CaseParty]:
    rows = []
    positions: dict[str, int] = {}
    for item in parties:
        position = positions.get(item["role"], 0)
        positions[item["role"]] = position + 1
        row = CaseParty(
            case=case,
            party=item["party"],
            role=item["role"],
            position=position,
            name=(item.get("name") or item["party"].name)[:120],
            address=(item.get("address") or "")[:200],
            share=item["share"] if item["role"] == EnforcementRole.APPLICANT else None,
        )
        pii.seal_into(row, "phone", item.get("phone_sealed") or pii.EMPTY)
        rows.append(row)
    rows = CaseParty.objects.bulk_create(rows)
    changed = []
    for leader, members in pairs:
        rows[leader].is_representative = True
        changed.append(rows[leader])
        for member in members:
            rows[member].represented_by = rows[leader]
            changed.append(rows[member])
    if changed:
        CaseParty.objects.bulk_update(changed, ["is_representative", "represented_by"])
    audit_bulk_write(audit_create_entry(row, actor=actor) for row in rows)
    return rows


def priorities(case) -> list[str]:
    """The priority keys of a case, as conf.ENFORCEMENT_PRIORITY_CLOCKS names them."""
    return [key for key, flag in (("small_claim", case.is_small_claim),
                                  ("livelihood", case.is_livelihood),
                                  ("enterprise", case.is_enterprise)) if flag]  # fmt: skip


def is_small_claim(*, target_kind: str, amount: Decimal) -> bool:
    """小额快执: a money target below the configured limit (10万 by default)."""
    return target_kind == TargetKind.MONEY and ZERO < amount < conf.get(
        "ENFORCEMENT_SMALL_CLAIM_LIMIT"
    )


@transaction.atomic
def application_register(
    *,
    basis: LegalBasis,
    actor,
    procedure: str,
    applied_on: datetime.date,
    target_kind: str | None = None,
    principal=None,
    interest=None,
    costs=None,
    act_description: str | None = None,
    parties: Sequence[dict] | None = None,
    representatives: Iterable[dict] = (),
    is_enterprise: bool = False,
    is_livelihood: bool = False,
    late_interest_from: datetime.date | None = None,
    urging_consent_note: str = "",
    urging_consent_at: datetime.datetime | None = None,
) -> EnforcementCase:
    """申请执行: record the application on `basis` and file it (`procedure="file"`: a number
    and the clocks) or, with the applicant's recorded consent, urge the debtor first
    (`procedure="urging"`: no number). Parties, target and amounts not given are carried
    over from the basis's judicial confirmation when it has one."""
    court = _require_court(basis.court)
    require_filing_staff(actor, court)
    errors: dict[str, list] = {}
    if procedure not in (PROCEDURE_FILE, PROCEDURE_URGING):
        errors["procedure"] = [_("请选择直接立案或执前督促。")]
    if not isinstance(applied_on, datetime.date):
        errors["applied_on"] = [_("请填写申请执行日期。")]
    elif applied_on > timezone.localdate():
        errors["applied_on"] = [_("申请执行日期不能晚于今天。")]
    elif applied_on < basis.effective_on:
        errors["applied_on"] = [_("申请执行日期不能早于执行依据生效日期。")]
    confirmation = basis.judicial_confirmation
    carried = confirmation_target(confirmation) if confirmation is not None else {}
    target = _clean_target(
        target_kind=target_kind or carried.get("target_kind", TargetKind.MONEY),
        principal=principal if principal is not None else carried.get("principal"),
        interest=interest,
        costs=costs,
        act_description=(
            act_description if act_description is not None else carried.get("act_description")
        ),
        errors=errors,
    )
    consent = (urging_consent_note or "").strip()
    if procedure == PROCEDURE_URGING and not consent:
        errors["urging_consent_note"] = [
            _("执前督促须经申请执行人同意：请记录同意的方式（如书面同意书、当面签字）。")
        ]
    if parties is None and confirmation is not None:
        parties = confirmation_parties(confirmation)
    parties = list(parties or [])
    representatives = list(representatives or [])
    if not errors:
        cleaned = _clean_parties(parties, target=target, actor=actor, errors=errors)
        pairs = _clean_representatives(representatives, cleaned, errors)
    if errors:
        raise ValidationError(errors)
    money = target["principal"] + target["interest"] + target["costs"]
    first_due = min(d.due_date for d in basis.performance_deadlines.all())
    now = timezone.now()
    case = EnforcementCase(
        court=court,
        basis=basis,
        status=CaseStatus.URGING if procedure == PROCEDURE_URGING else CaseStatus.FILED,
        case_type=CaseType.ENFORCEMENT,
        applied_on=applied_on,
        **application_period(basis, applied_on),
        **target,
        late_interest_from=(
            late_interest_from
            if late_interest_from or target["target_kind"] == TargetKind.ACT
            else first_due + ONE_DAY
        ),
        is_enterprise=bool(is_enterprise),
        is_livelihood=bool(is_livelihood),
        is_small_claim=is_small_claim(target_kind=target["target_kind"], amount=money),
        urging_consent_at=(urging_consent_at or now) if procedure == PROCEDURE_URGING else None,
        urging_consent_note=consent[:200] if procedure == PROCEDURE_URGING else "",
        created_by=actor,
        created_at=now,
    )
    if procedure == PROCEDURE_FILE:
        for field, value in _number_fields(court, case.case_type, actor=actor, at=now).items():
            setattr(case, field, value)
    case.save()
    audit_create(
        case,
        actor=actor,
        note=(
            _("立案：%(n)s") % {"n": case.case_number}
            if procedure == PROCEDURE_FILE
            else _("执前督促（申请人同意：%(c)s）") % {"c": consent}
        ),
    )
    _save_parties(case, cleaned, pairs, actor=actor)
    if procedure == PROCEDURE_FILE:
        filing_clocks_start(case, actor=actor)
    return case


# --- numbers and clocks -------------------------------------------------------------------


def _number_fields(court, case_type: str, *, actor, at: datetime.datetime) -> dict:
    """The next number of the court's sequence for the type and year, as case fields. Call
    inside the filing's transaction: the counter row stays locked until it commits."""
    if not court.court_code:
        raise ValidationError(
            {"court": [_("%(court)s尚未设置法院代字（如“蒙0302”），不能编立案号。请联系管理员。")
                       % {"court": court.name}]}
        )  # fmt: skip
    year = timezone.localtime(at).year
    sequence = sequence_next(CaseSequence, court=court, case_type=case_type, year=year)
    return {
        "case_number": case_number_format(
            year=year, court_code=court.court_code, case_type=case_type, sequence=sequence
        ),
        "number_year": year,
        "number_sequence": sequence,
        "filed_at": at,
        "filed_by": actor,
    }


def filing_number_fields(case, *, actor, at=None) -> dict:
    """What filing sets on an urged case (the urging service applies the transition)."""
    court = _require_court(case.court)
    at = at or timezone.now()
    fields = _number_fields(court, case.case_type, actor=actor, at=at)
    fields["is_small_claim"] = is_small_claim(
        target_kind=case.target_kind, amount=case.amount_ordered
    )
    return fields


def _approx_days(amount: int, unit: str) -> float:
    return amount * {"months": 30.4, "working_days": 1.4, "calendar_days": 1}[unit]


def priority_clock(case, kind: str) -> dict | None:
    """The stricter clock a priority case gets for `kind` (settings), when it is shorter
    than the court's own rule: {"amount", "unit", "priority"}; else None."""
    clocks = conf.get("ENFORCEMENT_PRIORITY_CLOCKS")
    candidates = [
        {**clocks[key][kind], "priority": key}
        for key in priorities(case)
        if kind in clocks.get(key, {})
    ]
    if not candidates:
        return None
    best = min(candidates, key=lambda c: _approx_days(c["amount"], c["unit"]))
    rule = resolve_rule(kind, case.court)
    if _approx_days(best["amount"], best["unit"]) >= _approx_days(rule.amount, rule.unit):
        return None
    return best


def case_clock_start(case, kind: str, *, actor, owner=None, start=None):
    priority = priority_clock(case, kind)
    return deadline_start(
        subject=case,
        kind=kind,
        start=start,
        owner=owner,
        organisation=case.court,
        actor=actor,
        amount=priority["amount"] if priority else None,
        unit=priority["unit"] if priority else None,
    )


def filing_clocks_start(case, *, actor) -> None:
    """Filing starts the assignment clock (7 days, stricter for priority cases; the filing
    clerk owns it) and the 6-month time limit (3 months for a small claim by default)."""
    case_clock_start(case, ASSIGNMENT, actor=actor, owner=actor, start=case.filed_at)
    case_clock_start(case, TIME_LIMIT, actor=actor, start=case.filed_at)


@transaction.atomic
def priorities_set(*, case, actor, is_enterprise: bool, is_livelihood: bool) -> EnforcementCase:
    """Mark the green channel / livelihood flags (small claims follow the amount)."""
    require_filing_staff(actor, case.court)
    locked = EnforcementCase.objects.select_for_update().get(pk=case.pk)
    before = snapshot(locked)
    locked.is_enterprise, locked.is_livelihood = bool(is_enterprise), bool(is_livelihood)
    locked.save(update_fields=["is_enterprise", "is_livelihood", "updated_at"])
    audit_change(locked, actor=actor, before=before)
    return locked


# --- representatives after the fact -------------------------------------------------------


@transaction.atomic
def representatives_set(
    *, case, actor, representative: CaseParty, represented: Sequence[CaseParty]
) -> CaseParty:
    """`representative` represents `represented` (applicants of the case; replaces whom
    they represented before). An empty list makes them no longer a representative."""
    from ..states import COURT_STAFF

    if not (acting_roles(actor, case.court) & COURT_STAFF):
        raise PermissionDenied(_("只有本院工作人员可以确定代表人。"))
    applicants = {
        p.pk: p for p in CaseParty.objects.select_for_update().filter(
            case=case, role=EnforcementRole.APPLICANT
        )
    }  # fmt: skip
    errors = []
    leader = applicants.get(getattr(representative, "pk", representative))
    members = [applicants.get(getattr(p, "pk", p)) for p in represented]
    if leader is None or any(m is None for m in members):
        errors.append(_("代表人和被代表人都须是本案的申请执行人。"))
    elif leader in members:
        errors.append(_("代表人不能代表自己。"))
    elif leader.represented_by_id:
        errors.append(_("代表人本人不能再由他人代表。"))
    else:
        others = [m for m in members if m.represented_by_id not in (None, leader.pk)]
        if others or any(m.is_representative for m in members):
            errors.append(_("所选申请执行人已由其他代表人代表或本身是代表人。"))
    if errors:
        raise ValidationError({"represented": errors})
    befores = {row.pk: snapshot(row) for row in applicants.values()}
    changed = {}
    for row in applicants.values():
        if row.represented_by_id == leader.pk and row not in members:
            row.represented_by = None
            changed[row.pk] = row
    for row in members:
        if row.represented_by_id != leader.pk:
            row.represented_by = leader
            changed[row.pk] = row
    leader.is_representative = bool(members)
    changed[leader.pk] = leader
    CaseParty.objects.bulk_update(changed.values(), ["is_representative", "represented_by"])
    note = _("%(leader)s 代表 %(n)d 位申请执行人") % {"leader": leader.name, "n": len(members)}
    audit_bulk_write(
        audit_change_entry(row, actor=actor, before=befores[row.pk], note=note)
        for row in changed.values()
    )
    return leader
