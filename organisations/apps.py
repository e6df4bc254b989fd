from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("组织与用户")

    def ready(self):
        from common.navigation import NavItem, register

        register(
            NavItem(_("工作台"), "home", order=0, icon="house"),
            NavItem(_("组织机构"), "organisations:list", order=90, icon="diagram-3"),
        )

        from audit.registry import register_history

        from .models import Organisation
        from .selectors import organisation_get_for_user

        register_history(Organisation, organisation_get_for_user)
