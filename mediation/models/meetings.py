"""Complaint meetings (吐槽大会) and legal consultations (法律咨询).

A complaint meeting gathers residents at a place on a date; each issue raised can become a
dispute in the cases loop in one click (`meeting_issue_to_dispute`), and the meeting page
shows how each one ended. A legal consultation is a question a chief legal expert (首席法律
咨询专家) answered; the asker's phone is personal information, stored like a party's.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ComplaintMeeting(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="complaint_meetings",
    )
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=120)
    attendees = models.TextField(
        _("参加人员"), help_text=_("如：居民代表、物业公司、业委会、社区工作人员、法律专家")
    )
    notes = models.TextField(_("会议情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("吐槽大会")
        verbose_name_plural = _("吐槽大会")
        indexes = [models.Index(fields=["organisation", "-held_on", "-id"], name="meeting_org_idx")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.place}"


class MeetingIssue(models.Model):
    meeting = models.ForeignKey(ComplaintMeeting, on_delete=models.CASCADE, related_name="issues")
    summary = models.CharField(_("反映的问题"), max_length=200)
    details = models.TextField(_("具体情况"), blank=True)
    raised_by = models.CharField(_("反映人"), max_length=120, blank=True)
    category = models.CharField(_("纠纷类别"), max_length=32, blank=True)
    dispute = models.OneToOneField(
        "cases.Dispute",
        verbose_name=_("登记的矛盾纠纷"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_issue",
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    audit_organisation_field = "meeting__organisation"

    class Meta:
        verbose_name = _("吐槽大会问题")
        verbose_name_plural = _("吐槽大会问题")
        ordering = ["pk"]

    def __str__(self):
        return self.summary


class LegalConsultation(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="legal_consultations",
    )
    expert = models.ForeignKey(
        "mediation.Mediator",
        verbose_name=_("首席法律咨询专家"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    asked_on = models.DateField(_("咨询日期"))
    asker_name = models.CharField(_("咨询人"), max_length=60)
    asker_phone_encrypted = models.TextField(_("联系电话（密文）"), blank=True, editable=False)
    asker_phone_index = models.CharField(
        _("联系电话索引"), max_length=64, blank=True, editable=False, db_index=True
    )
    asker_phone_masked = models.CharField(_("联系电话"), max_length=32, blank=True, editable=False)
    topic = models.CharField(_("咨询事项"), max_length=120)
    question = models.TextField(_("咨询问题"))
    answer = models.TextField(_("解答意见"))
    follow_up = models.TextField(_("后续跟进"), blank=True)
    dispute = models.ForeignKey(
        "cases.Dispute",
        verbose_name=_("关联矛盾纠纷"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_consultations",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    audit_masked_fields = ("asker_phone_encrypted", "asker_phone_index")

    class Meta:
        verbose_name = _("法律咨询")
        verbose_name_plural = _("法律咨询")
        indexes = [
            models.Index(fields=["organisation", "-asked_on", "-id"], name="consultation_org_idx")
        ]

    def __str__(self):
        return f"{self.asker_name} · {self.topic}"
