"""Wiring of coercive measures, objections and campaigns (called from
EnforcementConfig.ready): document types, the clocks, the notification kind, the case-page
panel, the next-step provider and the history pages of the records."""

from django.utils.translation import gettext_lazy as _


def _court_of(deadline):
    """The review's extension is approved by the court's own president."""
    return deadline.organisation


def register_clocks() -> None:
    from deadlines.registry import register_kind

    register_kind(
        "enforcement.detention_family_notice",
        label=_("拘留后通知家属"),
        unit="calendar_days",
        amount=1,
        basis=_("被拘留人的家属应当在拘留后二十四小时内得到通知（计至拘留开始后满二十四小时）。"),
        # a reminder at once: the whole period is one day
        lead_times=(1,),
        pausable=False,
        extension_by_request=False,
    )
    register_kind(
        "enforcement.objection_register",
        label=_("执行异议立案"),
        unit="calendar_days",
        amount=3,
        basis=_("人民法院收到执行异议或复议申请后，应当在三日内立案（或决定不予受理）。"),
        lead_times=(1,),
        pausable=False,
        extension_by_request=False,
    )
    register_kind(
        "enforcement.objection_decide",
        label=_("执行异议审查"),
        unit="calendar_days",
        amount=15,
        basis=_("人民法院应当自收到书面异议之日起十五日内审查并作出裁定。"),
        lead_times=(5, 1),
        extension_by_request=False,
    )
    register_kind(
        "enforcement.review_decide",
        label=_("执行复议审查"),
        unit="calendar_days",
        amount=30,
        basis=_(
            "上一级人民法院应当自收到复议申请之日起三十日内审查完毕并作出裁定；有特殊情况需要"
            "延长的，经本院院长批准，可以延长，延长的期限不得超过三十日。"
        ),
        lead_times=(7, 1),
        approving_unit=_court_of,
    )
    register_kind(
        "enforcement.measure_review_decide",
        label=_("罚款、拘留决定复议"),
        unit="calendar_days",
        amount=5,
        basis=_("被罚款、拘留的人不服决定申请复议的，上级人民法院应当在收到复议申请后五日内作出决定。"),
        lead_times=(1,),
        extension_by_request=False,
    )  # fmt: skip


def ready() -> None:
    from audit.registry import register_history
    from notifications.kinds import register_notification_kind

    from .document_kinds_measures import register_types
    from .models import CoerciveMeasure, Objection
    from .panels import CasePanel, register_next_step, register_panel
    from .panels_measures import (
        measures_next_steps,
        measures_next_steps_prefetch,
        measures_panel_context,
    )
    from .selectors_campaigns import measure_get_for_user, objection_get_for_user

    register_types()
    register_clocks()
    register_notification_kind("enforcement.measure", _("强制措施审批"))
    register_panel(
        CasePanel(
            key="measures",
            order=70,
            template="enforcement/measures/panel.html",
            context=measures_panel_context,
        )
    )
    register_next_step(
        measures_next_steps,
        prefetch=measures_next_steps_prefetch,
        reads=(CoerciveMeasure, Objection),
    )
    register_history(CoerciveMeasure, measure_get_for_user)
    register_history(Objection, objection_get_for_user)
    _register_navigation()
    from .services.measures import measures_on_case_transition
    from .states import case_machine

    case_machine.listen(measures_on_case_transition)


def _register_navigation() -> None:
    """专项行动 for court staff; 强制措施待审批 for a court's president."""
    from common.navigation import NavItem, register
    from organisations.roles import Role

    from .selectors import COURT_KINDS

    def court_member(*roles):
        def visible(user) -> bool:
            return any(
                m.organisation.kind in COURT_KINDS and m.role in roles
                for m in user.active_memberships
            )

        return visible

    register(
        NavItem(_("强制措施待审批"), "enforcement:measures_awaiting",
                roles=frozenset({Role.SUPERVISOR}), order=33, icon="shield-check",
                visible=court_member(Role.SUPERVISOR)),
        NavItem(_("专项行动"), "enforcement:campaigns",
                roles=frozenset({Role.ENFORCEMENT_OFFICER, Role.CLERK, Role.SUPERVISOR}),
                order=34, icon="flag",
                visible=court_member(Role.ENFORCEMENT_OFFICER, Role.CLERK, Role.SUPERVISOR)),
    )  # fmt: skip
