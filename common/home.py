"""The home page (工作台): each app contributes panels of "what to do today" for a user.

An app registers a provider in AppConfig.ready(); a provider returns the panels the user's
roles call for. Each tile is a count and the URL of the list that shows exactly those
records: the count and the list are built from the same selector and filters, so they
agree. Counts are bounded (`cases.selectors.bounded_count` style): a tile at its limit
shows "999+" instead of counting a whole table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Tile:
    label: str
    count: int
    url: str
    tone: str = "secondary"  # "danger" for overdue, "warning" for due today, …
    limit: int = 999
    testid: str = ""

    @property
    def display(self) -> str:
        return f"{self.limit}+" if self.count > self.limit else str(self.count)


@dataclass
class Panel:
    title: str
    tiles: list[Tile] = field(default_factory=list)
    order: int = 100
    # optional extra content below the tiles: a template and what it needs
    template: str = ""
    context: dict = field(default_factory=dict)
    testid: str = ""


Provider = Callable[[object], list[Panel]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def panels_for(user) -> list[Panel]:
    if not user.is_authenticated:
        return []
    panels = [panel for provider in _providers for panel in provider(user)]
    # work first: a panel with nothing to do (a court clerk has no disputes to triage) goes
    # below the ones that have some, so the page never opens on a screen of zeros
    return sorted(panels, key=lambda p: (not any(t.count for t in p.tiles), p.order))
