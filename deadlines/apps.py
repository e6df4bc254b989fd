from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = _("期限")

    def ready(self):
        from common.navigation import NavItem, register
        from notifications.kinds import register_notification_kind

        from . import sweep
        from .statutory import register_statutory_kinds

        register_statutory_kinds()
        register(NavItem(_("期限"), "deadlines:list", order=60, icon="alarm"))

        from common.home import register as register_home

        from .home import home_panels

        register_home(home_panels)
        register_notification_kind(sweep.KIND_LEAD, _("期限届满前提醒"))
        register_notification_kind(sweep.KIND_DUE, _("期限今日届满"))
        register_notification_kind(sweep.KIND_MISSED, _("期限已超期"))
        register_notification_kind(sweep.KIND_ESCALATION, _("超期督办（主管）"))

        from audit.registry import register_history

        from .models import Deadline
        from .selectors import deadline_get_for_user

        register_history(Deadline, deadline_get_for_user)
