"""Enforcement (执行): the legal basis, the case and its parties.

One EnforcementCase is a matter from the applicant's application onwards. While the court
urges the debtor before filing (执前督促) it has no case number; filing gives it one from
the court's gap-free sequence per case type and year — so an urging that ends in
performance never consumes a number and leaves no case and no credit mark.
The enforcing court owns the case (scope); the workflow is enforcement/states.py.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}


class BasisKind(models.TextChoices):
    JUDGMENT = "judgment", _("民事判决书")
    MEDIATION_DOCUMENT = "mediation_document", _("民事调解书")
    CONFIRMATION_RULING = "confirmation_ruling", _("司法确认裁定书")
    ARBITRAL_AWARD = "arbitral_award", _("仲裁裁决书")
    NOTARISED_INSTRUMENT = "notarised_instrument", _("具有强制执行效力的公证债权文书")
    PAYMENT_ORDER = "payment_order", _("支付令")
    OTHER_RULING = "other_ruling", _("其他裁定书、决定书")


class LegalBasis(models.Model):
    """执行依据: the effective legal document the case enforces."""

    court = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("执行法院"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("依据类型"), max_length=24, choices=BasisKind.choices)
    issuing_body = models.CharField(_("作出机关"), max_length=120)
    document_number = models.CharField(_("文书编号"), max_length=60)
    # the number with brackets and spaces normalised (enforcement/numbers.py), for search
    document_number_key = models.CharField(max_length=60, editable=False, db_index=True)
    effective_on = models.DateField(_("生效日期"))
    main_text = models.TextField(_("主文/给付内容"), blank=True)
    judicial_confirmation = models.ForeignKey(
        "mediation.JudicialConfirmation",
        verbose_name=_("司法确认裁定"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_bases",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    audit_organisation_field = "court"

    class Meta:
        verbose_name = _("执行依据")
        verbose_name_plural = _("执行依据")

    def __str__(self):
        return f"{self.get_kind_display()} {self.document_number}"

    def save(self, *args, **kwargs):
        from enforcement.numbers import case_number_normalise

        self.document_number_key = case_number_normalise(self.document_number)
        if kwargs.get("update_fields") and "document_number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "document_number_key"}
        super().save(*args, **kwargs)

    @property
    def last_performance_date(self):
        """The last day of the performance period: the last instalment's due date."""
        dates = [d.due_date for d in self.performance_deadlines.all()]
        return max(dates) if dates else None


class PerformanceDeadline(models.Model):
    """One performance period of the basis (one, or one per instalment)."""

    basis = models.ForeignKey(
        LegalBasis, on_delete=models.CASCADE, related_name="performance_deadlines"
    )
    number = models.PositiveSmallIntegerField(_("期数"), default=1)
    due_date = models.DateField(_("履行期限届满日"))
    amount = models.DecimalField(_("本期金额（元）"), **MONEY, null=True, blank=True)
    description = models.CharField(_("履行内容"), max_length=200, blank=True)

    audit_organisation_field = "basis__court"

    class Meta:
        verbose_name = _("履行期限")
        verbose_name_plural = _("履行期限")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["basis", "number"], name="enf_perf_deadline_unique"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="enf_perf_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.basis} 第{self.number}期 {self.due_date}"


class CaseType(models.TextChoices):
    """The type code in the case number (（2026）蒙0302执123号)."""

    ENFORCEMENT = "执", _("首次执行（执）")
    RESUMED = "执恢", _("恢复执行（执恢）")
    PRESERVATION = "执保", _("财产保全执行（执保）")
    OBJECTION = "执异", _("执行异议（执异）")
    REVIEW = "执复", _("执行复议（执复）")
    SUPERVISION = "执监", _("执行监督（执监）")
    ASSISTANCE = "执协", _("执行协调（执协）")


class CaseStatus(models.TextChoices):
    URGING = "urging", _("执前督促")
    URGING_PERFORMED = "urging_performed", _("督促履行完毕")
    FILED = "filed", _("已立案待分配")
    IN_PROGRESS = "in_progress", _("执行中")
    SUSPENDED = "suspended", _("中止执行")
    SETTLEMENT = "settlement", _("和解履行中")
    PERFORMED = "performed", _("执行完毕")
    TERMINATED_ROUND = "terminated_round", _("终结本次执行程序")
    TERMINATED = "terminated", _("终结执行")
    BANKRUPTCY = "bankruptcy", _("移送破产审查")


