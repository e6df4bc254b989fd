from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("书记员")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("执行员")
    MEDIATOR = "mediator", _("调解员")
    GRID_WORKER = "grid_worker", _("网格员")
    RESPONDER = "responder", _("应哨单位")
    SUPERVISOR = "supervisor", _("监督领导")
    ADMIN = "admin", _("系统管理员")


STAFF_ROLES = frozenset({Role.CLERK, Role.ENFORCEMENT_OFFICER, Role.SUPERVISOR, Role.ADMIN})
