"""The import_batch_* services: upload → validate → confirm → apply, one ImportBatch each.

Each claims its batch with a conditional status update, so a retried task or a second
worker finds nothing to do. The row writes themselves are in `apply.py`.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from audit.services import audit_create, audit_transition
from cases.models import ImportBatch, SourceChannel
from common.statemachine import TransitionNotAllowed
from jobs.models import OutboxMessage
from jobs.services import outbox_enqueue
from organisations.models import Organisation

from .apply import apply_rows, progress_key
from .reading import file_kind, sha256_of, sniff_problem
from .report import error_report_xlsx
from .validation import build_vocabulary, validate_file

# The module's name before it became a package: log configuration and log searches use it.
logger = logging.getLogger("cases.imports")

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# Files up to this size are validated and applied inside the request; larger ones go to the
# worker (a 2 MB hotline export is roughly 5,000 rows).
DEFAULT_INLINE_MAX_BYTES = 2 * 1024 * 1024

# Task names (cases.tasks_imports), enqueued through the outbox: a broker outage neither
# blocks the upload nor loses the work (the relay publishes once the broker is back).
VALIDATE_TASK = "cases.import_batch_validate"
APPLY_TASK = "cases.import_batch_apply"

# Recovery (import_batches_recover): a batch waiting this long for its task is enqueued
# again; a worker's claim this old, no longer held by a live transaction, is taken back.
# After MAX_ATTEMPTS claims the batch is marked failed instead of being tried again.
STALE_WAIT = datetime.timedelta(minutes=10)
CLAIM_GRACE = datetime.timedelta(minutes=2)
MAX_ATTEMPTS = 3
VALIDATION_FAILED = "校验未能完成（文件无法读取或处理超时），文件已删除，请检查文件后重新上传。"


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
    problem = sniff_problem(uploaded_file, kind)
    if problem:
        raise ValidationError({"file": problem})
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
        try:
            result = _validate(batch)
        except BaseException:
            # The batch row rolls back with the request: its file must not stay behind.
            _delete_files(batch)
            raise
        if result.file_problem is not None and result.file_problem.unreadable:
            _delete_files(batch)
            raise ValidationError({"file": result.file_problem.message})
    else:
        outbox_enqueue(VALIDATE_TASK, args=[batch.pk])
    return batch


def import_batch_validate(*, batch_id: int) -> ImportBatch | None:
    """Validate an uploaded batch (worker entry point). Claims the batch; no-op if taken.

    The validation holds a row lock on the batch for as long as it runs: the recovery check
    (`import_batches_recover`) takes back only a claim whose lock is gone (a dead worker).
    """
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.UPLOADED).update(
        status=ImportBatch.Status.VALIDATING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if claimed != 1:
        return None
    try:
        with transaction.atomic():
            batch = (
                ImportBatch.objects.select_for_update(of=("self",))
                .select_related("organisation")
                .filter(pk=batch_id, status=ImportBatch.Status.VALIDATING)
                .first()
            )
            if batch is None:  # taken back by the recovery check meanwhile
                return None
            _validate(batch)
    except Exception as exc:  # noqa: BLE001 - a file we cannot get through is the user's to fix
        # Type only: a parser's message can quote the file's content.
        logger.error("case import %s validation failed: %s", batch_id, type(exc).__name__)
        _give_up(batch_id, status=ImportBatch.Status.INVALID, reason=VALIDATION_FAILED)
    return ImportBatch.objects.get(pk=batch_id)


def _validate(batch: ImportBatch):
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
        if result.file_problem is None or not result.file_problem.unreadable:
            report = error_report_xlsx(result, file_name=batch.original_name)
            batch.error_report.save(
                f"import-{batch.pk}-errors.xlsx", ContentFile(report), save=False
            )
        # Nothing from this file will be imported: the user fixes it and uploads again.
        _delete_source(batch)
    batch.save()
    logger.info(
        "case import %s validated: %s rows, %s invalid",
        batch.pk,
        result.total_rows,
        result.error_rows,
    )
    return result


def _delete_source(batch: ImportBatch) -> None:
    if batch.file:
        batch.file.delete(save=False)


def _delete_files(batch: ImportBatch) -> None:
    _delete_source(batch)
    if batch.error_report:
        batch.error_report.delete(save=False)


def _give_up(batch_id: int, *, status: str, reason: str, actor=None) -> None:
    """End a batch that cannot be processed: status, reason, audit entry, file deleted."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        before = {"status": batch.status}
        _delete_source(batch)
        batch.status = status
        if status == ImportBatch.Status.INVALID:
            batch.file_problem = reason[:300]
        else:
            batch.failure = reason[:300]
        batch.finished_at = timezone.now()
        batch.save()
        audit_transition(
            batch,
            actor=actor,
            transition="import_give_up",
            transition_label="批量导入中止",
            before=before,
            after={"status": status},
            note=reason,
        )
    cache.delete(progress_key(batch_id))


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
    outbox_enqueue(APPLY_TASK, args=[batch.pk])
    return batch


