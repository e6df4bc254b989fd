"""执行担保 (enforcement guarantee, enf-guarantee): a guarantor — a person or an organisation —
offers property or an undertaking as security for the debtor, with the applicant's consent;
the court's president approves it and enforcement is suspended (暂缓执行) for at most one
year. If the debtor has not performed when the period ends, enforcement resumes against the
guaranteed property or the guarantor, up to the guaranteed amount. The rules are in
enforcement/services/guarantee.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import MONEY, CaseParty, EnforcementCase

USER = settings.AUTH_USER_MODEL


class GuaranteeKind(models.TextChoices):
    PROPERTY = "property", _("财产担保")
    UNDERTAKING = "undertaking", _("保证（担保人承诺代为履行）")


class GuarantorKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人/其他组织")


class GuaranteeStatus(models.TextChoices):
    OFFERED = "offered", _("待院长审批")
    REFUSED = "refused", _("不予准许")
    SUSPENDED = "suspended", _("暂缓执行中")
    SECURING = "securing", _("担保和解协议履行中")
    DISCHARGED = "discharged", _("被执行人已履行，担保解除")
    ENFORCED = "enforced", _("已恢复执行，执行担保财产/担保人")


class EnforcementGuarantee(models.Model):
    """One guarantee offered in a case: who guarantees, with what, up to how much, until
    when enforcement is suspended; the president's decision; and, if the debtor did not
    perform, the resumption against the guarantor (joined as a party, 担保人)."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="guarantees")
    status = models.CharField(
        _("状态"), max_length=12, choices=GuaranteeStatus.choices,
        default=GuaranteeStatus.OFFERED,
    )  # fmt: skip
    kind = models.CharField(_("担保方式"), max_length=12, choices=GuaranteeKind.choices)
    guarantor_kind = models.CharField(_("担保人类型"), max_length=12, choices=GuarantorKind.choices)
    guarantor = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    guarantor_name = models.CharField(_("担保人"), max_length=120)
    property_description = models.TextField(_("担保财产"), blank=True)
    amount = models.DecimalField(_("担保金额（元）"), **MONEY)
    applicant_consent = models.BooleanField(_("申请执行人同意"), default=False)
    consent_note = models.CharField(_("申请执行人同意的方式"), max_length=200, blank=True)
    suspension_until = models.DateField(_("暂缓执行至"))
    reason = models.TextField(_("提供担保的情况"), blank=True)
    guarantee_period_months = models.PositiveSmallIntegerField(
        _("担保期间（月）"), null=True, blank=True,
        help_text=_("担保书载明的担保期间；未载明的，为暂缓执行期限届满（和解协议最后履行期限届满）"
                    "之日起一年"),
    )  # fmt: skip

    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    approver = models.ForeignKey(
        USER, verbose_name=_("审批人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("暂缓执行的执行担保由院长审批；和解协议中的担保无需审批"),
    )  # fmt: skip
    settlement = models.ForeignKey(
        "enforcement.Settlement", verbose_name=_("所担保的执行和解协议"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="guarantees",
        help_text=_("和解协议约定的担保：和解协议未履行、恢复执行后，可直接执行担保财产或保证人的财产"),
    )  # fmt: skip
    undertaking = models.BooleanField(
        _("担保人承诺自愿接受直接强制执行"), default=False,
        help_text=_("和解协议中的担保人向法院承诺，被执行人不履行和解协议时自愿接受直接强制执行"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    decision = models.ForeignKey(
        "documents.IssuedDocument", verbose_name=_("暂缓执行决定书"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    suspension_clock = models.ForeignKey(
        "deadlines.Deadline", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    end_note = models.TextField(_("结束情况"), blank=True)
    # enforced: the applicant's application, the guarantor joined and told
    applied_on = models.DateField(_("申请恢复执行日期"), null=True, blank=True)
    early = models.BooleanField(_("期限届满前恢复执行"), default=False)
    guarantor_party = models.ForeignKey(
        CaseParty, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    guarantor_notice = models.TextField(_("告知担保人的内容"), blank=True)
    guarantor_told_at = models.DateTimeField(_("告知担保人时间"), null=True, blank=True)
    guarantor_told_by = models.CharField(_("告知方式"), max_length=40, blank=True)
    enforcement_ruling = models.ForeignKey(
        "documents.IssuedDocument", verbose_name=_("执行担保财产/担保人财产的执行裁定书"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )  # fmt: skip

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("执行担保")
        verbose_name_plural = _("执行担保")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="enf_guarantee_amount_positive"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status__in=["offered", "suspended"]),
                name="enf_guarantee_one_open",
            ),
            models.CheckConstraint(
                condition=Q(settlement__isnull=False) | Q(approver__isnull=False),
                name="enf_guarantee_approver_unless_settlement",
            ),
            # 60: services/guarantee.py MAX_GUARANTEE_PERIOD_MONTHS (refused there by the field)
            models.CheckConstraint(
                condition=Q(guarantee_period_months__isnull=True)
                | Q(guarantee_period_months__gte=1, guarantee_period_months__lte=60),
                name="enf_guarantee_period_sensible",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.get_kind_display()}：{self.guarantor_name}"
