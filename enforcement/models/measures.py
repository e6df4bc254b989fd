"""Coercive measures (强制措施), objections (执行异议/复议) and campaigns (专项行动).

- A CoerciveMeasure is one decision against one person in a case: compelled appearance
  (拘传), fine (罚款), detention (拘留), exit restriction (限制出境), search (搜查),
  publication (曝光/悬赏) or referral for the crime of refusing to enforce (拒执罪移送).
  Its workflow (enforcement/states_measures.py) is request → approve/refuse by the named
  approver (the court's president) → carried out → ended (released, questioning over).
  The legal limits are checked by enforcement/services/measures.py and refused, not warned.
- An Objection is an objection (执行异议), its review (复议), or the review of a fine or
  detention decision; each runs its clocks in the deadlines engine.
- A Campaign is a named period and scope (courts) that tags cases; measures taken on a
  tagged case in the period carry the tag; its totals are computed from the records.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import MONEY, CaseParty, EnforcementCase


class MeasureKind(models.TextChoices):
    APPEARANCE = "appearance", _("拘传")
    FINE = "fine", _("罚款")
    DETENTION = "detention", _("拘留")
    EXIT_RESTRICTION = "exit_restriction", _("限制出境")
    SEARCH = "search", _("搜查")
    PUBLICATION = "publication", _("曝光/悬赏")
    CRIMINAL_REFERRAL = "criminal_referral", _("拒执罪移送")


class MeasureStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")
    EXECUTED = "executed", _("执行中")
    ENDED = "ended", _("已结束")
    CANCELLED = "cancelled", _("已撤销")


class CoerciveMeasure(models.Model):
    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("执行案件"), on_delete=models.PROTECT,
        related_name="coercive_measures",
    )  # fmt: skip
    kind = models.CharField(_("措施"), max_length=20, choices=MeasureKind.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.REQUESTED
    )
    subject = models.ForeignKey(
        CaseParty, verbose_name=_("对象"), on_delete=models.PROTECT, related_name="+"
    )
    responsible_person = models.CharField(
        _("单位的主要负责人或直接责任人员"), max_length=60, blank=True,
        help_text=_("对单位被执行人的负责人采取措施时填写；此时按个人适用限额"),
    )  # fmt: skip
    reason = models.TextField(_("事实和理由"))
    # --- limits per kind
    hours = models.PositiveSmallIntegerField(_("询问时间上限（小时）"), null=True, blank=True)
    detention_may_follow = models.BooleanField(
        _("案情复杂、可能采取拘留措施"), default=False,
        help_text=_("拘传询问时间最长可至二十四小时"),
    )  # fmt: skip
    amount = models.DecimalField(_("罚款金额/悬赏金额（元）"), **MONEY, null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("拘留日数"), null=True, blank=True)
    place = models.CharField(
        _("地点/执行机关"), max_length=120, blank=True,
        help_text=_("搜查地点、拘留所、边检机关、移送的公安机关或曝光媒体"),
    )  # fmt: skip
    assisting_court = models.CharField(_("协助执行法院（异地拘留）"), max_length=120, blank=True)
    # --- the approval
    needs_approval = models.BooleanField(_("须院长批准"), default=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    document = models.OneToOneField(
        "documents.IssuedDocument", verbose_name=_("决定文书"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="coercive_measure",
    )  # fmt: skip
    # --- carrying it out
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ends_on = models.DateField(_("拘留期满日"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    end_note = models.CharField(_("结束说明"), max_length=300, blank=True)
    family_notified_at = models.DateTimeField(_("通知家属时间"), null=True, blank=True)
    family_notice_note = models.CharField(_("通知家属情况"), max_length=200, blank=True)
    campaign = models.ForeignKey(
        "enforcement.Campaign", verbose_name=_("专项行动"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="measures",
    )  # fmt: skip
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("强制措施")
        verbose_name_plural = _("强制措施")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["case", "kind"], name="enf_measure_case_idx"),
            models.Index(fields=["approver", "status"], name="enf_measure_approver_idx"),
            models.Index(fields=["campaign", "kind"], name="enf_measure_campaign_idx"),
            # the court's year (enforcement/figures.py): the measures decided in a period
            models.Index(fields=["decided_at"], name="enf_measure_decided_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="enf_measure_amount_ge0"
            ),
            models.CheckConstraint(
                condition=~Q(kind="detention") | Q(days__gte=1, days__lte=15),
                name="enf_measure_detention_days",
            ),
            models.CheckConstraint(
                condition=~Q(kind="appearance") | Q(hours__gte=1, hours__lte=24),
                name="enf_measure_appearance_hours",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject_label}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:measure", args=[self.pk])

    @property
    def subject_label(self) -> str:
        name = self.subject.name if self.subject_id else ""
        if self.responsible_person:
            return f"{self.responsible_person}（{name}）"
        return name


class ObjectionKind(models.TextChoices):
    OBJECTION = "objection", _("执行异议")
    REVIEW = "review", _("执行复议")
    MEASURE_REVIEW = "measure_review", _("罚款、拘留决定复议")


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("已收到")
    REGISTERED = "registered", _("已立案审查")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    UPHELD = "upheld", _("异议/复议成立")
    REJECTED = "rejected", _("驳回")
    WITHDRAWN = "withdrawn", _("撤回")


class Objection(models.Model):
    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("执行案件"), on_delete=models.PROTECT,
        related_name="objections",
    )  # fmt: skip
    kind = models.CharField(_("类型"), max_length=16, choices=ObjectionKind.choices)
    status = models.CharField(
        _("状态"), max_length=14, choices=ObjectionStatus.choices,
        default=ObjectionStatus.RECEIVED,
    )  # fmt: skip
    applicant_name = models.CharField(_("异议人/复议申请人"), max_length=120)
    applicant_party = models.ForeignKey(
        CaseParty, verbose_name=_("本案当事人"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    matter = models.TextField(_("异议/复议事项和理由"))
    received_on = models.DateField(_("收到申请日期"))
    parent = models.ForeignKey(
        "self", verbose_name=_("原异议"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="reviews",
    )  # fmt: skip
    measure = models.ForeignKey(
        CoerciveMeasure, verbose_name=_("被复议的决定"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="reviews",
    )  # fmt: skip
    registered_on = models.DateField(_("立案日期"), null=True, blank=True)
    decided_on = models.DateField(_("裁决日期"), null=True, blank=True)
    decision = models.TextField(_("裁决理由"), blank=True)
    served_on = models.DateField(
        _("裁定送达日期"), null=True, blank=True, help_text=_("复议期间自此日起算")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("执行异议/复议")
        verbose_name_plural = _("执行异议/复议")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["case", "kind"], name="enf_objection_case_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.applicant_name}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:objection", args=[self.pk])


class Campaign(models.Model):
    """专项行动: a named period over some courts; cases are tagged into it."""

    name = models.CharField(_("名称"), max_length=80)
    organiser = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("组织单位"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    courts = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("参加法院"), related_name="+"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    audit_organisation_field = "organiser"

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "name"], name="enf_campaign_name_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="enf_campaign_period"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enforcement:campaign", args=[self.pk])


class CampaignCase(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="tags"
    )
    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("执行案件"), on_delete=models.PROTECT,
        related_name="campaign_tags",
    )  # fmt: skip
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("标记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    tagged_at = models.DateTimeField(_("标记时间"), default=timezone.now)

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("专项行动案件")
        verbose_name_plural = _("专项行动案件")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "case"], name="enf_campaign_case_unique")
        ]

    def __str__(self):
        return f"{self.campaign} {self.case}"
