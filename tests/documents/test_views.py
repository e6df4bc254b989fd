"""Public verification (page and API), its rate limit, and scoped downloads."""

import hashlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from documents.models import IssuedDocument
from documents.services import document_revoke, document_supersede
from tests.documents.conftest import ID_WANG, agreement_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def verify_page(client, code, **extra):
    return client.get(reverse("documents:verify", args=[code]), **extra)


def verify_api(client, code, **extra):
    return client.get(reverse("api:documents-verify", args=[code]), **extra)


def test_a_genuine_document_is_confirmed_without_personal_data(client, issue, fast_pdf):
    document = issue()
    response = verify_page(client, document.verification_code_display)  # as printed, grouped
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="verify-valid"' in page
    for expected in ("人民调解协议书", document.number, "新华街道综治中心", "王**", "金裕********"):
        assert expected in page, expected
    for secret in ("王建国", ID_WANG, "金裕物业服务有限公司", "12,345.60", "水管破裂"):
        assert secret not in page, secret
    assert "<script>" not in page and "style=" not in page  # CSP: nothing inline

    api = verify_api(client, document.verification_code.lower())
    assert api.status_code == 200
    assert api.json() == {
        "found": True,
        "title": "人民调解协议书",
        "number": document.number,
        "issued_on": str(timezone.localtime(document.issued_at).date()),
        "organisation": "新华街道综治中心",
        "parties": ["王**", "金裕********"],
        "status": "issued",
        "status_label": "有效",
        "revoked_on": None,
        "superseded_by": "",
    }


def test_a_revoked_document_says_so_with_its_date(client, issue, fast_pdf, loop):
    document = issue()
    document_revoke(document=document, actor=loop.clerk, reason="身份证号码有误")
    document.refresh_from_db()
    page = verify_page(client, document.verification_code).content.decode()
    day = timezone.localtime(document.revoked_at)
    assert f"该文书已于{day.year}年{day.month}月{day.day}日撤销" in page
    assert "身份证号码有误" not in page  # the reason is not public
    api = verify_api(client, document.verification_code).json()
    assert api["status"] == "revoked" and api["revoked_on"] == str(day.date())


def test_a_superseded_document_names_its_replacement(client, issue, fast_pdf, loop):
    old = issue()
    new = document_supersede(document=old, data=agreement_data(), actor=loop.clerk)
    page = verify_page(client, old.verification_code).content.decode()
    assert 'data-testid="verify-superseded"' in page and new.number in page
    api = verify_api(client, old.verification_code).json()
    assert api["status"] == "superseded" and api["superseded_by"] == new.number
    assert verify_api(client, new.verification_code).json()["status"] == "issued"


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKMN", "0000-0000-0000", "short", "<script>"])
def test_a_made_up_code_is_not_found_and_leaks_nothing(client, issue, fast_pdf, code):
    issue()
    response = verify_page(client, code)
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-testid="verify-not-found"' in page
    assert "新华街道综治中心" not in page and "调协字" not in page
    api = verify_api(client, code)
    assert api.status_code == 404
    assert api.json() == {"found": False, "detail": "未找到该核验码对应的文书。"}


def test_verification_is_rate_limited_per_address_page_and_api_together(
    client, issue, fast_pdf, settings
):
    settings.DOCUMENTS_VERIFY_RATE = "3/m"
    code = issue().verification_code
    assert verify_page(client, code).status_code == 200
    assert verify_api(client, code).status_code == 200
    assert verify_page(client, "ABCD-EFGH-JKMN").status_code == 404
    limited = verify_page(client, code)
    assert limited.status_code == 429
    assert "查询过于频繁" in limited.content.decode() and limited["Retry-After"]
    api = verify_api(client, code)
    assert api.status_code == 429 and api.json()["detail"] == "查询过于频繁，请稍后再试。"
    # another address still has its budget
    assert verify_page(client, code, REMOTE_ADDR="203.0.113.9").status_code == 200


def download(client, document, file_format):
    return client.get(reverse("documents:download", args=[document.pk, file_format]))


def stored(field) -> bytes:
    with default_storage.open(field.name, "rb") as handle:
        return handle.read()


def test_download_returns_exactly_the_issued_bytes_and_is_audited(
    client_for, issue, fast_pdf, loop
):
    document = issue()
    client = client_for(loop.clerk)
    for file_format, field, digest in (
        ("pdf", document.pdf_file, document.sha256),
        ("docx", document.docx_file, document.docx_sha256),
    ):
        response = download(client, document, file_format)
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert content == stored(field)
        assert hashlib.sha256(content).hexdigest() == digest
        assert response["Content-Disposition"].startswith("attachment")
        assert "no-store" in response["Cache-Control"]
    reads = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(IssuedDocument),
        object_id=str(document.pk),
        action="view_personal",
    )
    assert reads.count() == 2 and all(entry.actor == loop.clerk for entry in reads)


