"""Audit entries: append-only. The app offers no way to edit or delete them; on PostgreSQL a
trigger refuses UPDATE and DELETE as well (migration 0002)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        CHANGE = "change", _("修改")
        TRANSITION = "transition", _("流转")
        DELETE = "delete", _("删除")
        VIEW_PERSONAL = "view_personal", _("查看个人信息")

    class Channel(models.TextChoices):
        PAGE = "page", _("页面")
        API = "api", _("接口")
        ADMIN = "admin", _("管理后台")
        TASK = "task", _("后台任务")
        SYSTEM = "system", _("系统")

    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("记录所属单位，用于按单位查阅审计"),
    )
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    transition = models.CharField(_("流转"), max_length=60, blank=True)
    transition_label = models.CharField(_("流转名称"), max_length=60, blank=True)
    note = models.TextField(_("说明"), blank=True)
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    path = models.CharField(_("页面/接口"), max_length=255, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="audit_object_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
            models.Index(fields=["organisation", "at"], name="audit_org_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")

    # Names and labels are stored in the working language (the entry is a record); a reader
    # who chose English sees the system's own words (系统, a transition's name) in English.
    @property
    def actor_display(self) -> str:
        if self.actor_id is None and self.actor_name:
            return gettext(self.actor_name)  # 系统, 群众（评价链接）; a person's name stays as is
        return self.actor_name

    @property
    def transition_display(self) -> str:
        return gettext(self.transition_label) if self.transition_label else self.transition
