"""Deadlines: legal clocks attached to any record, and what they need to explain themselves.

A Deadline belongs to one record through a generic relation (content_type + object_id), so
every app uses the same table, the same sweep and the same page partial.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

UNIT_CHOICES = [
    ("calendar_days", _("日")),
    ("working_days", _("个工作日")),
    ("months", _("个月")),
]


def period_text(amount: int, unit: str) -> str:
    """ "3日", "5个工作日", "6个月" — with the plural English needs ("1 day", "3 days")."""
    forms = {
        "calendar_days": ngettext("%(n)d日", "%(n)d日", amount),
        "working_days": ngettext("%(n)d个工作日", "%(n)d个工作日", amount),
        "months": ngettext("%(n)d个月", "%(n)d个月", amount),
    }
    return forms[unit] % {"n": amount} if unit in forms else f"{amount}{unit}"


class Deadline(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("进行中")
        PAUSED = "paused", _("已中止")
        MET = "met", _("已完成")
        MISSED = "missed", _("已超期")
        CANCELLED = "cancelled", _("已撤销")

    OPEN_STATES = (State.PENDING, State.PAUSED)

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("期限类型"), max_length=64, help_text=_("如 enforcement.time_limit"))
    label = models.CharField(_("名称"), max_length=100)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="deadlines",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadlines",
    )
    start_at = models.DateTimeField(_("起算时间"))
    unit = models.CharField(_("单位"), max_length=16, choices=UNIT_CHOICES)
    amount = models.PositiveIntegerField(_("期间"))
    rule_source = models.CharField(
        _("规则来源"),
        max_length=16,
        help_text=_("statutory 法定 / local 本地规则 / explicit 个案指定"),
    )
    lead_times = models.JSONField(_("提前提醒（天）"), default=list)
    fixed_due_at = models.DateTimeField(
        _("指定届满时间"),
        null=True,
        blank=True,
        help_text=_("调用方直接指定的届满时刻（不按规则计算）；中止、延长仍在其上顺延"),
    )
    due_at = models.DateTimeField(_("届满时间"), help_text=_("届满日 23:59:59（北京时间）"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PENDING)
    paused_at = models.DateTimeField(_("中止时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完成/撤销时间"), null=True, blank=True)
    close_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    next_action_at = models.DateTimeField(
        _("下次处理时间"),
        null=True,
        blank=True,
        help_text=_("下一次提醒或超期处理的时刻；巡检只看这一列"),
    )
    explanation = models.JSONField(_("计算过程"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    # The explanation is derived data; audit entries carry the due date change instead.
    audit_exclude_fields = ("explanation", "next_action_at")

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="deadline_subject_idx"),
            # The sweep's only query: pending rows whose next action is due. Partial, so an
            # idle sweep over a million closed or far-off deadlines reads a handful of pages.
            models.Index(
                fields=["next_action_at"],
                condition=Q(state="pending", next_action_at__isnull=False),
                name="deadline_sweep_idx",
            ),
            # A record's clocks still to be met, soonest first (the enforcement workbench and
            # lists read each case's soonest one): only the open rows, with what a row shows.
            models.Index(
                fields=["content_type", "object_id", "due_at", "id"],
                include=["kind", "label"],
                condition=Q(state="pending") | Q(state="missed", closed_at__isnull=True),
                name="deadline_subject_open_idx",
            ),
            models.Index(fields=["owner", "state", "due_at"], name="deadline_owner_idx"),
            models.Index(fields=["organisation", "state", "due_at"], name="deadline_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deadline_amount_positive"),
        ]

    def __str__(self):
        return f"{self.label} · {timezone.localtime(self.due_at):%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def rule_text(self) -> str:
        return period_text(self.amount, self.unit)

    # The history shows what the record is, not how it is keyed: the kind by its name and
    # the rule's source in words (audit/presenters.py asks through this hook).
    RULE_SOURCE_WORDS = {"statutory": _("法定"), "local": _("本地规则"), "explicit": _("个案指定")}

    @classmethod
    def audit_value_words(cls, name: str, value) -> str | None:
        if name == "kind":
            from .registry import get_kind

            kind = get_kind(str(value))
            return str(kind.label) if kind else None
        if name == "rule_source":
            words = cls.RULE_SOURCE_WORDS.get(str(value))
            return str(words) if words else None
        return None


class DeadlinePause(models.Model):
    """The clock stopped (e.g. enforcement suspended, 中止) from `paused_at` to `resumed_at`."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="pauses")
    paused_at = models.DateTimeField(_("中止时间"))
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("中止原因"), max_length=200)
    resumed_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audit_organisation_field = "deadline__organisation"

    class Meta:
        verbose_name = _("期限中止")
        verbose_name_plural = _("期限中止")
        ordering = ["paused_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline"],
                condition=Q(resumed_at__isnull=True),
                name="deadline_one_open_pause",
            )
        ]

    def __str__(self):
        return f"{self.deadline} 中止 {timezone.localtime(self.paused_at):%Y-%m-%d}"


