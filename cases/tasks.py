"""Celery tasks of the cases app (autodiscovered from here). Thin: take ids, call a service."""

from .tasks_imports import (
    import_batch_apply_task,
    import_batch_validate_task,
    import_batches_recover_task,
)

__all__ = ["import_batch_apply_task", "import_batch_validate_task", "import_batches_recover_task"]
