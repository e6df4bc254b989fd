"""Credit's decisions and certificates in an enforcement case go on in the case's series
(号之一, 号之二 …) after the enforcement documents; a certificate with no enforcement case
(自动履行证明) keeps its own 字第N号 series."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from credit.models import Restriction
from documents.models import IssuedDocument
from enforcement.states import case_machine
from tests.enforcement import notices_fixtures

from .conftest import debtor_of, paid_in_full

pytestmark = pytest.mark.django_db

money_case = notices_fixtures.money_case

API = "/api/credit"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_listing_restriction_and_certificate_continue_the_cases_numbers(eworld, money_case, client):
    base = money_case.case_number
    officer, president = api(eworld.officer), api(eworld.president)
    notice = officer.post(
        f"/api/enforcement/case-notices/{money_case.pk}/issue/",
        {"kinds": ["execution_notice"]},
        format="json",
    )
    assert notice.status_code == 201, notice.json()
    assert notice.json()["notices"][0]["document"]["number"] == base

    debtor = debtor_of(money_case)
    finding = officer.post(f"{API}/findings/", {"case_party": debtor.pk, "finding": "unwilling",
                                                 "reasons": "有存款拒不履行"}, format="json")  # fmt: skip
    assert finding.status_code == 201, finding.json()
    listing = officer.post(
        f"{API}/listings/",
        {"case_party": debtor.pk, "ability_finding": finding.json()["id"], "ground": "4",
         "grade": "general", "duty": "给付51770元", "conduct": "拒不报告财产",
         "approver": eworld.president.pk},
        format="json",
    )  # fmt: skip
    assert listing.status_code == 201, listing.json()
    decision = listing.json()["decision_document"]
    assert decision["title"] == "纳入失信被执行人名单决定书"
    assert decision["number"] == base + "之一"

    restriction = Restriction.objects.get(listing_id=listing.json()["id"])
    approved = president.post(f"{API}/restrictions/{restriction.pk}/approve/", {"note": "同意"},
                              format="json")  # fmt: skip
    assert approved.status_code == 200, approved.json()
    assert approved.json()["decision_document"]["title"] == "限制消费令"
    assert approved.json()["decision_document"]["number"] == base + "之二"

    paid_in_full(money_case, eworld.officer)
    case_machine.apply(money_case, "performed", actor=eworld.officer, note="全部履行")
    certificate = officer.post(f"{API}/certificates/performance/", {"case": money_case.pk},
                               format="json")  # fmt: skip
    assert certificate.status_code == 201, certificate.json()
    document = certificate.json()["document"]
    assert document["title"] == "履行完毕证明" and document["number"] == base + "之三"

    code = IssuedDocument.objects.get(pk=document["id"]).verification_code
    page = client.get(reverse("documents:verify", args=[code]))
    assert page.status_code == 200 and base + "之三" in page.content.decode()


def test_a_voluntary_performance_certificate_keeps_its_own_series(eworld, case):
    officer = api(eworld.officer)
    record = officer.post(
        f"{API}/voluntary-performances/",
        {"court": eworld.court.pk, "kind": "person", "name": "赵自觉",
         "basis_document": "（2026）蒙0302民初9号民事判决书", "duty": "给付货款",
         "amount": "1200.50", "performed_on": "2026-11-01"},
        format="json",
    )  # fmt: skip
    assert record.status_code == 201, record.json()
    issued = officer.post(f"{API}/voluntary-performances/{record.json()['id']}/certificate/")
    assert issued.status_code == 201, issued.json()
    number = issued.json()["document"]["number"]
    assert "字第1号" in number and case.case_number not in number
