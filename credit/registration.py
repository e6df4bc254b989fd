"""Everything the credit app registers with the rest of the portal at start-up
(CreditConfig.ready): document types, deadline kinds, notification kinds, record getters
for history and documents, the enforcement case page's panel and next steps, the listener
on the case workflow, and the menu entry."""

from django.utils.translation import gettext_lazy as _


def _nobody(items) -> dict:
    """The applicant's own window (复议申请期间): when it lapses nobody is reminded or
    escalated to; the clock only records that the window closed."""
    return {}


def register_deadline_kinds() -> None:
    from deadlines.registry import get_kind, register_kind

    register_kind(
        "credit.review_apply",
        label=_("复议申请期间"),
        unit="calendar_days",
        amount=10,
        basis=_("当事人对纠正决定不服的，可以自决定送达之日起十日内向上一级人民法院申请复议。"),
        lead_times=(3,),
        pausable=False,
        extension_by_request=False,
        notifications=_nobody,
    )
    # The statutory removal clock (deadlines/statutory.py), made unpausable and not
    # extendable: the law gives 3 working days and no way to stop or extend them.
    removal = get_kind("credit.removal")
    register_kind(
        removal.kind,
        label=_("删除失信信息/解除限制消费"),
        unit=removal.unit,
        amount=removal.amount,
        basis=removal.basis,
        lead_times=removal.lead_times,
        pausable=False,
        extension_by_request=False,
    )


def register_notification_kinds() -> None:
    from notifications.kinds import register_notification_kind

    from .services.imposing import KIND_RESTRICTION_DECIDED, KIND_RESTRICTION_REQUESTED
    from .services.removal import KIND_REMOVAL_APPROVAL, KIND_REMOVAL_DUE
    from .services.restoration import KIND_LIFTING_REQUESTED
    from .services.transfer import KIND_RESTORATION_MOVED

    register_notification_kind(KIND_RESTRICTION_REQUESTED, _("限制消费令待审批"))
    register_notification_kind(KIND_RESTRICTION_DECIDED, _("限制消费令审批结果"))
    register_notification_kind(KIND_REMOVAL_APPROVAL, _("删除失信/解除限制待审批"))
    register_notification_kind(KIND_REMOVAL_DUE, _("删除失信/解除限制待办理"))
    register_notification_kind(KIND_LIFTING_REQUESTED, _("单次解禁待审批"))
    register_notification_kind(KIND_RESTORATION_MOVED, _("信用修复申请随案移送"))


def register_records() -> None:
    from audit.registry import register_history
    from documents.registry import register_subject
    from documents.selectors import documents_for

    from . import selectors
    from .models import (
        Certificate,
        CorrectionRequest,
        CreditReview,
        Listing,
        OneTimeLifting,
        Removal,
        Restoration,
        Restriction,
    )

    register_history(Listing, selectors.listing_get_for_user, related=lambda o: [documents_for(o)])
    register_history(
        Restriction, selectors.restriction_get_for_user, related=lambda o: [documents_for(o)]
    )
    register_history(Removal, selectors.removal_get_for_user)
    register_history(Restoration, selectors.restoration_get_for_user)
    register_history(CorrectionRequest, selectors.correction_get_for_user)
    register_history(CreditReview, selectors.review_get_for_user)
    register_history(OneTimeLifting, selectors.lifting_get_for_user)
    register_history(
        Certificate, selectors.certificate_get_for_user, related=lambda o: [documents_for(o)]
    )
    register_subject(Certificate, selectors.certificate_get_for_user)


def register_enforcement_hooks() -> None:
    from enforcement.panels import CasePanel, register_next_step, register_panel
    from enforcement.states import case_machine

    from . import panels
    from .case_events import on_case_transfer, on_case_transition
    from .models import Removal, Restriction

    register_panel(
        CasePanel(key="credit", order=60, template="credit/partials/case_panel.html",
                  context=panels.case_panel_context)
    )  # fmt: skip
    register_next_step(
        panels.next_steps, prefetch=panels.next_steps_prefetch, reads=(Removal, Restriction)
    )
    case_machine.listen(on_case_transition)
    # enf-commission: a case moved to another court takes its open credit work along
    from enforcement.services.commission import case_transfer_listen

    case_transfer_listen(on_case_transfer)
    # enf-endings: 终本's "restriction ordered and listing done" condition asks credit
    from enforcement.services.final import final_credit_provider_register

    from .final_condition import final_credit_state

    final_credit_provider_register(final_credit_state)


def register_navigation() -> None:
    from common.navigation import NavItem, register
    from organisations.roles import Role

    from .figures import figures_menu_visible

    register(
        NavItem(
            _("信用惩戒"),
            "credit:home",
            roles=frozenset({Role.CLERK, Role.ENFORCEMENT_OFFICER, Role.SUPERVISOR, Role.ADMIN}),
            order=45,
            icon="shield-exclamation",
        ),
        # the court's year (credit/figures.py): a court's supervisors, and a higher court's
        NavItem(
            _("信用惩戒统计"),
            "credit:figures",
            roles=frozenset({Role.SUPERVISOR}),
            order=46,
            icon="bar-chart",
            visible=figures_menu_visible,
        ),
    )


def register_job_label() -> None:
    from jobs.selectors import JOB_LABELS

    JOB_LABELS.setdefault("credit.daily", _("信用惩戒：期满删除与宽限期届满公布"))


def register_all() -> None:
    from .document_kinds import register_credit_types

    register_credit_types()
    register_deadline_kinds()
    register_notification_kinds()
    register_records()
    register_enforcement_hooks()
    register_navigation()
    register_job_label()
