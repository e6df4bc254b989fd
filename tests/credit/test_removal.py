"""Removal within 3 working days: every trigger produces its clock (over the National Day
holiday too), approval where the trigger needs it, the case workflow starting removals by
itself, execution lifting the sanctions for partners, lateness by officer, and expiry."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from common.statemachine import TransitionNotAllowed
from credit import conf, services
from credit.models import CreditChange, Ground, Publication, Removal, Restriction, Trigger
from credit.selectors import late_removals, late_removals_by_owner
from credit.services.removal import TRIGGER_COVERS
from deadlines.models import Deadline
from deadlines.selectors import deadlines_for
from enforcement.models import CaseStatus
from enforcement.states import case_machine
from tests.credit.conftest import paid_in_full

from .conftest import at, impose, local_date

pytestmark = pytest.mark.django_db


def listed_and_restricted(world, case, **kwargs):
    listing = impose(world, case, **kwargs)
    restriction = Restriction.objects.get(listing=listing)
    services.restriction_approve(restriction=restriction, actor=world.president)
    restriction.refresh_from_db()
    return listing, restriction


def clock(removal) -> Deadline:
    return deadlines_for(removal).get(kind="credit.removal")


@pytest.mark.parametrize("trigger", Trigger.values)
def test_every_trigger_produces_a_three_working_day_removal_over_a_holiday(eworld, case, trigger):
    """30 September 2026 (Wednesday), then 国庆 1–7 October: the third working day is
    Saturday 10 October, a make-up working day (调休)."""
    listed_and_restricted(eworld, case)
    needs_approval = trigger in conf.removal_approval_triggers()
    removals = services.removals_start(
        case=case, trigger=trigger, reason="依法删除", actor=eworld.officer,
        fact_at=at(2026, 9, 30), approver=eworld.president if needs_approval else None,
    )  # fmt: skip
    covered = {type(r.sanction) for r in removals}
    assert covered == set(TRIGGER_COVERS[trigger])
    for removal in removals:
        deadline = clock(removal)
        assert deadline.unit == "working_days" and deadline.amount == 3
        assert local_date(deadline.due_at) == datetime.date(2026, 10, 10)
        assert removal.due_at == deadline.due_at
        assert removal.owner == eworld.officer
        assert removal.state == ("pending_approval" if needs_approval else "pending")
        assert "国庆节" in str(deadline.explanation)  # the clock explains the days it skipped


def test_an_ordinary_week(eworld, case):
    listed_and_restricted(eworld, case)
    (first, *_rest) = services.removals_start(
        case=case, trigger=Trigger.FULL_PERFORMANCE, reason="全部履行", actor=eworld.officer,
        fact_at=at(2026, 11, 12),  # Thursday → Fri, Mon, Tue
    )  # fmt: skip
    assert local_date(clock(first).due_at) == datetime.date(2026, 11, 17)


def test_starting_twice_changes_nothing(eworld, case):
    listed_and_restricted(eworld, case)
    first = services.removals_start(case=case, trigger=Trigger.FULL_PERFORMANCE,
                                    reason="全部履行", actor=eworld.officer)  # fmt: skip
    again = services.removals_start(case=case, trigger=Trigger.FULL_PERFORMANCE,
                                    reason="全部履行", actor=eworld.officer)  # fmt: skip
    assert [r.pk for r in first] == [r.pk for r in again]
    assert Removal.objects.count() == 2
    assert Deadline.objects.filter(kind="credit.removal").count() == 2


def test_approval_triggers_need_a_president(eworld, case):
    listed_and_restricted(eworld, case)
    with pytest.raises(ValidationError) as error:
        services.removals_start(case=case, trigger=Trigger.APPLICANT_REQUEST,
                                reason="申请人申请", actor=eworld.officer)  # fmt: skip
    assert "approver" in error.value.message_dict


def test_case_performed_starts_the_removals_and_the_officer_executes(eworld, case):
    listing, restriction = listed_and_restricted(eworld, case)
    paid_in_full(case, eworld.officer)
    case_machine.apply(case, "performed", actor=eworld.officer, note="全部履行")
    removals = list(Removal.objects.filter(case=case).order_by("pk"))
    assert {r.trigger for r in removals} == {Trigger.FULL_PERFORMANCE}
    assert {type(r.sanction) for r in removals} == {type(listing), type(restriction)}
    # still public until the officer removes them
    listing.refresh_from_db()
    assert listing.publication == Publication.PUBLISHED
    for removal in removals:
        services.removal_execute(removal=removal, actor=eworld.officer)
    listing.refresh_from_db()
    restriction.refresh_from_db()
    assert listing.publication == Publication.REMOVED and listing.lifted_at
    assert restriction.state == Restriction.State.LIFTED
    assert restriction.publication == Publication.REMOVED
    actions = list(CreditChange.objects.order_by("version").values_list("action", flat=True))
    assert actions == ["published", "published", "removed", "removed"]
    for removal in removals:
        removal.refresh_from_db()
        assert removal.state == Removal.State.DONE and not removal.is_late
        assert clock(removal).state == Deadline.State.MET
    with pytest.raises(TransitionNotAllowed):
        services.removal_execute(removal=removals[0], actor=eworld.officer)


def test_settlement_performed_trigger_from_the_settlement_state(eworld, case):
    listed_and_restricted(eworld, case)
    case.status = CaseStatus.SETTLEMENT
    case.save(update_fields=["status"])
    from credit.case_events import on_case_transition
    from enforcement.states import Transition

    on_case_transition(case, Transition("performed", "执行完毕", (), CaseStatus.PERFORMED),
                       eworld.officer, CaseStatus.SETTLEMENT)  # fmt: skip
    assert set(Removal.objects.values_list("trigger", flat=True)) == {"settlement_performed"}


def test_suspension_by_itself_removes_nothing(eworld, case):
    listed_and_restricted(eworld, case)
    case_machine.apply(case, "suspend", actor=eworld.officer, note="再审")
    assert not Removal.objects.exists()


def test_late_removals_and_by_whom(eworld, case):
    listed_and_restricted(eworld, case)
    with time_machine.travel(at(2026, 11, 12), tick=False):
        removals = services.removals_start(case=case, trigger=Trigger.FULL_PERFORMANCE,
                                           reason="全部履行", actor=eworld.officer)  # fmt: skip
    # due Tuesday 17 November; on Wednesday one is done late and one still open
    with time_machine.travel(at(2026, 11, 18), tick=False):
        services.removal_execute(removal=removals[0], actor=eworld.officer)
        removals[0].refresh_from_db()
        assert removals[0].is_late
        assert clock(removals[0]).state == Deadline.State.MISSED
        late = late_removals(eworld.president)
        assert set(late) == set(removals)
        rows = late_removals_by_owner(eworld.president)
        assert [(r.owner_name, r.open_late, r.done_late) for r in rows] == [("李执行", 1, 1)]
        assert not late_removals(eworld.outsider).exists()


def test_approval_then_execution_and_refusal(eworld, case):
    listed_and_restricted(eworld, case)
    removals = services.removals_start(
        case=case, trigger=Trigger.APPLICANT_REQUEST, reason="申请执行人书面申请删除",
        actor=eworld.officer, approver=eworld.president,
    )  # fmt: skip
    listing_removal = next(r for r in removals if r.listing_id)
    restriction_removal = next(r for r in removals if r.restriction_id)
    with pytest.raises(TransitionNotAllowed):  # not before approval
        services.removal_execute(removal=listing_removal, actor=eworld.officer)
    with pytest.raises(PermissionDenied):
        services.removal_approve(removal=listing_removal, actor=eworld.officer)
    services.removal_approve(removal=listing_removal, actor=eworld.president)
    services.removal_execute(removal=listing_removal, actor=eworld.officer)
    listing_removal.refresh_from_db()
    assert listing_removal.state == Removal.State.DONE
    services.removal_refuse(removal=restriction_removal, actor=eworld.president,
                            note="申请人撤回对限制消费的同意")  # fmt: skip
    restriction_removal.refresh_from_db()
    assert restriction_removal.state == Removal.State.REFUSED
    assert clock(restriction_removal).state == Deadline.State.CANCELLED
    assert restriction_removal.restriction.state == Restriction.State.IN_FORCE


def test_expiry_removes_by_itself_once(eworld, case):
    listing = impose(eworld, case, ground=Ground.EVADES, decided_on=datetime.date(2024, 11, 20))
    assert listing.ends_on == datetime.date(2026, 11, 20)
    assert services.sanctions_expire(today=datetime.date(2026, 11, 20)) == 0  # last day
    assert services.sanctions_expire(today=datetime.date(2026, 11, 21)) == 1
    assert services.sanctions_expire(today=datetime.date(2026, 11, 22)) == 0  # idempotent
    listing.refresh_from_db()
    assert listing.publication == Publication.REMOVED
    removal = Removal.objects.get(listing=listing)
    assert removal.trigger == Trigger.EXPIRY and removal.requested_by is None
    assert removal.state == Removal.State.DONE
    assert clock(removal).state in (Deadline.State.MET, Deadline.State.MISSED)
    assert local_date(removal.fact_at) == datetime.date(2026, 11, 21)
    assert CreditChange.objects.filter(listing=listing, action="removed").count() == 1


def test_expiry_task_runs_and_records_a_job(eworld, case):
    from credit.tasks import credit_daily_task
    from jobs.models import JobRun

    listing = impose(eworld, case, ground=Ground.EVADES, decided_on=datetime.date(2024, 11, 1))
    assert credit_daily_task() == {"removed": 1, "published": 0}
    assert credit_daily_task() == {"removed": 0, "published": 0}
    listing.refresh_from_db()
    assert listing.publication == Publication.REMOVED
    assert JobRun.objects.filter(name="credit.daily").count() == 2


def test_ground_one_does_not_expire(eworld, case):
    listing = impose(eworld, case, ground=Ground.ABLE_REFUSES,
                     decided_on=datetime.date(2020, 1, 1))  # fmt: skip
    assert services.sanctions_expire(today=datetime.date(2026, 11, 30)) == 0
    listing.refresh_from_db()
    assert listing.publication == Publication.PUBLISHED


def test_outsider_may_not_start_a_removal(eworld, case):
    listed_and_restricted(eworld, case)
    with pytest.raises(PermissionDenied):
        services.removals_start(case=case, trigger=Trigger.FULL_PERFORMANCE, reason="x",
                                actor=eworld.outsider)  # fmt: skip
