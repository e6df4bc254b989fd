"""The case page's panels: each part of the app (filing, notices, assets, funds …) adds its
own section to the case page without the page knowing them.

A panel is a template and a function `context(case, user) -> dict | None` (None hides the
panel, e.g. funds on an act-only case). Panels render in `order`; their context functions
must not issue queries that grow with the case's size (one or two per panel). On the case
page they run inside `case_data.sharing`: rows several sections show (parties, clocks, fund
summary, notices) come from `case_data.shared(case)`, and `case_data.may_hold(case, Model)`
says when the case has no rows of a record at all, so the panel need not ask. The panels
run before the next steps.
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
_next_step_prefetchers: list[Callable] = []


def register_next_step(provider: Callable, *, prefetch: Callable | None = None) -> None:
    """`provider(case) -> list[str]`: the steps this part expects next, most urgent first.
    `prefetch(cases)` (optional) loads what the provider needs for many cases at once, for
    a list page (`next_steps_for_many`): the provider then asks nothing per case."""
    if provider not in _next_step_providers:
        _next_step_providers.append(provider)
    if prefetch is not None and prefetch not in _next_step_prefetchers:
        _next_step_prefetchers.append(prefetch)


def next_steps_for(case) -> list[str]:
    steps: list[str] = []
    for provider in _next_step_providers:
        steps.extend(provider(case))
    return steps


def next_steps_for_many(cases) -> list[list[str]]:
    """`next_steps_for` of each case of a list page, the parts' reads batched."""
    cases = list(cases)
    for prefetch in _next_step_prefetchers:
        prefetch(cases)
    return [next_steps_for(case) for case in cases]
