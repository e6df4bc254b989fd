"""Documents issued in a filed enforcement case carry its number as courts number them: the
first the case number itself, each later one 之一, 之二 … — whichever service issues it
(notices, measure decisions, the 终本 ruling), one sequence per case; and two documents
issued at the same moment never take the same number (the case's row lock)."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from documents import services as document_services
from documents.models import IssuedDocument
from enforcement.models import CoerciveMeasure, EnforcementNotice

from . import notices_fixtures
from .measures_fixtures import debtor

fast_pdf = notices_fixtures.fast_pdf
money_case = notices_fixtures.money_case

# spelt out here, not computed by the code under test
SUFFIXES = ["", "之一", "之二", "之三", "之四"]


def issue_notices(api, case):
    return api.post(
        f"/api/enforcement/case-notices/{case.pk}/issue/",
        {"kinds": ["execution_notice", "asset_report_order"], "report_days": 7},
        format="json",
    )


@pytest.mark.django_db
def test_notices_then_a_measure_decision_number_in_the_cases_series(
    eworld, money_case, fast_pdf, api_for, client_for, client
):
    base = money_case.case_number
    assert base == f"（{timezone.localdate().year}）蒙0302执1号"
    officer = api_for(eworld.officer)
    issued = issue_notices(officer, money_case)
    assert issued.status_code == 201, issued.json()
    notice, order = issued.json()["notices"]
    assert notice["kind"] == "execution_notice"
    assert notice["document"]["number"] == base
    assert order["kind"] == "asset_report_order"
    assert order["document"]["number"] == base + "之一"

    # a fine asked by the officer and approved by the president: the next in the case
    asked = officer.post(
        "/api/enforcement/measures/",
        {"case": money_case.pk, "kind": "fine", "subject": debtor(money_case).pk,
         "reason": "拒不报告财产", "approver": eworld.president.pk, "amount": "5000.00"},
        format="json",
    )  # fmt: skip
    assert asked.status_code == 201, asked.json()
    approved = api_for(eworld.president).post(
        f"/api/enforcement/measures/{asked.json()['id']}/approve/", {"note": "同意"}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["document"]["number"] == base + "之二"
    assert "字第" not in str(issued.json()) + str(approved.json())

    # the public check page and the court's document page print the number
    document = IssuedDocument.objects.get(pk=order["document"]["id"])
    public = client.get(reverse("documents:verify", args=[document.verification_code]))
    assert public.status_code == 200
    assert base + "之一" in public.content.decode()
    page = client_for(eworld.officer).get(reverse("documents:detail", args=[document.pk]))
    assert page.status_code == 200 and base + "之一" in page.content.decode()


@pytest.mark.django_db
def test_a_revoked_notices_number_is_not_given_again(eworld, money_case, fast_pdf, api_for):
    officer = api_for(eworld.officer)
    notice, order = issue_notices(officer, money_case).json()["notices"]
    revoked = officer.post(f"/api/enforcement/notices/{order['id']}/revoke/",
                           {"reason": "报告期限有误"}, format="json")  # fmt: skip
    assert revoked.status_code == 200, revoked.json()
    again = officer.post(
        f"/api/enforcement/case-notices/{money_case.pk}/issue/",
        {"kinds": ["asset_report_order"], "report_days": 10},
        format="json",
    )
    assert again.status_code == 201, again.json()
    base = money_case.case_number
    assert again.json()["notices"][0]["document"]["number"] == base + "之二"
    assert sorted(IssuedDocument.objects.values_list("number", flat=True)) == sorted(
        [base, base + "之一", base + "之二"]
    )


@pytest.mark.django_db(transaction=True)
def test_documents_issued_at_the_same_moment_in_one_case_get_distinct_numbers(
    eworld, money_case, fast_pdf, api_for, monkeypatch
):
    """Three officers' requests at once, each on its own connection: the notices (two
    documents) and two measures the officer decides alone. Counting the case's numbers is
    made slow, so without the case's row lock two of them would count the same."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    counted = document_services.case_document_number

    def slow_count(*, case_number):
        number = counted(case_number=case_number)
        threading.Event().wait(0.4)  # the other requests reach the same point meanwhile
        return number

    monkeypatch.setattr(document_services, "case_document_number", slow_count)
    subject = debtor(money_case).pk
    requests = [
        (f"/api/enforcement/case-notices/{money_case.pk}/issue/",
         {"kinds": ["execution_notice", "asset_report_order"], "report_days": 7}),
        ("/api/enforcement/measures/",
         {"case": money_case.pk, "kind": "exit_restriction", "subject": subject,
          "reason": "未履行"}),
        ("/api/enforcement/measures/",
         {"case": money_case.pk, "kind": "publication", "subject": subject, "reason": "下落不明",
          "amount": "2000.00", "place": "乌海日报"}),
    ]  # fmt: skip
    start = threading.Barrier(len(requests))
    answers: list[int] = []
    failures: list[BaseException] = []

    def officer(path, body):
        try:
            api = api_for(eworld.officer)
            start.wait(timeout=30)
            answers.append(api.post(path, body, format="json").status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=officer, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert answers == [201, 201, 201]
    base = money_case.case_number
    numbers = list(IssuedDocument.objects.values_list("number", flat=True))
    assert sorted(numbers) == sorted(base + suffix for suffix in SUFFIXES[:4])
    # the notices' two documents follow each other (one request, one lock)
    notice, order = EnforcementNotice.objects.order_by("pk").select_related("document")
    first, then = (SUFFIXES.index(n.document.number.removeprefix(base)) for n in (notice, order))
    assert then == first + 1
    assert CoerciveMeasure.objects.filter(document__isnull=False).count() == 2
