"""What happens to a sanction after it is imposed: removal (删除/解除, 3 working days from
the legal fact), credit restoration (信用修复), one-time lifting (单次解禁), correction
(纠正) and its review (复议), and the certificates (履行完毕证明, 自动履行证明, 信用修复证明)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .sanctions import Listing, Restriction

MONEY = {"max_digits": 14, "decimal_places": 2}

ONE_SANCTION = Q(listing__isnull=False, restriction__isnull=True) | Q(
    listing__isnull=True, restriction__isnull=False
)


class Trigger(models.TextChoices):
    """Why a sanction is removed (DOMAIN.md "Removal within 3 working days of …")."""

    FULL_PERFORMANCE = "full_performance", _("全部履行完毕")
    SETTLEMENT_PERFORMED = "settlement_performed", _("执行和解协议履行完毕")
    APPLICANT_REQUEST = "applicant_request", _("申请执行人申请删除并经审查同意")
    EMPTY_SEARCHES = "empty_searches", _("终本后两次网络查控未发现财产")
    SUSPENSION_TERMINATION = "suspension_termination", _("中止执行、不予执行或终结执行")
    EXPIRY = "expiry", _("期限届满")
    SECURITY = "security", _("提供确实有效的担保")
    RESTORATION = "restoration", _("信用修复")
    CORRECTION = "correction", _("纠正错误")


class Removal(models.Model):
    """One sanction to be removed because of one legal fact, within 3 working days of it
    (the `credit.removal` clock on this row). Some triggers need the president's approval
    first (credit.conf.REMOVAL_APPROVAL_TRIGGERS)."""

    class State(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", _("待审批")
        PENDING = "pending", _("待删除")
        DONE = "done", _("已删除")
        REFUSED = "refused", _("不予删除")

    listing = models.ForeignKey(
        Listing, verbose_name=_("失信名单"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="removals",
    )  # fmt: skip
    restriction = models.ForeignKey(
        Restriction, verbose_name=_("限制消费令"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="removals",
    )  # fmt: skip
    case = models.ForeignKey(
        "enforcement.EnforcementCase", on_delete=models.PROTECT, related_name="+"
    )
    court = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    trigger = models.CharField(_("删除事由"), max_length=24, choices=Trigger.choices)
    reason = models.TextField(_("事由说明"))
    fact_at = models.DateTimeField(_("事由发生时间"), help_text=_("三个工作日自此起算"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="credit_removals",
    )  # fmt: skip
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="credit_removals_to_decide",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("删除期限"), null=True, blank=True)
    done_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("删除人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    audit_organisation_field = "court"

    class Meta:
        verbose_name = _("删除失信/解除限制")
        verbose_name_plural = _("删除失信/解除限制")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=ONE_SANCTION, name="credit_removal_one_sanction"),
            # one open removal per sanction
            models.UniqueConstraint(
                fields=["listing"], condition=Q(state__in=["pending_approval", "pending"]),
                name="credit_removal_open_listing",
            ),
            models.UniqueConstraint(
                fields=["restriction"], condition=Q(state__in=["pending_approval", "pending"]),
                name="credit_removal_open_restriction",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["court", "state", "due_at"], name="credit_removal_court_idx"),
            models.Index(fields=["owner", "state"], name="credit_removal_owner_idx"),
            # the court's figures (credit/figures.py): removals done in a year, by month
            models.Index(fields=["court", "done_at"], name="credit_removal_done_idx",
                         condition=Q(state="done")),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.get_trigger_display()} · {self.sanction}"

    def get_absolute_url(self) -> str:
        return reverse("credit:removal", args=[self.pk])

    @property
    def sanction(self):
        return self.listing or self.restriction

    @property
    def is_late(self) -> bool:
        if self.due_at is None:
            return False
        moment = self.done_at or timezone.now()
        return moment > self.due_at and self.state != self.State.REFUSED


class Restoration(models.Model):
    """信用修复: the debtor (or the officer for them) applies with evidence of performance,
    settlement or security; the court decides with reasons. Granted: the listing is
    shielded and the restriction lifted (through removals), and a certificate issued."""

    class State(models.TextChoices):
        APPLIED = "applied", _("已申请")
        GRANTED = "granted", _("准予修复")
        REFUSED = "refused", _("不予修复")

    class Basis(models.TextChoices):
        PERFORMED = "performed", _("已履行完毕")
        SETTLED = "settled", _("达成和解并履行")
        SECURITY = "security", _("提供担保")
        OTHER = "other", _("其他守信表现")

    debtor = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "enforcement.EnforcementCase", on_delete=models.PROTECT, related_name="+"
    )
    court = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    applicant_name = models.CharField(_("申请人"), max_length=120)
    on_behalf = models.BooleanField(_("由承办人代为申请"), default=False)
    basis = models.CharField(_("修复依据"), max_length=12, choices=Basis.choices)
    evidence = models.TextField(_("证明材料"))
    applied_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default="applied")
    decision_reasons = models.TextField(_("决定理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    audit_organisation_field = "court"

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-applied_at", "-pk"]
        # the court's figures (credit/figures.py): decisions in a year, by month
        indexes = [models.Index(fields=["court", "decided_at"], name="credit_restore_court_idx")]

    def __str__(self):
        return f"信用修复 {self.applicant_name} {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("credit:restoration", args=[self.pk])


class OneTimeLifting(models.Model):
    """单次解禁: a restriction lifted once, for stated dates and a stated need (a flight
    for medical care), approved by the president; configurable (credit.conf)."""

    class State(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")

    restriction = models.ForeignKey(
        Restriction, on_delete=models.PROTECT, related_name="one_time_liftings"
    )
    court = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    need = models.CharField(_("事由类别"), max_length=60)
    reasons = models.TextField(_("具体理由"))
    starts_on = models.DateField(_("解禁开始日期"))
    ends_on = models.DateField(_("解禁结束日期"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="credit_liftings_to_decide",
        help_text=_("为空：案件移送后待承办法院报请本院院长审批"),
    )  # fmt: skip
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.PENDING_APPROVAL
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    audit_organisation_field = "court"

    class Meta:
        verbose_name = _("单次解禁")
        verbose_name_plural = _("单次解禁")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="credit_lifting_dates"
            ),
            # no approver only while waiting for one (after the case moved: transfer.py)
            models.CheckConstraint(
                condition=Q(approver__isnull=False) | Q(state="pending_approval"),
                name="credit_lifting_approver_unless_pending",
            ),
        ]
        # the court's figures (credit/figures.py): approvals in a year, by month
        indexes = [models.Index(fields=["court", "decided_at"], name="credit_lifting_court_idx")]

    def __str__(self):
        return f"单次解禁 {self.starts_on}–{self.ends_on}"


class CorrectionRequest(models.Model):
    """纠正申请: reviewed within 15 days; if justified, fixed within 3 working days. The
    decision may be reviewed (复议) on application within 10 days."""

    class State(models.TextChoices):
        UNDER_REVIEW = "under_review", _("审查中")
        JUSTIFIED = "justified", _("理由成立，待纠正")
        FIXED = "fixed", _("已纠正")
        REJECTED = "rejected", _("理由不成立，驳回")

    class Remedy(models.TextChoices):
        REMOVE = "remove", _("删除/解除")
        AMEND = "amend", _("更正信息")

    listing = models.ForeignKey(
        Listing, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    restriction = models.ForeignKey(
        Restriction, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    court = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    applicant_name = models.CharField(_("申请人"), max_length=120)
    grounds = models.TextField(_("申请理由"))
    received_at = models.DateTimeField(_("收到申请时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.UNDER_REVIEW
    )
    remedy = models.CharField(_("纠正方式"), max_length=8, choices=Remedy.choices, blank=True)
    amendment = models.JSONField(_("更正内容"), default=dict, blank=True)
    decision_reasons = models.TextField(_("审查意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审查人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("审查决定时间"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("纠正时间"), null=True, blank=True)

    audit_organisation_field = "court"

    class Meta:
        verbose_name = _("纠正申请")
        verbose_name_plural = _("纠正申请")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=ONE_SANCTION, name="credit_correction_one_sanction")
        ]

    def __str__(self):
        return f"纠正申请 {self.applicant_name} {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("credit:correction", args=[self.pk])

    @property
    def sanction(self):
        return self.listing or self.restriction


class CreditReview(models.Model):
    """复议: against the correction decision, applied for within 10 days of it, decided
    by the court above within 15 days."""

    class State(models.TextChoices):
        UNDER_REVIEW = "under_review", _("复议审查中")
        UPHELD = "upheld", _("维持")
        REVERSED = "reversed", _("撤销原决定")

    correction = models.ForeignKey(
        CorrectionRequest, on_delete=models.PROTECT, related_name="reviews"
    )
    court = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("复议法院"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    applicant_name = models.CharField(_("复议申请人"), max_length=120)
    grounds = models.TextField(_("复议理由"))
    applied_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.UNDER_REVIEW
    )
    decision_reasons = models.TextField(_("复议决定理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    audit_organisation_field = "court"

    class Meta:
        verbose_name = _("复议")
        verbose_name_plural = _("复议")
        ordering = ["-applied_at", "-pk"]

    def __str__(self):
        return f"复议 {self.applicant_name} {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("credit:correction", args=[self.correction_id])


class VoluntaryPerformance(models.Model):
    """守信激励: a party who performed an effective legal document without enforcement (or
    the debtor who performed in full); the register partners may also read."""

    party = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    party_name = models.CharField(_("姓名/名称"), max_length=120)
    basis_document = models.CharField(_("生效法律文书"), max_length=120)
    basis = models.ForeignKey(
        "enforcement.LegalBasis", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    case = models.ForeignKey(
        "enforcement.EnforcementCase", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    duty = models.TextField(_("履行义务"))
    amount = models.DecimalField(_("履行金额（元）"), **MONEY, null=True, blank=True)
    performed_on = models.DateField(_("履行日期"))
    public = models.BooleanField(_("同意公开"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    feed_version = models.BigIntegerField(_("变更版本"), null=True, blank=True, editable=False)

    audit_organisation_field = "court"

    class Meta:
        verbose_name = _("自动履行登记")
        verbose_name_plural = _("自动履行登记")
        ordering = ["-performed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=Decimal("0")),
                name="credit_voluntary_amount_positive",
            )
        ]

    def __str__(self):
        return f"自动履行 {self.party_name} {self.performed_on}"


class Certificate(models.Model):
    """A certificate the credit app issues through the documents service; the document's
    subject is this row (so the record getter scopes it), and its QR code leads to /v/."""

    class Kind(models.TextChoices):
        PERFORMANCE = "performance", _("履行完毕证明")
        VOLUNTARY = "voluntary", _("自动履行生效法律文书证明")
        RESTORATION = "restoration", _("信用修复证明")

    kind = models.CharField(_("证明类型"), max_length=12, choices=Kind.choices)
    party = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "enforcement.EnforcementCase", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    restoration = models.ForeignKey(
        Restoration, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates"
    )
    voluntary_performance = models.ForeignKey(
        VoluntaryPerformance, on_delete=models.PROTECT, null=True, blank=True,
        related_name="certificates",
    )  # fmt: skip
    document = models.OneToOneField(
        "documents.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("出具人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("出具时间"), default=timezone.now)

    audit_organisation_field = "court"

    class Meta:
        verbose_name = _("信用证明")
        verbose_name_plural = _("信用证明")
        ordering = ["-created_at", "-pk"]
        # the court's figures (credit/figures.py): certificates issued in a year, by month
        indexes = [models.Index(fields=["court", "created_at"], name="credit_cert_court_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.party_id}"

    def get_absolute_url(self) -> str:
        return reverse("credit:certificate", args=[self.pk])
