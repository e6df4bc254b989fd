"""Objections (执行异议) and reviews (复议) with their clocks: registered within 3 days,
decided within 15; a review applied for within 10 days of service and decided within 30,
extended by 30 only with the president's approval (as themselves); a fine's or detention's
review applied for within 3 days and decided within 5."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deadlines import services as deadline_services
from deadlines.models import Deadline
from enforcement.models import MeasureKind, ObjectionKind, ObjectionStatus
from enforcement.services import objections as services

from . import measures_fixtures
from .measures_fixtures import debtor, decided

pytestmark = pytest.mark.django_db

fast_pdf = measures_fixtures.fast_pdf


def clocks(objection):
    return {
        d.kind: d
        for d in Deadline.objects.filter(content_type__model="objection", object_id=objection.pk)
    }


def due_date(deadline):
    return timezone.localtime(deadline.due_at).date()


def at(day: datetime.date):
    """Travel to 10:00 of `day` (the services count from what happens that day)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return time_machine.travel(moment, tick=False)


def test_objection_registered_in_3_days_decided_in_15_review_within_10_days(eworld, case):
    day0 = timezone.localdate() - datetime.timedelta(days=40)
    with at(day0):
        objection = services.objection_receive(
            case=case, kind=ObjectionKind.OBJECTION, applicant_name="王被执",
            applicant_party=debtor(case), matter="冻结的账户为案外人所有", received_on=day0,
            actor=eworld.officer,
        )  # fmt: skip
    register = clocks(objection)["enforcement.objection_register"]
    assert due_date(register) >= day0 + datetime.timedelta(days=3)
    assert (due_date(register) - day0).days <= 10  # 3 days; an end on a holiday moves on
    with at(day0 + datetime.timedelta(days=2)):
        services.objection_register(objection=objection, actor=eworld.officer)
    found = clocks(objection)
    assert found["enforcement.objection_register"].state == Deadline.State.MET
    decide = found["enforcement.objection_decide"]
    assert decide.amount == 15 and decide.state in Deadline.OPEN_STATES
    with at(day0 + datetime.timedelta(days=10)):
        with pytest.raises(ValidationError) as exc:
            services.objection_decide(objection=objection, actor=eworld.officer, upheld=False,
                                      decision="")  # fmt: skip
        assert "decision" in exc.value.message_dict
        services.objection_decide(objection=objection, actor=eworld.officer, upheld=False,
                                  decision="异议不成立")  # fmt: skip
    decide.refresh_from_db()
    assert decide.state == Deadline.State.MET
    served = day0 + datetime.timedelta(days=11)
    with at(served):
        services.objection_serve(objection=objection, actor=eworld.officer, served_on=served)

    # review: 11 days after service is too late, refused with the dates
    with at(served + datetime.timedelta(days=11)):
        with pytest.raises(ValidationError) as exc:
            services.objection_receive(
                case=case, kind=ObjectionKind.REVIEW, applicant_name="王被执", matter="不服",
                received_on=served + datetime.timedelta(days=11), parent=objection,
                actor=eworld.officer,
            )  # fmt: skip
        assert "十日内" in exc.value.message_dict["received_on"][0]
    with at(served + datetime.timedelta(days=10)):
        review = services.objection_receive(
            case=case, kind=ObjectionKind.REVIEW, applicant_name="王被执", matter="不服",
            received_on=served + datetime.timedelta(days=10), parent=objection,
            actor=eworld.officer,
        )  # fmt: skip
        services.objection_register(objection=review, actor=eworld.officer)
    assert clocks(review)["enforcement.review_decide"].amount == 30


def test_review_extension_approved_only_by_the_president_once(eworld, case):
    objection = services.objection_receive(
        case=case, kind=ObjectionKind.OBJECTION, applicant_name="案外人刘某", matter="房屋为其所有",
        received_on=timezone.localdate() - datetime.timedelta(days=5), actor=eworld.officer,
    )  # fmt: skip
    services.objection_register(objection=objection, actor=eworld.officer)
    services.objection_decide(objection=objection, actor=eworld.officer, upheld=True,
                              decision="成立")  # fmt: skip
    services.objection_serve(objection=objection, actor=eworld.officer,
                             served_on=timezone.localdate())  # fmt: skip
    review = services.objection_receive(
        case=case, kind=ObjectionKind.REVIEW, applicant_name="张申请", matter="不服",
        received_on=timezone.localdate(), parent=objection, actor=eworld.officer,
    )  # fmt: skip
    # the extension is for a review under way
    with pytest.raises(ValidationError):
        services.review_extension_request(objection=review, actor=eworld.officer,
                                          approver=eworld.president, reason="案情复杂")  # fmt: skip
    services.objection_register(objection=review, actor=eworld.officer)
    clock = clocks(review)["enforcement.review_decide"]
    before = clock.due_at
    with pytest.raises(ValidationError):  # a colleague is not the approver
        services.review_extension_request(objection=review, actor=eworld.officer,
                                          approver=eworld.second_officer, reason="案情复杂")  # fmt: skip
    request = services.review_extension_request(objection=review, actor=eworld.officer,
                                                approver=eworld.president, reason="案情复杂")  # fmt: skip
    with pytest.raises(PermissionDenied):
        deadline_services.deadline_extension_approve(request, actor=eworld.officer)
    deadline_services.deadline_extension_approve(request, actor=eworld.president)
    clock.refresh_from_db()
    assert (timezone.localtime(clock.due_at).date() - timezone.localtime(before).date()).days >= 30
    assert clock.extensions.get().approved_by == eworld.president
    with pytest.raises(ValidationError) as exc:
        services.review_extension_request(objection=review, actor=eworld.officer,
                                          approver=eworld.president, reason="再次延长")  # fmt: skip
    assert "只能延长一次" in exc.value.message_dict["objection"][0]


def test_register_clock_missed_when_late(eworld, case):
    received = timezone.localdate() - datetime.timedelta(days=30)
    objection = services.objection_receive(
        case=case, kind=ObjectionKind.OBJECTION, applicant_name="王被执", matter="x",
        received_on=received, actor=eworld.officer,
    )  # fmt: skip
    services.objection_register(objection=objection, actor=eworld.officer)
    register = clocks(objection)["enforcement.objection_register"]
    assert register.state == Deadline.State.MISSED  # met late: on record as missed


def test_fine_review_within_3_days_decided_in_5(eworld, case, fast_pdf):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=10)):
        old_fine = decided(eworld, case, MeasureKind.FINE, amount=Decimal("10000"))
    with pytest.raises(ValidationError) as exc:
        services.objection_receive(
            case=case, kind=ObjectionKind.MEASURE_REVIEW, applicant_name="王被执", matter="过重",
            received_on=timezone.localdate(), measure=old_fine, actor=eworld.officer,
        )  # fmt: skip
    assert "三日内" in exc.value.message_dict["received_on"][0]
    fine = decided(eworld, case, MeasureKind.FINE, amount=Decimal("20000"))
    review = services.objection_receive(
        case=case, kind=ObjectionKind.MEASURE_REVIEW, applicant_name="王被执", matter="过重",
        received_on=timezone.localdate(), measure=fine, actor=eworld.officer,
    )  # fmt: skip
    clock = clocks(review)["enforcement.measure_review_decide"]
    assert clock.amount == 5
    done = services.objection_decide(objection=review, actor=eworld.officer, upheld=False,
                                     decision="维持罚款决定")  # fmt: skip
    assert done.status == ObjectionStatus.REJECTED
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MET
