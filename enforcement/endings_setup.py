"""Wiring of the endings (enf-endings), called from EnforcementConfig.ready(): the 终本
ruling's document type, the instalment clock, the transitions' guards, the case-page panel,
the next steps, the case actions and the history pages of the records."""


def ready() -> None:
    from audit.registry import register_history
    from notifications.kinds import register_notification_kind

    from . import document_kinds_endings
    from .actions import register_case_action
    from .models import FinalConclusionRequest, JudicialRelief, Settlement
    from .panels import CasePanel, register_next_step, register_panel
    from .panels_endings import (
        endings_next_steps,
        endings_next_steps_prefetch,
        endings_panel_context,
    )
    from .selectors import case_get_for_user
    from .services.final import final_terminate_round_refusal
    from .services.settlement import register_clock, settlement_performed_refusal
    from .states import ending_guard_register

    document_kinds_endings.register_types()
    document_kinds_endings.register_termination_type()
    register_clock()
    ending_guard_register("settlement_performed", settlement_performed_refusal)
    ending_guard_register("terminate_round", final_terminate_round_refusal)
    register_notification_kind("enforcement.endings", "执行结案、终本与恢复执行")
    register_panel(
        CasePanel(key="endings", order=70, template="enforcement/endings/panel.html",
                  context=endings_panel_context)
    )  # fmt: skip
    register_next_step(endings_next_steps, prefetch=endings_next_steps_prefetch)
    for transition in (
        "settle",
        "settlement_performed",
        "settlement_broken",
        "terminate_round",
        "terminate",
        "bankruptcy",
        "performed",
    ):
        register_case_action(transition, "enforcement:endings")

    for model in (Settlement, FinalConclusionRequest, JudicialRelief):
        register_history(model, _record_getter(model, case_get_for_user))


def _record_getter(model, case_get_for_user):
    from django.http import Http404

    def get(user, pk):
        record = model.objects.filter(pk=pk).first()
        if record is None:
            raise Http404
        case_get_for_user(user, record.case_id)
        return record

    return get
