"""Wiring of the notices part (called from EnforcementConfig.ready): the document types,
the debtor's report clock, the case-page panel, the next-step provider and the history
pages of its records."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

REPORT_CLOCK = "enforcement.asset_report_due"


def register_report_clock() -> None:
    from deadlines.registry import register_kind

    register_kind(
        REPORT_CLOCK,
        label=_("被执行人报告财产期限"),
        unit="calendar_days",
        # the default period of an order; a court sets its own in the local deadline rules
        amount=int(getattr(settings, "ENFORCEMENT_ASSET_REPORT_DAYS", 7)),
        basis=_(
            "被执行人未按执行通知履行法律文书确定的义务，应当按照报告财产令载明的期限（通常为五至"
            "十日）如实报告当前以及收到执行通知之日前一年的财产情况；报告确有困难的，可以书面申请"
            "延长期限。"
        ),
        lead_times=(1,),
    )


def ready() -> None:
    from audit.registry import register_history
    from documents.registry import register_case_number_lock

    from .services.notices import lock_case_number

    # a replaced document of a case is numbered under the case's row lock, as its issuers do
    register_case_number_lock(lock_case_number)

    from .document_kinds_notices import register_types
    from .models import AssetReport, EnforcementNotice
    from .panels import CasePanel, register_next_step, register_panel
    from .panels_notices import notices_panel_context
    from .selectors_notices import (
        asset_report_get_for_user,
        notice_get_for_user,
        notices_next_steps,
        notices_next_steps_prefetch,
    )

    register_types()
    register_report_clock()
    register_panel(
        CasePanel(
            key="notices",
            order=30,
            template="enforcement/notices/panel.html",
            context=notices_panel_context,
        )
    )
    register_next_step(notices_next_steps, prefetch=notices_next_steps_prefetch)
    register_history(
        EnforcementNotice, notice_get_for_user, related=lambda notice: (notice.services.all(),)
    )
    register_history(
        AssetReport, asset_report_get_for_user, related=lambda report: (report.items.all(),)
    )
