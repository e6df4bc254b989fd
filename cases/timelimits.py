"""The one integration point with the deadline engine (the `deadlines` app).

The loop keeps its own due dates on Dispute/Dispatch (so lists can filter "overdue" with an
index), and, when the deadline engine is installed, also starts/meets/cancels the matching
engine deadlines so they appear on the record page, in reminders and dashboards. Until
`deadlines.services` exists these calls are no-ops.
"""

import importlib
import logging

from django.apps import apps

logger = logging.getLogger(__name__)

# Deadline kinds this app registers with the engine (see CasesConfig.ready).
TRIAGE = "cases.triage"
DISPATCH_ACCEPT = "cases.dispatch_accept"
DISPATCH_ANSWER = "cases.dispatch_answer"


def _services():
    if not apps.is_installed("deadlines"):
        return None
    try:
        return importlib.import_module("deadlines.services")
    except ModuleNotFoundError:
        return None


def start(*, subject, kind, organisation, actor, due_at, owner=None, start=None):
    services = _services()
    if services is None:
        return None
    return services.deadline_start(
        subject=subject,
        kind=kind,
        organisation=organisation,
        actor=actor,
        owner=owner,
        due_at=due_at,
        start=start,
    )


def start_many(*, kind, actor, items):
    """`start` for many subjects in a few INSERTs (bulk import). `items` are dicts with the
    keys subject, organisation, due_at, start (and optionally owner)."""
    services = _services()
    if services is None:
        return []
    return services.deadlines_start_many(
        items=(services.DeadlineStart(**item) for item in items), kind=kind, actor=actor
    )


def _open_for(subject, kind):
    selectors = importlib.import_module("deadlines.selectors")
    model = apps.get_model("deadlines", "Deadline")
    return list(selectors.deadlines_for(subject).filter(kind=kind, state__in=model.OPEN_STATES))


def meet(*, subject, kind, actor):
    """The step is done: open clocks close (late ones as missed), and a clock the sweep
    already marked missed is closed as done late."""
    services = _services()
    if services is None:
        return
    selectors = importlib.import_module("deadlines.selectors")
    model = apps.get_model("deadlines", "Deadline")
    late = selectors.deadlines_for(subject).filter(
        kind=kind, state=model.State.MISSED, closed_at__isnull=True
    )
    for deadline in [*_open_for(subject, kind), *late]:
        services.deadline_meet(deadline, actor=actor)


def cancel(*, subject, kind, actor, reason=""):
    services = _services()
    if services is None:
        return
    for deadline in _open_for(subject, kind):
        services.deadline_cancel(deadline, actor=actor, reason=reason)


def _owning_unit(deadline):
    """Case clocks are extended by a supervisor of the unit that owns the dispute (the
    centre that set the time limit), never by the department that runs late."""
    subject = deadline.subject
    dispute = getattr(subject, "dispute", subject)
    return dispute.organisation


def _due_moved(deadline, actor):
    """An approved extension moves the loop's own copy of the due date (audited)."""
    from audit.services import audit_change, snapshot

    field = {
        TRIAGE: "triage_due_at",
        DISPATCH_ACCEPT: "accept_due_at",
        DISPATCH_ANSWER: "deadline",
    }[deadline.kind]
    subject = type(deadline.subject)._default_manager.select_for_update().get(pk=deadline.object_id)
    before = snapshot(subject)
    setattr(subject, field, deadline.due_at)
    subject.save(update_fields=[field])
    audit_change(subject, actor=actor, before=before, note=str(deadline))


def register_kinds():
    """Called from CasesConfig.ready(): declare our kinds to the engine, if installed."""
    if not apps.is_installed("deadlines"):
        return
    try:
        registry = importlib.import_module("deadlines.registry")
    except ModuleNotFoundError:
        return
    from django.utils.translation import gettext_lazy as _

    from . import conf

    registry.register_kind(
        TRIAGE,
        label=_("纠纷研判"),
        unit="calendar_days",
        amount=1,
        basis=_("研判时限（配置）"),
        lead_times=(1,),
        approving_unit=_owning_unit,
        on_extended=_due_moved,
        pausable=False,
    )
    registry.register_kind(
        DISPATCH_ACCEPT,
        label=_("应哨"),
        unit="calendar_days",
        amount=1,
        basis=_("应哨时限（配置）"),
        approving_unit=_owning_unit,
        on_extended=_due_moved,
        pausable=False,
    )
    registry.register_kind(
        DISPATCH_ANSWER,
        label=_("答卷"),
        unit="calendar_days",
        amount=conf.get("CASES_DEADLINE_DAYS")["complex"],
        basis=_("按难易程度的办结时限（配置）"),
        lead_times=(1,),
        approving_unit=_owning_unit,
        on_extended=_due_moved,
        pausable=False,
    )
