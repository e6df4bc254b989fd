"""Clues from the applicant: recorded with a 7-day check clock (3 if urgent), checked with
a result that meets the clock (on time or late)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from deadlines.selectors import deadlines_for
from enforcement.models import AssetKind, CaseParty, ClueStatus, EnforcementRole
from enforcement.services.clues import clue_check, clue_record

pytestmark = pytest.mark.django_db


def _applicant(case):
    return CaseParty.objects.get(case=case, role=EnforcementRole.APPLICANT)


def _record(eworld, case, **kwargs):
    return clue_record(
        case=case, actor=eworld.clerk, kind=AssetKind.VEHICLE,
        description="申请人称被执行人驾驶一辆白色轿车，停放在某小区", institution="乌海市车管所",
        identifier="蒙C88888", submitted_by=_applicant(case), **kwargs,
    )  # fmt: skip


@pytest.mark.parametrize(("urgent", "kind", "days"), [
    (False, "enforcement.clue_check", 7),
    (True, "enforcement.clue_check_urgent", 3),
])  # fmt: skip
def test_clue_clock(eworld, case, urgent, kind, days):
    received = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))  # a Monday
    with time_machine.travel(received + datetime.timedelta(hours=1)):
        clue = _record(eworld, case, urgent=urgent, received_at=received)
    clock = deadlines_for(clue).get()
    assert clock.kind == kind and clock.owner == eworld.officer
    due = timezone.localtime(clock.due_at).date()
    assert due == datetime.date(2026, 3, 2) + datetime.timedelta(days=days)
    assert clock.explanation["rule"]["kind"] == kind
    assert AuditEntry.objects.filter(object_id=str(clue.pk), action="create").exists()
    assert clue.identifier_masked == "蒙C88888"  # a plate is not masked


def test_check_in_time_meets_the_clock(eworld, case):
    clue = _record(eworld, case)
    clue_check(clue=clue, actor=eworld.officer, found=True, result="经查属实，车辆已扣押候查",
               estimated_value="58000.00")  # fmt: skip
    clue.refresh_from_db()
    assert clue.status == ClueStatus.CONFIRMED and clue.checked_by == eworld.officer
    assert deadlines_for(clue).get().state == Deadline.State.MET
    assert AuditEntry.objects.filter(object_id=str(clue.pk), transition="confirm").exists()
    with pytest.raises(TransitionNotAllowed):
        clue_check(clue=clue, actor=eworld.officer, found=False, result="再查")


def test_late_check_is_recorded_as_missed(eworld, case):
    clue = _record(eworld, case, urgent=True)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        clue_check(clue=clue, actor=eworld.officer, found=False, result="车辆已转让他人")
    clue.refresh_from_db()
    assert clue.status == ClueStatus.UNFOUNDED and clue.estimated_value is None
    assert deadlines_for(clue).get().state == Deadline.State.MISSED


def test_bad_input(eworld, case):
    from .conftest import make_case

    other = make_case(eworld.court, eworld.clerk)
    with pytest.raises(ValidationError) as exc:
        clue_record(case=case, actor=eworld.clerk, kind="boat", description=" ")
    assert {"kind", "description"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        clue_record(case=case, actor=eworld.clerk, kind=AssetKind.VEHICLE, description="x",
                    submitted_by=_applicant(other))  # fmt: skip
    assert "submitted_by" in exc.value.message_dict
    clue = _record(eworld, case)
    with pytest.raises(ValidationError):
        clue_check(clue=clue, actor=eworld.officer, found=True, result="")


def test_outsider_cannot_record_or_check(eworld, case):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        clue_record(case=case, actor=eworld.outsider, kind=AssetKind.VEHICLE, description="x")
    clue = _record(eworld, case)
    with pytest.raises(PermissionDenied):
        clue_check(clue=clue, actor=eworld.outsider, found=True, result="x")
