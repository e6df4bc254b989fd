"""The import_batch_* services: upload → validate → confirm → apply, one ImportBatch each.

Each claims its batch with a conditional status update, so a retried task or a second
worker finds nothing to do. The row writes themselves are in `apply.py`.
"""

import logging
import uuid
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.services import audit_create, audit_transition
from cases.models import ImportBatch, SourceChannel
from common.statemachine import TransitionNotAllowed
from organisations.models import Organisation

from .apply import apply_rows, progress_key
from .reading import file_kind, sha256_of
from .report import error_report_xlsx
from .validation import build_vocabulary, validate_file

# The module's name before it became a package: log configuration and log searches use it.
logger = logging.getLogger("cases.imports")

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# Files up to this size are validated and applied inside the request; larger ones go to the
# worker (a 2 MB hotline export is roughly 5,000 rows).
DEFAULT_INLINE_MAX_BYTES = 2 * 1024 * 1024


def import_max_bytes() -> int:
    return getattr(settings, "CASES_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def import_inline_max_bytes() -> int:
    return getattr(settings, "CASES_IMPORT_INLINE_MAX_BYTES", DEFAULT_INLINE_MAX_BYTES)


@transaction.atomic
def import_batch_upload(
    *,
    organisation: Organisation,
    actor,
    uploaded_file,
    source_channel: str = SourceChannel.HOTLINE_12345,
) -> ImportBatch:
    """Store an uploaded export and validate it (inline if small, else on the worker).

    Refuses (ValidationError) a file that is not .xlsx/.csv or is over the size limit. A file
    whose content this organisation has already imported becomes a DUPLICATE batch that
    points at the earlier one and adds nothing.
    """
    name = (getattr(uploaded_file, "name", "") or "").rsplit("/", 1)[-1][:200]
    kind = file_kind(name)
    if not kind:
        raise ValidationError({"file": "仅支持 .xlsx 或 .csv 文件。"})
    size = uploaded_file.size
    limit = import_max_bytes()
    if size > limit:
        raise ValidationError(
            {"file": f"文件过大（{size / 1048576:.1f} MB），上限为 {limit // 1048576} MB。"}
        )
    if size == 0:
        raise ValidationError({"file": "文件为空。"})
    if source_channel not in SourceChannel.values:
        raise ValidationError({"source_channel": "未知的来源渠道。"})
    digest = sha256_of(uploaded_file)
    batch = ImportBatch(
        organisation=organisation,
        source_channel=source_channel,
        original_name=name,
        file_kind=kind,
        file_size=size,
        sha256=digest,
        created_by=actor,
    )
    previous = (
        ImportBatch.objects.filter(
            organisation=organisation, sha256=digest, status=ImportBatch.Status.DONE
        )
        .order_by("pk")
        .first()
    )
    if previous is not None:
        batch.status = ImportBatch.Status.DUPLICATE
        batch.duplicate_of = previous
        batch.total_rows = previous.total_rows
        batch.skipped_count = previous.total_rows
        batch.finished_at = timezone.now()
        batch.save()
        audit_create(
            batch, actor=actor, note=f"重复文件，与第{previous.pk}号导入相同，未导入任何数据"
        )
        return batch
    batch.file.save(f"{uuid.uuid4().hex}.{kind}", uploaded_file, save=False)
    batch.save()
    audit_create(batch, actor=actor, note="上传批量导入文件")
    logger.info("case import %s uploaded: %s bytes, %s", batch.pk, size, kind)
    if size <= import_inline_max_bytes():
        _validate(batch)
    else:
        from cases.tasks_imports import import_batch_validate_task

        transaction.on_commit(partial(import_batch_validate_task.delay, batch.pk))
    return batch


def import_batch_validate(*, batch_id: int) -> ImportBatch | None:
    """Validate an uploaded batch (worker entry point). Claims the batch; no-op if taken."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.UPLOADED).update(
        status=ImportBatch.Status.VALIDATING
    )
    if claimed != 1:
        return None
    batch = ImportBatch.objects.select_related("organisation").get(pk=batch_id)
    with transaction.atomic():
        _validate(batch)
    return batch


def _validate(batch: ImportBatch) -> None:
    vocabulary = build_vocabulary(batch.organisation)
    with batch.file.open("rb") as handle:
        result = validate_file(handle, batch.file_kind, vocabulary)
    batch.total_rows = result.total_rows
    batch.valid_rows = result.valid_rows
    batch.error_rows = result.error_rows
    batch.preview = result.preview
    batch.file_problem = result.file_problem.message[:300] if result.file_problem else ""
    if result.ok:
        batch.status = ImportBatch.Status.VALID
    else:
        batch.status = ImportBatch.Status.INVALID
        report = error_report_xlsx(result, file_name=batch.original_name)
        batch.error_report.save(f"import-{batch.pk}-errors.xlsx", ContentFile(report), save=False)
        # Nothing from this file will be imported: the user fixes it and uploads again.
        _delete_source(batch)
    batch.save()
    logger.info(
        "case import %s validated: %s rows, %s invalid",
        batch.pk,
        result.total_rows,
        result.error_rows,
    )


def _delete_source(batch: ImportBatch) -> None:
    if batch.file:
        batch.file.delete(save=False)


@transaction.atomic
def import_batch_confirm(*, batch: ImportBatch, actor) -> ImportBatch:
    """The user confirms a valid batch: apply it now (small) or on the worker (large)."""
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.VALID).update(
        status=ImportBatch.Status.QUEUED, confirmed_by=actor, confirmed_at=timezone.now()
    )
    if claimed != 1:
        batch.refresh_from_db()
        raise TransitionNotAllowed(
            f"该批次当前状态为“{batch.get_status_display()}”，不能确认导入。"
        )
    batch.refresh_from_db()
    if batch.file_size <= import_inline_max_bytes():
        return import_batch_apply(batch_id=batch.pk)
    from cases.tasks_imports import import_batch_apply_task

    transaction.on_commit(partial(import_batch_apply_task.delay, batch.pk))
    return batch


def import_batch_apply(*, batch_id: int) -> ImportBatch:
    """Write every row of a confirmed batch in one transaction, or nothing.

    Claims QUEUED → APPLYING with a conditional update (a second worker gets nothing to do).
    On any error the row writes roll back and the batch is marked FAILED with a reason that
    holds no personal data (the log gets the exception type only).
    """
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.APPLYING, started_at=timezone.now()
    )
    batch = ImportBatch.objects.select_related("organisation", "confirmed_by", "created_by").get(
        pk=batch_id
    )
    if claimed != 1:
        return batch
    try:
        with transaction.atomic():
            created, skipped = apply_rows(batch)
            batch.status = ImportBatch.Status.DONE
            batch.created_count = created
            batch.skipped_count = skipped
            batch.finished_at = timezone.now()
            batch.save()
            actor = batch.confirmed_by or batch.created_by
            audit_transition(
                batch,
                actor=actor,
                transition="import_apply",
                transition_label="批量导入",
                before={
                    "status": ImportBatch.Status.QUEUED,
                    "created_count": 0,
                    "skipped_count": 0,
                },
                after={"status": batch.status, "created_count": created, "skipped_count": skipped},
                note=(
                    f"批量导入 {batch.original_name}（SHA-256 {batch.sha256[:12]}…）："
                    f"共 {batch.total_rows} 行，新增纠纷 {created} 件，已导入过跳过 {skipped} 件"
                ),
            )
    except Exception as exc:  # noqa: BLE001 - any failure must leave a FAILED batch behind
        # The rows rolled back; record why without leaking row content.
        # Type only: database messages can quote a value from the row.
        logger.error("case import %s failed: %s", batch_id, type(exc).__name__)
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED,
            failure=f"{type(exc).__name__}：导入未完成，数据已全部回滚，请重试或联系管理员。"[:300],
            finished_at=timezone.now(),
        )
        cache.delete(progress_key(batch_id))
        return ImportBatch.objects.get(pk=batch_id)
    _delete_source(batch)
    batch.save(update_fields=["file"])
    cache.delete(progress_key(batch_id))
    logger.info("case import %s applied: %s created, %s skipped", batch_id, created, skipped)
    return batch


def import_progress(batch: ImportBatch) -> int | None:
    """Rows processed so far while APPLYING (from the cache; the rows themselves are not
    visible to other connections until the single transaction commits)."""
    if batch.status != ImportBatch.Status.APPLYING:
        return None
    return cache.get(progress_key(batch.pk))
