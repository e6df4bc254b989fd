"""Deadline kinds and their statutory defaults, declared in code.

Each app registers the clocks it runs in its AppConfig.ready():

    register_kind("enforcement.time_limit", label=_("执行期限"), unit="months", amount=6,
                  basis=_("执行案件应当在立案之日起六个月内执结"), lead_times=(30, 7, 1))

The statutory value is what the law (DOMAIN.md, "Legal rules") says; organisations and
regions can set stricter local values in the DeadlineRule table, which is always shown
beside the statutory one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

UNITS = ("calendar_days", "working_days", "months")


@dataclass(frozen=True)
class DeadlineKind:
    kind: str
    label: str
    unit: str
    amount: int
    basis: str
    lead_times: tuple[int, ...] = (7, 1)
    # Who approves an extension. None: a supervisor or administrator whose scope reaches
    # the deadline's organisation. Otherwise a callable(deadline) → the unit whose own
    # supervisor (e.g. the court's president for the enforcement time limit) must approve.
    approving_unit: Callable[[Any], Any] | None = None
    # Called as on_extended(deadline, actor) inside the approval's transaction, so an app
    # that keeps its own copy of the due date (the cases loop) moves it too.
    on_extended: Callable[[Any, Any], None] | None = None
    # Whether a person may stop the clock (中止, e.g. enforcement suspended). Clocks with no
    # legal suspension (the loop's 研判/应哨/答卷) are not paused by hand.
    pausable: bool = True
    # Whether the clock is extended by asking an approver (deadline_extension_request). A
    # clock the law extends only on a recorded fact — pre-litigation mediation, on both
    # parties' consent — is False: its app extends it with deadline_extend_on_record.
    extension_by_request: bool = True
    # Who is told, instead of the generic owner reminder and the supervisors' escalation:
    # called by the sweep, inside the batch's transaction, as notifications(items) with the
    # (deadline, stage, lead_days) of this kind being sent now; returns {deadline.pk:
    # [NotificationSpec, …]}. For clocks that watch someone outside the organisation (a
    # debtor's instalment): the exactly-once guarantee of the Reminder rows still holds.
    notifications: Callable[[list], dict] | None = None
    # Set when the owning record's own steps pause, resume and extend this clock (the
    # enforcement time limit: 中止 / 恢复 / the president's extension on the case): the
    # generic deadline page and API then refuse those actions with this text.
    handled_on_record: Any = None


_kinds: dict[str, DeadlineKind] = {}


def register_kind(
    kind: str,
    *,
    label,
    unit: str,
    amount: int,
    basis,
    lead_times: tuple[int, ...] = (7, 1),
    approving_unit: Callable[[Any], Any] | None = None,
    on_extended: Callable[[Any, Any], None] | None = None,
    pausable: bool = True,
    extension_by_request: bool = True,
    notifications: Callable[[list], dict] | None = None,
    handled_on_record: Any = None,
) -> DeadlineKind:
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    if amount <= 0:
        raise ValueError("amount must be positive")
    entry = DeadlineKind(
        kind=kind,
        label=label,
        unit=unit,
        amount=amount,
        basis=basis,
        lead_times=tuple(sorted({int(d) for d in lead_times}, reverse=True)),
        approving_unit=approving_unit,
        on_extended=on_extended,
        pausable=pausable,
        extension_by_request=extension_by_request,
        notifications=notifications,
        handled_on_record=handled_on_record,
    )
    _kinds[kind] = entry
    return entry


def get_kind(kind: str) -> DeadlineKind | None:
    return _kinds.get(kind)


def all_kinds() -> list[DeadlineKind]:
    return sorted(_kinds.values(), key=lambda k: k.kind)
