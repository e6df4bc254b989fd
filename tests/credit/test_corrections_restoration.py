"""Correction clocks (15 days to review, 3 working days to fix; 复议 10 days to apply, 15 to
decide), credit restoration (shielded, recorded with reasons) and one-time lifting."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from common.statemachine import TransitionNotAllowed
from credit import services
from credit.models import (
    CorrectionRequest,
    CreditChange,
    CreditReview,
    Grade,
    OneTimeLifting,
    Publication,
    Restoration,
    Restriction,
)
from deadlines.models import Deadline
from deadlines.selectors import deadlines_for

from .conftest import at, debtor_of, impose, local_date

pytestmark = pytest.mark.django_db


def clock(subject, kind) -> Deadline:
    return deadlines_for(subject).get(kind=kind)


@pytest.fixture
def listing(eworld, case):
    return impose(eworld, case)


def receive(eworld, listing, moment):
    return services.correction_receive(
        sanction=listing, applicant_name="王被执", grounds="已于立案前履行部分义务，情形认定有误",
        actor=eworld.clerk, received_at=moment,
    )  # fmt: skip


def test_correction_clocks_and_removal(eworld, listing):
    correction = receive(eworld, listing, at(2026, 9, 21))
    review = clock(correction, "credit.correction_review")
    assert review.unit == "calendar_days" and review.amount == 15
    # the 15th day (6 October) is a holiday: the period ends on the next working day
    assert local_date(review.due_at) == datetime.date(2026, 10, 8)
    with time_machine.travel(at(2026, 9, 30), tick=False):
        services.correction_decide(
            correction=correction, justified=True, reasons="经核，被执行人已提供担保",
            remedy=CorrectionRequest.Remedy.REMOVE, actor=eworld.officer,
        )  # fmt: skip
    correction.refresh_from_db()
    assert correction.state == CorrectionRequest.State.JUSTIFIED
    assert clock(correction, "credit.correction_review").state == Deadline.State.MET
    fix = clock(correction, "credit.correction_fix")
    assert fix.unit == "working_days" and fix.amount == 3
    assert local_date(fix.due_at) == datetime.date(2026, 10, 10)  # over National Day
    window = clock(correction, "credit.review_apply")
    assert window.amount == 10 and local_date(window.due_at) == datetime.date(2026, 10, 10)
    with time_machine.travel(at(2026, 10, 9), tick=False):
        services.correction_fix(correction=correction, actor=eworld.officer)
    correction.refresh_from_db()
    listing.refresh_from_db()
    assert correction.state == CorrectionRequest.State.FIXED
    assert clock(correction, "credit.correction_fix").state == Deadline.State.MET
    assert listing.publication == Publication.REMOVED
    assert listing.removals.get().trigger == "correction"
    assert CreditChange.objects.filter(listing=listing, action="removed").exists()


def test_correction_amends_the_published_facts(eworld, listing):
    correction = receive(eworld, listing, at(2026, 11, 2))
    with pytest.raises(ValidationError):
        services.correction_decide(correction=correction, justified=True, reasons="等级有误",
                                   remedy="amend", amendment={"ground": "1"},
                                   actor=eworld.officer)  # fmt: skip
    services.correction_decide(
        correction=correction, justified=True, reasons="等级有误", remedy="amend",
        amendment={"grade": Grade.MINOR, "conduct": "逾期未报告财产，经催告后补报"},
        actor=eworld.officer,
    )  # fmt: skip
    services.correction_fix(correction=correction, actor=eworld.officer)
    listing.refresh_from_db()
    assert listing.grade == Grade.MINOR and listing.conduct.startswith("逾期未报告")
    assert listing.publication == Publication.PUBLISHED
    assert CreditChange.objects.filter(listing=listing).latest("version").action == "corrected"


def test_review_within_ten_days_decided_above_within_fifteen(eworld, listing):
    correction = receive(eworld, listing, at(2026, 11, 2))
    with time_machine.travel(at(2026, 11, 5), tick=False):
        services.correction_decide(correction=correction, justified=False,
                                   reasons="情形认定无误", actor=eworld.officer)  # fmt: skip
    correction.refresh_from_db()
    assert correction.state == CorrectionRequest.State.REJECTED
    assert not deadlines_for(correction).filter(kind="credit.correction_fix").exists()
    # the 10th day is Sunday 15 November, so the window ends on Monday 16th: 17th is late
    assert local_date(clock(correction, "credit.review_apply").due_at) == datetime.date(
        2026, 11, 16
    )
    with pytest.raises(TransitionNotAllowed):
        services.review_apply(correction=correction, applicant_name="王被执", grounds="不服",
                              applied_at=at(2026, 11, 17), actor=eworld.clerk)  # fmt: skip
    with time_machine.travel(at(2026, 11, 16), tick=False):
        review = services.review_apply(correction=correction, applicant_name="王被执",
                                       grounds="不服纠正决定", actor=eworld.clerk)  # fmt: skip
    assert review.court == eworld.higher_court
    decide = clock(review, "credit.review_decide")
    assert decide.organisation == eworld.higher_court
    assert local_date(decide.due_at) == datetime.date(2026, 12, 1)
    assert clock(correction, "credit.review_apply").state == Deadline.State.MET
    # the lower court does not decide the review
    with pytest.raises(PermissionDenied):
        services.review_decide(review=review, reverse=True, reasons="x", actor=eworld.officer)
    services.review_decide(review=review, reverse=True, reasons="原决定认定事实不清",
                           actor=eworld.higher_supervisor)  # fmt: skip
    review.refresh_from_db()
    correction.refresh_from_db()
    assert review.state == CreditReview.State.REVERSED
    assert correction.state == CorrectionRequest.State.JUSTIFIED
    assert deadlines_for(correction).filter(kind="credit.correction_fix").exists()


def test_review_window_is_nobodys_reminder(eworld):
    from deadlines.registry import get_kind

    kind = get_kind("credit.review_apply")
    assert kind.notifications is not None and kind.notifications([]) == {}
    assert get_kind("credit.removal").pausable is False


# --- restoration -----------------------------------------------------------------------


def test_restoration_granted_shields_and_lifts(eworld, case, listing):
    restriction = Restriction.objects.get(listing=listing)
    services.restriction_approve(restriction=restriction, actor=eworld.president)
    restoration = services.restoration_apply(
        case_party=debtor_of(case), basis=Restoration.Basis.PERFORMED,
        evidence="银行转账凭证（2026年11月20日，51770元）", on_behalf=True, actor=eworld.officer,
    )  # fmt: skip
    with pytest.raises(TransitionNotAllowed):
        services.restoration_apply(case_party=debtor_of(case), basis="performed", evidence="x",
                                   actor=eworld.officer)  # fmt: skip
    with pytest.raises(ValidationError):
        services.restoration_decide(restoration=restoration, grant=True, reasons="",
                                    actor=eworld.officer)  # fmt: skip
    services.restoration_decide(restoration=restoration, grant=True,
                                reasons="已全部履行，准予修复", actor=eworld.officer)  # fmt: skip
    restoration.refresh_from_db()
    listing.refresh_from_db()
    restriction.refresh_from_db()
    assert restoration.state == Restoration.State.GRANTED
    assert restoration.decided_by == eworld.officer and restoration.decision_reasons
    assert listing.publication == Publication.SHIELDED
    assert restriction.state == Restriction.State.LIFTED
    assert restriction.publication == Publication.SHIELDED
    assert {c.action for c in CreditChange.objects.filter(action="shielded")} == {"shielded"}
    assert CreditChange.objects.filter(action="shielded").count() == 2
    assert {r.trigger for r in listing.removals.all()} == {"restoration"}


def test_restoration_refused_with_reasons(eworld, case, listing):
    restoration = services.restoration_apply(
        case_party=debtor_of(case), basis=Restoration.Basis.SECURITY, evidence="担保书",
        actor=eworld.officer,
    )  # fmt: skip
    services.restoration_decide(restoration=restoration, grant=False,
                                reasons="担保财产不足", actor=eworld.officer)  # fmt: skip
    restoration.refresh_from_db()
    listing.refresh_from_db()
    assert restoration.state == Restoration.State.REFUSED
    assert listing.publication == Publication.PUBLISHED


# --- one-time lifting -------------------------------------------------------------------


@pytest.fixture
def in_force(eworld, listing):
    restriction = Restriction.objects.get(listing=listing)
    services.restriction_approve(restriction=restriction, actor=eworld.president)
    restriction.refresh_from_db()
    return restriction


def test_one_time_lifting_for_a_stated_need(eworld, in_force):
    today = timezone.localdate()
    lifting = services.one_time_lifting_request(
        restriction=in_force, need="就医乘机", reasons="父亲在北京住院手术，需乘飞机前往",
        starts_on=today + datetime.timedelta(days=2), ends_on=today + datetime.timedelta(days=5),
        approver=eworld.president, actor=eworld.officer,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.one_time_lifting_approve(lifting=lifting, actor=eworld.officer)
    services.one_time_lifting_approve(lifting=lifting, actor=eworld.president, note="同意")
    lifting.refresh_from_db()
    assert lifting.state == OneTimeLifting.State.APPROVED
    change = CreditChange.objects.filter(restriction=in_force).latest("version")
    assert change.action == "one_time_lifted" and "就医乘机" in change.note
    in_force.refresh_from_db()
    assert in_force.state == Restriction.State.IN_FORCE  # lifted once, not lifted


def test_one_time_lifting_limits(eworld, in_force, settings):
    today = timezone.localdate()
    values = {
        "restriction": in_force, "need": "就医", "reasons": "住院",
        "starts_on": today, "ends_on": today + datetime.timedelta(days=40),
        "approver": eworld.president, "actor": eworld.officer,
    }  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.one_time_lifting_request(**values)
    assert "ends_on" in error.value.message_dict
    settings.CREDIT_ONE_TIME_LIFTING = False
    with pytest.raises(TransitionNotAllowed):
        services.one_time_lifting_request(**{**values, "ends_on": today})