# a number exists from filing onwards; these are the filed cases' open states
OPEN_STATUSES = (
    CaseStatus.FILED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.SUSPENDED,
    CaseStatus.SETTLEMENT,
)
PRE_FILING_STATUSES = (CaseStatus.URGING, CaseStatus.URGING_PERFORMED)
CONCLUDED_STATUSES = (
    CaseStatus.PERFORMED,
    CaseStatus.TERMINATED_ROUND,
    CaseStatus.TERMINATED,
    CaseStatus.BANKRUPTCY,
)


class TargetKind(models.TextChoices):
    MONEY = "money", _("给付金钱")
    ACT = "act", _("行为")
    BOTH = "both", _("金钱及行为")


class CaseSequence(models.Model):
    """The court's case numbers, one row per court, case type and year (common.sequences)."""

    court = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    case_type = models.CharField(max_length=8, choices=CaseType.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("执行案号序列")
        verbose_name_plural = _("执行案号序列")
        constraints = [
            models.UniqueConstraint(
                fields=["court", "case_type", "year"], name="enf_case_sequence_unique"
            )
        ]

    def __str__(self):
        return f"{self.court} {self.year}{self.case_type} {self.last}"


class EnforcementCase(models.Model):
    court = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("执行法院"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.FILED
    )
    case_type = models.CharField(
        _("案件类型"), max_length=8, choices=CaseType.choices, default=CaseType.ENFORCEMENT
    )
    case_number = models.CharField(_("案号"), max_length=60, blank=True)
    # normalised (enforcement/numbers.py) so either bracket form finds it
    case_number_key = models.CharField(max_length=60, blank=True, editable=False)
    number_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    number_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # enf-commission: the court whose sequence gave the number, set when a case moves to
    # another enforcing court (交叉执行/指定执行: the case keeps its number); empty = `court`.
    number_court = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        editable=False, related_name="+",
    )  # fmt: skip
    basis = models.ForeignKey(
        LegalBasis, verbose_name=_("执行依据"), on_delete=models.PROTECT, related_name="cases"
    )
    resumed_from = models.ForeignKey(
        "self",
        verbose_name=_("原案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resumptions",
    )
    # --- the application
    applied_on = models.DateField(_("申请执行日期"))
    application_period_ends_on = models.DateField(_("申请执行期间届满日"), null=True, blank=True)
    # accepted, but open to the debtor's defence (never refused for lateness)
    application_late = models.BooleanField(_("超过申请执行期间"), default=False)
    application_note = models.TextField(_("申请执行期间说明"), blank=True)
    # --- the target (执行标的)
    target_kind = models.CharField(
        _("执行标的类型"), max_length=8, choices=TargetKind.choices, default=TargetKind.MONEY
    )
    principal = models.DecimalField(_("本金（元）"), **MONEY, default=Decimal("0.00"))
    interest = models.DecimalField(_("利息（元）"), **MONEY, default=Decimal("0.00"))
    costs = models.DecimalField(_("诉讼费等费用（元）"), **MONEY, default=Decimal("0.00"))
    # 加倍支付迟延履行期间的债务利息: from the day after the performance period ends
    late_interest_from = models.DateField(_("迟延履行利息起算日"), null=True, blank=True)
    act_description = models.TextField(_("应履行的行为"), blank=True)
    # --- priorities
    is_enterprise = models.BooleanField(_("涉企绿色通道"), default=False)
    is_livelihood = models.BooleanField(_("涉民生案件"), default=False)
    is_small_claim = models.BooleanField(_("小额快执"), default=False)
    # --- pre-enforcement urging (执前督促)
    urging_consent_at = models.DateTimeField(_("申请人同意督促时间"), null=True, blank=True)
    urging_consent_note = models.CharField(_("同意方式"), max_length=200, blank=True)
    urging_window_ends_on = models.DateField(_("督促履行期限"), null=True, blank=True)
    # --- filing and assignment
    filed_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("立案人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_cases",
    )
    # when the file reached the officer: the notices' 3-day clock runs from here
    assigned_at = models.DateTimeField(_("移交承办人时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    conclusion_note = models.TextField(_("结案说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    audit_organisation_field = "court"

    class Meta:
        verbose_name = _("执行案件")
        verbose_name_plural = _("执行案件")
        indexes = [
            models.Index(fields=["court", "-created_at", "-id"], name="enf_case_court_idx"),
            models.Index(fields=["court", "status", "-created_at", "-id"],
                         name="enf_case_court_status_idx"),
            # the workbench: an officer's open cases of their courts, from this index alone
            # (with (officer, status) only, PostgreSQL ANDed it with the court's 50,000)
            models.Index(fields=["officer", "status", "court"], name="enf_case_officer_open_idx"),
            models.Index(fields=["case_number_key"], name="enf_case_number_key_idx"),
            models.Index(fields=["basis"], name="enf_case_basis_idx"),
            # the court's list (enforcement/selectors_lists.py): one index per filter, each
            # ending in the list's order so a page is a walk of it
            models.Index(fields=["-created_at", "-id"], name="enf_case_created_idx"),
            models.Index(fields=["officer", "-created_at", "-id"],
                         name="enf_case_officer_list_idx"),
            models.Index(fields=["court", "case_type", "-created_at", "-id"],
                         name="enf_case_court_type_idx"),
            models.Index(fields=["court", "number_year", "-created_at", "-id"],
                         name="enf_case_court_year_idx"),
            models.Index(fields=["court", "-created_at", "-id"], condition=Q(is_enterprise=True),
                         name="enf_case_enterprise_idx"),
            models.Index(fields=["court", "-created_at", "-id"], condition=Q(is_livelihood=True),
                         name="enf_case_livelihood_idx"),
            models.Index(fields=["court", "-created_at", "-id"], condition=Q(is_small_claim=True),
                         name="enf_case_small_claim_idx"),
            models.Index(fields=["court", "-created_at", "-id"],
                         condition=Q(application_late=True), name="enf_case_late_idx"),
            # the court's 执行质效 year (enforcement/figures.py): filed / concluded in a period
            models.Index(fields=["court", "filed_at"], name="enf_case_court_filed_idx"),
            models.Index(fields=["court", "concluded_at"], name="enf_case_court_concluded_idx"),
            # search: exact and prefix of the normalised number (LIKE 'key%')
            models.Index(fields=["case_number_key"], opclasses=["varchar_pattern_ops"],
                         name="enf_case_number_prefix_idx"),
        ]  # fmt: skip
        constraints = [
            # enf-commission: a moved case keeps its number in the sequence of the court
            # that gave it (number_court), so the constraint follows that court
            models.UniqueConstraint(
                Coalesce("number_court", "court"),
                "case_type",
                "number_year",
                "number_sequence",
                condition=Q(number_sequence__isnull=False),
                name="enf_case_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(principal__gte=0) & Q(interest__gte=0) & Q(costs__gte=0),
                name="enf_case_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return self.case_number or str(_("执前督促 #%(pk)s") % {"pk": self.pk})

    def save(self, *args, **kwargs):
        from enforcement.numbers import case_number_normalise

        self.case_number_key = case_number_normalise(self.case_number)
        if kwargs.get("update_fields") and "case_number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "case_number_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        # reminders and deadline pages link here (deadlines.sweep looks for it)
        return reverse("enforcement:detail", args=[self.pk])

    @property
    def amount_ordered(self) -> Decimal:
        """执行标的金额: principal + interest + costs (late-payment interest is computed)."""
        return self.principal + self.interest + self.costs

    @property
    def is_money_case(self) -> bool:
        return self.target_kind in (TargetKind.MONEY, TargetKind.BOTH)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EnforcementRole(models.TextChoices):
    APPLICANT = "applicant", _("申请执行人")
    DEBTOR = "debtor", _("被执行人")
    GUARANTOR = "guarantor", _("担保人")
    THIRD_PARTY = "third_party", _("协助执行人/第三人")


class CaseParty(models.Model):
    """A party of one enforcement case, with name and phone as this case recorded them
    (the person is the portal's one cases.Party, matched by blind index). An applicant has
    a share (the amount due to them, to the fen) and may be represented by another
    applicant (400 workers, four representatives)."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="case_parties")
    party = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("诉讼地位"), max_length=16, choices=EnforcementRole.choices)
    position = models.PositiveIntegerField(_("顺序"), default=0)
    name = models.CharField(_("姓名/名称"), max_length=120)
    phone_encrypted = models.TextField(_("联系电话（密文）"), blank=True, editable=False)
    phone_index = models.CharField(_("联系电话索引"), max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=32, blank=True, editable=False)
    address = models.CharField(_("送达地址"), max_length=200, blank=True)
    share = models.DecimalField(_("应得份额（元）"), **MONEY, null=True, blank=True)
    is_representative = models.BooleanField(_("代表人"), default=False)
    represented_by = models.ForeignKey(
        "self",
        verbose_name=_("由其代表"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="represented",
    )

    audit_masked_fields = ("phone_encrypted", "phone_index")
    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("执行当事人")
        verbose_name_plural = _("执行当事人")
        ordering = ["role", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "party", "role"], name="enf_party_unique"),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0), name="enf_party_share_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["party", "role"], name="enf_party_person_idx"),
            # the court's list: a party's name as recorded (prefix)
            models.Index(fields=["name"], opclasses=["varchar_pattern_ops"],
                         name="enf_party_name_prefix_idx"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.get_role_display()}：{self.name}"
