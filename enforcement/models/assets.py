"""Assets (财产): online inquiries (网络查控) with their findings, the applicant's clues
(财产线索), and the controls over what was found (冻结、扣划、查封、扣押、评估、拍卖、解除).

An inquiry asks every configured provider about one debtor or all of a case's debtors; each
(debtor, provider) pair is one InquiryTarget, the unit of work and of progress the worker
claims (so a re-run never asks twice or stores twice: findings are unique per target).
Findings keep personal identifiers (account numbers) encrypted and show them masked.
A control is one measure over one asset, from a finding or a checked clue, with its legal
period as a deadline-engine clock (renewal reminders are that clock's reminder stages).
Everything is scoped through its case (enforcement.selectors).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.inquiry.providers import FindingKind

from .core import MONEY


class InquiryStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("查询中")
    DONE = "done", _("已完成")
    PARTIAL = "partial", _("部分完成")
    FAILED = "failed", _("查询失败")


class InquiryPurpose(models.TextChoices):
    MANUAL = "manual", _("承办人发起")
    BULK = "bulk", _("批量查控")
    PERIODIC = "periodic", _("终本后定期查询")


class AssetInquiry(models.Model):
    """One online inquiry (网络查控) of a case, for one debtor or all of them."""

    case = models.ForeignKey(
        "enforcement.EnforcementCase", on_delete=models.CASCADE, related_name="asset_inquiries",
        db_index=False,  # enf_inquiry_case_idx leads with it
    )  # fmt: skip
    purpose = models.CharField(
        _("查询类型"), max_length=12, choices=InquiryPurpose.choices, default=InquiryPurpose.MANUAL
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # nothing reads inquiries by who asked; an index is a write each
    )
    requested_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始查询时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    findings_count = models.PositiveIntegerField(_("发现财产（项）"), default=0)
    new_findings_count = models.PositiveIntegerField(_("新发现（项）"), default=0)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("网络查控")
        verbose_name_plural = _("网络查控")
        indexes = [
            models.Index(fields=["case", "-requested_at"], name="enf_inquiry_case_idx"),
            # the recovery job's query: unfinished inquiries only
            models.Index(
                fields=["requested_at"],
                condition=Q(status__in=["pending", "running"]),
                name="enf_inquiry_open_idx",
            ),
        ]

    def __str__(self):
        return str(_("网络查控 #%(pk)s") % {"pk": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("enforcement:assets", args=[self.case_id])

    @property
    def is_open(self) -> bool:
        return self.status in (InquiryStatus.PENDING, InquiryStatus.RUNNING)


class TargetStatus(models.TextChoices):
    PENDING = "pending", _("待查询")
    RUNNING = "running", _("查询中")
    DONE = "done", _("已反馈")
    FAILED = "failed", _("查询失败")


class InquiryTarget(models.Model):
    """One debtor × one provider of an inquiry: the unit the worker claims (with a lease:
    a worker that dies leaves it to be taken again when the lease ends) and the progress
    the page shows."""

    # (no index of its own: enf_target_unique leads with it)
    inquiry = models.ForeignKey(
        AssetInquiry, on_delete=models.CASCADE, related_name="targets", db_index=False
    )
    debtor = models.ForeignKey(
        "enforcement.CaseParty", verbose_name=_("被执行人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    provider = models.CharField(_("查询渠道"), max_length=40)
    status = models.CharField(
        _("状态"), max_length=10, choices=TargetStatus.choices, default=TargetStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    answered_on = models.DateField(_("反馈日期"), null=True, blank=True)
    finished_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    findings_count = models.PositiveIntegerField(_("发现财产（项）"), default=0)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)

    audit_organisation_field = "inquiry__case__court"

    class Meta:
        verbose_name = _("查控对象")
        verbose_name_plural = _("查控对象")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inquiry", "debtor", "provider"], name="enf_target_unique"
            ),
        ]
        indexes = [
            # the workers' claim: the open targets of given inquiries
            models.Index(
                fields=["inquiry"],
                condition=Q(status__in=["pending", "running"]),
                name="enf_target_open_idx",
            ),
        ]

    def __str__(self):
        return f"{self.inquiry} · {self.debtor_id} · {self.provider}"

    @property
    def is_open(self) -> bool:
        return self.status in (TargetStatus.PENDING, TargetStatus.RUNNING)


class AssetKind(models.TextChoices):
    BANK_ACCOUNT = FindingKind.BANK_ACCOUNT, _("银行存款")
    ALIPAY = FindingKind.ALIPAY, _("支付宝")
    WECHAT = FindingKind.WECHAT, _("微信支付")
    REAL_ESTATE = FindingKind.REAL_ESTATE, _("不动产")
    VEHICLE = FindingKind.VEHICLE, _("车辆")
    SECURITIES = FindingKind.SECURITIES, _("证券")
    EMPLOYER = FindingKind.EMPLOYER, _("工作单位（收入）")
    SOCIAL_INSURANCE = FindingKind.SOCIAL_INSURANCE, _("社会保险")


class AssetState(models.TextChoices):
    NORMAL = "normal", _("正常")
    ENCUMBERED = "encumbered", _("已被他案冻结/查封")
    MORTGAGED = "mortgaged", _("已抵押")


class AssetFinding(models.Model):
    """One asset a provider reported for a debtor in one inquiry. `reference` is a keyed
    hash of (kind, institution, identifier): the same account in two inquiries has the
    same reference, so a later inquiry knows what is new and what is already controlled."""

    # The fan-out writes hundreds of thousands of these, so each row costs as little as it
    # can: `target` is the one checked foreign key; `inquiry`, `case` and `debtor` are the
    # target's own (copied for reading without joins), so the database does not check them
    # again for every row, and their indexes are only those the reads use (the unique
    # constraint and the two indexes below lead with target, case and debtor).
    inquiry = models.ForeignKey(
        AssetInquiry, on_delete=models.CASCADE, related_name="findings", db_constraint=False
    )
    target = models.ForeignKey(
        InquiryTarget, on_delete=models.CASCADE, related_name="findings", db_index=False
    )
    case = models.ForeignKey(
        "enforcement.EnforcementCase", on_delete=models.CASCADE, related_name="asset_findings",
        db_index=False, db_constraint=False,
    )  # fmt: skip
    debtor = models.ForeignKey(
        "enforcement.CaseParty", verbose_name=_("被执行人"), on_delete=models.PROTECT,
        related_name="+", db_index=False, db_constraint=False,
    )  # fmt: skip
    provider = models.CharField(_("查询渠道"), max_length=40)
    kind = models.CharField(_("财产类型"), max_length=20, choices=AssetKind.choices)
    institution = models.CharField(_("开户/登记机构"), max_length=120)
    identifier_encrypted = models.TextField(_("账号/编号（密文）"), blank=True, editable=False)
    identifier_masked = models.CharField(_("账号/编号"), max_length=80, blank=True)
    reference = models.CharField(max_length=64, editable=False)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    balance = models.DecimalField(_("余额（元）"), **MONEY, null=True, blank=True)
    estimated_value = models.DecimalField(_("估值（元）"), **MONEY, null=True, blank=True)
    asset_status = models.CharField(
        _("财产状态"), max_length=12, choices=AssetState.choices, default=AssetState.NORMAL
    )
    is_new = models.BooleanField(_("新发现"), default=True)
    found_on = models.DateField(_("查询日期"))

    audit_masked_fields = ("identifier_encrypted",)
    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("查控结果")
        verbose_name_plural = _("查控结果")
        ordering = ["kind", "id"]
        constraints = [
            # a re-run of a target never stores the same asset twice
            models.UniqueConstraint(fields=["target", "reference"], name="enf_finding_unique"),
        ]
        indexes = [
            models.Index(fields=["case", "kind"], name="enf_finding_case_idx"),
            models.Index(fields=["debtor", "reference"], name="enf_finding_ref_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.institution} {self.identifier_masked}"

    @property
    def control_measures(self) -> tuple[str, ...]:
        """The measures that apply to this kind of asset (none for leads such as the
        employer or social insurance, which part 2's income withholding uses)."""
        return MEASURES_BY_KIND.get(self.kind, ())


class SimulatedInquiryScript(models.Model):
    """Scripted answers of the simulated provider for one identity (tests and demos): from
    `available_from` on, these findings replace or add to earlier rows'. Keyed by the
    identity's blind index, never the identity."""

    identity_index = models.CharField(max_length=64, db_index=True)
    available_from = models.DateField()
    findings = models.JSONField(default=list)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("模拟查控脚本")
        verbose_name_plural = _("模拟查控脚本")
        ordering = ["identity_index", "available_from", "id"]

    def __str__(self):
        return f"{self.identity_index[:8]}… {self.available_from}"


# --- clues ---------------------------------------------------------------------------


class ClueStatus(models.TextChoices):
    PENDING = "pending", _("待核查")
    CONFIRMED = "confirmed", _("核查属实")
    UNFOUNDED = "unfounded", _("核查不实")


class AssetClue(models.Model):
    """财产线索: a clue from the applicant, checked within 7 days (3 if urgent)."""

    case = models.ForeignKey(
        "enforcement.EnforcementCase", on_delete=models.CASCADE, related_name="asset_clues"
    )
    submitted_by = models.ForeignKey(
        "enforcement.CaseParty",
        verbose_name=_("提供人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    debtor = models.ForeignKey(
        "enforcement.CaseParty",
        verbose_name=_("被执行人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("财产类型"), max_length=20, choices=AssetKind.choices)
    institution = models.CharField(_("开户/登记机构、所在地"), max_length=120, blank=True)
    identifier_encrypted = models.TextField(_("账号/编号（密文）"), blank=True, editable=False)
    identifier_masked = models.CharField(_("账号/编号"), max_length=80, blank=True)
    description = models.TextField(_("线索内容"))
    urgent = models.BooleanField(
        _("情况紧急"), default=False, help_text=_("紧急的（如财产可能被转移），三日内核查")
    )
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=10, choices=ClueStatus.choices, default=ClueStatus.PENDING
    )
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    result = models.TextField(_("核查结果"), blank=True)
    estimated_value = models.DecimalField(_("核实价值/余额（元）"), **MONEY, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    audit_masked_fields = ("identifier_encrypted",)
    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("财产线索")
        verbose_name_plural = _("财产线索")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["case", "status"], name="enf_clue_case_idx")]

    def __str__(self):
        return str(_("财产线索 #%(pk)s") % {"pk": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("enforcement:assets", args=[self.case_id])

    @property
    def control_measures(self) -> tuple[str, ...]:
        return MEASURES_BY_KIND.get(self.kind, ())


# --- controls ------------------------------------------------------------------------


class Measure(models.TextChoices):
    FREEZE = "freeze", _("冻结")
    SEAL = "seal", _("查封")
    SEIZE = "seize", _("扣押")


class AssetClass(models.TextChoices):
    """What the legal maximum period depends on."""

    DEPOSIT = "deposit", _("存款及资金账户")
    MOVABLE = "movable", _("动产")
    REAL_ESTATE = "real_estate", _("不动产")
    OTHER_RIGHT = "other_right", _("其他财产权")


# kind of asset → (asset class, measures that apply)
ASSET_CLASS_BY_KIND = {
    AssetKind.BANK_ACCOUNT: AssetClass.DEPOSIT,
    AssetKind.ALIPAY: AssetClass.DEPOSIT,
    AssetKind.WECHAT: AssetClass.DEPOSIT,
    AssetKind.SECURITIES: AssetClass.OTHER_RIGHT,
    AssetKind.REAL_ESTATE: AssetClass.REAL_ESTATE,
    AssetKind.VEHICLE: AssetClass.MOVABLE,
}
MEASURES_BY_KIND = {
    AssetKind.BANK_ACCOUNT: (Measure.FREEZE,),
    AssetKind.ALIPAY: (Measure.FREEZE,),
    AssetKind.WECHAT: (Measure.FREEZE,),
    AssetKind.SECURITIES: (Measure.FREEZE,),
    AssetKind.REAL_ESTATE: (Measure.SEAL,),
    AssetKind.VEHICLE: (Measure.SEAL, Measure.SEIZE),
}
# the legal maximum of each class is a registered deadline kind (deadlines/statutory.py)
PERIOD_KIND_BY_CLASS = {
    AssetClass.DEPOSIT: "enforcement.freeze_bank",
    AssetClass.MOVABLE: "enforcement.seize_movables",
    AssetClass.REAL_ESTATE: "enforcement.seal_real_estate",
    AssetClass.OTHER_RIGHT: "enforcement.seal_real_estate",
}


class ControlStatus(models.TextChoices):
    ACTIVE = "active", _("控制中")
    DEDUCTED = "deducted", _("已扣划")
    SOLD = "sold", _("已拍卖")
    LIFTED = "lifted", _("已解除")
    EXPIRED = "expired", _("到期失效")


class AssetControl(models.Model):
    """One measure over one asset: a freeze of a deposit (amount up to its balance and what
    is still owed; deduction only after the freeze-to-deduct wait), a seal or seizure of a
    thing (appraised, then auctioned). Its period (`period_months`, at most the legal
    maximum of its class) runs as a deadline-engine clock; renewals extend that clock,
    each by no more than the original period."""

    case = models.ForeignKey(
        "enforcement.EnforcementCase", on_delete=models.CASCADE, related_name="asset_controls"
    )
    debtor = models.ForeignKey(
        "enforcement.CaseParty",
        verbose_name=_("被执行人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finding = models.ForeignKey(
        AssetFinding, verbose_name=_("查控结果"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="controls",
    )  # fmt: skip
    clue = models.ForeignKey(
        AssetClue, verbose_name=_("财产线索"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="controls",
    )  # fmt: skip
    measure = models.CharField(_("措施"), max_length=8, choices=Measure.choices)
    asset_class = models.CharField(_("财产类别"), max_length=12, choices=AssetClass.choices)
    kind = models.CharField(_("财产类型"), max_length=20, choices=AssetKind.choices)
    institution = models.CharField(_("协助执行机构"), max_length=120)
    identifier_encrypted = models.TextField(_("账号/编号（密文）"), blank=True, editable=False)
    identifier_masked = models.CharField(_("账号/编号"), max_length=80, blank=True)
    reference = models.CharField(max_length=64, blank=True, editable=False)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ControlStatus.choices, default=ControlStatus.ACTIVE
    )
    # deposits: the frozen amount and what of it was deducted
    amount = models.DecimalField(_("冻结金额（元）"), **MONEY, null=True, blank=True)
    deducted_amount = models.DecimalField(_("已扣划（元）"), **MONEY, default=Decimal("0.00"))
    deductible_on = models.DateField(_("可扣划日期"), null=True, blank=True)
    # things: appraisal and auction
    appraised_value = models.DecimalField(_("评估价（元）"), **MONEY, null=True, blank=True)
    appraised_on = models.DateField(_("评估日期"), null=True, blank=True)
    appraiser = models.CharField(_("评估机构"), max_length=120, blank=True)
    auction_proceeds = models.DecimalField(_("拍卖成交价（元）"), **MONEY, null=True, blank=True)
    auctioned_on = models.DateField(_("成交日期"), null=True, blank=True)
    # the period
    effective_on = models.DateField(_("生效日期"))
    period_months = models.PositiveSmallIntegerField(_("期限（月）"))
    expires_on = models.DateField(_("到期日"))
    renewals = models.PositiveSmallIntegerField(_("续行次数"), default=0)
    ruling_number = models.CharField(_("裁定书文号"), max_length=60, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    ended_on = models.DateField(_("解除/终结日期"), null=True, blank=True)
    end_reason = models.CharField(_("解除原因"), max_length=200, blank=True)

    audit_masked_fields = ("identifier_encrypted",)
    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("财产控制措施")
        verbose_name_plural = _("财产控制措施")
        ordering = ["expires_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="enf_control_amount_pos"
            ),
            models.CheckConstraint(
                condition=Q(deducted_amount__gte=0)
                & (Q(amount__isnull=True, deducted_amount=0) | Q(deducted_amount__lte=F("amount"))),
                name="enf_control_deducted_within_amount",
            ),
            models.CheckConstraint(condition=Q(period_months__gt=0), name="enf_control_period"),
            # one live control per asset of a case
            models.UniqueConstraint(
                fields=["case", "reference"],
                condition=Q(status="active") & ~Q(reference=""),
                name="enf_control_one_active_per_asset",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "status"], name="enf_control_case_idx"),
            models.Index(
                fields=["expires_on"], condition=Q(status="active"), name="enf_control_expiry_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_measure_display()} {self.institution} {self.identifier_masked}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:assets", args=[self.case_id])

    @property
    def frozen_remaining(self) -> Decimal:
        if self.amount is None or self.status != ControlStatus.ACTIVE:
            return Decimal("0.00")
        return self.amount - self.deducted_amount

    @property
    def period_kind(self) -> str:
        return PERIOD_KIND_BY_CLASS[self.asset_class]


class ControlActionKind(models.TextChoices):
    FREEZE = "freeze", _("冻结")
    SEAL = "seal", _("查封")
    SEIZE = "seize", _("扣押")
    DEDUCT = "deduct", _("扣划")
    APPRAISE = "appraise", _("评估")
    AUCTION = "auction", _("拍卖")
    RENEW = "renew", _("续行")
    LIFT = "lift", _("解除")
    EXPIRE = "expire", _("到期失效")
    CARRY = "carry", _("转入恢复执行案件")


class ControlAction(models.Model):
    """One step on a control, as the case file records it: the measure, each deduction
    (with the fund receipt it made), appraisal, auction, each renewal with its period, the
    lift. The audit log has the same with who and when; this is what the page lists."""

    control = models.ForeignKey(AssetControl, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(_("操作"), max_length=10, choices=ControlActionKind.choices)
    on = models.DateField(_("日期"))
    amount = models.DecimalField(_("金额（元）"), **MONEY, null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("期限（月）"), null=True, blank=True)
    expires_on = models.DateField(_("到期日"), null=True, blank=True)
    fund_receipt = models.CharField(_("案款收款记录"), max_length=40, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(default=timezone.now)

    audit_organisation_field = "control__case__court"

    class Meta:
        verbose_name = _("控制措施记录")
        verbose_name_plural = _("控制措施记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.on}"
