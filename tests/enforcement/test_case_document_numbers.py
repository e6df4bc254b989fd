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


def replacement_data(case, document) -> dict:
    """What the replaced notice prints, corrected (the clerk rewrites the reporting period)."""
    from enforcement.services.notices import notice_document_data

    notice = EnforcementNotice.objects.get(document=document)
    return notice_document_data(case, notice.kind, report_days=10,
                                report_due_on=notice.report_due_on)  # fmt: skip


@pytest.mark.django_db
def test_a_replaced_case_document_takes_the_cases_next_number(
    eworld, money_case, fast_pdf, api_for
):
    """The clerk replaces the 报告财产令 on the documents page: the corrected order is the
    case's next number (号之二), not a number of the type's own series, and the documents
    issued in the case afterwards go on from it."""
    base = money_case.case_number
    officer = api_for(eworld.officer)
    notice, order = issue_notices(officer, money_case).json()["notices"]
    old = IssuedDocument.objects.get(pk=order["document"]["id"])
    assert old.number == base + "之一" and old.case_number == base

    new = document_services.document_supersede(
        document=old, data=replacement_data(money_case, old), actor=eworld.clerk,
        reason="报告期限有误",
    )  # fmt: skip
    assert new.number == base + "之二" and new.case_number == base
    assert "字第" not in new.number
    old.refresh_from_db()
    assert old.status == "superseded" and old.superseded_by == new
    # the series still counts the issue: two orders issued by the court this year
    assert (new.kind, new.sequence) == (old.kind, old.sequence + 1)

    decided = officer.post(
        "/api/enforcement/measures/",
        {"case": money_case.pk, "kind": "exit_restriction", "subject": debtor(money_case).pk,
         "reason": "未履行"},
        format="json",
    )  # fmt: skip
    assert decided.status_code == 201, decided.json()
    assert decided.json()["document"]["number"] == base + "之三"

    # a replacement of the replacement goes on too (之四), never reusing a number
    again = document_services.document_supersede(
        document=new, data=replacement_data(money_case, old), actor=eworld.officer
    )
    assert again.number == base + "之四"
    assert sorted(IssuedDocument.objects.values_list("number", flat=True)) == sorted(
        base + suffix for suffix in SUFFIXES
    )


@pytest.mark.django_db
def test_documents_numbered_before_the_case_number_was_kept_are_found_by_the_backfill(
    eworld, money_case, fast_pdf, api_for
):
    """A document issued before IssuedDocument.case_number existed: the migration finds its
    case from its number (号 or 号之N); a series number stays a series number."""
    from importlib import import_module

    from django.apps import apps

    backfill = import_module("enforcement.migrations.0111_documents_case_number_backfill")
    base = money_case.case_number
    issue_notices(api_for(eworld.officer), money_case)
    series = document_services.document_issue(
        kind="enforcement.execution_notice", subject=money_case, organisation=money_case.court,
        data=replacement_data(money_case, IssuedDocument.objects.get(number=base)),
        actor=eworld.officer,
    )  # fmt: skip
    assert "第" in series.number and series.case_number == ""
    IssuedDocument.objects.update(case_number="")

    backfill.backfill(apps, None)

    assert dict(IssuedDocument.objects.values_list("number", "case_number")) == {
        base: base, base + "之一": base, series.number: "",
    }  # fmt: skip
    old = IssuedDocument.objects.get(number=base + "之一")
    new = document_services.document_supersede(
        document=old, data=replacement_data(money_case, old), actor=eworld.clerk
    )
    assert new.number == base + "之二"


@pytest.mark.django_db(transaction=True)
def test_a_replacement_and_documents_issued_at_the_same_moment_get_distinct_numbers(
    eworld, money_case, fast_pdf, api_for, monkeypatch
):
    """The clerk replaces the 报告财产令 while the officer decides two measures, each on its
    own connection. Counting the case's numbers is made slow, so a replacement numbered
    without the case's row lock would count the same as a measure."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    base = money_case.case_number
    notice, order = issue_notices(api_for(eworld.officer), money_case).json()["notices"]
    old = IssuedDocument.objects.get(pk=order["document"]["id"])
    data = replacement_data(money_case, old)
    counted = document_services.case_document_number

    def slow_count(*, case_number):
        number = counted(case_number=case_number)
        threading.Event().wait(0.4)  # the others reach the same point meanwhile
        return number

    monkeypatch.setattr(document_services, "case_document_number", slow_count)
    subject = debtor(money_case).pk
    measures = [
        {"case": money_case.pk, "kind": "exit_restriction", "subject": subject,
         "reason": "未履行"},
        {"case": money_case.pk, "kind": "publication", "subject": subject, "reason": "下落不明",
         "amount": "2000.00", "place": "乌海日报"},
    ]  # fmt: skip
    start = threading.Barrier(len(measures) + 1)
    answers: list = []
    failures: list[BaseException] = []

    def run(step):
        try:
            start.wait(timeout=30)
            answers.append(step())
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    def replace():
        new = document_services.document_supersede(document=old, data=data, actor=eworld.clerk)
        return new.number

    def decide(body):
        def step():
            return (
                api_for(eworld.officer)
                .post("/api/enforcement/measures/", body, format="json")
                .status_code
            )

        return step

    threads = [threading.Thread(target=run, args=(step,))
               for step in (replace, *(decide(body) for body in measures))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    statuses = sorted(a for a in answers if isinstance(a, int))
    replaced = [a for a in answers if isinstance(a, str)]
    assert statuses == [201, 201] and len(replaced) == 1
    assert replaced[0] in {base + suffix for suffix in SUFFIXES[2:]}
    numbers = list(IssuedDocument.objects.values_list("number", flat=True))
    assert sorted(numbers) == sorted(base + suffix for suffix in SUFFIXES)
    assert IssuedDocument.objects.filter(case_number=base).count() == 5
