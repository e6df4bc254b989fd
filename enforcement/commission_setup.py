"""Wiring of commission and cross-enforcement (enf-commission), called from
EnforcementConfig.ready(): the case-page panel, the next steps, the records' history pages."""


def ready() -> None:
    from django.http import Http404

    from audit.registry import register_history

    from .models import CaseTransfer, Commission
    from .panels import CasePanel, register_next_step, register_panel
    from .panels_commission import (
        commission_next_steps,
        commission_next_steps_prefetch,
        commission_panel_context,
    )
    from .selectors import case_get_for_user

    register_panel(
        CasePanel(key="commission", order=75, template="enforcement/commission/panel.html",
                  context=commission_panel_context)
    )  # fmt: skip
    register_next_step(commission_next_steps, prefetch=commission_next_steps_prefetch)

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
