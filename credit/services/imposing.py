"""Imposing sanctions: the ability finding (失信/失能), the listing (纳入失信名单) with its
grounds, exclusions, period and grace, and the consumption restriction (限制消费令) asked
by the officer and signed by the president.

    finding = ability_finding_record(case_party=debtor, finding="unwilling", reasons=…, actor=officer)
    listing = listing_impose(case_party=debtor, ground="4", grade="general",
                             ability_finding=finding, duty=…, conduct=…,
                             exclusions=Exclusions(), approver=president, actor=officer)
    restriction_approve(restriction=listing.restrictions.get(), actor=president)

Refusals: bad or missing input → ValidationError (field → messages; API 400, form errors);
a step the record's state does not allow → TransitionNotAllowed (API 409, page message);
someone outside the court → PermissionDenied.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_create, snapshot
from cases.models import Party
from cases.services.intake import party_find_or_create
from common.statemachine import TransitionNotAllowed
from deadlines.calendar import add_months
from documents.services import document_issue
from enforcement.models import CaseStatus, EnforcementRole

from .. import conf
from ..document_kinds import LISTING_DECISION, RESTRICTION_ORDER
from ..identity import age_on, party_birth_date_and_sex
from ..models import (
    Ability,
    AbilityFinding,
    BoundPerson,
    BoundRole,
    CreditChange,
    Grade,
    Ground,
    Listing,
    Publication,
    Restriction,
)
from ..states import publication_machine, restriction_machine
from ._common import (
    approver_name,
    case_lock,
    court_staff_among,
    document_party,
    is_president,
    require_court_staff,
    require_named_approver,
    tell,
)
from .feed import feed_record

KIND_RESTRICTION_REQUESTED = "credit.restriction_requested"
KIND_RESTRICTION_DECIDED = "credit.restriction_decided"

# a listing or restriction is imposed in a filed case still being enforced, or after 终本
# (restrictions stay in force; listing must be done where the grounds exist)
SANCTIONABLE_STATUSES = (
    CaseStatus.FILED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.SUSPENDED,
    CaseStatus.SETTLEMENT,
    CaseStatus.TERMINATED_ROUND,
)
LIVE_RESTRICTION_STATES = (Restriction.State.PENDING_APPROVAL, Restriction.State.IN_FORCE)
BASE_YEARS = 2
MAX_EXTRA_YEARS = 3


@dataclass(frozen=True)
class Exclusions:
    """What the officer declares checked (each must be false to list). Whether the debtor
    is a minor is not declared: it is read from the ID number's birth date."""

    security_sufficient: bool = False  # 已提供充分有效担保
    seized_assets_cover: bool = False  # 已查封、扣押、冻结的财产足以清偿
    later_in_order: bool = False  # 不属于履行顺位在先的被执行人

    LABELS = {
        "security_sufficient": "被执行人已提供充分有效担保",
        "seized_assets_cover": "已查封、扣押、冻结的财产足以清偿生效法律文书确定的债务",
        "later_in_order": "被执行人履行顺序在后，对其依法不应强制执行",
    }


# Other parts (asset controls, funds) may know an exclusion holds without the officer
# saying so, e.g. seized assets appraised above the debt: provider(case_party) → [reason].
_exclusion_providers: list[Callable] = []


def exclusion_provider_register(provider: Callable) -> None:
    if provider not in _exclusion_providers:
        _exclusion_providers.append(provider)


def _check_case(case) -> None:
    if case.status not in SANCTIONABLE_STATUSES:
        raise TransitionNotAllowed(
            _("案件状态为“%(state)s”，不能采取信用惩戒措施。")
            % {"state": case.get_status_display()}
        )


def _check_debtor(case_party) -> None:
    if case_party.role != EnforcementRole.DEBTOR:
        raise ValidationError({"case_party": [_("只能对被执行人采取信用惩戒措施。")]})


