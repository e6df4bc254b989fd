"""Commission clocks and letter (enf-commission, part 2): the receiving court's three clocks
(filed in 7 days, started in 15, reported at 30) start with the commission, owned by the
receiving court; registration meets the 7- and 15-day ones (late registration is recorded
as late); a refusal cancels them all. The commission letter (委托执行函) is issued with the
request in the case number's form, with its verification code, read by both courts and by
nobody else (404), through the page and the API."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from deadlines.models import Deadline
from documents.models import IssuedDocument
from enforcement.document_kinds_commission import COMMISSION_LETTER
from enforcement.services import commission as service

from . import commission_fixtures, notices_fixtures
from .notices_fixtures import docx_text, stored

cworld = commission_fixtures.cworld
fast_pdf = notices_fixtures.fast_pdf
pytestmark = pytest.mark.usefixtures("fast_pdf")


def _commission(eworld, cworld):
    return service.commission_request(
        case=cworld.case, actor=eworld.officer, receiving_court=cworld.receiver,
        matters="扣押被执行人在海南区的车辆", assets_note="蒙C12345 白色轿车",
    )  # fmt: skip


def _days(clock, commission) -> int:
    due = timezone.localtime(clock.due_at).date()
    return (due - timezone.localtime(commission.requested_at).date()).days


def test_the_three_clocks_start_with_the_commission_owned_by_the_receiving_court(eworld, cworld):
    commission = _commission(eworld, cworld)
    clocks = service.commission_clocks(commission)
    assert set(clocks) == {service.FILING_CLOCK, service.START_CLOCK, service.REPORT_CLOCK}
    assert {k: _days(c, commission) for k, c in clocks.items()} == {
        service.FILING_CLOCK: 7, service.START_CLOCK: 15, service.REPORT_CLOCK: 30,
    }  # fmt: skip
    assert {c.organisation_id for c in clocks.values()} == {cworld.receiver.pk}
    # the receiving court's deadline list shows the filing clock, the sender's does not
    kinds = {d.kind for d in Deadline.objects.filter(organisation=cworld.receiver)}
    assert service.FILING_CLOCK in kinds


def test_registration_within_seven_days_meets_the_filing_and_start_clocks(eworld, cworld):
    commission = _commission(eworld, cworld)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=5)):
        service.commission_register(commission=commission, actor=cworld.recv_clerk,
                                    officer=cworld.recv_officer)  # fmt: skip
    closed = service.commission_clocks(commission, open_only=False)
    assert closed[service.FILING_CLOCK].state == Deadline.State.MET
    assert closed[service.START_CLOCK].state == Deadline.State.MET
    assert closed[service.REPORT_CLOCK].state == Deadline.State.PENDING


def test_registration_on_the_ninth_day_is_recorded_late_for_the_filing_clock(eworld, cworld):
    commission = _commission(eworld, cworld)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=9)):
        service.commission_register(commission=commission, actor=cworld.recv_clerk,
                                    officer=cworld.recv_officer)  # fmt: skip
    closed = service.commission_clocks(commission, open_only=False)
    assert closed[service.FILING_CLOCK].state == Deadline.State.MISSED  # 逾期完成
    assert closed[service.FILING_CLOCK].closed_at is not None
    assert closed[service.START_CLOCK].state == Deadline.State.MET  # 15 days: in time


def test_a_refusal_cancels_every_clock_the_filing_one_too(eworld, cworld):
    commission = _commission(eworld, cworld)
    service.commission_refuse(commission=commission, actor=cworld.recv_clerk, reason="非本院辖区")
    states = {k: c.state for k, c in service.commission_clocks(commission, open_only=False).items()}
    assert states == dict.fromkeys(
        (service.FILING_CLOCK, service.START_CLOCK, service.REPORT_CLOCK), Deadline.State.CANCELLED
    )


def test_the_letter_is_issued_with_the_request_in_the_case_numbers_form(eworld, cworld):
    commission = _commission(eworld, cworld)
    letter = commission.letter
    assert letter.kind == COMMISSION_LETTER and letter.title == "委托执行函"
    assert letter.number == cworld.case.case_number  # （2026）蒙0302执N号
    assert letter.organisation == cworld.sender and letter.verification_code
    text = docx_text(stored(letter.docx_file))
    for words in (
        "海南区人民法院",
        "扣押被执行人在海南区的车辆",
        "蒙C12345",
        "孙委托",
        "七日内立案",
    ):
        assert words in text
    assert AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(letter),
                                     object_id=str(letter.pk), action="create").exists()  # fmt: skip
    # a second document in the same case carries 之一
    service.commission_withdraw(commission=commission, actor=eworld.officer, reason="已自行扣押")
    again = service.commission_request(case=cworld.case, actor=eworld.officer,
                                       receiving_court=cworld.receiver, matters="查询存款")  # fmt: skip
    assert again.letter.number == f"{cworld.case.case_number}之一"


def test_both_courts_read_the_letter_and_nobody_else(client, eworld, cworld):
    commission = _commission(eworld, cworld)
    detail = reverse("documents:detail", args=[commission.letter.pk])
    for user in (eworld.officer, cworld.recv_clerk):
        client.force_login(user)
        assert client.get(detail).status_code == 200
        page = client.get(reverse("enforcement:commission", args=[cworld.case.pk])).content.decode()
        assert 'data-testid="commission-letter"' in page
        assert commission.letter.verification_code_display in page
    client.force_login(cworld.third_clerk)
    assert client.get(detail).status_code == 404
    assert (
        client.get(reverse("documents:download", args=[commission.letter.pk, "pdf"])).status_code
        == 404
    )


def test_the_api_request_answers_the_letter_and_outsiders_get_404(api_for, eworld, cworld):
    created = api_for(eworld.officer).post(
        f"/api/enforcement/commission/{cworld.case.pk}/requests/",
        {"receiving_court": cworld.receiver.pk, "matters": "扣押车辆"}, format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    letter = IssuedDocument.objects.get(pk=body["letter"])
    assert body["letter_number"] == cworld.case.case_number == letter.number
    assert body["letter_verification_code"] == letter.verification_code_display
    seen = api_for(cworld.recv_officer).get(f"/api/enforcement/commission/{cworld.case.pk}/")
    assert seen.json()["commissions"][0]["letter_number"] == letter.number
    outsider = api_for(cworld.third_clerk)
    assert outsider.get(f"/api/enforcement/commission/{cworld.case.pk}/").status_code == 404
    assert outsider.post(f"/api/enforcement/commission/{cworld.case.pk}/requests/",
                         {"receiving_court": cworld.third.pk, "matters": "x"},
                         format="json").status_code == 404  # fmt: skip
    # a second open commission to the same court: refused by the state (409)
    again = api_for(eworld.officer).post(
        f"/api/enforcement/commission/{cworld.case.pk}/requests/",
        {"receiving_court": cworld.receiver.pk, "matters": "再次委托"}, format="json",
    )  # fmt: skip
    assert again.status_code == 409
    assert IssuedDocument.objects.filter(kind=COMMISSION_LETTER).count() == 1
