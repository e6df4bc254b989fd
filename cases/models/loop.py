"""The closed loop's own records: dispatches (吹哨/应哨/答卷), the timeline, ratings (评卷)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import DispatchStatus


class Dispatch(models.Model):
    """吹哨 to one responder organisation, with its own deadlines."""

    dispute = models.ForeignKey(
        "cases.Dispute", on_delete=models.CASCADE, related_name="dispatches"
    )
    responder = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("应哨单位"),
        on_delete=models.PROTECT,
        related_name="case_dispatches",
    )
    round = models.PositiveSmallIntegerField(
        _("办理轮次"), default=1, help_text=_("群众不满意重办后开始新的一轮，每轮重新吹哨、答卷")
    )
    redispatched_from = models.OneToOneField(
        "self",
        verbose_name=_("改派自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="redispatched_to",
        help_text=_("被退回后由中心改派的原交办"),
    )
    is_lead = models.BooleanField(_("主责"), default=False)
    instructions = models.TextField(_("交办要求"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=DispatchStatus.choices, default=DispatchStatus.PENDING
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dispatched_by_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("吹哨单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("吹哨人以哪个单位的身份吹哨"),
    )
    dispatched_at = models.DateTimeField(_("吹哨时间"), default=timezone.now)
    accept_due_at = models.DateTimeField(_("应哨期限"), null=True, blank=True)
    deadline = models.DateTimeField(_("答卷期限"))
    accepted_at = models.DateTimeField(_("应哨时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Decided at the moment of the step (now vs the due time), not by the next sweep.
    accepted_late = models.BooleanField(_("逾期应哨"), default=False)
    answered_at = models.DateTimeField(_("答卷时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_late = models.BooleanField(_("逾期答卷"), default=False)
    answer = models.TextField(_("答卷（处置情况）"), blank=True)
    handed_back_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    hand_back_reason = models.TextField(_("退回理由"), blank=True)

    audit_organisation_field = "dispute__organisation"
    # How the history names the fields declared without a label (no migration needed).
    audit_field_labels = {
        "dispute": _("矛盾纠纷"),
        "dispatched_by": _("吹哨人"),
        "accepted_by": _("应哨人"),
        "answered_by": _("答卷人"),
    }

    class Meta:
        verbose_name = _("吹哨交办")
        verbose_name_plural = _("吹哨交办")
        indexes = [
            models.Index(
                fields=["responder", "status", "-dispatched_at"], name="dispatch_inbox_idx"
            ),
            models.Index(fields=["status", "deadline"], name="dispatch_due_idx"),
            models.Index(fields=["status", "accept_due_at"], name="dispatch_accept_due_idx"),
            models.Index(fields=["dispute", "status"], name="dispatch_dispute_idx"),
            # the disputes figures count and time dispatches by month of these moments
            models.Index(fields=["dispatched_at"], name="dispatch_sent_idx"),
            models.Index(fields=["accepted_at"], name="dispatch_accepted_idx"),
            models.Index(fields=["answered_at"], name="dispatch_answered_idx"),
        ]
        constraints = [
            # One live dispatch per responder per round; a new round (after an unsatisfied
            # rating) may dispatch to the same unit again.
            models.UniqueConstraint(
                fields=["dispute", "round", "responder"],
                condition=models.Q(
                    status__in=[
                        DispatchStatus.PENDING,
                        DispatchStatus.ACCEPTED,
                        DispatchStatus.ANSWERED,
                    ]
                ),
                name="dispatch_one_live_per_round",
            )
        ]

    def __str__(self):
        return f"{self.dispute} → {self.responder}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:dispatch_detail", args=[self.pk])

    @property
    def seconds_to_accept(self) -> int | None:
        if not self.accepted_at:
            return None
        return int((self.accepted_at - self.dispatched_at).total_seconds())

    @property
    def is_overdue(self) -> bool:
        now = timezone.now()
        if (
            self.status == DispatchStatus.PENDING
            and self.accept_due_at
            and self.accept_due_at < now
        ):
            return True
        return (
            self.status in (DispatchStatus.PENDING, DispatchStatus.ACCEPTED) and self.deadline < now
        )


class DisputeEvent(models.Model):
    """One step on the dispute's timeline. Append-only; the screening ledger counts from it."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("出卷登记")
        TRIAGED = "triaged", _("研判")
        DISPATCHED = "dispatched", _("吹哨")
        ACCEPTED = "accepted", _("应哨")
        ANSWERED = "answered", _("答卷")
        HANDED_BACK = "handed_back", _("退回")
        REDISPATCHED = "redispatched", _("改派")
        ALL_ANSWERED = "all_answered", _("答卷齐备")
        CLOSED_RESOLVED = "closed_resolved", _("交卷·化解")
        SENT_BACK = "sent_back", _("交卷·退回重办")
        RATED = "rated", _("评卷")
        REOPENED = "reopened", _("不满意重办")
        CLOSED = "closed", _("销号")
        FLAGGED = "flagged", _("督办")
        UNFLAGGED = "unflagged", _("取消督办")
        BUNDLED = "bundled", _("打包")
        ESCALATED = "escalated", _("打包上报")
        REFERRED = "referred", _("移交")
        REFERRAL_RETURNED = "referral_returned", _("移交退回")
        LINKED = "linked", _("关联重复登记")
        ASSIGNED = "assigned", _("分派承办人")
        UPDATED = "updated", _("修改")
        URGED = "urged", _("催办")

    dispute = models.ForeignKey("cases.Dispute", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("办理该步骤的单位（吹哨后为应哨单位）"),
    )
    dispatch = models.ForeignKey(
        Dispatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["dispute", "at"], name="dispute_event_timeline_idx"),
            models.Index(fields=["kind", "at"], name="dispute_event_kind_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    @property
    def actor_display(self) -> str:
        """Who took the step, in the reader's language when it is not a person: a system
        step (系统) or the resident (群众, stored in the working language)."""
        if not self.actor_name:
            return gettext("系统")
        return gettext(self.actor_name) if self.actor_id is None else self.actor_name


class Rating(models.Model):
    """评卷: one no-login link per review round; the token is stored only as its SHA-256."""

    dispute = models.ForeignKey("cases.Dispute", on_delete=models.CASCADE, related_name="ratings")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    satisfied = models.BooleanField(_("是否满意"), null=True, blank=True)
    comment = models.TextField(_("意见"), blank=True)

    audit_exclude_fields = ("token_hash",)
    audit_organisation_field = "dispute__organisation"
    audit_field_labels = {"dispute": _("矛盾纠纷"), "created_at": _("生成时间")}

    class Meta:
        verbose_name = _("群众评价")
        verbose_name_plural = _("群众评价")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="rating_score_range",
            )
        ]
        indexes = [models.Index(fields=["used_at"], name="rating_used_idx")]

    def __str__(self):
        return f"{self.dispute} · {self.score or '-'}"

    @property
    def is_expired(self) -> bool:
        """Unused and past its end: re-issued (the old link ends at once) or never used."""
        return self.used_at is None and self.expires_at <= timezone.now()
