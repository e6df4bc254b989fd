"""Agreement compliance: a clock per instalment, the mediator asked to remind the debtor
once, payments (partial, whole, too much), a missed instalment told to the mediator with the
creditor's contact, and the agreement's 履行中 / 已履行 / 未按期履行; page and API."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from deadlines.models import Deadline, Reminder
from deadlines.sweep import deadlines_sweep
from mediation.models import Instalment, InstalmentPayment
from mediation.selectors_compliance import agreement_compliance_status, instalments_with_status
from mediation.services import (
    instalment_record_payment,
    mediation_agree,
    mediation_receipt_sign,
    session_log,
)
from mediation.services.compliance import INSTALMENT, KIND_DUE, KIND_MISSED
from notifications.models import Notification

BEIJING = ZoneInfo("Asia/Shanghai")
AGREED_AT = datetime.datetime(2027, 6, 1, 10, 0, tzinfo=BEIJING)


@pytest.fixture
def agreement(mworld, delegated):
    """赵被申 owes 李申请 3000 in two instalments (30 June, 31 July), recorded 1 June."""
    with time_machine.travel(AGREED_AT, tick=False):
        case = mediation_receipt_sign(case=delegated, actor=mworld.zhang)
        session_log(case=case, actor=mworld.zhang, record="达成一致")
        applicant = case.case_parties.get(role="applicant")
        respondent = case.case_parties.get(role="respondent")
        return mediation_agree(
            case=case,
            actor=mworld.zhang,
            terms="赵某分两期赔偿李某3000元。",
            obligations=[{
                "obligor": respondent.pk, "obligee": applicant.pk, "kind": "money",
                "amount": Decimal("3000.00"), "due_date": datetime.date(2027, 7, 31),
                "instalments": [{"amount": Decimal("1500.00"), "due_date": datetime.date(2027, 6, 30)},
                                {"amount": Decimal("1500.00"), "due_date": datetime.date(2027, 7, 31)}],
            }],
        )  # fmt: skip


def _instalments(agreement):
    return list(Instalment.objects.filter(obligation__agreement=agreement).order_by("number"))


def _sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return deadlines_sweep()


def test_each_instalment_gets_a_clock_owned_by_the_mediator(mworld, agreement, client_for):
    first, second = _instalments(agreement)
    clocks = Deadline.objects.filter(kind=INSTALMENT).order_by("due_at")
    assert [c.object_id for c in clocks] == [first.pk, second.pk]
    assert {c.owner_id for c in clocks} == {mworld.zhang.pk}
    due = clocks[0].due_at.astimezone(BEIJING)
    assert due.date() == datetime.date(2027, 6, 30)
    # the clock's own page and the mediator's week read an instalment as their subject
    zhang = client_for(mworld.zhang)
    assert zhang.get(f"/deadlines/{clocks[0].pk}/").status_code == 200
    with time_machine.travel(datetime.datetime(2027, 6, 25, 10, 0, tzinfo=BEIJING)):
        week = client_for(mworld.zhang).get("/mediation/week/").content.decode()
    assert "协议分期履行" in week


def test_a_lump_sum_is_watched_as_one_instalment(mworld, delegated):
    with time_machine.travel(AGREED_AT, tick=False):
        case = mediation_receipt_sign(case=delegated, actor=mworld.zhang)
        session_log(case=case, actor=mworld.zhang, record="达成一致")
        applicant = case.case_parties.get(role="applicant")
        respondent = case.case_parties.get(role="respondent")
        agreement = mediation_agree(case=case, actor=mworld.zhang, terms="一次性赔偿", obligations=[{
            "obligor": respondent.pk, "obligee": applicant.pk, "kind": "money",
            "amount": Decimal("800.00"), "due_date": datetime.date(2027, 6, 15)}])  # fmt: skip
    (single,) = _instalments(agreement)
    assert (single.number, single.amount, single.due_date) == (
        1, Decimal("800.00"), datetime.date(2027, 6, 15),
    )  # fmt: skip
    assert Deadline.objects.filter(kind=INSTALMENT, object_id=single.pk).exists()


def test_the_debtor_reminder_goes_to_the_mediator_once_with_the_sms_text(mworld, agreement):
    first, _second = _instalments(agreement)
    # 27 June 08:00 is the three-day reminder of the 30 June instalment
    _sweep_at(datetime.datetime(2027, 6, 27, 9, 0, tzinfo=BEIJING))
    reminders = Notification.objects.filter(kind=KIND_DUE)
    assert reminders.count() == 1
    (reminder,) = reminders
    assert reminder.recipient == mworld.zhang
    assert "赵被申" in reminder.title and "¥1,500.00" in reminder.title
    assert "请按期履行" in reminder.body and "2027-06-30" in reminder.body
    # the generic deadline text is replaced, and nobody is escalated to (the agreement also
    # opened the judicial-confirmation window, whose own generic reminder is expected)
    generic = Notification.objects.filter(kind__startswith="deadline.")
    assert [n.title for n in generic if "司法确认" not in n.title] == []
    # the sweep again, and again later the same day: nothing more
    _sweep_at(datetime.datetime(2027, 6, 27, 9, 5, tzinfo=BEIJING))
    _sweep_at(datetime.datetime(2027, 6, 27, 20, 0, tzinfo=BEIJING))
    assert Notification.objects.filter(kind=KIND_DUE).count() == 1
    assert (
        Reminder.objects.filter(deadline__object_id=first.pk, deadline__kind=INSTALMENT).count()
        == 1
    )


def test_payments_partial_then_whole_meet_the_clock_and_too_much_is_refused(mworld, agreement):
    first, _second = _instalments(agreement)
    with time_machine.travel(datetime.datetime(2027, 6, 20, 10, 0, tzinfo=BEIJING), tick=False):
        instalment_record_payment(instalment=first, actor=mworld.zhang, amount="500.00")
        clock = Deadline.objects.get(kind=INSTALMENT, object_id=first.pk)
        assert clock.state == Deadline.State.PENDING
        with pytest.raises(ValidationError) as too_much:
            instalment_record_payment(instalment=first, actor=mworld.zhang, amount="1000.01")
        assert "amount" in too_much.value.message_dict
        with pytest.raises(ValidationError) as a_float:  # never a float for money
            instalment_record_payment(instalment=first, actor=mworld.zhang, amount=1000.0)
        assert "amount" in a_float.value.message_dict
        instalment_record_payment(
            instalment=first, actor=mworld.committee_clerk, amount=Decimal("1000.00"), note="转账"
        )
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MET
    assert InstalmentPayment.objects.filter(instalment=first).count() == 2
    assert (
        AuditEntry.objects.filter(content_type__model="instalmentpayment", action="create").count()
        == 2
    )
    rows = instalments_with_status(agreement)
    assert [r.status for r in rows] == ["paid", "pending"]
    assert agreement_compliance_status(rows) == "in_progress"
    # a paid instalment sends no reminder
    _sweep_at(datetime.datetime(2027, 6, 29, 9, 0, tzinfo=BEIJING))
    assert not Notification.objects.filter(kind=KIND_DUE, object_id=first.pk).exists()


def test_an_outsider_cannot_record_a_payment(mworld, agreement):
    from django.core.exceptions import PermissionDenied

    first, _second = _instalments(agreement)
    with pytest.raises(PermissionDenied):
        instalment_record_payment(instalment=first, actor=mworld.far_mediator, amount="10.00")
    assert not InstalmentPayment.objects.exists()


def test_a_missed_instalment_tells_the_mediator_with_the_creditor_and_marks_the_agreement(
    mworld, agreement
):
    first, second = _instalments(agreement)
    with time_machine.travel(datetime.datetime(2027, 6, 29, 10, 0, tzinfo=BEIJING), tick=False):
        instalment_record_payment(instalment=first, actor=mworld.zhang, amount="1500.00")
        instalment_record_payment(instalment=second, actor=mworld.zhang, amount="200.00")
    _sweep_at(datetime.datetime(2027, 8, 1, 9, 0, tzinfo=BEIJING))
    clock = Deadline.objects.get(kind=INSTALMENT, object_id=second.pk)
    assert clock.state == Deadline.State.MISSED
    (missed,) = Notification.objects.filter(kind=KIND_MISSED)
    assert missed.recipient == mworld.zhang
    assert "李申请" in missed.title and "¥1,300.00" in missed.title
    assert "138****8000" in missed.body and "未按期履行" in missed.body
    assert not Notification.objects.filter(kind="deadline.escalation").exists()
    rows = instalments_with_status(agreement)
    assert [r.status for r in rows] == ["paid", "overdue"]
    assert agreement_compliance_status(rows) == "defaulted"
    _sweep_at(datetime.datetime(2027, 8, 2, 9, 0, tzinfo=BEIJING))
    assert Notification.objects.filter(kind=KIND_MISSED).count() == 1
    # paid late in full: 已履行, the clock stays missed (逾期履行)
    with time_machine.travel(datetime.datetime(2027, 8, 3, 10, 0, tzinfo=BEIJING), tick=False):
        instalment_record_payment(instalment=second, actor=mworld.zhang, amount="1300.00")
    rows = instalments_with_status(agreement)
    assert agreement_compliance_status(rows) == "fulfilled"


def test_compliance_page_and_api(mworld, agreement, client_for, api_for):
    first, _second = _instalments(agreement)
    case = agreement.case
    agreement_page = client_for(mworld.zhang).get(f"/mediation/{case.pk}/agreement/")
    assert f'href="/mediation/{case.pk}/compliance/"' in agreement_page.content.decode()
    page = client_for(mworld.zhang).get(f"/mediation/{case.pk}/compliance/")
    assert page.status_code == 200
    assert (
        "履行中" in page.content.decode() and 'data-testid="payment-form"' in page.content.decode()
    )
    bad = client_for(mworld.zhang).post(
        f"/mediation/{case.pk}/compliance/",
        {"instalment": first.pk, "amount": "9999.00", "paid_on": "2026-11-20"},
    )
    assert bad.status_code == 400 and "尚欠" in bad.content.decode()
    good = client_for(mworld.zhang).post(
        f"/mediation/{case.pk}/compliance/",
        {"instalment": first.pk, "amount": "100.00", "paid_on": "2026-11-20"},
    )
    assert good.status_code == 302
    assert client_for(mworld.outsider).get(f"/mediation/{case.pk}/compliance/").status_code == 404

    api = api_for(mworld.zhang)
    url = f"/api/mediation/instalments/{first.pk}/payments/"
    number = api.post(url, {"amount": 100}, format="json")
    assert number.status_code == 400 and "amount" in number.json()["fields"]
    made = api.post(url, {"amount": "400.00", "note": "现金"}, format="json")
    assert made.status_code == 201 and made.json()["amount"] == "400.00"
    outsider = api_for(mworld.outsider).post(url, {"amount": "1.00"}, format="json")
    assert outsider.status_code == 404
    summary = api.get(f"/api/mediation/compliance/{case.pk}/").json()
    assert summary["status"] == "in_progress" and summary["status_label"] == "履行中"
    assert summary["instalments"][0]["paid"] == "500.00"
    assert summary["instalments"][0]["owed"] == "1000.00"
    assert api_for(mworld.outsider).get(f"/api/mediation/compliance/{case.pk}/").status_code == 404


def test_payments_appear_in_the_case_history_in_words(mworld, agreement, client_for):
    import csv
    import io

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    first, second = _instalments(agreement)
    case = agreement.case
    with time_machine.travel(datetime.datetime(2027, 6, 20, 10, 0, tzinfo=BEIJING), tick=False):
        instalment_record_payment(
            instalment=first, actor=mworld.zhang, amount="500.00", note="微信转账"
        )
        instalment_record_payment(instalment=first, actor=mworld.committee_clerk, amount="1000.00")
    client = client_for(mworld.zhang)
    history_url = reverse("audit:history", args=["mediation", "mediationcase", case.pk])
    with CaptureQueriesContext(connection) as two_payments:
        page = client.get(history_url).content.decode()
    # what it is about, the amount as money, the day, who recorded it
    assert "履行记录 · 赵被申 → 李申请 第1期 ¥500.00" in page
    assert "履行记录 · 赵被申 → 李申请 第1期 ¥1,000.00" in page
    assert re.search(
        r'data-field="amount"><span class="fw-semibold">金额（元）</span>：¥1,000.00', page
    )
    assert re.search(r'data-field="paid_on">.*?：2027-06-20', page)
    assert re.search(r'data-field="instalment">.*?：赵被申 → 李申请 第1期', page)
    assert "微信转账" in page
    assert "登记履行：赵被申 第1期付款 ¥1,000.00（2027-06-20），本期已履行完毕" in page
    # the case page's own short history says it too
    detail = client.get(f"/mediation/{case.pk}/").content.decode()
    assert "登记履行：赵被申 第1期付款 ¥500.00（2027-06-20）" in detail
    # and the CSV, in the same words
    rows = list(
        csv.reader(io.StringIO(client.get(history_url + "export.csv").content.decode("utf-8-sig")))
    )
    assert any(row[5] == "金额（元）" and row[7] == "¥500.00" for row in rows)
    # names come a page at a time: more payments, no more queries
    with time_machine.travel(datetime.datetime(2027, 7, 20, 10, 0, tzinfo=BEIJING), tick=False):
        instalment_record_payment(instalment=second, actor=mworld.zhang, amount="100.00")
        instalment_record_payment(instalment=second, actor=mworld.zhang, amount="200.00")
    with CaptureQueriesContext(connection) as four_payments:
        client.get(history_url)
    assert len(four_payments) == len(two_payments)
