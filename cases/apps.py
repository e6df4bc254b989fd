from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("矛盾纠纷")

    def ready(self):
        from audit.registry import register_history
        from common.navigation import NavItem, register
        from notifications.kinds import register_notification_kind
        from organisations.roles import Role

        from . import timelimits
        from .models import Dispute
        from .selectors import dispute_history_getter, dispute_history_related

        centre = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN, Role.GRID_WORKER})
        register(
            NavItem(
                _("矛盾纠纷"),
                "cases:list",
                roles=centre | {Role.RESPONDER, Role.MEDIATOR},
                order=10,
                icon="list-task",
            ),
            NavItem(
                _("登记"),
                "cases:create",
                roles=frozenset({Role.CLERK, Role.ADMIN}),
                order=11,
                icon="plus-circle",
            ),
            NavItem(
                _("随手报"),
                "cases:report",
                roles=frozenset({Role.GRID_WORKER}),
                order=11,
                icon="camera",
            ),
            # mediators receive matters the same way (交办给调解委员会), so the inbox is theirs too
            NavItem(
                _("应哨"),
                "cases:inbox",
                roles=frozenset({Role.RESPONDER, Role.GRID_WORKER, Role.MEDIATOR}),
                order=12,
                icon="inbox",
            ),
            NavItem(
                _("督办"),
                "cases:supervision",
                roles=frozenset({Role.SUPERVISOR, Role.ADMIN}),
                order=13,
                icon="flag",
            ),
            NavItem(
                _("打包"),
                "cases:bundles",
                roles=frozenset({Role.CLERK, Role.SUPERVISOR}),
                order=14,
                icon="boxes",
            ),
            NavItem(
                _("排查台账"),
                "case_reports:ledger",
                roles=centre,
                order=15,
                icon="clipboard-data",
            ),
            NavItem(
                _("闭环时效"),
                "cases:figures",
                roles=centre,
                order=15,
                icon="stopwatch",
            ),
            NavItem(
                _("周报表"),
                "case_reports:weekly",
                roles=centre,
                order=16,
                icon="table",
            ),
            NavItem(
                _("批量导入"),
                "case_reports:import_upload",
                roles=frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN}),
                order=17,
                icon="file-earmark-arrow-up",
            ),
        )
        register_history(Dispute, dispute_history_getter, related=dispute_history_related)
        from common.home import register as register_home

        from .home import home_panels

        register_home(home_panels)
        timelimits.register_kinds()
        register_notification_kind("cases.dispatched", _("新的吹哨事项"))
        register_notification_kind("cases.answered", _("答卷待审核"))
        register_notification_kind("cases.reopened", _("群众不满意重办"))
        register_notification_kind("cases.accepted", _("应哨单位已应哨"))
        register_notification_kind("cases.dispatch_answered", _("应哨单位已答卷"))
        register_notification_kind("cases.handed_back", _("应哨单位退回"))
        register_notification_kind("cases.outcome", _("反映事项的办理结果"))
        register_notification_kind("cases.urged", _("超期催办"))
        register_notification_kind("cases.referral_returned", _("移交事项退回"))
