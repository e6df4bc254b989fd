"""Issuing against the 3-day clock, service completeness, the debtor's report and its
deadline, driven through the services as the officer works."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEntry
from common import pii
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline, DeadlineRule
from deadlines.sweep import deadlines_sweep
from documents.models import IssuedDocument
from documents.services import document_revoke
from enforcement.models import (
    CaseStatus,
    CheckResult,
    EnforcementCase,
    EnforcementRole,
    NoticeKind,
    ServiceMethod,
)
from enforcement.selectors_notices import (
    asset_report_state,
    cases_not_reporting,
    cases_with_unserved_notices,
    notice_states,
    notices_next_steps,
    notices_next_steps_prefetch,
)
from enforcement.services.asset_reports import asset_report_check, asset_report_receive
from enforcement.services.notice_service import service_record
from enforcement.services.notices import (
    default_report_days,
    notice_issue,
    notice_revoke,
    notices_issue,
)
from tests.factories import image_bytes

from . import notices_fixtures
from .conftest import make_case
from .notices_fixtures import add_debtor, start_notice_clock

pytestmark = pytest.mark.django_db

fast_pdf = notices_fixtures.fast_pdf
money_case = notices_fixtures.money_case
act_case = notices_fixtures.act_case
BOTH = [NoticeKind.EXECUTION_NOTICE, NoticeKind.ASSET_REPORT_ORDER]


def debtor_of(case):
    return case.case_parties.get(role=EnforcementRole.DEBTOR, position=0)


def applicant_of(case):
    return case.case_parties.get(role=EnforcementRole.APPLICANT)


def serve(notice, party, actor, **extra):
    values = {"method": ServiceMethod.DIRECT, "served_on": timezone.localdate(),
              "receipt_name": party.name}  # fmt: skip
    values.update(extra)
    return service_record(notice=notice, recipient=party, actor=actor, **values)


# --- the 3-day clock ---------------------------------------------------------------------------


def test_notices_within_three_days_meet_the_clock(eworld, money_case, fast_pdf):
    clock = start_notice_clock(money_case, eworld.clerk)
    notice_issue(case=money_case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.officer)
    clock.refresh_from_db()
    assert clock.state == Deadline.State.PENDING  # a money case needs the order as well
    notice_issue(case=money_case, kind=NoticeKind.ASSET_REPORT_ORDER, actor=eworld.officer)
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MET and clock.closed_at is not None


def test_notices_after_three_days_close_the_clock_missed(eworld, money_case, fast_pdf):
    # long enough ago that no holiday rolls the third day forward to today
    assigned = timezone.now() - datetime.timedelta(days=20)
    clock = start_notice_clock(money_case, eworld.clerk, start=assigned)
    notices_issue(case=money_case, kinds=BOTH, actor=eworld.officer)
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MISSED and clock.closed_at is not None


def test_an_act_case_needs_only_the_execution_notice(eworld, act_case, fast_pdf):
    clock = start_notice_clock(act_case, eworld.clerk)
    with pytest.raises(TransitionNotAllowed, match="不发报告财产令"):
        notice_issue(case=act_case, kind=NoticeKind.ASSET_REPORT_ORDER, actor=eworld.officer)
    notice_issue(case=act_case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.officer)
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MET
    assert asset_report_state(act_case).code == "not_required"


def test_a_case_assigned_before_the_clock_existed_still_gets_its_notices(
    eworld, money_case, fast_pdf
):
    notices = notices_issue(case=money_case, kinds=BOTH, actor=eworld.officer)
    assert [n.kind for n in notices] == BOTH
    # only the order's report clock exists
    assert list(Deadline.objects.values_list("kind", flat=True)) == ["enforcement.asset_report_due"]


def test_refusals(eworld, money_case, fast_pdf):
    for stranger in (eworld.outsider, eworld.centre_supervisor, eworld.higher_supervisor):
        with pytest.raises(PermissionDenied):
            notice_issue(case=money_case, kind=NoticeKind.EXECUTION_NOTICE, actor=stranger)
    notice_issue(case=money_case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.president)
    with pytest.raises(TransitionNotAllowed, match="已发出执行通知书"):
        notice_issue(case=money_case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.officer)
    unassigned = make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED)
    with pytest.raises(TransitionNotAllowed, match="已立案待分配"):
        notice_issue(case=unassigned, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.clerk)
    assert IssuedDocument.objects.count() == 1


@pytest.mark.parametrize("days", [4, 11, "七"])
def test_the_reporting_period_must_be_five_to_ten_days(eworld, money_case, fast_pdf, days):
    with pytest.raises(ValidationError) as refused:
        notice_issue(
            case=money_case, kind=NoticeKind.ASSET_REPORT_ORDER, actor=eworld.officer,
            report_days=days,
        )  # fmt: skip
    assert refused.value.message_dict == {"report_days": ["报告期限须为5至10日。"]}
    assert not Deadline.objects.exists() and not IssuedDocument.objects.exists()


def test_default_period_is_configurable(eworld, money_case, fast_pdf, settings):
    assert default_report_days(eworld.court) == 7
    DeadlineRule.objects.create(
        kind="enforcement.asset_report_due", organisation=eworld.court, unit="calendar_days",
        amount=5, note="本院规定",
    )  # fmt: skip
    assert default_report_days(eworld.court) == 5
    settings.ENFORCEMENT_ASSET_REPORT_DAYS_RANGE = (3, 15)
    order = notice_issue(
        case=money_case, kind=NoticeKind.ASSET_REPORT_ORDER, actor=eworld.officer, report_days=3
    )
    assert order.report_days == 3
    clock = order.report_deadline
    assert clock.amount == 3 and clock.kind == "enforcement.asset_report_due"
    assert clock.owner == eworld.officer and clock.object_id == money_case.pk


def test_revoking_lets_a_new_notice_be_issued_and_cancels_the_report_clock(
    eworld, money_case, fast_pdf
):
    order = notice_issue(case=money_case, kind=NoticeKind.ASSET_REPORT_ORDER,
                         actor=eworld.officer, report_days=5)  # fmt: skip
    notice_revoke(notice=order, actor=eworld.officer, reason="期限写错")
    order.refresh_from_db()
    order.document.refresh_from_db()
    assert order.document.status == IssuedDocument.Status.REVOKED
    assert order.report_deadline.state == Deadline.State.CANCELLED
    with pytest.raises(TransitionNotAllowed):
        notice_revoke(notice=order, actor=eworld.officer, reason="再次")
    again = notice_issue(case=money_case, kind=NoticeKind.ASSET_REPORT_ORDER,
                         actor=eworld.officer, report_days=10)  # fmt: skip
    assert again.report_days == 10 and again.document.number != order.document.number


def test_a_document_revoked_on_the_documents_page_stops_counting(eworld, money_case, fast_pdf):
    notice = notice_issue(case=money_case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.officer)
    document_revoke(document=notice.document, actor=eworld.officer, reason="当事人名称有误")
    assert notices_next_steps(money_case)[0] == "发出执行通知书"
    fresh = notice_issue(case=money_case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.officer)
    notice.refresh_from_db()
    assert notice.revoked_at is not None and fresh.revoked_at is None


def test_every_write_is_audited(eworld, money_case, fast_pdf):
    (notice,) = notices_issue(
        case=money_case, kinds=[NoticeKind.EXECUTION_NOTICE], actor=eworld.officer
    )
    record = serve(notice, debtor_of(money_case), eworld.clerk)
    entries = AuditEntry.objects.filter(organisation_id=eworld.court.pk)
    assert entries.filter(object_id=str(notice.pk), note__contains="发出执行通知书").exists()
    assert entries.filter(object_id=str(record.pk), actor=eworld.clerk,
                          note__contains="直接送达").exists()  # fmt: skip


# --- service ----------------------------------------------------------------------------------


def test_served_when_every_debtor_has_a_record(eworld, money_case, fast_pdf):
    second = add_debtor(money_case, address="乌海市海南区1号")
    notice, order = notices_issue(case=money_case, kinds=BOTH, actor=eworld.officer)
    first = debtor_of(money_case)
    assert cases_with_unserved_notices(EnforcementCase.objects.all()).count() == 1

    serve(notice, applicant_of(money_case), eworld.clerk, method=ServiceMethod.POST,
          address="申请人住所", receipt_name="")  # fmt: skip
    serve(notice, first, eworld.clerk, receipt_name="王某（被执行人之妻）",
          receipt_relation="同住成年家属")  # fmt: skip
    (state, order_state) = notice_states(money_case)
    assert not state.served and state.unserved_debtors == [second]
    assert notices_next_steps(money_case)[:2] == ["送达执行通知书", "送达报告财产令"]

    serve(notice, second, eworld.clerk, method=ServiceMethod.LEFT, address="乌海市海南区1号",
          witnesses="社区主任赵某", receipt_name="")  # fmt: skip
    (state, order_state) = notice_states(money_case)
    assert state.served and not order_state.served
    # the applicant is not served the order
    with pytest.raises(ValidationError) as refused:
        serve(order, applicant_of(money_case), eworld.clerk)
    assert "recipient" in refused.value.message_dict
    serve(order, first, eworld.clerk)
    serve(order, second, eworld.clerk, method=ServiceMethod.PUBLIC, address="人民法院报",
          receipt_name="")  # fmt: skip
    assert all(s.served for s in notice_states(money_case))
    assert cases_with_unserved_notices(EnforcementCase.objects.all()).count() == 0


def test_electronic_service_by_sms_uses_the_number_on_the_case(eworld, money_case, fast_pdf):
    debtor = debtor_of(money_case)
    pii.seal_into(debtor, "phone", pii.seal_phone("13912345678"))
    debtor.save()
    notice = notice_issue(case=money_case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.officer)
    record = serve(notice, debtor, eworld.officer, method=ServiceMethod.ELECTRONIC,
                   channel="sms", receipt_name="")  # fmt: skip
    assert record.electronic_address_masked == "139****5678"
    assert pii.decrypt(record.electronic_address_encrypted) == "13912345678"
    audit = AuditEntry.objects.get(object_id=str(record.pk), action="create")
    assert "13912345678" not in str(audit.changes)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"method": ServiceMethod.DIRECT, "receipt_name": ""}, "receipt_name"),
        ({"method": ServiceMethod.POST, "receipt_name": ""}, "address"),
        ({"method": ServiceMethod.ELECTRONIC}, "channel"),
        ({"method": ServiceMethod.ELECTRONIC, "channel": "email"}, "electronic_address"),
        ({"method": ServiceMethod.LEFT, "address": "住所"}, "witnesses"),
        ({"served_on": datetime.date(2020, 1, 1)}, "served_on"),
        ({"served_on": timezone.localdate() + datetime.timedelta(days=1)}, "served_on"),
    ],
)
def test_service_needs_what_its_method_needs(eworld, money_case, fast_pdf, values, field):
    notice = notice_issue(case=money_case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.officer)
    with pytest.raises(ValidationError) as refused:
        serve(notice, debtor_of(money_case), eworld.clerk, **values)
    assert field in refused.value.message_dict


def test_service_refused_for_a_revoked_notice_and_twice_for_one_recipient(
    eworld, money_case, fast_pdf
):
    notice = notice_issue(case=money_case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.officer)
    serve(notice, debtor_of(money_case), eworld.clerk)
    with pytest.raises(TransitionNotAllowed, match="已登记"):
        serve(notice, debtor_of(money_case), eworld.clerk)
    notice_revoke(notice=notice, actor=eworld.officer, reason="错误")
    with pytest.raises(TransitionNotAllowed, match="已撤销"):
        serve(notice, applicant_of(money_case), eworld.clerk)


def test_proof_of_service_file_is_checked_and_kept(eworld, money_case, fast_pdf):
    notice = notice_issue(case=money_case, kind=NoticeKind.EXECUTION_NOTICE, actor=eworld.officer)
    fake = SimpleUploadedFile("回执.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        serve(notice, debtor_of(money_case), eworld.clerk, proof=fake)
    assert "proof" in refused.value.message_dict
    photo = SimpleUploadedFile("回执.png", image_bytes("PNG"), content_type="image/png")
    record = serve(notice, debtor_of(money_case), eworld.clerk, proof=photo)
    assert record.proof_name == "回执.png" and record.proof_content_type == "image/png"
    assert "回执" not in record.proof_file.name


# --- the asset report -------------------------------------------------------------------------


def _as_a_list_page_says(case) -> list[str]:
    """The notices' next steps as a list page reads them (the page's batch of plain rows),
    for a fresh copy of `case`."""
    fresh = EnforcementCase.objects.get(pk=case.pk)
    notices_next_steps_prefetch([fresh])
    return notices_next_steps(fresh)


def test_report_on_time_meets_the_clock_and_is_checked(eworld, money_case, fast_pdf):
    order = notice_issue(case=money_case, kind=NoticeKind.ASSET_REPORT_ORDER,
                         actor=eworld.officer, report_days=5)  # fmt: skip
    assert asset_report_state(money_case).code == "awaiting"
    report = asset_report_receive(
        order=order, debtor=debtor_of(money_case), actor=eworld.clerk,
        received_on=timezone.localdate(), summary="工资收入及一处住房",
        items=[
            {"category": "income", "description": "某公司月工资", "value": Decimal("4500.00")},
            {"category": "real_estate", "description": "海勃湾区团结社区3号楼住房一套"},
        ],
    )  # fmt: skip
    order.report_deadline.refresh_from_db()
    assert order.report_deadline.state == Deadline.State.MET
    state = asset_report_state(money_case)
    assert state.code == "received" and not state.not_reported_on_time
    assert notices_next_steps(money_case)[-1] == "核查财产报告"
    assert _as_a_list_page_says(money_case) == notices_next_steps(money_case)
    with pytest.raises(ValidationError) as refused:
        asset_report_check(report=report, actor=eworld.officer, result=CheckResult.FALSE)
    assert "note" in refused.value.message_dict
    asset_report_check(report=report, actor=eworld.officer, result=CheckResult.CONSISTENT)
    state = asset_report_state(money_case)
    assert state.code == "checked" and state.checked and not state.false_report
    assert report.items.count() == 2
    with pytest.raises(TransitionNotAllowed):
        asset_report_check(report=report, actor=eworld.officer, result=CheckResult.CONSISTENT)


def test_not_reporting_by_the_deadline_flags_the_case(eworld, money_case, fast_pdf):
    order = notice_issue(case=money_case, kind=NoticeKind.ASSET_REPORT_ORDER,
                         actor=eworld.officer, report_days=5)  # fmt: skip
    clock = order.report_deadline
    due_day = timezone.localtime(clock.due_at).date()
    cases = EnforcementCase.objects.all()
    assert not cases_not_reporting(cases).exists()

    later = clock.due_at + datetime.timedelta(hours=9)
    with time_machine.travel(later, tick=False):
        deadlines_sweep()
        clock.refresh_from_db()
        assert clock.state == Deadline.State.MISSED  # closed missed by the sweep
        state = asset_report_state(money_case)
        assert state.code == "overdue" and state.not_reported_on_time
        assert state.flag == "未按期报告财产"
        assert list(cases_not_reporting(cases)) == [money_case]
        assert "被执行人未按期报告财产：依法处理" in notices_next_steps(money_case)
        assert _as_a_list_page_says(money_case) == notices_next_steps(money_case)

        # a late report is taken, closes the clock (逾期完成) and the flag stays
        asset_report_receive(order=order, debtor=debtor_of(money_case), actor=eworld.clerk,
                             received_on=timezone.localdate(), no_assets=True)  # fmt: skip
        clock.refresh_from_db()
        assert clock.state == Deadline.State.MISSED and clock.closed_at is not None
        state = asset_report_state(money_case)
        assert state.code == "received" and state.not_reported_on_time
        assert state.debtors[0].late and timezone.localdate() > due_day
        assert list(cases_not_reporting(cases)) == [money_case]


def test_every_debtor_must_report(eworld, money_case, fast_pdf):
    second = add_debtor(money_case)
    order = notice_issue(case=money_case, kind=NoticeKind.ASSET_REPORT_ORDER,
                         actor=eworld.officer, report_days=5)  # fmt: skip
    asset_report_receive(order=order, debtor=debtor_of(money_case), actor=eworld.clerk,
                         received_on=timezone.localdate(), summary="无")  # fmt: skip
    order.report_deadline.refresh_from_db()
    assert order.report_deadline.state == Deadline.State.PENDING
    with time_machine.travel(order.report_deadline.due_at + datetime.timedelta(days=1)):
        state = asset_report_state(money_case)
        assert state.code == "overdue"
        assert [d.overdue for d in state.debtors] == [False, True]
        assert list(cases_not_reporting(EnforcementCase.objects.all())) == [money_case]
    asset_report_receive(order=order, debtor=second, actor=eworld.clerk,
                         received_on=timezone.localdate(), summary="无")  # fmt: skip
    order.report_deadline.refresh_from_db()
    assert order.report_deadline.state == Deadline.State.MET


def test_report_refusals(eworld, money_case, fast_pdf):
    notice, order = notices_issue(case=money_case, kinds=BOTH, actor=eworld.officer)
    debtor = debtor_of(money_case)
    with pytest.raises(TransitionNotAllowed):
        asset_report_receive(order=notice, debtor=debtor, actor=eworld.clerk,
                             received_on=timezone.localdate(), summary="x")  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        asset_report_receive(
            order=order, debtor=applicant_of(money_case), actor=eworld.clerk,
            received_on=timezone.localdate() + datetime.timedelta(days=1),
            items=[{"category": "bogus", "description": "", "value": "abc"}],
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"debtor", "received_on", "items"}
    with pytest.raises(ValidationError) as refused:
        asset_report_receive(order=order, debtor=debtor, actor=eworld.clerk,
                             received_on=timezone.localdate())  # fmt: skip
    assert "summary" in refused.value.message_dict
    with pytest.raises(ValidationError):  # a float is never money
        asset_report_receive(order=order, debtor=debtor, actor=eworld.clerk,
                             received_on=timezone.localdate(),
                             items=[{"category": "deposit", "description": "存款",
                                     "value": 12.5}])  # fmt: skip
    report = asset_report_receive(order=order, debtor=debtor, actor=eworld.clerk,
                                  received_on=timezone.localdate(), summary="x")  # fmt: skip
    with pytest.raises(TransitionNotAllowed, match="已登记"):
        asset_report_receive(order=order, debtor=debtor, actor=eworld.clerk,
                             received_on=timezone.localdate(), summary="x")  # fmt: skip
    with pytest.raises(TransitionNotAllowed):
        asset_report_check(report=report, actor=eworld.outsider, result="consistent")


def test_a_false_report_is_flagged(eworld, money_case, fast_pdf):
    order = notice_issue(case=money_case, kind=NoticeKind.ASSET_REPORT_ORDER,
                         actor=eworld.officer)  # fmt: skip
    report = asset_report_receive(order=order, debtor=debtor_of(money_case), actor=eworld.clerk,
                                  received_on=timezone.localdate(), no_assets=True)  # fmt: skip
    asset_report_check(report=report, actor=eworld.officer, result=CheckResult.FALSE,
                       note="网络查控发现其名下车辆一辆未报告")  # fmt: skip
    state = asset_report_state(money_case)
    assert state.false_report and state.code == "checked" and not state.not_reported_on_time
