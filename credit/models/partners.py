"""Partner agencies (联合惩戒单位: banks, airlines, railways, tender platforms) that read the
published credit entries by API (一处失信、处处受限).

An agency holds one or more tokens, each issued and revoked by an administrator. Only the
SHA-256 digest of a token is stored (a token is 256 random bits, so a fast hash suffices; the
plain token is shown once, at issue). Each token carries the scopes it may read, never more
than its agency's. Every read is logged (FeedRead): which agency, which token, from which
cursor, how many entries, when and from where.

These are not staff API tokens (knox): a partner is no user of the portal and can reach
nothing but the feed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FeedScope(models.TextChoices):
    LISTINGS = "listings", _("失信被执行人名单")
    RESTRICTIONS = "restrictions", _("限制消费人员")
    VOLUNTARY = "voluntary", _("自动履行（守信）名录")
    # full ID numbers of persons (a bank or airline matches its customers by them);
    # without it the feed gives the masked number only, as the public page does
    IDENTITY = "identity", _("完整身份证号码")


class PartnerAgency(models.Model):
    class Kind(models.TextChoices):
        BANK = "bank", _("银行/金融机构")
        TRANSPORT = "transport", _("民航/铁路")
        TENDER = "tender", _("招投标/政府采购平台")
        REGISTRY = "registry", _("登记/审批部门")
        OTHER = "other", _("其他")

    name = models.CharField(_("单位名称"), max_length=120, unique=True)
    code = models.SlugField(
        _("单位代码"), max_length=40, unique=True, help_text=_("接口日志和文档中使用的简称")
    )
    kind = models.CharField(_("单位类型"), max_length=12, choices=Kind.choices)
    scopes = models.JSONField(
        _("可读范围"), default=list, blank=True,
        help_text=_("该单位的令牌最多可读取的范围：listings、restrictions、voluntary、identity"),
    )  # fmt: skip
    agreement = models.CharField(
        _("协议/依据"), max_length=200, blank=True, help_text=_("联合惩戒合作备忘录或数据共享协议")
    )
    contact = models.CharField(_("联系人"), max_length=120, blank=True)
    active = models.BooleanField(
        _("启用"), default=True, help_text=_("停用后该单位的全部令牌立即失效")
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    audit_organisation_field = ""

    class Meta:
        verbose_name = _("协同单位")
        verbose_name_plural = _("协同单位")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerToken(models.Model):
    agency = models.ForeignKey(
        PartnerAgency, verbose_name=_("协同单位"), on_delete=models.PROTECT, related_name="tokens"
    )
    label = models.CharField(_("用途说明"), max_length=120)
    key_prefix = models.CharField(
        _("令牌前缀"), max_length=16, editable=False, help_text=_("用于辨认令牌，不能用于访问")
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("可读范围"), default=list)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签发人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("吊销人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    revoke_reason = models.CharField(_("吊销原因"), max_length=200, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    audit_masked_fields = ("digest",)
    audit_organisation_field = ""

    class Meta:
        verbose_name = _("协同单位令牌")
        verbose_name_plural = _("协同单位令牌")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="credit_partner_token_revoked_by",
            )
        ]

    def __str__(self):
        return f"{self.agency} · {self.label} ({self.key_prefix}…)"

    def usable_at(self, moment) -> bool:
        return (
            self.revoked_at is None
            and self.agency.active
            and (self.expires_at is None or self.expires_at > moment)
        )


class FeedRead(models.Model):
    """One read of the feed by a partner: kept as the record of who received which data."""

    class Resource(models.TextChoices):
        CHANGES = "changes", _("失信/限消变更")
        VOLUNTARY = "voluntary", _("自动履行名录")
        READS = "reads", _("本单位读取记录")

    agency = models.ForeignKey(
        PartnerAgency, verbose_name=_("协同单位"), on_delete=models.PROTECT, related_name="reads"
    )
    token = models.ForeignKey(
        PartnerToken, verbose_name=_("令牌"), on_delete=models.PROTECT, related_name="reads"
    )
    resource = models.CharField(_("接口"), max_length=12, choices=Resource.choices)
    cursor = models.BigIntegerField(_("起始游标"), default=0)
    next_cursor = models.BigIntegerField(_("返回游标"), default=0)
    count = models.PositiveIntegerField(_("条数"), default=0)
    client_ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    read_at = models.DateTimeField(_("读取时间"), default=timezone.now)

    audit_organisation_field = ""

    class Meta:
        verbose_name = _("协同单位读取记录")
        verbose_name_plural = _("协同单位读取记录")
        ordering = ["-read_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-read_at"], name="credit_feedread_agency_idx")]

    def __str__(self):
        return f"{self.agency} {self.resource} {self.cursor}→{self.next_cursor} ({self.count})"
