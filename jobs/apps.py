from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from organisations.roles import Role


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("后台作业")

    def ready(self):
        from common.navigation import NavItem, register

        register(
            NavItem(
                _("后台作业"), "jobs:runs", roles=frozenset({Role.SUPERVISOR, Role.ADMIN}),
                order=98, icon="gear",
            )
        )  # fmt: skip
