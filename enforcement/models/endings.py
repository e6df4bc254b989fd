"""The case's endings (enf-endings): settlement (执行和解) with its instalments, 终本 with its
conditions and the president's approval, the 6-monthly checks after 终本 and the resumed
case, the other endings (终结执行, 执转破) and judicial relief (司法救助) with the province's
average wage table. The rules are in enforcement/services/{settlement,final,final_checks,
endings,relief}.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import MONEY, CaseParty, EnforcementCase

USER = settings.AUTH_USER_MODEL


class SettlementStatus(models.TextChoices):
    PERFORMING = "performing", _("履行中")
    PERFORMED = "performed", _("已履行完毕")
    BROKEN = "broken", _("未履行（已恢复执行）")


class Settlement(models.Model):
    """执行和解协议: the terms the parties agreed while the case was enforced; enforcement is
    suspended (the time limit paused) while it is performed."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="settlements")
    status = models.CharField(
        _("状态"), max_length=12, choices=SettlementStatus.choices,
        default=SettlementStatus.PERFORMING,
    )  # fmt: skip
    signed_on = models.DateField(_("和解协议签订日期"))
    terms = models.TextField(_("和解协议内容"))
    total = models.DecimalField(_("和解金额（元）"), **MONEY)
    guarantor = models.CharField(_("担保人"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # broken: when the applicant asked to enforce the original basis again, and the period
    # for it (2 years from the settlement's last performance day)
    breach_note = models.TextField(_("未履行情况"), blank=True)
    resumption_applied_on = models.DateField(_("申请恢复执行日期"), null=True, blank=True)
    resumption_period_ends_on = models.DateField(_("申请恢复执行期间届满日"), null=True, blank=True)
    resumption_late = models.BooleanField(_("超过申请恢复执行期间"), default=False)

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("执行和解")
        verbose_name_plural = _("执行和解")
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="enf_settlement_total_positive"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="performing"),
                name="enf_settlement_one_performing",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.case} 执行和解（{self.signed_on}）"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("enforcement:endings", args=[self.case_id])


class SettlementInstalment(models.Model):
    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("期数"))
    due_on = models.DateField(_("履行期限"))
    amount = models.DecimalField(_("本期金额（元）"), **MONEY)
    paid = models.DecimalField(_("已履行（元）"), **MONEY, default=0)
    paid_on = models.DateField(_("履行完毕日期"), null=True, blank=True)
    reminder = models.ForeignKey(
        "deadlines.Deadline", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    audit_organisation_field = "settlement__case__court"

    class Meta:
        verbose_name = _("和解履行期")
        verbose_name_plural = _("和解履行期")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "number"], name="enf_settle_inst_unique"),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(paid__gte=0) & Q(paid__lte=models.F("amount")),
                name="enf_settle_inst_amounts",
            ),
        ]

    def __str__(self):
        return f"第{self.number}期 {self.due_on} {self.amount}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("enforcement:endings", args=[self.settlement.case_id])

    @property
    def outstanding(self):
        return self.amount - self.paid