def _freeze_debtor_facts(sanction, case_party) -> None:
    """The facts the public notice prints, as they are at the decision."""
    party = case_party.party
    sanction.case_id, sanction.case_party, sanction.debtor = (
        case_party.case_id,
        case_party,
        party,
    )
    sanction.debtor_kind = party.kind
    sanction.debtor_name = case_party.name or party.name
    if party.kind == Party.Kind.PERSON:
        sanction.debtor_id_index = party.id_number_index
        sanction.debtor_id_masked = party.id_number_masked
        birth, sex = party_birth_date_and_sex(party)
        sanction.debtor_birth_date, sanction.debtor_sex = birth, sex
    else:
        sanction.debtor_credit_code = party.credit_code
        sanction.debtor_legal_representative = party.legal_representative


# --- the ability finding --------------------------------------------------------------


@transaction.atomic
def ability_finding_record(
    *, case_party, finding: str, reasons: str, actor, found_on: datetime.date | None = None
) -> AbilityFinding:
    """Record whether the debtor can perform. 失能 (unable) is recorded and never listed."""
    case = case_party.case
    require_court_staff(actor, case.court)
    _check_debtor(case_party)
    _check_case(case)
    errors = {}
    if finding not in Ability.values:
        errors["finding"] = [_("请选择认定结论（失信或失能）。")]
    if not (reasons or "").strip():
        errors["reasons"] = [_("请写明认定理由。")]
    if errors:
        raise ValidationError(errors)
    record = AbilityFinding.objects.create(
        case=case,
        case_party=case_party,
        debtor=case_party.party,
        court=case.court,
        finding=finding,
        reasons=reasons.strip(),
        found_on=found_on or timezone.localdate(),
        found_by=actor,
    )
    audit_create(record, actor=actor)
    return record


# --- the period ------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    base_years: int | None
    extra_years: int
    ends_on: datetime.date | None

    @property
    def text(self) -> str:
        if self.base_years is None:
            return _("自决定之日起至履行完毕之日止")
        years = self.base_years + self.extra_years
        return _("%(years)d年（至%(end)s）") % {
            "years": years,
            "end": f"{self.ends_on.year}年{self.ends_on.month}月{self.ends_on.day}日",
        }


def listing_period(
    *, ground: str, grade: str, repeated: bool, extra_years: int, starts_on: datetime.date
) -> Period:
    """Ground 1: until performance (no fixed term). Grounds 2–6: 2 years, extended by 1–3
    for serious or repeated conduct. A period in years ends on the same date that many
    years later (counted from the next day, the last day is the corresponding date)."""
    extra_years = int(extra_years or 0)
    if ground == Ground.ABLE_REFUSES:
        if extra_years:
            raise ValidationError(
                {"extra_years": [_("情形一不设固定期限（至履行完毕），不能延长。")]}
            )
        return Period(None, 0, None)
    if not 0 <= extra_years <= MAX_EXTRA_YEARS:
        raise ValidationError({"extra_years": [_("延长期限为一至三年。")]})
    if extra_years and not (grade == Grade.SERIOUS or repeated):
        raise ValidationError({"extra_years": [_("只有情节严重或多次失信的，才可延长一至三年。")]})
    return Period(BASE_YEARS, extra_years, add_months(starts_on, 12 * (BASE_YEARS + extra_years)))


# --- the listing -----------------------------------------------------------------------


