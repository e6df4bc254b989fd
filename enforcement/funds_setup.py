"""What the case-fund ledger adds to the rest of the app, called from apps.ready():
the performance guard (执行完毕 refused while money is owed or held), the case-page panel
and the next-step provider."""


def register() -> None:
    from .models import FundDisbursement, FundReceipt
    from .panels import CasePanel, register_next_step, register_panel
    from .panels_funds import funds_next_steps, funds_next_steps_prefetch, funds_panel_context
    from .services.funds import funds_performance_refusal
    from .states import performance_guard_register

    performance_guard_register(funds_performance_refusal)
    register_panel(
        CasePanel(
            key="funds",
            order=60,
            template="enforcement/funds/panel.html",
            context=funds_panel_context,
        )
    )
    register_next_step(
        funds_next_steps,
        prefetch=funds_next_steps_prefetch,
        reads=(FundReceipt, FundDisbursement),
    )