class SettlementPayment(models.Model):
    """One performance of the settlement: who paid how much on which day (directly to the
    applicant or into the case account)."""

    instalment = models.ForeignKey(
        SettlementInstalment, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    paid_on = models.DateField(_("履行日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    audit_organisation_field = "instalment__settlement__case__court"

    class Meta:
        verbose_name = _("和解履行记录")
        verbose_name_plural = _("和解履行记录")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="enf_settle_pay_positive"),
        ]

    def __str__(self):
        return f"{self.paid_on} {self.amount}"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("待院长审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


class HeardBy(models.TextChoices):
    SIGNED = "signed", _("申请执行人签字确认")
    PANEL = "panel", _("合议庭审查（申请执行人未签字）")


class FinalConclusionRequest(models.Model):
    """终本申请: the officer's statement of the work done, the conditions as they stood when
    asked, and the president's decision (as themselves, never the requester)."""

    case = models.ForeignKey(
        EnforcementCase, on_delete=models.PROTECT, related_name="final_requests"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    work_done = models.TextField(_("已采取的执行措施"))
    # the applicant told and heard (约谈): signed, or a panel checked (the president approves)
    applicant_heard_on = models.DateField(_("告知并听取申请执行人意见日期"), null=True, blank=True)
    applicant_heard_by = models.CharField(
        _("听取意见方式"), max_length=8, choices=HeardBy.choices, blank=True
    )
    applicant_opinion = models.TextField(_("申请执行人意见"), blank=True)
    debtor_missing = models.BooleanField(_("被执行人下落不明"), default=False)
    # the debtor could not be found: the search made (悬赏、协查、查询户籍/出行记录 …)
    debtor_search = models.TextField(_("查找下落不明被执行人情况"), blank=True)
    # where credit cannot tell (or a ground is absent): the officer's recorded reason
    credit_reason = models.TextField(_("限制消费、纳入失信名单情况说明"), blank=True)
    # where a debtor did not report, how the non-reporting was punished
    report_reason = models.TextField(_("未报告财产的处理情况"), blank=True)
    conditions = models.JSONField(_("申请时的条件核对"), default=list)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    approver = models.ForeignKey(
        USER, verbose_name=_("审批人"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    ruling = models.OneToOneField(
        "documents.IssuedDocument", verbose_name=_("终结本次执行程序裁定书"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )  # fmt: skip

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("终本申请")
        verbose_name_plural = _("终本申请")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="enf_final_one_pending"
            ),
        ]

    def __str__(self):
        return f"{self.case} 终本申请 #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("enforcement:endings", args=[self.case_id])


class ScheduleStatus(models.TextChoices):
    ACTIVE = "active", _("定期查询中")
    RESUMED = "resumed", _("已恢复执行")
    ENDED = "ended", _("五年期满")
    CLOSED = "closed", _("案件已终结")


class FinalCheckSchedule(models.Model):
    """After 终本: an online check of the debtor's assets every 6 months for 5 years
    (configurable). One row per 终本 case; the beat job claims the due ones."""

    case = models.OneToOneField(
        EnforcementCase, on_delete=models.CASCADE, related_name="final_check_schedule"
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=ScheduleStatus.choices, default=ScheduleStatus.ACTIVE
    )
    concluded_on = models.DateField(_("终本日期"))
    next_due_on = models.DateField(_("下次查询日期"))
    ends_on = models.DateField(_("定期查询截止日"))
    cycles_done = models.PositiveSmallIntegerField(_("已查询次数"), default=0)
    resumed_case = models.OneToOneField(
        EnforcementCase, verbose_name=_("恢复执行案件"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="resumed_by_schedule",
    )  # fmt: skip

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("终本后定期查询")
        verbose_name_plural = _("终本后定期查询")
        indexes = [
            models.Index(
                fields=["next_due_on", "id"], condition=Q(status="active"),
                name="enf_final_sched_due_idx",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.case} 定期查询"


class CheckResultKind(models.TextChoices):
    PENDING = "pending", _("查询中")
    NOTHING = "nothing", _("未发现可供执行财产")
    FOUND = "found", _("发现可供执行财产")
    FAILED = "failed", _("查询失败")


class FinalCheck(models.Model):
    """One cycle's check: unique per schedule and cycle, so a rerun of the job never checks
    a case twice in a cycle."""

    schedule = models.ForeignKey(
        FinalCheckSchedule, on_delete=models.CASCADE, related_name="checks"
    )
    cycle = models.PositiveSmallIntegerField(_("第几次"))
    due_on = models.DateField(_("应查询日期"))
    inquiry = models.OneToOneField(
        "enforcement.AssetInquiry", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="final_check",
    )  # fmt: skip
    result = models.CharField(
        _("结果"), max_length=8, choices=CheckResultKind.choices, default=CheckResultKind.PENDING
    )
    findings_summary = models.CharField(_("查询结果"), max_length=500, blank=True)
    applicant_told_at = models.DateTimeField(_("告知申请执行人时间"), null=True, blank=True)
    applicant_message = models.TextField(_("告知内容"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    audit_organisation_field = "schedule__case__court"

    class Meta:
        verbose_name = _("终本后定期查询记录")
        verbose_name_plural = _("终本后定期查询记录")
        ordering = ["cycle"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "cycle"], name="enf_final_check_cycle"),
        ]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(result="pending"),
                         name="enf_final_check_open_idx"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.schedule} 第{self.cycle}次"


class EndingKind(models.TextChoices):
    PERFORMED = "performed", _("执行完毕")
    SETTLEMENT_PERFORMED = "settlement_performed", _("和解协议履行完毕")
    TERMINATED_ROUND = "terminated_round", _("终结本次执行程序")
    TERMINATED = "terminated", _("终结执行")
    BANKRUPTCY = "bankruptcy", _("执行转破产")


class TerminationGround(models.TextChoices):
    """终结执行的情形 (Civil Procedure Law, on termination of enforcement)."""

    WITHDRAWN = "withdrawn", _("申请人撤销申请")
    BASIS_REVOKED = "basis_revoked", _("据以执行的法律文书被撤销")
    DEBTOR_DIED_NO_ESTATE = (
        "debtor_died",
        _("作为被执行人的公民死亡，无遗产可供执行，又无义务承担人"),
    )
    MAINTENANCE_APPLICANT_DIED = "applicant_died", _("追索赡养费、扶养费、抚养费案件的权利人死亡")
    DEBTOR_DESTITUTE = (
        "destitute",
        _("作为被执行人的公民因生活困难无力偿还借款，无收入来源，又丧失劳动能力"),
    )
    OTHER = "other", _("人民法院认为应当终结执行的其他情形")


class CaseEnding(models.Model):
    """How and why the case ended (one row per ending; 终本 then 执恢 then performed gives
    the original case its 终本 row and the resumed case its own)."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="endings")
    kind = models.CharField(_("结案方式"), max_length=24, choices=EndingKind.choices)
    ground = models.CharField(
        _("终结事由"), max_length=16, choices=TerminationGround.choices, blank=True
    )
    reason = models.TextField(_("结案说明"), blank=True)
    bankruptcy_court = models.CharField(_("受移送法院"), max_length=120, blank=True)
    debtor_consent = models.CharField(_("被执行人/申请人同意移送情况"), max_length=300, blank=True)
    controls_lifted = models.PositiveIntegerField(_("解除控制措施（项）"), default=0)
    document = models.ForeignKey(
        "documents.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    ended_at = models.DateTimeField(_("结案时间"), default=timezone.now)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("结案")
        verbose_name_plural = _("结案")
        indexes = [models.Index(fields=["case", "-ended_at"], name="enf_ending_case_idx")]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"


class AverageWage(models.Model):
    """The province's average monthly wage of a year (上一年度职工月平均工资), kept by an
    admin: judicial relief is capped at 36 × the previous year's figure."""

    province = models.ForeignKey(
        "organisations.Region", verbose_name=_("省/自治区"), on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"level": 1},
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("年度"))
    monthly_wage = models.DecimalField(_("职工月平均工资（元）"), **MONEY)
    source = models.CharField(_("数据来源"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("职工月平均工资")
        verbose_name_plural = _("职工月平均工资")
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="enf_avg_wage_unique"),
            models.CheckConstraint(condition=Q(monthly_wage__gt=0), name="enf_avg_wage_positive"),
        ]

    def __str__(self):
        return f"{self.province} {self.year} {self.monthly_wage}"


class JudicialRelief(models.Model):
    """司法救助: money granted to an applicant in hardship, asked by the officer and decided
    by the president as themselves; the amount never above the cap."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="reliefs")
    applicant = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    amount = models.DecimalField(_("救助金额（元）"), **MONEY)
    cap = models.DecimalField(_("救助上限（元）"), **MONEY)
    cap_basis = models.CharField(_("上限依据"), max_length=200)
    hardship = models.TextField(_("生活困难情况"))
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    approver = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("司法救助")
        verbose_name_plural = _("司法救助")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=models.F("cap")),
                name="enf_relief_within_cap",
            ),
        ]

    def __str__(self):
        return f"{self.case} 司法救助 {self.amount}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("enforcement:endings", args=[self.case_id])
