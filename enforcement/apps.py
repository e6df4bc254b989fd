from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = _("执行")

    def ready(self):
        from audit.registry import register_history

        from .models import EnforcementCase
        from .selectors import case_get_for_user
        from .selectors_history import case_history_related  # enf-finish: every part's records

        register_history(EnforcementCase, case_get_for_user, related=case_history_related)
        self._ready_workbench()

        from common.home import register as register_home

        from .approvals import register_all as register_approvals
        from .home import home_panels

        register_home(home_panels)
        register_approvals()

        from .filing_setup import ready as filing_ready

        filing_ready()

        # notices, service and the asset report; registered before assets and funds so the
        # next steps read in the law's order (notices within 3 days, then inquiry, money)
        from .notices_setup import ready as notices_ready

        notices_ready()

        # assets: the urgent clue clock, the case-page panel and next steps
        from .clocks_assets import register_kinds as register_asset_kinds
        from .panels_assets import register as register_asset_panel

        register_asset_kinds()
        register_asset_panel()

        from .funds_setup import register as register_funds

        register_funds()
        # enf-endings: settlement, 终本, periodic checks and resumption, other endings
        from .endings_setup import ready as endings_ready

        endings_ready()
        # enf-measures: coercive measures, objections, campaigns
        from .measures_setup import ready as measures_ready

        measures_ready()
        # enf-commission: 委托执行, 交叉/指定/提级执行 (panel, next steps, history)
        from .commission_setup import ready as commission_ready

        commission_ready()
        # enf-guarantee: 执行担保, 暂缓执行, enforcement against the guarantor
        from .guarantee_setup import ready as guarantee_ready

        guarantee_ready()

    def _ready_workbench(self):
        """The officer's workbench and the court's list in the menu: court staff only
        (a street centre's clerk or supervisor has the same role names, not the scope)."""
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
            NavItem(_("我的执行案件"), "enforcement:workbench",
                    roles=frozenset({Role.ENFORCEMENT_OFFICER}), order=30, icon="briefcase",
                    visible=court_member(Role.ENFORCEMENT_OFFICER)),
            NavItem(_("执行案件"), "enforcement:list",
                    roles=frozenset({Role.ENFORCEMENT_OFFICER, Role.CLERK, Role.SUPERVISOR}),
                    order=31, icon="hammer",
                    visible=court_member(Role.ENFORCEMENT_OFFICER, Role.CLERK, Role.SUPERVISOR)),
            # the court's 执行质效 year (enforcement/figures.py): a court's supervisors only
            NavItem(_("执行质效"), "enforcement:figures", roles=frozenset({Role.SUPERVISOR}),
                    order=35, icon="bar-chart", visible=court_member(Role.SUPERVISOR)),
        )  # fmt: skip
