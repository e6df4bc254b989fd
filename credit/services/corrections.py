"""Corrections (纠正) and their review (复议), each on the deadline engine:

- `correction_receive`: the court reviews within 15 days (`credit.correction_review`);
- `correction_decide`: justified → fixed within 3 working days (`credit.correction_fix`);
  either way the applicant may apply for review within 10 days (`credit.review_apply`,
  the applicant's window: nobody is reminded of it);
- `correction_fix`: remove the sanction or amend its facts (partners see either);
- `review_apply` (within the 10 days) → `review_decide` by the court above within 15 days
  (`credit.review_decide`); reversing a rejection sends the request back to be fixed.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_create, snapshot
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from deadlines.selectors import deadlines_for
from deadlines.services import deadline_meet, deadline_start
from organisations.models import Organisation

from ..models import (
    CorrectionRequest,
    CreditChange,
    CreditReview,
    Grade,
    Listing,
    Publication,
    Restriction,
    Trigger,
)
from ..states import correction_machine, review_machine
from ._common import require_court_staff
from .feed import feed_record
from .removal import removals_start_and_execute

REVIEW_CLOCK = "credit.correction_review"
FIX_CLOCK = "credit.correction_fix"
REVIEW_APPLY_CLOCK = "credit.review_apply"
REVIEW_DECIDE_CLOCK = "credit.review_decide"

# what a correction may amend on a listing (the published facts)
AMENDABLE = {"grade", "duty", "conduct", "performance"}


def _clock(subject, kind: str) -> Deadline | None:
    return deadlines_for(subject).filter(kind=kind).order_by("-start_at").first()


def _meet(subject, kind: str, *, actor) -> None:
    for clock in deadlines_for(subject).filter(kind=kind, state__in=Deadline.OPEN_STATES):
        deadline_meet(clock, actor=actor)


def higher_court(court: Organisation) -> Organisation | None:
    """The court above (上一级人民法院): a court of the parent region."""
    region = court.region
    if region is None or len(region.path) <= region.steplen:
        return None
    parent_path = region.path[: -region.steplen]
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.COURT, region__path=parent_path, is_active=True
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def correction_receive(
    *,
    sanction,
    applicant_name: str,
    grounds: str,
    actor,
    received_at: datetime.datetime | None = None,
) -> CorrectionRequest:
    """Registered with, reviewed and fixed by the case's court now (the 执行法院: after a
    move, the receiving court), not necessarily the court that decided the entry."""
    court = sanction.enforcing_court
    require_court_staff(actor, court)
    errors = {}
    if not (applicant_name or "").strip():
        errors["applicant_name"] = [_("请填写申请人。")]
    if not (grounds or "").strip():
        errors["grounds"] = [_("请写明申请纠正的理由。")]
    if errors:
        raise ValidationError(errors)
    correction = CorrectionRequest.objects.create(
        listing=sanction if isinstance(sanction, Listing) else None,
        restriction=sanction if isinstance(sanction, Restriction) else None,
        court=court,
        applicant_name=applicant_name.strip()[:120],
        grounds=grounds.strip(),
        received_at=received_at or timezone.now(),
        recorded_by=actor,
    )
    audit_create(correction, actor=actor)
    deadline_start(
        subject=correction, kind=REVIEW_CLOCK, start=correction.received_at,
        owner=sanction.case.officer or actor, organisation=court, actor=actor,
    )  # fmt: skip
    return correction


def _amendment_clean(correction: CorrectionRequest, amendment: dict | None) -> dict:
    amendment = {k: v for k, v in (amendment or {}).items() if v not in (None, "")}
    if not amendment:
        raise ValidationError({"amendment": [_("请写明更正的内容。")]})
    unknown = set(amendment) - AMENDABLE
    if unknown or correction.listing_id is None:
        raise ValidationError({"amendment": [_("只能更正失信信息的等级、义务、情形和履行情况。")]})
    if "grade" in amendment and amendment["grade"] not in Grade.values:
        raise ValidationError({"amendment": [_("失信等级不正确。")]})
    return {key: str(value).strip() for key, value in amendment.items()}


@transaction.atomic
def correction_decide(
    *,
    correction: CorrectionRequest,
    justified: bool,
    reasons: str,
    actor,
    remedy: str = "",
    amendment: dict | None = None,
) -> CorrectionRequest:
    require_court_staff(actor, correction.court)
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": [_("请写明审查意见。")]})
    changes = {"decision_reasons": reasons, "decided_by": actor, "decided_at": timezone.now()}
    if justified:
        if remedy not in CorrectionRequest.Remedy.values:
            raise ValidationError({"remedy": [_("请选择纠正方式（删除或更正）。")]})
        if remedy == CorrectionRequest.Remedy.AMEND:
            changes["amendment"] = _amendment_clean(correction, amendment)
        changes["remedy"] = remedy
    locked = correction_machine.apply(
        correction, "justify" if justified else "reject", actor=actor, note=reasons,
        changes=changes,
    )  # fmt: skip
    _meet(locked, REVIEW_CLOCK, actor=actor)
    owner = locked.sanction.case.officer or actor
    if justified:
        deadline_start(
            subject=locked, kind=FIX_CLOCK, start=locked.decided_at, owner=owner,
            organisation=locked.court, actor=actor,
        )  # fmt: skip
    deadline_start(
        subject=locked, kind=REVIEW_APPLY_CLOCK, start=locked.decided_at, owner=None,
        organisation=locked.court, actor=actor,
    )  # fmt: skip
    correction.refresh_from_db()
    return correction


@transaction.atomic
def correction_fix(*, correction: CorrectionRequest, actor) -> CorrectionRequest:
    """Carry out the justified correction: remove the sanction, or amend its facts."""
    require_court_staff(actor, correction.court)
    locked = correction_machine.apply(
        correction, "fix", actor=actor, changes={"fixed_at": timezone.now()}
    )
    sanction = locked.sanction
    if locked.remedy == CorrectionRequest.Remedy.REMOVE:
        removals_start_and_execute(
            case=sanction.case,
            trigger=Trigger.CORRECTION,
            reason=locked.decision_reasons,
            actor=actor,
            fact_at=locked.decided_at,
            sanctions=[sanction] if sanction.is_live else [],
        )
    else:
        listing = Listing.objects.select_for_update().get(pk=sanction.pk)
        before = snapshot(listing)
        for key, value in locked.amendment.items():
            setattr(listing, key, value)
        listing.save(update_fields=[*locked.amendment, "updated_at"])
        audit_change(listing, actor=actor, before=before, note=_("依纠正申请更正"))
        if listing.publication == Publication.PUBLISHED:
            feed_record(sanction=listing, action=CreditChange.Action.CORRECTED,
                        note=locked.decision_reasons)  # fmt: skip
    _meet(locked, FIX_CLOCK, actor=actor)
    correction.refresh_from_db()
    return correction


@transaction.atomic
def review_apply(
    *,
    correction: CorrectionRequest,
    applicant_name: str,
    grounds: str,
    actor,
    applied_at: datetime.datetime | None = None,
    court: Organisation | None = None,
) -> CreditReview:
    """复议 to the court above, within 10 days of the correction decision."""
    require_court_staff(actor, correction.court)
    if correction.decided_at is None:
        raise TransitionNotAllowed(_("纠正申请尚未作出决定，不能申请复议。"))
    applied_at = applied_at or timezone.now()
    window = _clock(correction, REVIEW_APPLY_CLOCK)
    if window is not None and applied_at > window.due_at:
        raise TransitionNotAllowed(_("已超过十日复议申请期间。"))
    if correction.reviews.filter(state=CreditReview.State.UNDER_REVIEW).exists():
        raise TransitionNotAllowed(_("已有正在审查的复议申请。"))
    errors = {}
    if not (applicant_name or "").strip():
        errors["applicant_name"] = [_("请填写复议申请人。")]
    if not (grounds or "").strip():
        errors["grounds"] = [_("请写明复议理由。")]
    deciding = court or higher_court(correction.court)
    if deciding is None:
        errors["court"] = [_("未找到上一级人民法院，请指定复议法院。")]
    if errors:
        raise ValidationError(errors)
    review = CreditReview.objects.create(
        correction=correction,
        court=deciding,
        applicant_name=applicant_name.strip()[:120],
        grounds=grounds.strip(),
        applied_at=applied_at,
        recorded_by=actor,
    )
    audit_create(review, actor=actor)
    _meet(correction, REVIEW_APPLY_CLOCK, actor=actor)
    deadline_start(
        subject=review, kind=REVIEW_DECIDE_CLOCK, start=applied_at, owner=None,
        organisation=deciding, actor=actor,
    )  # fmt: skip
    return review


@transaction.atomic
def review_decide(*, review: CreditReview, reverse: bool, reasons: str, actor) -> CreditReview:
    """The court above decides; reversing a rejection starts the 3-working-day fix."""
    require_court_staff(actor, review.court)
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": [_("请写明复议决定理由。")]})
    review_machine.apply(
        review, "reverse" if reverse else "uphold", actor=actor, note=reasons,
        changes={"decision_reasons": reasons, "decided_by": actor, "decided_at": timezone.now()},
    )  # fmt: skip
    _meet(review, REVIEW_DECIDE_CLOCK, actor=actor)
    correction = review.correction
    if reverse and correction.state == CorrectionRequest.State.REJECTED:
        correction_machine.apply(
            correction, "reverse", actor=actor, note=reasons,
            changes={"remedy": CorrectionRequest.Remedy.REMOVE},
        )  # fmt: skip
        deadline_start(
            subject=correction, kind=FIX_CLOCK, start=review.decided_at,
            owner=correction.sanction.case.officer, organisation=correction.court, actor=actor,
        )  # fmt: skip
    return review
