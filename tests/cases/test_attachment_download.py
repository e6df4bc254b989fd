"""Attachments are served only through the scoped, audited download view (issue 7.4)."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse

from audit.models import AuditEntry
from cases.models import Attachment
from common.downloads import safe_download_name
from tests.factories import image_bytes

PHOTO_NAME = "张三身份证 110105.jpg"
JPEG = image_bytes("JPEG")


@pytest.fixture
def attachment(register):
    photo = SimpleUploadedFile(PHOTO_NAME, JPEG, content_type="image/jpeg")
    dispute = register(attachments=[photo])
    return Attachment.objects.get(dispute=dispute)


def _url(attachment):
    return reverse("cases:attachment_download", args=[attachment.pk])


def test_stored_under_a_random_name_original_name_kept(attachment):
    assert attachment.original_name == PHOTO_NAME
    stored = attachment.file.name
    assert "张三" not in stored and "110105" not in stored and "身份证" not in stored
    directory, _slash, basename = stored.rpartition("/")
    assert directory.startswith("cases/")
    stem, _dot, extension = basename.partition(".")
    assert extension == "jpg" and len(stem) == 32 and int(stem, 16) >= 0


def test_anonymous_is_sent_to_login(client, attachment):
    response = client.get(_url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL).exists()


def test_outsider_gets_404(loop, client_for, attachment):
    response = client_for(loop.outsider).get(_url(attachment))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL).exists()


def test_owner_downloads_with_safe_headers_and_an_audit_entry(loop, client_for, attachment):
    response = client_for(loop.clerk).get(_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(PHOTO_NAME)}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_PERSONAL)
    assert entry.actor == loop.clerk and entry.object_id == str(attachment.pk)
    assert entry.organisation_id == loop.centre.pk
    assert PHOTO_NAME in entry.note


def test_responder_of_a_dispatch_may_download(loop, client_for, attachment):
    from cases.services import dispute_dispatch, dispute_triage

    dispute = attachment.dispute
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty="simple", lead_organisation=None)
    dispute_dispatch(dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}])
    assert client_for(loop.responder).get(_url(attachment)).status_code == 200
    assert client_for(loop.heating_user).get(_url(attachment)).status_code == 404


def test_detail_page_links_the_download_view_not_media(loop, client_for, attachment):
    html = client_for(loop.clerk).get(reverse("cases:detail", args=[attachment.dispute_id]))
    html = html.content.decode()
    assert _url(attachment) in html
    assert "/media/" not in html and attachment.file.name not in html


@pytest.mark.parametrize("debug", [False, True])
def test_there_is_no_public_media_route(attachment, debug):
    import importlib

    import config.urls

    with override_settings(DEBUG=debug):
        importlib.reload(config.urls)
        try:
            with pytest.raises(Resolver404):
                resolve(f"/media/{attachment.file.name}", urlconf=config.urls)
        finally:
            importlib.reload(config.urls)


def test_a_missing_file_is_404_not_500(loop, client_for, attachment):
    attachment.file.storage.delete(attachment.file.name)
    assert client_for(loop.clerk).get(_url(attachment)).status_code == 404


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("现场照片.jpg", "现场照片.jpg"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张三\\协议.pdf", "协议.pdf"),
        ('a"b\r\nSet-Cookie: x.pdf', "a_b__Set-Cookie_ x.pdf"),
        ("", "download"),
        ("...", "download"),
    ],
)
def test_safe_download_name(given, expected):
    assert safe_download_name(given) == expected
