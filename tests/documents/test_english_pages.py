"""The documents pages in English: the public verification page and a document's page.
The document's own facts (title, number, issuing unit) stay as issued, in Chinese."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from documents.services import document_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def _in_english(client):
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    return client


def _verify(client, code):
    return client.get(reverse("documents:verify", args=[code])).content.decode()


def test_verification_page_in_english(client, issue, fast_pdf, loop):
    document = issue()
    _in_english(client)
    page = _verify(client, document.verification_code)
    for english in (
        "Document verification",
        "This document was issued by this platform and is in force.",
        "Document title",
        "Document number",
        "Date of issue",
        "Issuing unit",
        "This page only verifies that a document is genuine",
    ):
        assert english in page, english
    for chinese in ("文书核验", "文书名称", "文书编号", "出具日期", "出具单位", "本页仅用于核验"):
        assert chinese not in page, chinese

    missing = _verify(client, "ABCDEFGHJKMN")
    assert "No document matches this verification code." in missing
    assert "未找到" not in missing

    document_revoke(document=document, actor=loop.clerk, reason="有误")
    revoked = _verify(client, document.verification_code)
    assert "This document was revoked on" in revoked and "不再有效" not in revoked


def test_document_page_in_english(client_for, issue, fast_pdf, loop):
    document = issue()
    page = (
        _in_english(client_for(loop.clerk))
        .get(reverse("documents:detail", args=[document.pk]))
        .content.decode()
    )
    for english in ("Download PDF", "Download Word", "Revoke document", "Issuing unit"):
        assert english in page, english
    for chinese in ("下载 PDF", "撤销文书", "出具单位", "文书编号"):
        assert chinese not in page, chinese
