from django.db.models import Count, Max, Q

from .models import JobRun, OutboxMessage


def job_overview() -> list[dict]:
    """One row per periodic job in the beat schedule: what it is, its last run, and its
    failures over the last 100 runs."""
    from config.celery_app import BEAT_SCHEDULE

    rows = []
    for entry, spec in BEAT_SCHEDULE.items():
        name = spec["task"]
        last = JobRun.objects.filter(name=name).order_by("-started_at", "-pk").first()
        recent = JobRun.objects.filter(name=name).order_by("-started_at")[:100]
        stats = JobRun.objects.filter(pk__in=recent.values("pk")).aggregate(
            runs=Count("pk"), failed=Count("pk", filter=Q(status__in=["failed", "partial"])),
            last_ok=Max("started_at", filter=Q(status="ok")),
        )  # fmt: skip
        rows.append(
            {"entry": entry, "task": name, "schedule": spec["schedule"], "last": last, **stats}
        )
    return rows


def outbox_backlog() -> dict:
    pending = OutboxMessage.objects.filter(published_at__isnull=True)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    return {"count": pending.count(), "oldest": oldest}


def recent_runs(name: str = "", limit: int = 50):
    queryset = JobRun.objects.all()
    if name:
        queryset = queryset.filter(name=name)
    return queryset[:limit]
