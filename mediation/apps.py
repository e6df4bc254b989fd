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
        self._ready_confirmation()
        compliance.register_kinds()
        register_referral_handler(ReferralTarget.MEDIATION, mediation_case_create_from_dispute)
        register_notification_kind("mediation.received", _("新的调解案件"))
        register_notification_kind("mediation.assigned", _("指派调解"))
        register_notification_kind("mediation.outcome", _("调解进展与结果"))
        register_notification_kind(compliance.KIND_DUE, _("协议履行提醒"))
        register_notification_kind(compliance.KIND_MISSED, _("协议未按期履行"))

    def _ready_confirmation(self):
        from django.db.models import Q

        from audit.registry import register_history
        from common.navigation import NavItem, register
        from documents.registry import register_case_number_lock, register_subject
        from documents.selectors import documents_for
        from organisations.roles import Role

        from . import confirmation_clocks
        from .confirmation_selectors import agreement_get_for_user, confirmation_get_for_user
        from .figures import figure_condition_register, figures_menu_visible
        from .models import Agreement, ConfirmationStatus, JudicialConfirmation

        confirmation_clocks.register_kinds()
        # the 民特 ruling is numbered by the case number under the confirmation's row lock;
        # a replacement of one of the case's documents takes the same lock
        from .services.confirmation import lock_case_number

        register_case_number_lock(lock_case_number)
        # documents about the agreement and the ruling are read by whoever reads the record
        register_subject(Agreement, agreement_get_for_user)
        register_subject(JudicialConfirmation, confirmation_get_for_user)
        register_history(
            JudicialConfirmation,
            confirmation_get_for_user,
            related=lambda c: (documents_for(c),),
        )
        # the court's year (mediation/figures.py): agreements confirmed by a ruling in it
        figure_condition_register(
            "confirmed",
            lambda start, end: Q(
                pk__in=JudicialConfirmation.objects.filter(
                    status=ConfirmationStatus.CONFIRMED, ruled_at__gte=start, ruled_at__lt=end
                ).values("agreement__case_id")
            ),
        )
        register(
            NavItem(_("司法确认"), "mediation:confirmation_list",
                    roles=frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN, Role.MEDIATOR}),
                    order=23, icon="bank"),
            # the court's year (委派, 调解成功, 司法确认, 调撤): court staff and the supervisors
            # whose scope holds a court
            NavItem(_("诉调对接统计"), "mediation:figures",
                    roles=frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN}),
                    order=25, icon="bar-chart", visible=figures_menu_visible),
        )  # fmt: skip
