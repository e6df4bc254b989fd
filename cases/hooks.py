"""Hooks that higher apps register into, so cases never imports them (not even by name).

The dependency runs one way (organisations ← cases ← mediation ← …). When a cases step must
start work in a higher app — 移交 a dispute to mediation — the higher app registers a handler
here from its AppConfig.ready(), and the cases service calls whatever is registered, inside
its own transaction: the referral and the record it creates commit or fail together.

    from cases.hooks import register_referral_handler
    register_referral_handler("mediation", mediation_case_create_from_dispute)

A handler is called as handler(dispute=…, actor=…, note=…) and returns the record it created
(its str() and pk go on the dispute's timeline) or None. A ValidationError it raises refuses
the referral with that message.
"""

from collections.abc import Callable
from typing import Any

ReferralHandler = Callable[..., Any]

_referral_handlers: dict[str, ReferralHandler] = {}


def register_referral_handler(target: str, handler: ReferralHandler) -> None:
    """Called from a higher app's AppConfig.ready(); the last registration wins."""
    _referral_handlers[target] = handler


def referral_handler(target: str) -> ReferralHandler | None:
    return _referral_handlers.get(target)
