"""Certificates from the documents service and their public verification: genuine,
forged (an unknown code), revoked."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from common.statemachine import TransitionNotAllowed
from credit import services
from credit.models import Certificate, Removal, Restriction, VoluntaryPerformance
from documents.services import document_revoke
from enforcement.states import case_machine
from tests.credit.conftest import paid_in_full

from .conftest import debtor_of, impose

pytestmark = pytest.mark.django_db


def verify(client, code):
    return client.get(reverse("documents:verify", args=[code]))


def word_text(document) -> str:
    with default_storage.open(document.docx_file.name, "rb") as handle:
        content = handle.read()
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def performed_case(eworld, case):
    listing = impose(eworld, case)
    services.restriction_approve(restriction=Restriction.objects.get(listing=listing),
                                 actor=eworld.president)  # fmt: skip
    paid_in_full(case, eworld.officer)
    case_machine.apply(case, "performed", actor=eworld.officer, note="全部履行")
    for removal in Removal.objects.filter(case=case):
        services.removal_execute(removal=removal, actor=eworld.officer)
    case.refresh_from_db()
    return case


def test_performance_certificate_verifies_genuine_forged_revoked(client, eworld, case):
    with pytest.raises(TransitionNotAllowed):  # not before the case is performed
        services.certificate_performance_issue(case=case, actor=eworld.officer)
    performed_case(eworld, case)
    certificate = services.certificate_performance_issue(case=case, actor=eworld.officer)
    document = certificate.document
    assert document.kind == "credit.performance_certificate" and document.subject == certificate
    text = word_text(document)
    assert "履行完毕证明" in text and case.case_number in text
    assert "已依法删除、解除" in text  # the credit marks are gone
    assert "¥51,770.00" in text

    genuine = verify(client, document.verification_code)
    assert genuine.status_code == 200
    page = genuine.content.decode()
    assert "履行完毕证明" in page and document.number in page and "王**" in page
    assert "王被执" not in page  # the public page masks the name

    forged = verify(client, "ABCD-EFGH-JKMN")
    assert forged.status_code == 404

    document_revoke(document=document, actor=eworld.officer, reason="当事人信息有误，重新出具")
    revoked = verify(client, document.verification_code)
    assert revoked.status_code == 200 and "已撤销" in revoked.content.decode()


def test_voluntary_performance_register_and_certificate(client, eworld):
    record = services.voluntary_performance_record(
        court=eworld.court,
        party_data={"name": "赵自觉", "kind": "person"},
        basis_document="（2026）蒙0302民初9号民事判决书",
        duty="给付货款",
        amount="1200.50",
        performed_on=datetime.date(2026, 11, 1),
        actor=eworld.clerk,
    )
    assert record.amount == Decimal("1200.50") and record.feed_version
    certificate = services.certificate_voluntary_issue(voluntary_performance=record,
                                                       actor=eworld.clerk)  # fmt: skip
    assert certificate.kind == Certificate.Kind.VOLUNTARY
    assert certificate.document.title == "自动履行生效法律文书证明"
    assert "赵自觉" in word_text(certificate.document)
    assert verify(client, certificate.document.verification_code).status_code == 200
    with pytest.raises(ValidationError) as error:  # a float is never money
        services.voluntary_performance_record(
            court=eworld.court, party_data={"name": "钱某", "kind": "person"},
            basis_document="判决书", duty="给付", amount=1.5,
            performed_on=datetime.date(2026, 11, 1), actor=eworld.clerk,
        )  # fmt: skip
    assert "amount" in error.value.message_dict
    assert VoluntaryPerformance.objects.count() == 1


def test_restoration_certificate(client, eworld, case):
    listing = impose(eworld, case)
    services.restriction_approve(restriction=Restriction.objects.get(listing=listing),
                                 actor=eworld.president)  # fmt: skip
    restoration = services.restoration_apply(
        case_party=debtor_of(case), basis="settled", evidence="和解协议及履行凭证",
        actor=eworld.officer,
    )  # fmt: skip
    with pytest.raises(TransitionNotAllowed):
        services.certificate_restoration_issue(restoration=restoration, actor=eworld.officer)
    services.restoration_decide(restoration=restoration, grant=True, reasons="和解已履行",
                                actor=eworld.officer)  # fmt: skip
    restoration.refresh_from_db()
    certificate = services.certificate_restoration_issue(restoration=restoration,
                                                         actor=eworld.officer)  # fmt: skip
    text = word_text(certificate.document)
    assert "信用修复证明" in text and "失信被执行人名单信息（已屏蔽）" in text
    assert "限制消费令（已解除）" in text
    assert verify(client, certificate.document.verification_code).status_code == 200


def test_certificate_documents_are_read_only_within_the_court(client, eworld, case):
    performed_case(eworld, case)
    certificate = services.certificate_performance_issue(case=case, actor=eworld.officer)
    url = reverse("documents:detail", args=[certificate.document.pk])
    client.force_login(eworld.officer)
    assert client.get(url).status_code == 200
    client.force_login(eworld.outsider)
    assert client.get(url).status_code == 404


@pytest.mark.skipif(
    not __import__("shutil").which("soffice"), reason="LibreOffice is not installed"
)
def test_the_listing_decision_converts_for_real(eworld, case, monkeypatch):
    """One real conversion: the credit templates render and LibreOffice makes a PDF."""
    from documents import converter

    monkeypatch.undo()
    assert converter.docx_to_pdf.__name__ == "docx_to_pdf"
    listing = impose(eworld, case)
    with default_storage.open(listing.decision_document.pdf_file.name, "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_only_court_staff_open_the_voluntary_performance_form(client, eworld):
    client.force_login(eworld.clerk)
    assert client.get(reverse("credit:voluntary_new")).status_code == 200
    client.force_login(eworld.centre_supervisor)  # a government unit's: no court in scope
    assert client.get(reverse("credit:voluntary_new")).status_code == 404
    assert client.post(reverse("credit:voluntary_new"), {"name": "张三"}).status_code == 404
