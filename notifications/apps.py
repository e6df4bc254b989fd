from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知")

    def ready(self):
        from common.navigation import NavItem, register

        register(NavItem(_("通知"), "notifications:list", order=95, icon="bell"))
