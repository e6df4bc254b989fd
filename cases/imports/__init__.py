"""Bulk import of disputes from a 12345-hotline style export (.xlsx or .csv).

The journey is upload → validate → preview → confirm → apply, one `ImportBatch` per upload:

- **upload** (`import_batch_upload`) stores the file, hashes it (SHA-256 of the bytes) and
  validates it inline when it is small, else on the worker;
- **validate** (`import_batch_validate`) streams the file (openpyxl read-only or csv), checks
  every row with `common.validators` and the case vocabularies, keeps a masked preview of the
  first rows and writes a row-by-row error report (.xlsx; personal values masked);
- **confirm** (`import_batch_confirm`) is refused while any row is invalid: a file imports
  whole or not at all;
- **apply** (`import_batch_apply`) writes every row in ONE transaction, in batches of
  `CHUNK_SIZE` with `bulk_create`: the disputes, their parties (found or created through the
  blind index), their parties' links, one timeline event "registered" per dispute, an audit
  'create' entry per dispute and per new party, and each dispute's triage clock in the
  deadline engine (with its own audit entry) — what `cases.services.dispute_register` writes
  for a dispute — plus ONE audit entry on the batch that summarises the import (file hash,
  rows, created, already imported). Large files are applied by a Celery task. The clocks
  start at import time, not at the ticket's 来电时间 (an old ticket must not arrive
  overdue); the batch keeps the disputes it created (`ImportBatch.disputes`).

Worker path: the tasks are enqueued through the outbox (a broker outage loses nothing), and
`import_batches_recover` (beat) re-enqueues a batch whose message was lost or whose worker
died mid-way — validation and apply each hold the batch's row lock, so only a dead worker's
claim is taken back and nothing is applied twice.

Broken files (not an .xlsx, truncated, an entity bomb — openpyxl parses with defusedxml — a
binary .csv) are `FileProblem(unreadable=True)`: a field error on upload, the file deleted.

Idempotency: a file whose hash was already imported into the same organisation adds nothing
(the batch is marked a duplicate), and rows whose (organisation, channel, 工单编号) already
exist are skipped and counted as "already imported" (the unique constraint on Dispute is the
backstop under races).

Personal data: ID numbers and phones never reach logs; the preview and the error report hold
masked values only; the uploaded file is deleted from storage as soon as it is no longer needed
(after a successful import, or when validation fails and the user must upload a fixed file).

The package: `columns` (header mapping), `reading` (xlsx/csv streaming), `validation` (rows
and vocabularies), `report` (the error report), `template` (the blank template), `apply`
(the bulk writer), `services` (the import_batch_* services) and `selectors`. Import from `cases.imports`; the names below are
its public surface.
"""

from .apply import CHUNK_SIZE, BulkDisputeWriter, ImportRowInvalid, progress_key
from .columns import COLUMNS, COLUMNS_BY_KEY, REQUIRED_COLUMNS, Column, FileProblem
from .reading import (
    HEADER_SEARCH_ROWS,
    Header,
    file_kind,
    iter_raw_rows,
    read_header,
    sha256_of,
    sniff_problem,
)
from .report import error_report_xlsx
from .selectors import import_batch_get_for_user, import_batch_list_for_user
from .services import (
    DEFAULT_INLINE_MAX_BYTES,
    DEFAULT_MAX_BYTES,
    import_batch_apply,
    import_batch_confirm,
    import_batch_upload,
    import_batch_validate,
    import_batches_recover,
    import_inline_max_bytes,
    import_max_bytes,
    import_progress,
)
from .validation import (
    MAX_REPORTED_ERRORS,
    PREVIEW_ROWS,
    CleanRow,
    RowError,
    RowValidator,
    ValidationResult,
    Vocabulary,
    build_vocabulary,
    category_lookup,
    iter_clean_rows,
    parse_datetime_cell,
    validate_file,
)

__all__ = [
    "CHUNK_SIZE",
    "COLUMNS",
    "COLUMNS_BY_KEY",
    "DEFAULT_INLINE_MAX_BYTES",
    "DEFAULT_MAX_BYTES",
    "HEADER_SEARCH_ROWS",
    "MAX_REPORTED_ERRORS",
    "PREVIEW_ROWS",
    "REQUIRED_COLUMNS",
    "BulkDisputeWriter",
    "CleanRow",
    "Column",
    "FileProblem",
    "Header",
    "ImportRowInvalid",
    "RowError",
    "RowValidator",
    "ValidationResult",
    "Vocabulary",
    "build_vocabulary",
    "category_lookup",
    "error_report_xlsx",
    "file_kind",
    "import_batch_apply",
    "import_batch_confirm",
    "import_batch_get_for_user",
    "import_batch_list_for_user",
    "import_batch_upload",
    "import_batch_validate",
    "import_batches_recover",
    "import_inline_max_bytes",
    "import_max_bytes",
    "import_progress",
    "iter_clean_rows",
    "iter_raw_rows",
    "parse_datetime_cell",
    "progress_key",
    "read_header",
    "sha256_of",
    "sniff_problem",
    "validate_file",
]
