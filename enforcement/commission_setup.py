"""Wiring of commission and cross-enforcement (enf-commission), called from
EnforcementConfig.ready(): the case-page panel, the next steps, the records' history pages,
the menu entry of the received commissions."""


def ready() -> None:
    from django.http import Http404

    from audit.registry import register_history

    from . import document_kinds_commission
    from .models import CaseTransfer, Commission
    from .panels import CasePanel, register_next_step, register_panel
    from .panels_commission import (
        commission_next_steps,
        commission_next_steps_prefetch,
        commission_panel_context,
    )
    from .selectors import case_get_for_user

    document_kinds_commission.register_types()
    register_panel(
        CasePanel(key="commission", order=75, template="enforcement/commission/panel.html",
                  context=commission_panel_context)
    )  # fmt: skip
    register_next_step(
        commission_next_steps, prefetch=commission_next_steps_prefetch, reads=(Commission,)
    )

    def getter(model):
        def get(user, pk):
            record = model.objects.filter(pk=pk).first()
            if record is None:
                raise Http404
            case_get_for_user(user, record.case_id)
            return record

        return get

    for model in (Commission, CaseTransfer):
        register_history(model, getter(model))

    _navigation()


def _navigation() -> None:
    """受托执行案件 in the menu: a court's own staff (not a government unit's)."""
    from django.utils.translation import gettext_lazy as _

    from common.navigation import NavItem, register
    from organisations.roles import Role

    from .selectors import COURT_KINDS

    roles = frozenset({Role.ENFORCEMENT_OFFICER, Role.CLERK, Role.SUPERVISOR})

    def visible(user) -> bool:
        return any(
            m.organisation.kind in COURT_KINDS and m.role in roles for m in user.active_memberships
        )

    register(
        NavItem(_("受托执行案件"), "enforcement:commission_received", roles=roles, order=32,
                icon="inbox", visible=visible)
    )  # fmt: skip
