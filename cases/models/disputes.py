"""Disputes (矛盾纠纷), their parties and attachments, bundles and saved filters."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.search import SearchTokensField

from .choices import (
    Category,
    Difficulty,
    DisputeStatus,
    PartyRole,
    ReferralTarget,
    RiskLevel,
    SourceChannel,
)


class ReferenceSequence(models.Model):
    """Gap-free reference numbers per organisation and year (row-locked on use)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="case_refseq_unique")
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.year}: {self.last}"


class Bundle(models.Model):
    """打包: disputes about one common problem (飞线充电, 乱堆乱放) escalated as one."""

    class Status(models.TextChoices):
        OPEN = "open", _("归集中")
        ESCALATED = "escalated", _("已上报")
        CLOSED = "closed", _("已办结")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="case_bundles",
    )
    title = models.CharField(_("共性问题"), max_length=120)
    description = models.TextField(_("情况说明"), blank=True)
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    escalated_to = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("上报至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalated_case_bundles",
    )
    escalated_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("打包事项")
        verbose_name_plural = _("打包事项")
        indexes = [models.Index(fields=["organisation", "status"], name="case_bundle_org_idx")]

    def __str__(self):
        return self.title


class Dispute(models.Model):
    """A dispute (矛盾纠纷) and where it is in the loop 出卷→研判→吹哨→应哨→答卷→交卷→评卷."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("登记单位"),
        on_delete=models.PROTECT,
        related_name="disputes",
        help_text=_("登记并负责闭环的综治中心或村/社区；决定可见范围"),
    )
    reference = models.CharField(_("编号"), max_length=40, unique=True)
    source_channel = models.CharField(_("来源渠道"), max_length=24, choices=SourceChannel.choices)
    source_reference = models.CharField(
        _("来源编号"), max_length=64, blank=True, help_text=_("如12345工单号；同一来源不重复登记")
    )
    category = models.CharField(_("纠纷类别"), max_length=32, choices=Category.choices)
    facts = models.TextField(_("基本事实"))
    amount_in_dispute = models.DecimalField(
        _("争议金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    region = models.ForeignKey(
        "organisations.Region",
        verbose_name=_("发生地区划"),
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    place = models.CharField(_("发生地点"), max_length=200, blank=True)
    risk_level = models.CharField(
        _("风险等级"), max_length=16, choices=RiskLevel.choices, default=RiskLevel.ORDINARY
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=DisputeStatus.choices, default=DisputeStatus.REGISTERED
    )
    # 研判
    difficulty = models.CharField(
        _("难易程度"), max_length=20, choices=Difficulty.choices, blank=True
    )
    duty_note = models.CharField(_("职责研判"), max_length=200, blank=True)
    lead_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("主责单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_disputes",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("牵头领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_disputes",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_disputes",
    )
    triage_due_at = models.DateTimeField(_("研判期限"), null=True, blank=True)
    due_at = models.DateTimeField(_("办结期限"), null=True, blank=True)
    triaged_at = models.DateTimeField(_("研判时间"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(
        _("办理轮次"), default=1, help_text=_("群众不满意重办后加一；吹哨、答卷按轮次计")
    )
    # 登记、化解、销号
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="registered_disputes",
    )
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    resolved_at = models.DateTimeField(
        _("化解时间"), null=True, blank=True, help_text=_("交卷审核确认化解的时间")
    )
    closed_at = models.DateTimeField(
        _("销号时间"), null=True, blank=True, help_text=_("闭环结束（群众满意或终结）的时间")
    )
    is_flagged = models.BooleanField(_("督办"), default=False)
    flagged_note = models.CharField(_("督办意见"), max_length=200, blank=True)
    bundle = models.ForeignKey(
        Bundle,
        verbose_name=_("打包事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disputes",
    )
    referral_target = models.CharField(
        _("移交去向"), max_length=16, choices=ReferralTarget.choices, blank=True
    )
    linked_to = models.ForeignKey(
        "self",
        verbose_name=_("关联纠纷"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_disputes",
        help_text=_("同一事项的重复登记指向首次登记"),
    )
    search_tokens = SearchTokensField()
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    parties = models.ManyToManyField(
        "cases.Party", through="cases.DisputeParty", related_name="disputes"
    )

    audit_exclude_fields = ("search_tokens",)

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_channel", "source_reference"],
                condition=~Q(source_reference=""),
                name="dispute_unique_source_reference",
            ),
            models.CheckConstraint(
                condition=Q(amount_in_dispute__isnull=True) | Q(amount_in_dispute__gte=0),
                name="dispute_amount_not_negative",
            ),
        ]
        indexes = [
            # keyset pagination: ORDER BY registered_at DESC, id DESC, per filter
            models.Index(fields=["-registered_at", "-id"], name="dispute_keyset_idx"),
            models.Index(fields=["organisation", "-registered_at", "-id"], name="dispute_org_idx"),
            models.Index(fields=["status", "-registered_at", "-id"], name="dispute_status_idx"),
            models.Index(fields=["category", "-registered_at"], name="dispute_category_idx"),
            models.Index(fields=["source_channel", "-registered_at"], name="dispute_channel_idx"),
            models.Index(fields=["risk_level", "-registered_at"], name="dispute_risk_idx"),
            models.Index(fields=["region", "-registered_at"], name="dispute_region_idx"),
            models.Index(fields=["due_at"], name="dispute_due_idx"),
            models.Index(fields=["resolved_at"], name="dispute_resolved_idx"),
            models.Index(fields=["closed_at"], name="dispute_closed_idx"),
            models.Index(fields=["lead_organisation"], name="dispute_lead_idx"),
            # home page and list filters: a grid worker's own reports, newest first; new
            # disputes whose triage clock runs out (overdue / due today)
            models.Index(
                fields=["registered_by", "-registered_at", "-id"], name="dispute_registrant_idx"
            ),
            models.Index(
                fields=["triage_due_at"],
                condition=Q(status="registered"),
                name="dispute_triage_due_idx",
            ),
            models.Index(
                fields=["-registered_at"], condition=Q(is_flagged=True), name="dispute_flagged_idx"
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        from .choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_at and self.is_open and self.due_at < timezone.now())


class DisputeParty(models.Model):
    """A party in one dispute, with the name, phone and address as this dispute recorded them.

    The Party is the identity, matched across the portal by ID number / credit code (blind
    index); what a user sees and reveals comes from the links in their own scope, so one
    organisation never learns what another recorded for the same person.
    """

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="dispute_parties")
    party = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="dispute_links")
    role = models.CharField(_("诉讼地位"), max_length=16, choices=PartyRole.choices)
    name = models.CharField(
        _("登记姓名/名称"), max_length=120, blank=True, help_text=_("本纠纷登记时填写的姓名或名称")
    )
    phone_encrypted = models.TextField(_("联系电话（密文）"), blank=True, editable=False)
    phone_index = models.CharField(
        _("联系电话索引"), max_length=64, blank=True, editable=False, db_index=True
    )
    phone_masked = models.CharField(_("联系电话"), max_length=32, blank=True, editable=False)
    address = models.CharField(_("住所/地址"), max_length=200, blank=True)

    audit_masked_fields = ("phone_encrypted", "phone_index")
    audit_organisation_field = "dispute__organisation"

    class Meta:
        verbose_name = _("纠纷当事人")
        verbose_name_plural = _("纠纷当事人")
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "party", "role"], name="dispute_party_unique"
            )
        ]
        indexes = [models.Index(fields=["party", "dispute"], name="dispute_party_party_idx")]

    def __str__(self):
        return f"{self.get_role_display()}：{self.name}"


def attachment_storage_name(instance, filename: str) -> str:
    """A random storage name: the uploader's file name (a person's name, an ID number…)
    never reaches the disk or a URL; it is kept in `original_name`. The extension was
    checked against the allowed list by the service."""
    extension = PurePath(filename).suffix.lower()[:10]
    return timezone.now().strftime("cases/%Y/%m/") + uuid.uuid4().hex + extension


class Attachment(models.Model):
    """A file stored through Django's storage API (size and type checked in the service),
    under a random name, and served only through the scoped download view."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        DOCUMENT = "document", _("文书材料")
        ANSWER = "answer", _("答卷材料")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="attachments")
    dispatch = models.ForeignKey(
        "cases.Dispatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.DOCUMENT)
    file = models.FileField(_("文件"), upload_to=attachment_storage_name)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    audit_organisation_field = "dispute__organisation"
    audit_field_labels = {
        "dispute": _("矛盾纠纷"),
        "dispatch": _("吹哨交办"),
        "uploaded_by": _("上传人"),
    }

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.original_name


class SavedFilter(models.Model):
    """A user's named dispute-list filter (the query string of the list page)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_filters"
    )
    name = models.CharField(_("名称"), max_length=60)
    query = models.CharField(_("筛选条件"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("常用筛选")
        verbose_name_plural = _("常用筛选")
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_filter_unique")]

    def __str__(self):
        return self.name
