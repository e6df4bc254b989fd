"""Celery tasks of the enforcement app (autodiscovered from here). Thin: take ids, call a
service. Each part keeps its tasks in its own module and re-exports them here."""

from .tasks_assets import controls_expire_task, inquiries_recover_task, inquiry_run_task

__all__ = ["controls_expire_task", "inquiries_recover_task", "inquiry_run_task"]
from .tasks_endings import final_checks_collect_task, final_checks_start_task  # noqa: F401  enf-endings
