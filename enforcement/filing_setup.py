"""What filing registers when the app starts (called from EnforcementConfig.ready): its
document types, the urging window's deadline kind, the case page's panels, the next-step
provider and the clerk's menu entry."""

from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from common.navigation import NavItem, register
    from organisations.roles import Role

    from . import document_kinds_filing, panels_filing
    from .actions import register_case_action
    from .panels import register_next_step
    from .services import urging

    document_kinds_filing.register_types()
    urging.register_kinds()
    panels_filing.register()
    register_next_step(panels_filing.next_steps)
    # the case page's buttons for these transitions lead to the filing workspace's forms
    for transition in ("file", "urging_performed", "assign", "suspend", "end_suspension"):
        register_case_action(transition, "enforcement:filing_case")
    register(
        NavItem(_("执行立案"), "enforcement:filing_desk",
                roles=frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN}), order=30,
                icon="folder-plus"),
    )  # fmt: skip