def import_batch_apply(*, batch_id: int) -> ImportBatch:
    """Write every row of a confirmed batch in one transaction, or nothing.

    Claims QUEUED → APPLYING with a conditional update (a second worker gets nothing to do).
    On any error the row writes roll back and the batch is marked FAILED with a reason that
    holds no personal data (the log gets the exception type only).
    """
    now = timezone.now()
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.APPLYING,
        started_at=now,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    batch = ImportBatch.objects.select_related("organisation", "confirmed_by", "created_by").get(
        pk=batch_id
    )
    if claimed != 1:
        return batch
    try:
        with transaction.atomic():
            # Held until the rows commit: the recovery check takes back only a claim whose
            # lock is gone, so a live import is never applied a second time.
            locked = list(
                ImportBatch.objects.select_for_update()
                .filter(pk=batch_id, status=ImportBatch.Status.APPLYING)
                .values_list("pk", flat=True)
            )
            if not locked:  # taken back by the recovery check meanwhile
                return ImportBatch.objects.get(pk=batch_id)
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
        ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.APPLYING).update(
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


@dataclass
class RecoveryResult:
    requeued: int = 0  # waiting batches whose task was enqueued again
    reclaimed: int = 0  # claims of dead workers taken back and enqueued again
    given_up: int = 0  # batches past MAX_ATTEMPTS, marked failed / invalid


def _task_waiting_in_outbox(task_name: str, batch_id: int) -> bool:
    return OutboxMessage.objects.filter(
        task_name=task_name, args=[batch_id], published_at__isnull=True
    ).exists()


def import_batches_recover(*, now=None) -> RecoveryResult:
    """Pick up batches that a lost task message or a crashed worker left behind (beat).

    - UPLOADED / QUEUED for longer than STALE_WAIT, with no task waiting in the outbox: the
      task is enqueued again (the task's conditional claim makes a duplicate a no-op);
    - VALIDATING / APPLYING whose claim is older than CLAIM_GRACE and whose row lock is gone:
      the worker died and its transaction rolled back (validation and the row writes each
      run in one transaction that holds the lock), so nothing of it was written; the batch
      goes back to UPLOADED / QUEUED and its task is enqueued again — or, after MAX_ATTEMPTS
      claims, is ended (file deleted) rather than tried forever. A live worker's batch is
      locked and skipped (SKIP LOCKED), so an import is never applied twice; on a database
      without SKIP LOCKED, only claims older than the task's hard time limit are taken.

    Idempotent: running it twice, or alongside the workers, does nothing more.
    """
    from cases.tasks_imports import IMPORT_TIME_LIMIT

    now = now or timezone.now()
    result = RecoveryResult()
    Status = ImportBatch.Status
    waiting = ImportBatch.objects.filter(
        Q(status=Status.UPLOADED, created_at__lt=now - STALE_WAIT)
        | Q(status=Status.QUEUED, confirmed_at__lt=now - STALE_WAIT)
    ).filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_WAIT))
    for batch_id, status in waiting.values_list("pk", "status"):
        task = VALIDATE_TASK if status == Status.UPLOADED else APPLY_TASK
        if _task_waiting_in_outbox(task, batch_id):
            continue  # the relay publishes it once the broker is back
        with transaction.atomic():
            # claimed_at spaces the re-enqueues of a batch that is simply waiting its turn.
            if ImportBatch.objects.filter(pk=batch_id, status=status).update(claimed_at=now):
                outbox_enqueue(task, args=[batch_id])
                result.requeued += 1

    skip_locked = connection.features.has_select_for_update_skip_locked
    oldest_claim = now - (
        CLAIM_GRACE if skip_locked else datetime.timedelta(seconds=IMPORT_TIME_LIMIT)
    )
    with transaction.atomic():
        stale = ImportBatch.objects.filter(status__in=[Status.VALIDATING, Status.APPLYING]).filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=oldest_claim)
        )
        if skip_locked:
            stale = stale.select_for_update(skip_locked=True)
        for batch in stale:
            validating = batch.status == Status.VALIDATING
            if batch.attempts >= MAX_ATTEMPTS:
                _give_up(
                    batch.pk,
                    status=Status.INVALID if validating else Status.FAILED,
                    reason=VALIDATION_FAILED
                    if validating
                    else f"后台导入已中断 {batch.attempts} 次，数据已全部回滚，请重新上传或联系管理员。",
                )
                result.given_up += 1
                continue
            back_to = Status.UPLOADED if validating else Status.QUEUED
            before = {"status": batch.status}
            batch.status = back_to
            # Moves the waiting check's clock: the task just enqueued is not enqueued again
            # for STALE_WAIT.
            batch.claimed_at = now
            batch.save(update_fields=["status", "claimed_at"])
            audit_transition(
                batch,
                actor=None,
                transition="import_recover",
                transition_label="批量导入恢复",
                before=before,
                after={"status": back_to},
                note=f"后台处理中断（第 {batch.attempts} 次），已重新排队",
            )
            outbox_enqueue(VALIDATE_TASK if validating else APPLY_TASK, args=[batch.pk])
            cache.delete(progress_key(batch.pk))
            result.reclaimed += 1
    return result
