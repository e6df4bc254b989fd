"""Notices (执行通知书, 报告财产令), their service (送达) and the debtor's asset report (财产报告).

- An EnforcementNotice is one issued document of the case, made by the documents app from
  the record (the IssuedDocument keeps the number, the files and the verification code).
  One live notice per case and kind: a wrong one is revoked and issued again. A 报告财产令
  carries the debtor's reporting period (set in the order) and the deadline it started.
- A ServiceRecord says how one notice reached one recipient: method, date, address or
  channel, who signed, proof. A notice counts as served when every debtor has a record.
- An AssetReport is one debtor's answer to the order: when it came in, a summary and the
  items, and the officer's check (核查). Not reporting by the deadline is read by
  `enforcement.selectors_notices.asset_report_state` (part 2's measures and 终本 use it).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import MONEY, CaseParty, EnforcementCase


class NoticeKind(models.TextChoices):
    EXECUTION_NOTICE = "execution_notice", _("执行通知书")
    ASSET_REPORT_ORDER = "asset_report_order", _("报告财产令")


class EnforcementNotice(models.Model):
    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("执行案件"), on_delete=models.PROTECT,
        related_name="notices",
    )  # fmt: skip
    kind = models.CharField(_("文书类型"), max_length=24, choices=NoticeKind.choices)
    document = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("文书"),
        on_delete=models.PROTECT,
        related_name="enforcement_notice",
    )
    issued_at = models.DateTimeField(_("发出时间"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发出人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # --- 报告财产令 only: the period the order gives the debtor, and its clock
    report_days = models.PositiveSmallIntegerField(_("报告期限（日）"), null=True, blank=True)
    report_due_on = models.DateField(
        _("报告截止日"), null=True, blank=True, help_text=_("报告财产令上载明的日期")
    )
    report_deadline = models.ForeignKey(
        "deadlines.Deadline",
        verbose_name=_("报告期限"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # set when the notice stops counting (its document revoked or replaced)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("执行通知文书")
        verbose_name_plural = _("执行通知文书")
        ordering = ["issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(revoked_at__isnull=True),
                name="enf_notice_one_live_per_kind",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="asset_report_order",
                        report_days__isnull=False,
                        report_days__gte=1,
                        report_days__lte=30,
                        report_due_on__isnull=False,
                    )
                    | (~Q(kind="asset_report_order") & Q(report_days__isnull=True))
                ),
                name="enf_notice_order_has_period",
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["case", "kind"], name="enf_notice_case_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.document.number if self.document_id else ''}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("enforcement:detail", args=[self.case_id]) + "#notices"

    @property
    def is_order(self) -> bool:
        return self.kind == NoticeKind.ASSET_REPORT_ORDER


class ServiceMethod(models.TextChoices):
    DIRECT = "direct", _("直接送达")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")
    LEFT = "left", _("留置送达")
    PUBLIC = "public", _("公告送达")


class ElectronicChannel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")
    PLATFORM = "platform", _("电子送达平台")


def proof_storage_name(instance, filename: str) -> str:
    """A random storage name: no party name reaches the disk or a URL."""
    import uuid
    from pathlib import PurePath

    extension = PurePath(filename).suffix.lower()[:10]
    return timezone.now().strftime("enforcement/service/%Y/%m/") + uuid.uuid4().hex + extension


class ServiceRecord(models.Model):
    """送达记录: one notice served on one recipient."""

    notice = models.ForeignKey(
        EnforcementNotice, verbose_name=_("送达文书"), on_delete=models.PROTECT,
        related_name="services",
    )  # fmt: skip
    recipient = models.ForeignKey(
        CaseParty, verbose_name=_("受送达人"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("送达方式"), max_length=12, choices=ServiceMethod.choices)
    channel = models.CharField(
        _("电子送达渠道"), max_length=12, choices=ElectronicChannel.choices, blank=True
    )
    served_on = models.DateField(
        _("送达日期"), help_text=_("公告送达：公告期满之日；邮寄送达：签收日")
    )
    address = models.CharField(
        _("送达地址/公告载体"), max_length=200, blank=True,
        help_text=_("直接、邮寄、留置送达的地址；公告送达的报纸或网站"),
    )  # fmt: skip
    # phone number, e-mail or platform account of electronic service: personal data
    electronic_address_encrypted = models.TextField(blank=True, editable=False)
    electronic_address_masked = models.CharField(
        _("电子送达地址"), max_length=120, blank=True, editable=False
    )
    receipt_name = models.CharField(_("签收人"), max_length=60, blank=True)
    receipt_relation = models.CharField(
        _("签收人身份"), max_length=60, blank=True,
        help_text=_("如：本人、同住成年家属、法定代表人、收发室"),
    )  # fmt: skip
    tracking_number = models.CharField(_("邮件单号"), max_length=40, blank=True)
    witnesses = models.CharField(
        _("见证人"), max_length=120, blank=True, help_text=_("留置送达时的见证人（或拍照录像）")
    )
    proof_file = models.FileField(
        _("送达凭证"), upload_to=proof_storage_name, max_length=200, blank=True
    )
    proof_name = models.CharField(_("凭证原文件名"), max_length=200, blank=True)
    proof_content_type = models.CharField(max_length=100, blank=True)
    proof_size = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    audit_organisation_field = "notice__case__court"
    audit_masked_fields = ("electronic_address_encrypted",)

    class Meta:
        verbose_name = _("送达记录")
        verbose_name_plural = _("送达记录")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "recipient"], name="enf_service_once_per_recipient"
            ),
            models.CheckConstraint(
                condition=Q(method="electronic", channel__in=["sms", "email", "platform"])
                | (~Q(method="electronic") & Q(channel="")),
                name="enf_service_channel_only_electronic",
            ),
        ]

    def __str__(self):
        return f"{self.notice} → {self.recipient.name}（{self.get_method_display()}）"


class AssetReportStatus(models.TextChoices):
    RECEIVED = "received", _("已报告待核查")
    CHECKED = "checked", _("已核查")


class CheckResult(models.TextChoices):
    CONSISTENT = "consistent", _("属实")
    PARTLY_FALSE = "partly_false", _("部分不实")
    FALSE = "false", _("不实（虚假报告）")


class AssetReport(models.Model):
    """财产报告: one debtor's written report in answer to the order."""

    order = models.ForeignKey(
        EnforcementNotice, verbose_name=_("报告财产令"), on_delete=models.PROTECT,
        related_name="asset_reports",
    )  # fmt: skip
    debtor = models.ForeignKey(
        CaseParty, verbose_name=_("被执行人"), on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("收到报告日期"))
    summary = models.TextField(_("报告内容摘要"), blank=True)
    no_assets = models.BooleanField(_("报告无财产可供执行"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=AssetReportStatus.choices,
        default=AssetReportStatus.RECEIVED,
    )  # fmt: skip
    check_result = models.CharField(
        _("核查结果"), max_length=16, choices=CheckResult.choices, blank=True
    )
    check_note = models.TextField(_("核查情况"), blank=True)
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    audit_organisation_field = "order__case__court"

    class Meta:
        verbose_name = _("财产报告")
        verbose_name_plural = _("财产报告")
        ordering = ["received_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "debtor"], name="enf_report_once_per_debtor"),
            models.CheckConstraint(
                condition=Q(status="received", checked_at__isnull=True)
                | Q(status="checked", checked_at__isnull=False) & ~Q(check_result=""),
                name="enf_report_checked_has_result",
            ),
        ]

    def __str__(self):
        return f"{self.debtor.name} {self.received_on}"


class AssetCategory(models.TextChoices):
    INCOME = "income", _("收入")
    DEPOSIT = "deposit", _("银行存款、现金")
    ONLINE = "online", _("网络资金账户（支付宝、微信等）")
    SECURITIES = "securities", _("理财产品、有价证券")
    REAL_ESTATE = "real_estate", _("土地使用权、房屋等不动产")
    VEHICLE = "vehicle", _("交通运输工具")
    MOVABLES = "movables", _("机器设备、产品、原材料等动产")
    RIGHTS = "rights", _("债权、股权、投资权益、知识产权等财产性权利")
    CHANGE = "change", _("财产变动情况")
    OTHER = "other", _("其他")


class AssetReportItem(models.Model):
    report = models.ForeignKey(AssetReport, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(_("财产类别"), max_length=16, choices=AssetCategory.choices)
    description = models.CharField(
        _("财产情况"), max_length=300, help_text=_("名称、所在、权属、权利负担等")
    )
    value = models.DecimalField(_("价值/余额（元）"), **MONEY, null=True, blank=True)

    audit_organisation_field = "report__order__case__court"

    class Meta:
        verbose_name = _("财产报告事项")
        verbose_name_plural = _("财产报告事项")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="enf_report_item_value"
            )
        ]

    def __str__(self):
        return f"{self.get_category_display()}：{self.description}"