def test_outsiders_and_strangers_get_404(client_for, client, issue, fast_pdf, loop):
    document = issue()
    anonymous = download(client, document, "pdf")
    assert anonymous.status_code == 302  # to the login page
    for user in (loop.outsider, loop.heating_user):  # another district; an unrelated department
        assert download(client_for(user), document, "pdf").status_code == 404
    clerk = client_for(loop.clerk)
    assert download(clerk, document, "exe").status_code == 404
    assert clerk.get(f"/documents/{document.pk + 999}/pdf/").status_code == 404
    assert not AuditEntry.objects.filter(
        action="view_personal", actor__in=[loop.outsider, loop.heating_user]
    ).exists()


def test_a_supervisor_above_the_record_may_download(client_for, issue, fast_pdf, loop):
    document = issue()
    assert download(client_for(loop.supervisor), document, "pdf").status_code == 200


def test_an_altered_stored_file_is_not_served(client_for, issue, fast_pdf, loop):
    document = issue()
    default_storage.delete(document.pdf_file.name)
    default_storage.save(document.pdf_file.name, ContentFile(b"%PDF-1.4 forged"))
    response = download(client_for(loop.clerk), document, "pdf")
    assert response.status_code == 409
    assert 'data-testid="document-altered"' in response.content.decode()


def test_the_record_partial_lists_its_documents(issue, fast_pdf, loop, dispute):
    old = issue()
    document_supersede(document=old, data=agreement_data(), actor=loop.clerk)
    old.refresh_from_db()
    html = Template(
        '{% include "documents/partials/record_documents.html" with record=obj %}'
    ).render(Context({"obj": dispute}))
    assert html.count('data-testid="document-') >= 2
    assert old.number in html and old.superseded_by.number in html
    assert reverse("documents:download", args=[old.pk, "pdf"]) in html
    assert "已被替换" in html


def test_the_record_partial_reads_its_documents_in_one_query(
    issue, fast_pdf, dispute, django_assert_max_num_queries
):
    for _ in range(3):
        issue()
    ContentType.objects.get_for_model(dispute)  # the content type is cached after first use
    template = Template('{% include "documents/partials/record_documents.html" with record=obj %}')
    with django_assert_max_num_queries(1):
        html = template.render(Context({"obj": dispute}))
    assert html.count('data-testid="document-pdf"') == 3


def test_the_issuing_apps_registered_getter_decides_who_reads(
    client_for, issue, fast_pdf, loop, dispute, monkeypatch
):
    from django.http import Http404

    from documents import registry

    document = issue()

    def nobody(user, pk):
        raise Http404

    monkeypatch.setitem(registry._subject_getters, dispute._meta.label_lower, nobody)
    assert download(client_for(loop.clerk), document, "pdf").status_code == 404


def test_the_detail_page_revokes_with_a_reason(client_for, issue, fast_pdf, loop):
    document = issue()
    client = client_for(loop.clerk)
    url = reverse("documents:detail", args=[document.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="revoke-form"' in page.content.decode()

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert 'data-testid="error-reason"' in refused.content.decode()
    document.refresh_from_db()
    assert document.status == "issued"

    done = client.post(url, {"reason": "当事人姓名有误"}, follow=True)
    document.refresh_from_db()
    assert document.status == "revoked" and document.revoke_reason == "当事人姓名有误"
    assert 'data-testid="revoke-form"' not in done.content.decode()


def test_outsiders_cannot_see_or_revoke_a_document(client_for, issue, fast_pdf, loop):
    document = issue()
    url = reverse("documents:detail", args=[document.pk])
    outsider = client_for(loop.outsider)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"reason": "恶意撤销"}).status_code == 404
    document.refresh_from_db()
    assert document.status == "issued"


def test_a_documents_history_page_is_scoped_like_its_record(client_for, issue, fast_pdf, loop):
    document = issue()
    url = reverse("audit:history", args=["documents", "issueddocument", document.pk])
    page = client_for(loop.clerk).get(url)
    assert page.status_code == 200 and "出具人民调解协议书" in page.content.decode()
    assert client_for(loop.outsider).get(url).status_code == 404


def test_verification_without_a_usable_client_address_is_answered_not_a_500(client):
    """No REMOTE_ADDR (a unix-socket server, a test transport): the limiter once passed
    None on as an address and failed with a 500 (the API fuzz found it)."""
    assert verify_api(client, "ABCD-EFGH-JKMN", REMOTE_ADDR="").status_code == 404
    assert verify_page(client, "ABCD-EFGH-JKMN", REMOTE_ADDR="").status_code == 404
