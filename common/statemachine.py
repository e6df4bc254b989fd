"""A small state-machine helper every workflow uses.

Transitions are declared as data; `apply` locks the row, checks the source state, the
actor's role and the guard, changes the state and writes the audit entry in one
transaction, or refuses with a message that says why and changes nothing. Views ask
`available` which actions to offer.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _


class TransitionNotAllowed(Exception):
    """An illegal transition. `message` is shown to the user (page message, API 409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    # Roles (in the record's organisation scope) that may apply it; empty means any role.
    roles: frozenset[str] = field(default_factory=frozenset)
    # Returns a refusal message, or None when the record may take this transition.
    guard: Callable[[Any], str | None] | None = None
    button_style: str = "primary"


class StateMachine:
    def __init__(
        self,
        *,
        state_field: str,
        states: type,
        transitions: Iterable[Transition],
        roles_of: Callable[[Any, Any], set[str]] | None = None,
    ):
        self.state_field = state_field
        self.states = states
        self.transitions = {t.name: t for t in transitions}
        self.roles_of = roles_of
        self._listeners: list[Callable] = []
        labels = dict(states.choices)
        for t in self.transitions.values():
            unknown = [s for s in (*t.sources, t.target) if s not in labels]
            if unknown:
                raise ValueError(f"Transition {t.name} names unknown states {unknown}")

    def listen(self, listener: Callable) -> None:
        """`listener(instance, transition, actor, source)` runs after every applied
        transition, inside its transaction: a higher app reacts to a lower one's workflow
        (credit starts removals when an enforcement case is performed) without the lower
        app importing it. A listener that raises rolls the transition back."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    def state_label(self, value: str) -> str:
        return str(dict(self.states.choices).get(value, value))

    def refusal(self, obj, name: str, actor=None) -> str | None:
        """Why `actor` may not apply transition `name` to `obj` now, or None if they may."""
        transition = self.transitions.get(name)
        if transition is None:
            return _("未知操作“%(name)s”。") % {"name": name}
        current = getattr(obj, self.state_field)
        if current not in transition.sources:
            return _("当前状态为“%(state)s”，不能执行“%(action)s”。") % {
                "state": self.state_label(current),
                "action": transition.label,
            }
        if transition.roles and actor is not None and self.roles_of is not None:
            if not (self.roles_of(obj, actor) & transition.roles):
                return _("您的角色无权执行“%(action)s”。") % {"action": transition.label}
        if transition.guard is not None:
            reason = transition.guard(obj)
            if reason:
                return reason
        return None

    @staticmethod
    def _working_language_label(transition: Transition) -> str:
        # Audit entries are records: written in the working language, not the user's choice.
        with translation.override(settings.LANGUAGE_CODE):
            return str(transition.label)

    def available(self, obj, actor=None) -> list[Transition]:
        return [t for t in self.transitions.values() if self.refusal(obj, t.name, actor) is None]

    def apply(
        self,
        obj,
        name: str,
        *,
        actor,
        note: str = "",
        changes: dict[str, Any] | None = None,
        after: Callable[[Any], None] | None = None,
    ):
        """Apply transition `name`; `changes` are other fields set in the same step,
        `after` runs inside the transaction (e.g. to create the next step's rows).
        Returns the locked, updated instance and refreshes `obj` in place."""
        from audit.services import audit_transition

        changes = changes or {}
        with transaction.atomic():
            locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            reason = self.refusal(locked, name, actor)
            if reason:
                raise TransitionNotAllowed(reason)
            transition = self.transitions[name]
            before = {self.state_field: getattr(locked, self.state_field)}
            before.update({key: getattr(locked, key) for key in changes})
            setattr(locked, self.state_field, transition.target)
            for key, value in changes.items():
                setattr(locked, key, value)
            locked.save(update_fields=[self.state_field, *changes])
            after_values = {key: getattr(locked, key) for key in before}
            audit_transition(
                locked,
                actor=actor,
                transition=name,
                transition_label=self._working_language_label(transition),
                before=before,
                after=after_values,
                note=note,
            )
            if after is not None:
                after(locked)
            for listener in self._listeners:
                listener(locked, transition, actor, before[self.state_field])
        for key in before:
            setattr(obj, key, getattr(locked, key))
        return locked