class DeadlineExtension(models.Model):
    """An approved extension. Granted as `amount` `unit` (e.g. 5 working days), it is
    recounted in that unit whenever the deadline is recomputed; granted as a new due date
    (no unit), recomputation adds `days_added` calendar days. `days_added` always records
    how far the due date moved when it was approved."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批准时间"), default=timezone.now)
    reason = models.CharField(_("延长理由"), max_length=200)
    previous_due_at = models.DateTimeField(_("原届满时间"))
    new_due_at = models.DateTimeField(_("新届满时间"))
    days_added = models.IntegerField(_("延长天数"))
    unit = models.CharField(
        _("延长单位"),
        max_length=16,
        choices=UNIT_CHOICES,
        blank=True,
        help_text=_("按日、工作日或月批准的延长；指定新届满日期的为空"),
    )
    amount = models.PositiveIntegerField(_("延长期间"), null=True, blank=True)
    audit_organisation_field = "deadline__organisation"

    class Meta:
        verbose_name = _("期限延长")
        verbose_name_plural = _("期限延长")
        ordering = ["approved_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(days_added__gt=0), name="extension_days_positive")
        ]

    def __str__(self):
        return f"{self.deadline} 延长 {self.days_added} 日"


class DeadlineExtensionRequest(models.Model):
    """A request to extend a clock: who asks, why, by how much, and the one person named
    to decide. Only that person approves or refuses, as themselves; approval writes the
    DeadlineExtension and moves the due date."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="extension_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        related_name="deadline_extension_requests_to_decide",
    )
    reason = models.CharField(_("延长理由"), max_length=200)
    new_due_date = models.DateField(_("申请的届满日期"), null=True, blank=True)
    amount = models.PositiveIntegerField(_("申请延长的期间"), null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=16, choices=UNIT_CHOICES, default="calendar_days")
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    extension = models.OneToOneField(
        "deadlines.DeadlineExtension",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request",
    )
    audit_organisation_field = "deadline__organisation"

    class Meta:
        verbose_name = _("延长申请")
        verbose_name_plural = _("延长申请")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["approver", "status"], name="extension_request_inbox_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_date__isnull=False) | Q(amount__gt=0),
                name="extension_request_has_period",
            )
        ]

    def __str__(self):
        return f"{self.deadline} 延长申请 {self.get_status_display()}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("deadlines:extension_request", args=[self.pk])


class Reminder(models.Model):
    """One reminder stage of one deadline for one due moment.

    The unique constraint is the exactly-once guarantee: whatever runs the sweep (two
    workers, a retried task, a restarted beat), a second row for the same deadline, due
    moment and stage cannot exist, and notifications are written only with the row.
    """

    class Stage(models.TextChoices):
        LEAD = "lead", _("届满前提醒")
        DUE = "due", _("今日届满")
        MISSED = "missed", _("已超期")

    class Status(models.TextChoices):
        SENT = "sent", _("已发送")
        SKIPPED = "skipped", _("已跳过")
        NO_RECIPIENT = "no_recipient", _("无接收人")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(_("提醒阶段"), max_length=10, choices=Stage.choices)
    lead_days = models.PositiveSmallIntegerField(_("提前天数"), default=0)
    due_at = models.DateTimeField(_("对应届满时间"))
    fire_at = models.DateTimeField(_("计划时间"))
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    recipients = models.JSONField(_("接收人"), default=list)

    class Meta:
        verbose_name = _("期限提醒")
        verbose_name_plural = _("期限提醒")
        ordering = ["fire_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "due_at", "stage", "lead_days"], name="reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.deadline_id} {self.stage} {self.lead_days}"


class CalendarDay(models.Model):
    """An administrator's correction to the official working calendar for one date."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("工作日"))
    name = models.CharField(_("说明"), max_length=60, help_text=_("如“春节”“春节调休上班”"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'上班' if self.is_working_day else '休息'} {self.name}"


class CalendarYear(models.Model):
    """Whether a year's working calendar is complete: the State Council's notice entered
    (by chinese_calendar or as CalendarDay rows) and confirmed by an administrator. Until
    then a year chinese_calendar does not know is counted provisionally."""

    year = models.PositiveSmallIntegerField(
        _("年份"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2099)]
    )
    confirmed = models.BooleanField(_("已录入并确认"), default=False)
    note = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("如国务院办公厅放假安排通知文号")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    audit_organisation_field = ""

    class Meta:
        verbose_name = _("年度工作日历")
        verbose_name_plural = _("年度工作日历")
        ordering = ["year"]

    def __str__(self):
        return f"{self.year} {'已确认' if self.confirmed else '未确认'}"


class DeadlineRule(models.Model):
    """A local rule for one kind, for one organisation's subtree or one region's.

    Resolution for an organisation: its own rule, then its ancestors' (nearest first), then
    its region's and the region's ancestors', then the statutory default in the registry.
    """

    kind = models.CharField(_("期限类型"), max_length=64)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("适用单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_rules",
    )
    region = models.ForeignKey(
        "organisations.Region",
        verbose_name=_("适用区划"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_rules",
    )
    unit = models.CharField(_("单位"), max_length=16, choices=UNIT_CHOICES)
    amount = models.PositiveIntegerField(_("期间"))
    lead_times = models.JSONField(
        _("提前提醒（天）"), default=list, blank=True, help_text=_("如 [7, 1]；留空沿用法定设置")
    )
    note = models.CharField(_("依据"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("期限规则（本地）")
        verbose_name_plural = _("期限规则（本地）")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False, region__isnull=True))
                | Q(organisation__isnull=True, region__isnull=False),
                name="deadline_rule_one_scope",
            ),
            models.UniqueConstraint(
                fields=["kind", "organisation"],
                condition=Q(organisation__isnull=False),
                name="deadline_rule_unique_org",
            ),
            models.UniqueConstraint(
                fields=["kind", "region"],
                condition=Q(region__isnull=False),
                name="deadline_rule_unique_region",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="deadline_rule_amount_positive"),
        ]

    def __str__(self):
        scope = self.organisation or self.region
        return f"{self.kind} @ {scope}: {self.amount} {self.unit}"
