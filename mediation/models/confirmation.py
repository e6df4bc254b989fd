"""Judicial confirmation (司法确认) of a mediation agreement, and the court's 民特 numbers.

The parties apply jointly to a court within 30 days of the agreement taking effect; the
court decides within 3 days whether to accept (立案, with a 民特 case number from its own
gap-free sequence per year) and rules within 15 days (+10 with the president's approval):
confirmed (the agreement becomes an enforceable basis, the ruling document is issued) or
rejected with the reason. The workflow is mediation/confirmation_states.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import Agreement, MediationParty


class ConfirmationStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    ACCEPTED = "accepted", _("已受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    CONFIRMED = "confirmed", _("裁定确认有效")
    REJECTED = "rejected", _("裁定驳回申请")


class SubjectMatter(models.TextChoices):
    """What the agreement settles, as the applicants declare it: every kind but the first is
    excluded from judicial confirmation (SPC provisions; DOMAIN.md, Legal rules)."""

    CIVIL = "civil", _("一般民事权利义务")
    IDENTITY = "identity", _("确认身份关系")
    MARRIAGE = "marriage", _("婚姻关系（效力、解除）")
    ADOPTION = "adoption", _("收养关系")
    PROPERTY_TITLE = "property_title", _("物权确权")
    IP_TITLE = "ip_title", _("知识产权确权")
    SPECIAL_PROCEDURE = "special_procedure", _("适用其他特别程序的事项")


class CourtCaseSequence(models.Model):
    """The court's 民特 numbers, one row per court and year, locked while a number is taken."""

    court = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    case_type = models.CharField(max_length=8, default="民特")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("法院案号序列")
        verbose_name_plural = _("法院案号序列")
        constraints = [
            models.UniqueConstraint(
                fields=["court", "case_type", "year"], name="mediation_court_sequence_unique"
            )
        ]

    def __str__(self):
        return f"{self.court} {self.year}{self.case_type} {self.last}"


class JudicialConfirmation(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="confirmations")
    court = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("受理法院"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ConfirmationStatus.choices,
        default=ConfirmationStatus.APPLIED,
    )
    subject_matter = models.CharField(
        _("协议事项"), max_length=24, choices=SubjectMatter.choices, default=SubjectMatter.CIVIL
    )
    applicants = models.ManyToManyField(MediationParty, verbose_name=_("申请人"), related_name="+")
    applied_on = models.DateField(_("申请日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    case_number = models.CharField(_("案号"), max_length=40, blank=True)
    number_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    number_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    judge = models.CharField(_("审判员"), max_length=60, blank=True)
    court_clerk_name = models.CharField(_("书记员"), max_length=60, blank=True)
    ruled_at = models.DateTimeField(_("裁定时间"), null=True, blank=True)
    reason = models.TextField(_("驳回/不予受理理由"), blank=True)
    ruling_text = models.TextField(_("裁定内容"), blank=True)
    # The confirmed agreement may be enforced like a judgment (民事诉讼法 art. 206).
    is_enforceable_basis = models.BooleanField(_("可作为执行依据"), default=False)

    audit_organisation_field = "court"

    class Meta:
        verbose_name = _("司法确认")
        verbose_name_plural = _("司法确认")
        indexes = [
            models.Index(fields=["court", "status"], name="mediation_confirm_court_idx"),
        ]
        constraints = [
            # one live application per agreement (a refused one may be followed by another)
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(status__in=["applied", "accepted", "confirmed"]),
                name="mediation_confirmation_one_live",
            ),
            models.UniqueConstraint(
                fields=["court", "number_year", "number_sequence"],
                condition=Q(number_sequence__isnull=False),
                name="mediation_confirmation_number_unique",
            ),
        ]

    def __str__(self):
        return self.case_number or f"{self.agreement} 司法确认申请"

    def get_absolute_url(self) -> str:
        return reverse("mediation:confirmation_detail", args=[self.pk])
