from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = _("执行")

    def ready(self):
        from audit.registry import register_history

        from .models import EnforcementCase
        from .selectors import case_get_for_user

        register_history(EnforcementCase, case_get_for_user)