def listing_refusals(
    *,
    case_party,
    ground: str,
    ability_finding: AbilityFinding | None,
    exclusions: Exclusions,
    decided_on: datetime.date,
) -> dict[str, list[str]]:
    """Why this debtor may not be listed now (field → reasons); empty when they may."""
    errors: dict[str, list[str]] = {}
    if ground not in Ground.values:
        errors["ground"] = [_("请选择六种失信情形之一。")]
    if ability_finding is None:
        errors["ability_finding"] = [_("纳入失信名单前须先认定被执行人有履行能力而不履行。")]
    elif ability_finding.case_party_id != case_party.pk:
        errors["ability_finding"] = [_("履行能力认定不是针对该被执行人作出的。")]
    elif ability_finding.finding == Ability.UNABLE:
        errors["ability_finding"] = [_("被执行人经认定为失能（确无履行能力），不得纳入失信名单。")]
    declared = [_(Exclusions.LABELS[name]) for name, value in asdict(exclusions).items() if value]
    for provider in _exclusion_providers:
        declared.extend(provider(case_party) or [])
    party = case_party.party
    if party.kind == Party.Kind.PERSON:
        birth, _sex = party_birth_date_and_sex(party)
        if birth is not None and age_on(birth, decided_on) < 18:
            declared.append(_("被执行人为未成年人（依身份证号码出生日期计算）"))
    if declared:
        errors["exclusions"] = [
            _("具有不得纳入失信名单的情形：%(reason)s。") % {"reason": reason}
            for reason in declared
        ]
    return errors


def _bound_persons_clean(case_party, bound_persons: Iterable[dict]) -> list[dict]:
    rows = []
    for position, row in enumerate(bound_persons or []):
        name = str(row.get("name") or "").strip()
        role = row.get("role")
        if not name or role not in BoundRole.values:
            raise ValidationError(
                {"bound_persons": [_("第%(n)d位受约束人员须有姓名和身份。") % {"n": position + 1}]}
            )
        rows.append({"name": name, "role": role, "id_number": row.get("id_number") or ""})
    if rows and case_party.party.kind != Party.Kind.ORGANISATION:
        raise ValidationError(
            {"bound_persons": [_("只有被执行人为单位时，才约束其法定代表人等人员。")]}
        )
    return rows


def _bind(sanction, rows: list[dict], *, actor) -> None:
    for row in rows:
        party, _created = party_find_or_create(
            data={"name": row["name"], "id_number": row["id_number"], "kind": "person"},
            actor=actor,
        )
        bound = BoundPerson.objects.create(
            listing=sanction if isinstance(sanction, Listing) else None,
            restriction=sanction if isinstance(sanction, Restriction) else None,
            party=party,
            role=row["role"],
            name=row["name"],
            id_number_masked=party.id_number_masked,
        )
        audit_create(bound, actor=actor)


def _publish(sanction, *, actor, note: str = "") -> None:
    publication_machine.apply(
        sanction, "publish", actor=actor, note=note, changes={"published_at": timezone.now()}
    )
    feed_record(sanction=sanction, action=CreditChange.Action.PUBLISHED, note=note)


def _basis_document(case) -> str:
    basis = case.basis
    return f"{basis.issuing_body}{basis.document_number}（{basis.get_kind_display()}）"


