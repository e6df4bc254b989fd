"""The enforcement case's history page (操作记录) tells the whole case: besides the case's own
steps, the records each part writes about it — the parties, the notices and their service,
the debtor's asset report, the online inquiry, the clue, the freeze, the case-fund ledger's
receipt, payout and entries, the documents issued. The case page's short history says the
same; another court's clerk gets 404; the page's queries do not grow with the records."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enforcement.services.asset_reports import asset_report_receive
from enforcement.services.clues import clue_record
from enforcement.services.controls import control_freeze
from enforcement.services.notice_service import service_record
from enforcement.services.notices import notices_issue

from . import notices_fixtures
from .assets_fixtures import findings_of, inquire_now, script_story5, story5_case
from .funds_fixtures import pay_out, receive

fast_pdf = notices_fixtures.fast_pdf


def history_url(case):
    return reverse("audit:history", args=["enforcement", "enforcementcase", case.pk])


def build_story(eworld, case, *, payouts=1):
    """Every part's records on `case`, through the services."""
    officer = eworld.officer
    today = timezone.localdate()
    notice, order = notices_issue(
        case=case, kinds=["execution_notice", "asset_report_order"], actor=officer
    )
    debtor = case.case_parties.get(role="debtor")
    service_record(notice=notice, recipient=debtor, actor=officer, method="direct",
                   receipt_name=debtor.name, served_on=today)  # fmt: skip
    asset_report_receive(order=order, debtor=debtor, actor=officer, received_on=today,
                         summary="名下有邮储账户")  # fmt: skip
    inquiry = inquire_now(case, officer)
    clue_record(case=case, actor=officer, kind="vehicle", description="申请人称其有蒙C轿车一辆")
    first = findings_of(inquiry)[0]
    control_freeze(case=case, actor=officer, amount="20000.00", finding=first)
    for number in range(payouts):
        receipt = receive(case, "100.00", officer, payer=f"陈某 第{number + 1}次")
        pay_out(receipt, requester=officer, approver=eworld.president, reference=f"B{number}")
    return notice, order


def test_history_page_shows_every_parts_records(eworld, client_for, fast_pdf):
    script_story5(timezone.localdate())
    case = story5_case(eworld)
    notice, order = build_story(eworld, case)
    page = client_for(eworld.officer).get(history_url(case))
    assert page.status_code == 200
    html = page.content.decode()
    subjects = [
        f"执行通知文书 · {notice}",
        f"执行通知文书 · {order}",
        "送达记录 · ",
        "财产报告 · ",
        "网络查控 · ",
        "财产线索 · ",
        "财产控制措施 · ",
        "案款到账 · ",
        "案款发放/退还 · ",
        "案款分录 · ",
        f"{notice.document.number}",
    ]
    missing = [s for s in subjects if s not in html]
    assert missing == [], missing
    assert "¥100.00" in html  # the money in words, as the ledger's entries say it
    # the CSV says the same
    csv = client_for(eworld.officer).get(history_url(case) + "export.csv").content.decode()
    assert "案款发放/退还" in csv and "财产控制措施" in csv
    # the case page's short history too (its latest steps: the payout)
    detail = client_for(eworld.officer).get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "案款发放/退还 · " in detail


def test_history_page_is_the_courts_and_its_queries_do_not_grow(
    eworld, client_for, fast_pdf, django_assert_max_num_queries
):
    script_story5(timezone.localdate())
    small = story5_case(eworld)
    build_story(eworld, small, payouts=1)
    large = story5_case(eworld)
    build_story(eworld, large, payouts=6)
    assert client_for(eworld.outsider).get(history_url(small)).status_code == 404
    client = client_for(eworld.officer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(history_url(small)).status_code == 200
    with django_assert_max_num_queries(len(few)):
        response = client.get(history_url(large))
    assert response.status_code == 200
    # the other case's records stay out of this one's history
    assert "B5" not in client.get(history_url(small)).content.decode()
