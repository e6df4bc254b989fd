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

        from common.approvals import register as register_approvals
        from common.home import register as register_home

        from .home import extension_requests_awaiting, home_panels

        register_home(home_panels)
        register_approvals(extension_requests_awaiting)
        register_notification_kind(sweep.KIND_LEAD, _("期限届满前提醒"))
        register_notification_kind(sweep.KIND_DUE, _("期限今日届满"))
        register_notification_kind(sweep.KIND_MISSED, _("期限已超期"))
        register_notification_kind(sweep.KIND_ESCALATION, _("超期督办（主管）"))
        register_notification_kind("deadline.extension_requested", _("延长期限待审批"))
        register_notification_kind("deadline.extension_decided", _("延长申请审批结果"))

        from audit.registry import register_history

        from .models import Deadline, DeadlineExtensionRequest
        from .selectors import deadline_get_for_user, extension_request_get_for_user

        register_history(Deadline, deadline_get_for_user)
        register_history(DeadlineExtensionRequest, extension_request_get_for_user)
