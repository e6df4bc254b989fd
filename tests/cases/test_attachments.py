"""Attachments are checked by what they contain, not only by their name and declared type."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Attachment, Dispute
from cases.services.intake import attachment_validate
from tests.factories import image_bytes

from .conftest import ID_ZHANG, PHONE_ZHANG

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


# (The hand-written 1×1 PNG this file used had a bad IDAT checksum: Pillow rightly refuses it.)
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
WEBP = image_bytes("WEBP")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("scene.png", PNG, "image/png"),
        ("现场照片.jpg", JPEG, "image/jpeg"),
        ("现场照片.JPEG", JPEG, "image/jpeg"),
        ("photo.webp", WEBP, "image/webp"),
        ("调解协议.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        ("情况说明.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "application/msword"),
        ("情况说明.docx", b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 32, DOCX),
    ],
)
def test_real_files_pass(name, content, content_type):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    assert attachment_validate(upload) == content_type
    # left rewound, so the whole file is stored
    assert upload.read() == content


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kind"),
    [
        ("现场照片.jpg", "这不是图片，是一段文字。".encode(), "image/jpeg", "JPEG图片"),
        ("scene.png", JPEG_HEAD, "image/png", "PNG图片"),  # a JPEG called .png
        ("协议.pdf", b"<html><script>alert(1)</script></html>", "application/pdf", "PDF文件"),
        ("说明.docx", b"MZ\x90\x00\x03\x00\x00\x00", DOCX, "Word文档（.docx）"),
        ("photo.webp", b"RIFX\x24\x00\x00\x00WEBP", "image/webp", "WebP图片"),
        ("空文件.jpg", b"", "image/jpeg", "JPEG图片"),
        # the JPEG signature followed by junk, or a real JPEG cut short: Pillow cannot decode it
        ("现场照片.jpg", JPEG_HEAD + b"\x00" * 64, "image/jpeg", "JPEG图片"),
        ("截断.jpg", JPEG[: len(JPEG) // 2], "image/jpeg", "JPEG图片"),
        ("photo.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 16, "image/webp", "WebP图片"),
        ("scene.png", PNG[:40], "image/png", "PNG图片"),
    ],
)
def test_content_that_does_not_match_its_type_is_refused(name, content, content_type, kind):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    with pytest.raises(ValidationError) as caught:
        attachment_validate(upload)
    (message,) = caught.value.message_dict["attachments"]
    assert message.startswith(f"文件“{name}”的内容不是{kind}，与文件类型不符")


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("scene.heic", "image/heic"),  # not decodable by Pillow, so not on the list
        ("scene.png.exe", "image/png"),
        ("scene", "image/png"),  # no extension
        ("scene.svg", "image/png"),
        ("scene.png", "text/html"),
    ],
)
def test_only_listed_extensions_and_types_are_allowed(name, content_type):
    upload = SimpleUploadedFile(name, PNG, content_type=content_type)
    with pytest.raises(ValidationError) as caught:
        attachment_validate(upload)
    (message,) = caught.value.message_dict["attachments"]
    assert message == f"文件“{name}”的类型不允许，请上传照片、PDF或Word文件。"


def test_declared_type_and_extension_are_both_checked_against_content():
    # declared PNG (matches the bytes) but named .jpg: the extension's claim fails
    upload = SimpleUploadedFile("scene.jpg", PNG, content_type="image/png")
    with pytest.raises(ValidationError, match="JPEG图片"):
        attachment_validate(upload)


def test_grid_report_refuses_text_disguised_as_jpg_beside_the_field(loop, client_for):
    client = client_for(loop.grid)
    fake = SimpleUploadedFile("现场照片.jpg", b"just some text\n", content_type="image/jpeg")
    response = client.post(
        reverse("cases:report"),
        {"category": "neighbour", "facts": "楼道堆放杂物", "name": "王五", "photos": [fake]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(r'data-testid="error-photos">([^<]*)<', html)
    assert error and "内容不是JPEG图片" in error.group(1)
    assert not Dispute.objects.exists() and not Attachment.objects.exists()


def test_grid_report_accepts_a_real_png(loop, client_for):
    client = client_for(loop.grid)
    photo = SimpleUploadedFile("scene.png", PNG, content_type="image/png")
    response = client.post(
        reverse("cases:report"),
        {"category": "neighbour", "facts": "楼道堆放杂物", "name": "王五", "photos": [photo]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)
    with attachment.file.open("rb") as stored:
        assert stored.read() == PNG


def test_clerk_intake_refuses_fake_pdf_beside_attachments(loop, client_for):
    client = client_for(loop.clerk)
    fake = SimpleUploadedFile("判决书.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    data = {
        "source_channel": "visit",
        "category": "neighbour",
        "risk_level": "ordinary",
        "facts": "楼上装修噪音扰民。",
        "region": loop.community_region.pk,
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "1",
        "parties-MAX_NUM_FORMS": "1000",
        "parties-0-role": "applicant",
        "parties-0-kind": "person",
        "parties-0-name": "张三",
        "parties-0-id_number": ID_ZHANG,
        "parties-0-phone": PHONE_ZHANG,
        "attachments": [fake],
    }
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(r'data-testid="error-attachments">([^<]*)<', html)
    assert error and "内容不是PDF文件" in error.group(1)
    assert not Dispute.objects.exists()


def _stored_files(storage, path=""):
    directories, files = storage.listdir(path)
    found = [f"{path}/{name}".lstrip("/") for name in files]
    for directory in directories:
        found += _stored_files(storage, f"{path}/{directory}".lstrip("/"))
    return found


def test_a_refused_file_leaves_no_other_file_stored(loop, register):
    from django.core.files.storage import default_storage

    before = _stored_files(default_storage)
    good = SimpleUploadedFile("scene.png", PNG, content_type="image/png")
    fake = SimpleUploadedFile("photo.jpg", b"just some text", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        register(attachments=[good, fake])
    assert _stored_files(default_storage) == before
    assert not Dispute.objects.exists()
