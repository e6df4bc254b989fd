from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "公共"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from .approvals import APPROVER_ROLES, home_panels
        from .home import register
        from .navigation import NavItem
        from .navigation import register as register_nav

        register(home_panels)
        # 待我审批 replaces the clocks' own approvals entry: it lists those too
        register_nav(NavItem(_("待我审批"), "approvals", roles=frozenset(APPROVER_ROLES),
                             order=61, icon="check2-square"))  # fmt: skip
