"""Wiring of the enforcement guarantee (enf-guarantee), called from EnforcementConfig.ready():
the case machine's guards, the suspension clock is statutory (deadlines/statutory.py), the
notification kind, the case-page panel, the next steps, the case actions, the history."""


def ready() -> None:
    from audit.registry import register_history
    from notifications.kinds import register_notification_kind

    from . import document_kinds_guarantee
    from .actions import register_case_action
    from .endings_setup import _record_getter
    from .models import EnforcementGuarantee
    from .panels import CasePanel, register_next_step, register_panel
    from .panels_guarantee import (
        guarantee_next_steps,
        guarantee_next_steps_prefetch,
        guarantee_panel_context,
    )
    from .selectors import case_get_for_user
    from .services.guarantee import (
        NOTIFICATION_KIND,
        end_suspension_refusal,
        guarantee_resume_refusal,
        guarantee_suspend_refusal,
    )
    from .states import ending_guard_register

    document_kinds_guarantee.register_types()
    ending_guard_register("guarantee_suspend", guarantee_suspend_refusal)
    ending_guard_register("guarantee_resume", guarantee_resume_refusal)
    ending_guard_register("end_suspension", end_suspension_refusal)
    register_notification_kind(NOTIFICATION_KIND, "执行担保")
    register_panel(
        CasePanel(key="guarantee", order=65, template="enforcement/guarantee/panel.html",
                  context=guarantee_panel_context)
    )  # fmt: skip
    register_next_step(
        guarantee_next_steps,
        prefetch=guarantee_next_steps_prefetch,
        reads=(EnforcementGuarantee,),
    )
    for transition in ("guarantee_suspend", "guarantee_resume"):
        register_case_action(transition, "enforcement:guarantee")
    register_history(EnforcementGuarantee, _record_getter(EnforcementGuarantee, case_get_for_user))
