"""Bulk import against hostile or broken files, a broker outage and crashed workers."""

import datetime
import io
import zipfile

import openpyxl.xml
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.imports import (
    import_batch_apply,
    import_batch_confirm,
    import_batch_validate,
    import_batches_recover,
)
from cases.models import Dispute, ImportBatch
from cases.tasks_imports import import_batch_validate_task, import_batches_recover_task
from jobs.models import JobRun, OutboxMessage
from jobs.services import outbox_relay
from tests.cases.reports_world import area  # noqa: F401
from tests.cases.test_import import csv_file, row, upload, xlsx_file

BOMB_SHEET = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>
</sheetData></worksheet>"""


def _replace_member(xlsx: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = content if item.filename == member else source.read(item.filename)
            target.writestr(item, data)
    return out.getvalue()


def _valid_xlsx_bytes() -> bytes:
    return xlsx_file([row("GD001")]).read()


def _zip_of(**members: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def entity_bomb() -> SimpleUploadedFile:
    data = _replace_member(_valid_xlsx_bytes(), "xl/worksheets/sheet1.xml", BOMB_SHEET)
    return SimpleUploadedFile("bomb.xlsx", data)


def truncated_sheet() -> SimpleUploadedFile:
    valid = _valid_xlsx_bytes()
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    data = _replace_member(valid, "xl/worksheets/sheet1.xml", sheet[: len(sheet) // 2])
    return SimpleUploadedFile("cut.xlsx", data)


BROKEN_FILES = {
    "entity bomb": entity_bomb,
    "zip that is not an xlsx": lambda: SimpleUploadedFile(
        "notes.xlsx", _zip_of(**{"readme.txt": b"hello"})
    ),
    "truncated file": lambda: SimpleUploadedFile(
        "half.xlsx", _valid_xlsx_bytes()[: len(_valid_xlsx_bytes()) // 2]
    ),
    "truncated sheet inside a sound zip": truncated_sheet,
    "binary csv": lambda: SimpleUploadedFile("bin.csv", b"\x00\x01\x02PK\x03\x04" * 200),
    "NUL past the first 64 KB of a csv": lambda: SimpleUploadedFile(
        "late.csv",
        csv_file([row("GD001", facts="漏水" * 40000)]).read() + b"GD002,\x00\x00\r\n",
    ),
}


def _stored_files(top="case-imports") -> set[str]:
    found = set()
    try:
        directories, files = default_storage.listdir(top)
    except FileNotFoundError:
        return found
    found |= {f"{top}/{name}" for name in files}
    for directory in directories:
        found |= _stored_files(f"{top}/{directory}")
    return found


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize("kind", list(BROKEN_FILES))
def test_a_broken_file_is_a_field_error_and_nothing_stays_on_disk(area, client_for, kind):  # noqa: F811
    before = _stored_files()
    client = client_for(area.clerk)
    response = client.post(
        reverse("case_reports:import_upload"),
        {"organisation": area.street.pk, "source_channel": "hotline_12345",
         "file": BROKEN_FILES[kind]()},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any("无法读取" in error or "编码" in error for error in errors), errors
    assert "invalid-feedback" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert _stored_files() == before


@pytest.mark.parametrize("kind", ["entity bomb", "truncated sheet inside a sound zip"])
def test_a_broken_file_found_by_the_worker_leaves_an_invalid_batch_without_the_file(
    area,  # noqa: F811
    settings,
    kind,
):
    settings.CASES_IMPORT_INLINE_MAX_BYTES = 10
    batch = upload(area, BROKEN_FILES[kind]())
    stored = batch.file.name
    assert batch.status == ImportBatch.Status.UPLOADED and default_storage.exists(stored)
    import_batch_validate_task(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert "无法读取" in batch.file_problem
    assert not batch.file and not default_storage.exists(stored)


def test_an_unexpected_failure_while_validating_deletes_the_file(area, settings, monkeypatch):  # noqa: F811
    from cases.imports import services

    settings.CASES_IMPORT_INLINE_MAX_BYTES = 10
    batch = upload(area, csv_file([row("GD001")]))
    stored = batch.file.name

    def explode(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(services, "validate_file", explode)
    import_batch_validate(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID and "文件已删除" in batch.file_problem
    assert not default_storage.exists(stored)


# --- the outbox and recovery ---------------------------------------------------------------


class _BrokerDown:
    def send_task(self, *args, **kwargs):
        raise ConnectionError("broker unreachable")


class _Broker:
    def __init__(self):
        self.sent = []

    def send_task(self, name, args=None, kwargs=None, **options):
        self.sent.append((name, list(args or [])))


def test_large_imports_go_through_the_outbox_and_survive_a_broker_outage(
    area,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.CASES_IMPORT_INLINE_MAX_BYTES = 10
    with django_capture_on_commit_callbacks(execute=False):
        batch = upload(area, csv_file([row("GD001"), row("GD002", id_number="")]))
    message = OutboxMessage.objects.get(task_name="cases.import_batch_validate")
    assert message.args == [batch.pk]
    assert outbox_relay(app=_BrokerDown()).failed == 1  # the broker is down: nothing lost
    broker = _Broker()
    outbox_relay(app=broker)
    assert broker.sent == [("cases.import_batch_validate", [batch.pk])]

    import_batch_validate(batch_id=batch.pk)
    with django_capture_on_commit_callbacks(execute=False):
        import_batch_confirm(batch=ImportBatch.objects.get(pk=batch.pk), actor=area.clerk)
    assert OutboxMessage.objects.filter(
        task_name="cases.import_batch_apply", args=[batch.pk], published_at__isnull=True
    ).exists()


def _ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


def _queued_large_batch(area, settings):  # noqa: F811
    settings.CASES_IMPORT_INLINE_MAX_BYTES = 10
    batch = upload(area, csv_file([row("GD001"), row("GD002", id_number="")]))
    import_batch_validate(batch_id=batch.pk)
    return import_batch_confirm(batch=ImportBatch.objects.get(pk=batch.pk), actor=area.clerk)


def test_an_import_left_applying_by_a_dead_worker_is_applied_once(area, settings):  # noqa: F811
    batch = _queued_large_batch(area, settings)
    # The worker claimed it and died: its transaction rolled back, the claim stayed.
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.APPLYING, claimed_at=_ago(30), attempts=1
    )
    OutboxMessage.objects.update(published_at=timezone.now())

    result = import_batches_recover()
    assert (result.reclaimed, result.given_up) == (1, 0)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED
    assert (
        OutboxMessage.objects.filter(
            task_name="cases.import_batch_apply", args=[batch.pk], published_at__isnull=True
        ).count()
        == 1
    )
    assert import_batches_recover().reclaimed == 0  # idempotent: nothing more to do

    import_batch_apply(batch_id=batch.pk)
    import_batch_apply(batch_id=batch.pk)  # the message delivered twice
    assert import_batches_recover() == type(result)()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.created_count == 2
    assert batch.attempts == 2
    assert Dispute.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_live_import_is_not_taken_back(area, settings):  # noqa: F811
    """The row lock of a running apply keeps the recovery check away (SKIP LOCKED)."""
    import threading

    from django.db import connection, connections, transaction

    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("row locks are PostgreSQL's")
    batch = _queued_large_batch(area, settings)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.APPLYING, claimed_at=_ago(30), attempts=1
    )
    outcome = {}

    def recover_from_another_connection():
        try:
            with transaction.atomic():
                outcome["result"] = import_batches_recover()
        finally:
            connections.close_all()

    # This test's transaction plays the live worker: it holds the batch's row lock.
    with transaction.atomic():
        list(ImportBatch.objects.select_for_update().filter(pk=batch.pk))
        worker = threading.Thread(target=recover_from_another_connection)
        worker.start()
        worker.join(timeout=30)
    assert outcome["result"].reclaimed == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLYING
    # The worker is gone (no lock): now the claim is taken back.
    worker = threading.Thread(target=recover_from_another_connection)
    worker.start()
    worker.join(timeout=30)
    assert outcome["result"].reclaimed == 1


def test_a_batch_stuck_validating_is_validated_again_then_given_up(area, settings):  # noqa: F811
    settings.CASES_IMPORT_INLINE_MAX_BYTES = 10
    batch = upload(area, csv_file([row("GD001")]))
    stored = batch.file.name
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.VALIDATING, claimed_at=_ago(30), attempts=3
    )
    result = import_batches_recover()
    assert result.given_up == 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID and not default_storage.exists(stored)

    again = upload(area, csv_file([row("GD009")], name="again.csv"))
    ImportBatch.objects.filter(pk=again.pk).update(
        status=ImportBatch.Status.VALIDATING, claimed_at=_ago(30), attempts=1
    )
    assert import_batches_recover().reclaimed == 1
    import_batch_validate(batch_id=again.pk)
    again.refresh_from_db()
    assert again.status == ImportBatch.Status.VALID and again.attempts == 2


def test_a_lost_task_message_is_enqueued_again_by_the_periodic_check(area, settings):  # noqa: F811
    from config.celery_app import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["cases-imports-recover"]["task"] == "cases.import_batches_recover"
    settings.CASES_IMPORT_INLINE_MAX_BYTES = 10
    batch = upload(area, csv_file([row("GD001")]))
    OutboxMessage.objects.update(published_at=timezone.now())  # published, then lost
    assert import_batches_recover().requeued == 0  # too early to tell
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=_ago(30))

    assert import_batches_recover_task() == 1
    assert JobRun.objects.get(name="cases.import_batches_recover").items == 1
    assert (
        OutboxMessage.objects.filter(
            task_name="cases.import_batch_validate", published_at__isnull=True
        ).count()
        == 1
    )
    assert import_batches_recover().requeued == 0  # waiting in the outbox already
