"""Where the current change comes from (address, page or API, path), carried in a contextvar
so that services can write it into audit entries without threading a request through."""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    channel: str = "system"  # page | api | task | admin | system
    ip: str | None = None
    path: str = ""


_DEFAULT = AuditContext()
_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "audit_context", default=None
)


def current() -> AuditContext:
    return _current.get() or _DEFAULT


@contextmanager
def audit_context(**values):
    token = _current.set(AuditContext(**values))
    try:
        yield
    finally:
        _current.reset(token)
