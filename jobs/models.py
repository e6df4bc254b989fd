"""The job system's own records: the transactional outbox and periodic job runs."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A task to publish, written in the same transaction as the change that needs it.

    If the broker is down when the transaction commits, the row stays unpublished and the
    relay (beat, every few seconds) publishes it once the broker is back. Publishing can
    happen twice (publish, then crash before marking): every task it names is idempotent.
    """

    task_name = models.CharField(_("任务"), max_length=120)
    args = models.JSONField(_("参数"), default=list)
    kwargs = models.JSONField(_("关键字参数"), default=dict)
    created_at = models.DateTimeField(_("写入时间"), default=timezone.now)
    published_at = models.DateTimeField(_("投递时间"), null=True, blank=True)
    locked_until = models.DateTimeField(
        _("认领至"), null=True, blank=True, help_text=_("中转进程认领后在此时刻前不被重复认领")
    )
    attempts = models.PositiveIntegerField(_("投递次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("待投递任务")
        verbose_name_plural = _("待投递任务")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(published_at__isnull=True),
                name="outbox_unpublished_idx",
            )
        ]

    def __str__(self):
        return f"{self.task_name} #{self.pk}"


class JobRun(models.Model):
    """One run of a periodic job: when, how long, how much it did, what failed."""

    class Status(models.TextChoices):
        RUNNING = "running", _("运行中")
        OK = "ok", _("成功")
        PARTIAL = "partial", _("部分失败")
        FAILED = "failed", _("失败")

    name = models.CharField(_("作业"), max_length=80)
    started_at = models.DateTimeField(_("开始"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), null=True, blank=True)
    items = models.PositiveIntegerField(_("处理条数"), default=0)
    failures = models.PositiveIntegerField(_("失败条数"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("作业运行记录")
        verbose_name_plural = _("作业运行记录")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["name", "-started_at"], name="jobrun_name_idx")]

    def __str__(self):
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M:%S}"
