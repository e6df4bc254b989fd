from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("人民调解")

    def ready(self):
        from audit.registry import register_history
        from cases.hooks import register_referral_handler
        from cases.models import ReferralTarget
        from common.navigation import NavItem, register
        from notifications.kinds import register_notification_kind
        from organisations.roles import Role

        from . import clocks
        from .models import MediationCase
        from .selectors import case_get_for_user, case_history_related
        from .services import compliance, mediation_case_create_from_dispute

        mediating = frozenset({Role.MEDIATOR, Role.CLERK, Role.SUPERVISOR, Role.ADMIN})
        register(
            NavItem(_("我的一周"), "mediation:week", roles=frozenset({Role.MEDIATOR}), order=20,
                    icon="calendar-week"),
            NavItem(_("调解案件"), "mediation:list", roles=mediating, order=21, icon="people"),
            NavItem(_("调解员名册"), "mediation:roster", roles=mediating, order=22,
                    icon="person-vcard"),
            NavItem(_("吐槽大会"), "mediation:meetings",
                    roles=frozenset({Role.CLERK, Role.GRID_WORKER, Role.MEDIATOR, Role.SUPERVISOR,
                                     Role.ADMIN}),
                    order=23, icon="megaphone"),
            NavItem(_("法律咨询"), "mediation:consultations", roles=mediating, order=24,
                    icon="journal-text"),
        )  # fmt: skip
        register_history(MediationCase, case_get_for_user, related=case_history_related)
        clocks.register_kinds()
        compliance.register_kinds()
        register_referral_handler(ReferralTarget.MEDIATION, mediation_case_create_from_dispute)
        register_notification_kind("mediation.received", _("新的调解案件"))
        register_notification_kind("mediation.assigned", _("指派调解"))
        register_notification_kind("mediation.outcome", _("调解进展与结果"))
        register_notification_kind(compliance.KIND_DUE, _("协议履行提醒"))
        register_notification_kind(compliance.KIND_MISSED, _("协议未按期履行"))
