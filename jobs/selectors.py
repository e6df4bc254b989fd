from collections import defaultdict

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from .models import JobRun, OutboxMessage

# What each periodic job is called on screen (the task names are internal codes).
JOB_LABELS = {
    "deadlines.sweep": _("期限巡检：提醒与超期"),
    "jobs.outbox_relay": _("发件箱补发"),
    "notifications.release_held": _("免打扰结束后补发通知"),
    "cases.import_batches_recover": _("批量导入：接续中断的导入"),
    "notifications.daily_digest": _("每日通知摘要"),
    "jobs.prune": _("清理旧记录"),
    "enforcement.inquiries_recover": _("网络查控：接续中断的查询"),
    "enforcement.controls_expire": _("控制措施：到期解除与续行提醒"),
    "enforcement.final_checks_start": _("终本案件定期查控：发起本轮查询"),
    "enforcement.final_checks_collect": _("终本案件定期查控：汇总结果与恢复执行"),
}


def job_label(name: str) -> str:
    return str(JOB_LABELS.get(name, name))


def job_overview() -> list[dict]:
    """One row per periodic job in the beat schedule: what it is, its last run, and its
    failures over the last 100 runs (one query for every job)."""
    from config.celery_app import BEAT_SCHEDULE

    recent = (
        JobRun.objects.filter(name__in={spec["task"] for spec in BEAT_SCHEDULE.values()})
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("name"),
                order_by=[F("started_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=100)
        .defer("error")
        .order_by("name", "rank")
    )
    by_name: dict[str, list[JobRun]] = defaultdict(list)
    for run in recent:
        by_name[run.name].append(run)
    rows = []
    for entry, spec in BEAT_SCHEDULE.items():
        name = spec["task"]
        runs = by_name[name]  # newest first
        rows.append(
            {
                "entry": entry,
                "task": name,
                "label": job_label(name),
                "schedule": spec["schedule"],
                "last": runs[0] if runs else None,
                "runs": len(runs),
                "failed": sum(
                    r.status in (JobRun.Status.FAILED, JobRun.Status.PARTIAL) for r in runs
                ),
                "last_ok": next((r.started_at for r in runs if r.status == JobRun.Status.OK), None),
            }
        )
    return rows


def outbox_backlog() -> dict:
    pending = OutboxMessage.objects.filter(published_at__isnull=True)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    return {"count": pending.count(), "oldest": oldest}


def recent_runs(name: str = "", limit: int = 50) -> list[JobRun]:
    queryset = JobRun.objects.all()
    if name:
        queryset = queryset.filter(name=name)
    runs = list(queryset[:limit])
    for run in runs:
        run.label = job_label(run.name)
    return runs
