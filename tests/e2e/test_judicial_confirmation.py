"""A court clerk records a judicial confirmation on the desktop: accepts the application
(民特 number), rules it confirmed, downloads the ruling's PDF, and the public verification
page confirms the document."""

import datetime
import io
import re

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from mediation.models import JudicialConfirmation
from mediation.services import confirmation_apply
from tests.conftest import PASSWORD
from tests.mediation import conftest as mediation_fixtures
from tests.mediation.confirmation_fixtures import make_agreed

mworld = mediation_fixtures.mworld


def test_clerk_confirms_an_agreement_and_the_ruling_verifies(
    base_url, mworld, page, login, screenshot
):
    agreement = make_agreed(mworld, concluded_at=timezone.now() - datetime.timedelta(days=1))
    confirmation = confirmation_apply(
        agreement=agreement,
        court=mworld.court,
        actor=mworld.zhang,
        applicants=list(agreement.case.case_parties.all()),
        subject_matter="civil",
    )
    login(page, "court_clerk", PASSWORD)
    page.goto("/mediation/confirmations/")
    page.get_by_test_id("confirmation-row").click()
    # the parties' joint application was issued as a document when it was recorded
    expect(page.get_by_test_id("application-document")).to_contain_text("确申字第1号")
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("case-number")).to_have_text(
        f"（{timezone.localdate().year}）蒙0302民特1号"
    )
    form = page.get_by_test_id("confirm-form")
    form.get_by_label("审判员").fill("刘审判")
    form.get_by_label("书记员").fill("王书记员")
    screenshot(page, "confirm-form")
    form.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("status")).to_have_text("裁定确认有效")
    expect(page.get_by_test_id("enforceable")).to_be_visible()

    documents = page.get_by_test_id("record-documents")
    expect(documents).to_contain_text("司法确认申请书")
    ruling = documents.locator("li", has_text="司法确认裁定书")
    with page.expect_download() as download_info:
        ruling.get_by_test_id("document-pdf").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "民特1号" in text and "刘审判" in text and "李申请" in text

    ruling.get_by_role("link", name=re.compile(r"^[0-9A-Z]{4}-")).click()
    expect(page.get_by_test_id("verify-valid")).to_be_visible()
    expect(page.get_by_test_id("verify-facts")).to_contain_text("司法确认裁定书")
    expect(page.get_by_test_id("verify-facts")).to_contain_text("李**")
    screenshot(page, "verified")
    confirmation.refresh_from_db()
    assert confirmation.is_enforceable_basis
    assert JudicialConfirmation.objects.get().status == "confirmed"
