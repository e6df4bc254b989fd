"""The case page's panels: each part of the app (filing, notices, assets, funds …) adds its
own section to the case page without the page knowing them.

A panel is a template and a function `context(case, user) -> dict | None` (None hides the
panel, e.g. funds on an act-only case). Panels render in `order`; their context functions
must not issue queries that grow with the case's size (one or two per panel).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CasePanel:
    key: str
    order: int
    template: str
    context: Callable


_panels: dict[str, CasePanel] = {}


def register_panel(panel: CasePanel) -> None:
    _panels[panel.key] = panel


def panels_for(case, user) -> list[tuple[CasePanel, dict]]:
    rendered = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.context(case, user)
        if context is not None:
            rendered.append((panel, context))
    return rendered


# The officer's "next legal step": besides the soonest open deadline on the case, each part
# may say what is due next (e.g. "送达报告财产令"); `next_steps_for(case)` collects them.
_next_step_providers: list[Callable] = []


def register_next_step(provider: Callable) -> None:
    """`provider(case) -> list[str]`: the steps this part expects next, most urgent first."""
    if provider not in _next_step_providers:
        _next_step_providers.append(provider)


def next_steps_for(case) -> list[str]:
    steps: list[str] = []
    for provider in _next_step_providers:
        steps.extend(provider(case))
    return steps