def _date_text(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


@transaction.atomic
def listing_impose(
    *,
    case_party,
    ground: str,
    grade: str,
    ability_finding: AbilityFinding | None,
    duty: str,
    conduct: str,
    actor,
    exclusions: Exclusions | None = None,
    performance: str = "全部未履行",
    repeated: bool = False,
    extra_years: int = 0,
    grace_months: int = 0,
    decided_on: datetime.date | None = None,
    approver=None,
    restriction_reasons: str = "",
    bound_persons: Iterable[dict] = (),
) -> Listing:
    """Decide to list the debtor: checks the ground, the ability finding and every
    exclusion, fixes the period, issues the 决定书, publishes at once or after the grace
    period, and asks the president (`approver`) for the consumption restriction that a
    listing always brings (unless one is already asked for or in force in this case)."""
    case = case_party.case
    require_court_staff(actor, case.court)
    case = case_lock(case)
    _check_debtor(case_party)
    _check_case(case)
    decided_on = decided_on or timezone.localdate()
    exclusions = exclusions or Exclusions()
    if Listing.objects.filter(
        case_party=case_party, publication__in=(Publication.PENDING, Publication.PUBLISHED)
    ).exists():
        raise TransitionNotAllowed(_("该被执行人在本案中已被纳入失信名单。"))

    errors = listing_refusals(
        case_party=case_party,
        ground=ground,
        ability_finding=ability_finding,
        exclusions=exclusions,
        decided_on=decided_on,
    )
    if grade not in Grade.values:
        errors.setdefault("grade", []).append(_("请选择失信等级（轻微、一般、严重）。"))
    for field, value in (("duty", duty), ("conduct", conduct)):
        if not (value or "").strip():
            errors.setdefault(field, []).append(_("此项为必填项。"))
    grace_months = int(grace_months or 0)
    if not 0 <= grace_months <= conf.grace_months_max():
        errors.setdefault("grace_months", []).append(
            _("宽限期为一至%(n)d个月。") % {"n": conf.grace_months_max()}
        )
    existing_restriction = Restriction.objects.filter(
        case_party=case_party, state__in=LIVE_RESTRICTION_STATES
    ).first()
    if existing_restriction is None and not is_president(approver, case.court):
        errors.setdefault("approver", []).append(
            _("纳入失信名单须同时限制消费：请指定签发限制消费令的本院院长。")
        )
    try:
        rows = _bound_persons_clean(case_party, bound_persons)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
        rows = []
    try:
        period = listing_period(
            ground=ground, grade=grade, repeated=repeated, extra_years=extra_years,
            starts_on=decided_on,
        )  # fmt: skip
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
        period = None
    if errors:
        raise ValidationError(errors)

    grace_until = add_months(decided_on, grace_months) if grace_months else None
    listing = Listing(
        court=case.court,
        ground=ground,
        grade=grade,
        repeated=bool(repeated),
        ability_finding=ability_finding,
        duty=duty.strip(),
        conduct=conduct.strip(),
        performance=(performance or "全部未履行").strip()[:60],
        exclusions_checked={**asdict(exclusions), "minor": False},
        decided_on=decided_on,
        starts_on=decided_on,
        base_years=period.base_years,
        extra_years=period.extra_years,
        ends_on=period.ends_on,
        grace_until=grace_until,
        created_by=actor,
    )
    _freeze_debtor_facts(listing, case_party)
    listing.save()
    audit_create(listing, actor=actor, note=_("纳入失信被执行人名单"))
    _bind(listing, rows, actor=actor)

    publish_note = (
        _("给予善意执行宽限期，如被执行人在%(date)s前仍未履行，届时公布。")
        % {"date": _date_text(grace_until)}
        if grace_until
        else _("本决定作出之日起公布。")
    )
    document = document_issue(
        kind=LISTING_DECISION,
        subject=listing,
        organisation=case.court,
        data={
            "court": case.court.name,
            "case_number": case.case_number,
            "parties": [document_party(case_party)],
            "basis_document": _basis_document(case),
            "duty": listing.duty,
            "ground": listing.get_ground_display(),
            "conduct": listing.conduct,
            "grade": listing.get_grade_display(),
            "term": period.text,
            "decided_on": decided_on,
            "publish_note": publish_note,
        },
        actor=actor,
        case_number=case.case_number,
    )
    Listing.objects.filter(pk=listing.pk).update(decision_document=document)
    listing.decision_document = document
    if grace_until is None or grace_until <= timezone.localdate():
        _publish(listing, actor=actor, note=_("决定即公布"))

    if existing_restriction is None:
        restriction_request(
            case_party=case_party,
            reasons=restriction_reasons
            or _("被执行人已被纳入失信被执行人名单（%(ground)s）。")
            % {"ground": listing.get_ground_display()},
            approver=approver,
            basis=Restriction.Basis.LISTING,
            listing=listing,
            bound_persons=rows,
            actor=actor,
        )
    return listing


@transaction.atomic
def listing_grade_change(*, listing: Listing, grade: str, reasons: str, actor) -> Listing:
    """Re-grade the conduct (partners see the change in the feed if it is published). By
    the staff of the case's court now (`enforcing_court`), not the court that listed."""
    require_court_staff(actor, listing.enforcing_court)
    errors = {}
    if grade not in Grade.values:
        errors["grade"] = [_("请选择失信等级（轻微、一般、严重）。")]
    if not (reasons or "").strip():
        errors["reasons"] = [_("请写明变更理由。")]
    if errors:
        raise ValidationError(errors)
    locked = Listing.objects.select_for_update().get(pk=listing.pk)
    if not locked.is_live:
        raise TransitionNotAllowed(_("该失信信息已删除或屏蔽，不能变更等级。"))
    if locked.grade == grade:
        return locked
    before = snapshot(locked)
    locked.grade = grade
    locked.save(update_fields=["grade", "updated_at"])
    audit_change(locked, actor=actor, before=before, note=reasons.strip())
    if locked.publication == Publication.PUBLISHED:
        feed_record(sanction=locked, action=CreditChange.Action.GRADE_CHANGED, note=reasons)
    listing.refresh_from_db()
    return locked


def listings_publish_due(*, today: datetime.date | None = None) -> int:
    """Publish the listings whose grace period (善意执行) ends today or earlier. Each in its
    own transaction; a row already published by a parallel run is skipped (idempotent)."""
    today = today or timezone.localdate()
    published = 0
    due = Listing.objects.filter(
        publication=Publication.PENDING, grace_until__isnull=False, grace_until__lte=today
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            listing = (
                Listing.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, publication=Publication.PENDING)
                .first()
            )
            if listing is None:
                continue
            _publish(listing, actor=None, note=_("善意执行宽限期届满，公布"))
            published += 1
    return published


# --- the consumption restriction -------------------------------------------------------


@transaction.atomic
def restriction_request(
    *,
    case_party,
    reasons: str,
    approver,
    actor,
    basis: str = Restriction.Basis.MISSED_NOTICE,
    listing: Listing | None = None,
    bound_persons: Iterable[dict] = (),
) -> Restriction:
    """Ask the president (`approver`, a supervisor of the court itself) to sign a
    restriction order; nothing binds the debtor until they approve, themselves."""
    case = case_party.case
    require_court_staff(actor, case.court)
    _check_debtor(case_party)
    _check_case(case)
    errors = {}
    if not (reasons or "").strip():
        errors["reasons"] = [_("请写明限制消费的理由。")]
    if not is_president(approver, case.court):
        errors["approver"] = [_("限制消费令须由本院院长（副院长）审批签发。")]
    if basis not in Restriction.Basis.values:
        errors["basis"] = [_("请选择限制依据。")]
    if errors:
        raise ValidationError(errors)
    rows = _bound_persons_clean(case_party, bound_persons)
    if Restriction.objects.filter(
        case_party=case_party, state__in=LIVE_RESTRICTION_STATES
    ).exists():
        raise TransitionNotAllowed(_("该被执行人在本案中已有待审批或生效的限制消费令。"))
    restriction = Restriction(
        court=case.court,
        basis=basis,
        listing=listing,
        reasons=reasons.strip(),
        requested_by=actor,
        approver=approver,
        created_by=actor,
    )
    _freeze_debtor_facts(restriction, case_party)
    restriction.save()
    audit_create(restriction, actor=actor, note=_("申请签发限制消费令，待 %(who)s 审批") % {
        "who": approver})  # fmt: skip
    _bind(restriction, rows, actor=actor)
    tell(
        [approver],
        actor=actor,
        kind=KIND_RESTRICTION_REQUESTED,
        title=_("限制消费令待您审批：%(name)s") % {"name": restriction.debtor_name},
        body=f"{case.case_number} · {restriction.reasons[:80]}",
        link=restriction.get_absolute_url(),
        subject=restriction,
    )
    return restriction


def _told_of_decision(restriction: Restriction) -> list:
    """The officer who asked, while he may still open the order, and the case's officer:
    after a move the request is the receiving court's, its officer is told."""
    return court_staff_among(
        [restriction.requested_by, restriction.case.officer], restriction.court
    )


@transaction.atomic
def restriction_approver_name(*, restriction: Restriction, approver, actor) -> Restriction:
    """报请审批: name the president who signs a restriction order waiting for approval when
    no president of its court is named — the case moved before the decision, the request
    went with it to the receiving court and the original court's president was taken off
    it (credit.services.transfer); the receiving court's staff ask their own."""
    locked = Restriction.objects.select_for_update(of=("self",)).get(pk=restriction.pk)
    require_court_staff(actor, locked.court)
    approver_name(
        locked, approver=approver, actor=actor,
        not_pending=_("该限制消费令不在待审批状态。"),
        not_president=_("限制消费令须由本院院长（副院长）审批签发。"),
    )  # fmt: skip
    tell(
        [approver],
        actor=actor,
        kind=KIND_RESTRICTION_REQUESTED,
        title=_("限制消费令待您审批：%(name)s") % {"name": locked.debtor_name},
        body=f"{locked.case.case_number} · {locked.reasons[:80]}",
        link=locked.get_absolute_url(),
        subject=locked,
    )
    restriction.refresh_from_db()
    return restriction


@transaction.atomic
def restriction_approve(*, restriction: Restriction, actor, note: str = "") -> Restriction:
    """The named president signs: the order is issued and the restriction is in force and
    published from today. A president of the court the request is with now: after the case
    moved before the decision, the receiving court's, never the original court's."""
    require_named_approver(restriction, actor)
    if not is_president(actor, restriction.court):
        raise TransitionNotAllowed(_("您已不是本院院长（副院长），不能签发限制消费令。"))
    case = case_lock(restriction.case)  # before the restriction, as a case transition does
    today = timezone.localdate()
    locked = restriction_machine.apply(
        restriction,
        "approve",
        actor=actor,
        note=note,
        changes={"decided_at": timezone.now(), "decision_note": (note or "")[:200],
                 "starts_on": today},
    )  # fmt: skip
    document = document_issue(
        kind=RESTRICTION_ORDER,
        subject=locked,
        organisation=locked.court,
        data={
            "court": locked.court.name,
            "case_number": case.case_number,
            "parties": [document_party(locked.case_party)],
            "bound_persons": [
                {"role": b.get_role_display(), "name": b.name} for b in locked.bound_persons.all()
            ],
            "basis_document": _basis_document(case),
            "reasons": locked.reasons,
            "president": actor.full_name or actor.username,
            "ordered_on": today,
        },
        actor=actor,
        case_number=case.case_number,
    )
    Restriction.objects.filter(pk=locked.pk).update(decision_document=document)
    locked.decision_document = document
    _publish(locked, actor=actor, note=_("限制消费令签发"))
    tell(
        _told_of_decision(locked),
        actor=actor,
        kind=KIND_RESTRICTION_DECIDED,
        title=_("限制消费令已签发：%(name)s") % {"name": locked.debtor_name},
        link=locked.get_absolute_url(),
        subject=locked,
    )
    restriction.refresh_from_db()
    return restriction


@transaction.atomic
def restriction_refuse(*, restriction: Restriction, actor, note: str) -> Restriction:
    """The named president refuses, with reasons; the order never binds anyone."""
    require_named_approver(restriction, actor)
    if not is_president(actor, restriction.court):
        raise TransitionNotAllowed(_("您已不是本院院长（副院长），不能审批限制消费令。"))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写不予批准的理由。")]})
    restriction_machine.apply(
        restriction, "refuse", actor=actor, note=note,
        changes={"decided_at": timezone.now(), "decision_note": note[:200]},
    )  # fmt: skip
    publication_machine.apply(restriction, "remove", actor=actor, note=note)
    tell(
        _told_of_decision(restriction),
        actor=actor,
        kind=KIND_RESTRICTION_DECIDED,
        title=_("限制消费令未获批准：%(name)s") % {"name": restriction.debtor_name},
        body=note,
        link=restriction.get_absolute_url(),
        subject=restriction,
    )
    return restriction
