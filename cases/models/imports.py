"""Bulk imports of disputes (批量导入): one record per uploaded file."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import SourceChannel


class ImportBatch(models.Model):
    """An uploaded hotline export and what became of it (see ``cases.imports``).

    The file's SHA-256 is the idempotency key: one organisation imports the same content at
    most once (a partial unique constraint over finished batches). The uploaded file holds
    personal data in plain text, so it is deleted once it is no longer needed; the preview
    and the error report hold masked values only.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("已上传")
        VALIDATING = "validating", _("校验中")
        INVALID = "invalid", _("校验未通过")
        VALID = "valid", _("待确认导入")
        QUEUED = "queued", _("排队导入")
        APPLYING = "applying", _("导入中")
        DONE = "done", _("已导入")
        DUPLICATE = "duplicate", _("重复文件")
        FAILED = "failed", _("导入失败")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("导入单位"),
        on_delete=models.PROTECT,
        related_name="case_imports",
        help_text=_("行中的街道/社区须为该单位或其下级"),
    )
    source_channel = models.CharField(
        _("来源渠道"),
        max_length=24,
        choices=SourceChannel.choices,
        default=SourceChannel.HOTLINE_12345,
    )
    file = models.FileField(_("上传文件"), upload_to="case-imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("文件名"), max_length=200)
    file_kind = models.CharField(_("文件类型"), max_length=8)
    file_size = models.PositiveBigIntegerField(_("文件大小（字节）"))
    sha256 = models.CharField(_("文件摘要"), max_length=64, db_index=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    valid_rows = models.PositiveIntegerField(_("有效行数"), default=0)
    error_rows = models.PositiveIntegerField(_("错误行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增纠纷"), default=0)
    skipped_count = models.PositiveIntegerField(_("已导入过（跳过）"), default=0)
    preview = models.JSONField(_("预览"), default=list, blank=True, help_text=_("前若干行，已脱敏"))
    file_problem = models.CharField(_("文件问题"), max_length=300, blank=True)
    error_report = models.FileField(
        _("错误报告"), upload_to="case-imports/errors/%Y/%m/", blank=True
    )
    failure = models.CharField(
        _("失败原因"), max_length=300, blank=True, help_text=_("不含个人信息")
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("与之重复"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始导入"), null=True, blank=True)
    claimed_at = models.DateTimeField(
        _("认领时间"),
        null=True,
        blank=True,
        help_text=_("后台最近一次开始校验、导入或重新排队的时间"),
    )
    attempts = models.PositiveSmallIntegerField(
        _("处理次数"), default=0, help_text=_("后台开始校验或导入的次数（含中断后重试）")
    )
    disputes = models.ManyToManyField(
        "cases.Dispute",
        verbose_name=_("导入的纠纷"),
        blank=True,
        related_name="import_batches",
        help_text=_("本批次新增的纠纷（列表可按导入批次筛选）"),
    )
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    # The preview is masked but bulky; the two files are excluded because the audit snapshot
    # cannot serialise an empty FileField yet (audit.services._json_safe calls .url on it).
    audit_exclude_fields = ("preview", "file", "error_report")

    class Meta:
        verbose_name = _("批量导入")
        verbose_name_plural = _("批量导入")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sha256"],
                condition=Q(status="done"),
                name="case_import_unique_done_file",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="case_import_org_idx"),
        ]

    def __str__(self):
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.DUPLICATE, self.Status.FAILED)

    @property
    def is_working(self) -> bool:
        return self.status in (
            self.Status.UPLOADED,
            self.Status.VALIDATING,
            self.Status.QUEUED,
            self.Status.APPLYING,
        )
