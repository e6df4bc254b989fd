"""Issued documents: numbered, hashed, stored exactly as issued, verifiable by a code."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentSequence(models.Model):
    """Gap-free document numbers per organisation, type and year (row-locked on use)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year"], name="document_sequence_unique"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.kind}/{self.year}: {self.last}"


def document_storage_name(extension: str) -> str:
    """A random storage name: no party name or number reaches the disk or a URL."""
    return timezone.now().strftime("documents/%Y/%m/") + uuid.uuid4().hex + extension


class IssuedDocument(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("有效")
        REVOKED = "revoked", _("已撤销")
        SUPERSEDED = "superseded", _("已被替换")

    kind = models.CharField(_("文书类型"), max_length=64)
    title = models.CharField(_("文书名称"), max_length=60)
    number = models.CharField(_("文书编号"), max_length=120)
    # A court's document in a case is numbered by the case number (`case_document_number`):
    # the case number itself here, so a replacement goes on in that case's form (号之N);
    # empty for a document numbered in its type's own series.
    case_number = models.CharField(_("所属案号"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("出具单位"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    docx_file = models.FileField(_("Word 文件"), max_length=200)
    pdf_file = models.FileField(_("PDF 文件"), max_length=200)
    docx_sha256 = models.CharField(_("Word 文件 SHA-256"), max_length=64)
    sha256 = models.CharField(_("PDF SHA-256"), max_length=64, help_text=_("PDF 文件的 SHA-256"))
    verification_code = models.CharField(
        _("核验码"), max_length=16, unique=True, help_text=_("12 位，公开核验页 /v/<核验码>/")
    )
    public_parties = models.JSONField(
        _("公开当事人（脱敏）"),
        default=list,
        blank=True,
        help_text=_("核验页显示的当事人姓名，已脱敏，如 王**"),
    )
    issued_at = models.DateTimeField(_("出具时间"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ISSUED
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("替换文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    superseded_at = models.DateTimeField(_("替换时间"), null=True, blank=True)

    audit_field_labels = {
        "organisation": _("出具单位"),
        "issued_by": _("出具人"),
        "revoked_by": _("撤销人"),
        "superseded_by": _("替换文书"),
    }

    class Meta:
        verbose_name = _("出具文书")
        verbose_name_plural = _("出具文书")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year", "sequence"], name="document_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="revoked", revoked_at__isnull=False) | ~Q(status="revoked"),
                name="document_revoked_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="superseded", superseded_by__isnull=False)
                | ~Q(status="superseded"),
                name="document_superseded_has_successor",
            ),
        ]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "issued_at"], name="document_subject_idx"
            ),
            models.Index(fields=["organisation", "issued_at"], name="document_org_idx"),
            # a case's documents numbered by its case number: equality and prefix (之一 …)
            models.Index(
                fields=["number"], name="document_number_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.number}"

    @property
    def verification_code_display(self) -> str:
        from .codes import group

        return group(self.verification_code)
