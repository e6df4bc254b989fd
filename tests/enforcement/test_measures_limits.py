"""Every coercive measure's legal limit is refused with its reason (not warned), and the
president's approval is given by the named approver as themselves only."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from documents.models import IssuedDocument
from enforcement.models import CaseStatus, CoerciveMeasure, MeasureKind, MeasureStatus
from enforcement.services import measures as services

from . import measures_fixtures
from .conftest import make_case
from .measures_fixtures import debtor, decided, document_text

pytestmark = pytest.mark.django_db

company = measures_fixtures.company
fast_pdf = measures_fixtures.fast_pdf


def ask(eworld, case, kind, *, subject=None, approver="president", **fields):
    return services.measure_request(
        case=case, kind=kind, subject=subject or debtor(case), actor=eworld.officer,
        approver=getattr(eworld, approver) if approver else None,
        reason="拒不履行生效判决。", **fields,
    )  # fmt: skip


def field_errors(exc_info) -> dict:
    return exc_info.value.message_dict


# --- 拘传 ---------------------------------------------------------------------------------


def test_appearance_questioning_at_most_8_hours_or_24_where_detention_may_follow(eworld, case):
    with pytest.raises(ValidationError) as exc:
        ask(eworld, case, MeasureKind.APPEARANCE, hours=9)
    assert "不得超过8小时" in field_errors(exc)["hours"][0]
    assert ask(eworld, case, MeasureKind.APPEARANCE, hours=8).hours == 8
    with pytest.raises(ValidationError) as exc:
        ask(eworld, case, MeasureKind.APPEARANCE, hours=25, detention_may_follow=True)
    assert "24小时" in field_errors(exc)["hours"][0]
    measure = ask(eworld, case, MeasureKind.APPEARANCE, hours=24, detention_may_follow=True)
    assert measure.status == MeasureStatus.REQUESTED and measure.needs_approval


def test_appearance_not_repeated_to_hold_a_person(eworld, case, fast_pdf):
    first = decided(eworld, case, MeasureKind.APPEARANCE, hours=8)
    start = timezone.now() - datetime.timedelta(hours=7)
    services.measure_execute(measure=first, actor=eworld.officer, started_at=start)
    # under way: no second one
    with pytest.raises(ValidationError) as exc:
        ask(eworld, case, MeasureKind.APPEARANCE, hours=8)
    assert "不得连续拘传" in field_errors(exc)["subject"][0]
    # questioning past its 8 hours cannot be recorded as lawful
    with pytest.raises(ValidationError) as exc:
        services.measure_end(measure=first, actor=eworld.officer,
                             ended_at=start + datetime.timedelta(hours=8, minutes=1))  # fmt: skip
    assert "不得超过8小时" in field_errors(exc)["ended_at"][0]
    services.measure_end(measure=first, actor=eworld.officer,
                         ended_at=start + datetime.timedelta(hours=6))  # fmt: skip
    # ended an hour ago: a new one would be 连续拘传
    with pytest.raises(ValidationError) as exc:
        ask(eworld, case, MeasureKind.APPEARANCE, hours=8)
    assert "变相羁押" in field_errors(exc)["subject"][0]


# --- 罚款 ---------------------------------------------------------------------------------


def test_fine_person_at_most_100000(eworld, case):
    with pytest.raises(ValidationError) as exc:
        ask(eworld, case, MeasureKind.FINE, amount=Decimal("100000.01"))
    assert "¥100,000.00" in field_errors(exc)["amount"][0]
    assert ask(eworld, case, MeasureKind.FINE, amount=Decimal("100000.00")).amount == Decimal(
        "100000.00"
    )


def test_fine_organisation_between_50000_and_1000000(eworld, case, company):
    for wrong in ("49999.99", "1000000.01"):
        with pytest.raises(ValidationError) as exc:
            ask(eworld, case, MeasureKind.FINE, subject=company, amount=Decimal(wrong))
        assert "对单位的罚款金额为¥50,000.00以上¥1,000,000.00以下" in field_errors(exc)["amount"][0]
    for right in ("50000.00", "1000000.00"):
        assert ask(eworld, case, MeasureKind.FINE, subject=company, amount=Decimal(right)).pk
    # the company's head is fined as an individual
    with pytest.raises(ValidationError):
        ask(eworld, case, MeasureKind.FINE, subject=company, responsible_person="赵总",
            amount=Decimal("200000"))  # fmt: skip


# --- 拘留 ---------------------------------------------------------------------------------


def test_detention_at_most_15_days_and_only_of_a_person(eworld, case, company, fast_pdf):
    with pytest.raises(ValidationError) as exc:
        ask(eworld, case, MeasureKind.DETENTION, days=16)
    assert "不得超过15日" in field_errors(exc)["days"][0]
    with pytest.raises(ValidationError) as exc:
        ask(eworld, case, MeasureKind.DETENTION, subject=company, days=10)
    assert "主要负责人" in field_errors(exc)["responsible_person"][0]
    measure = decided(eworld, case, MeasureKind.DETENTION, days=15, subject=company,
                      responsible_person="赵总", place="乌海市拘留所")  # fmt: skip
    assert measure.subject_label == "赵总（乌海某建筑有限公司）"


def test_detention_term_family_clock_and_release(eworld, case, fast_pdf):
    measure = decided(eworld, case, MeasureKind.DETENTION, days=15, place="乌海市拘留所",
                      assisting_court="呼和浩特市新城区人民法院")  # fmt: skip
    start = timezone.now() - datetime.timedelta(hours=2)
    measure = services.measure_execute(measure=measure, actor=eworld.officer, started_at=start)
    assert measure.ends_on == timezone.localtime(start).date() + datetime.timedelta(days=14)
    clock = Deadline.objects.get(kind="enforcement.detention_family_notice", object_id=measure.pk)
    assert clock.due_at == start + datetime.timedelta(hours=24)
    with pytest.raises(ValidationError):
        services.measure_family_notified(measure=measure, actor=eworld.officer, note="")
    services.measure_family_notified(measure=measure, actor=eworld.officer,
                                     note="电话通知其妻子李某")  # fmt: skip
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MET
    # released early after paying
    ended = services.measure_end(measure=measure, actor=eworld.officer, note="已履行，提前解除")
    assert ended.status == MeasureStatus.ENDED
    # the decision names the assisting court (异地拘留)
    assert "呼和浩特市新城区人民法院" in document_text(measure)


# --- approval --------------------------------------------------------------------------


def test_approval_only_by_the_named_president_never_the_requester(eworld, case, fast_pdf):
    # the approver must be the court's own president, not the requester
    with pytest.raises(ValidationError) as exc:
        ask(eworld, case, MeasureKind.FINE, amount=Decimal("5000"), approver=None)
    assert "院长" in field_errors(exc)["approver"][0]
    with pytest.raises(ValidationError) as exc:
        ask(eworld, case, MeasureKind.FINE, amount=Decimal("5000"), approver="second_officer")
    assert "院长" in field_errors(exc)["approver"][0]
    with pytest.raises(ValidationError) as exc:
        ask(eworld, case, MeasureKind.FINE, amount=Decimal("5000"), approver="higher_supervisor")
    assert "本院院长" in field_errors(exc)["approver"][0]
    with pytest.raises(ValidationError) as exc:
        services.measure_request(case=case, kind=MeasureKind.FINE, subject=debtor(case),
                                 actor=eworld.president, approver=eworld.president,
                                 reason="x", amount=Decimal("5000"))  # fmt: skip
    assert "自己" in field_errors(exc)["approver"][0]

    measure = ask(eworld, case, MeasureKind.FINE, amount=Decimal("5000"))
    for somebody in (eworld.officer, eworld.second_officer, eworld.clerk, eworld.higher_supervisor,
                     eworld.outsider):  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.measure_approve(measure=measure, actor=somebody)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.REQUESTED and measure.document is None
    approved = services.measure_approve(measure=measure, actor=eworld.president, note="同意")
    assert approved.status == MeasureStatus.APPROVED
    assert approved.decided_by == eworld.president and approved.decided_at is not None
    document = IssuedDocument.objects.get(pk=approved.document_id)
    assert document.kind == "enforcement.measure_fine"
    text = document_text(approved)
    assert f"批准人：{eworld.president}" in text
    assert "罚款人民币¥5,000.00" in text and "三日内" in text
    assert document.verification_code
    entries = AuditEntry.objects.filter(
        object_id=str(measure.pk), content_type__model="coercivemeasure"
    )
    assert entries.filter(actor=eworld.president).exists()


def test_refusal_needs_a_reason_and_issues_nothing(eworld, case):
    measure = ask(eworld, case, MeasureKind.SEARCH, place="被执行人住所")
    with pytest.raises(ValidationError):
        services.measure_refuse(measure=measure, actor=eworld.president, note="")
    refused = services.measure_refuse(measure=measure, actor=eworld.president, note="证据不足")
    assert refused.status == MeasureStatus.REFUSED and refused.document_id is None
    with pytest.raises(TransitionNotAllowed):
        services.measure_approve(measure=refused, actor=eworld.president)


def test_officer_decides_exit_restriction_and_publication_with_their_documents(
    eworld, case, fast_pdf
):
    exit_ = services.measure_request(case=case, kind=MeasureKind.EXIT_RESTRICTION,
                                     subject=debtor(case), actor=eworld.officer, reason="未履行")  # fmt: skip
    assert exit_.status == MeasureStatus.APPROVED and not exit_.needs_approval
    assert exit_.document.kind == "enforcement.measure_exit_restriction"
    reward = services.measure_request(case=case, kind=MeasureKind.PUBLICATION, subject=debtor(case),
                                      actor=eworld.officer, reason="下落不明",
                                      amount=Decimal("2000.00"), place="乌海日报")  # fmt: skip
    assert "悬赏" in document_text(reward)


def test_criminal_referral_needs_approval(eworld, case, fast_pdf):
    measure = decided(eworld, case, MeasureKind.CRIMINAL_REFERRAL, place="乌海市公安局海勃湾区分局")
    assert measure.document.kind == "enforcement.measure_criminal_referral"
    assert "拒不执行判决、裁定罪" in document_text(measure)


def test_no_measure_on_a_concluded_case_or_outside_the_case(eworld, case):
    done = make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                     status=CaseStatus.PERFORMED, basis=case.basis)  # fmt: skip
    with pytest.raises(TransitionNotAllowed):
        ask(eworld, done, MeasureKind.FINE, amount=Decimal("100"))
    with pytest.raises(ValidationError) as exc:
        ask(eworld, case, MeasureKind.FINE, amount=Decimal("100"), subject=debtor(done))
    assert "subject" in field_errors(exc)
    with pytest.raises(PermissionDenied):
        services.measure_request(case=case, kind=MeasureKind.FINE, subject=debtor(case),
                                 actor=eworld.outsider, approver=eworld.president, reason="x",
                                 amount=Decimal("100"))  # fmt: skip
    assert not CoerciveMeasure.objects.exists()
