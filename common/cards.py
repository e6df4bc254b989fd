"""Record cards for lists (templates/components/record_cards.html): each row prepared in
Python — its link, title, badges and lines already words — so that a page of fifty renders
in one template loop.

Why not `{% include %}` a card template per row with `get_status_display` and `{% url %}`
inside: at fifty rows those are the page's cost. `get_FOO_display()` hashes the field's whole
list of lazily translated choices on every call (~30 µs), an include renders a template per
row and `reverse()` resolves the URL pattern per row; here the labels come from a dict built
once per language (`choice_labels`) and row links from one `reverse()` per process
(`url_for_pk`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language


@dataclass(frozen=True)
class Badge:
    label: str
    tone: str = "light"  # Bootstrap's text-bg-<tone>
    testid: str = ""


@dataclass
class Card:
    url: str
    title: str
    badges: list[Badge] = field(default_factory=list)
    line: str = ""  # the main line: what it is about
    meta: str = ""  # small grey line: who, where, when
    overdue: bool = False  # red edge, like the dispute cards
    testid: str = ""


def choice_labels(choices) -> dict[str, str]:
    """{value: label} of a `TextChoices` class in the active language."""
    return _choice_labels(choices, get_language())


@lru_cache(maxsize=256)
def _choice_labels(choices, language: str | None) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


# a number no URL pattern prints otherwise, replaced by the row's primary key
_SENTINEL = 918273645


@lru_cache(maxsize=256)
def _pk_url_template(url_name: str, script_prefix: str, urlconf) -> str:
    return reverse(url_name, args=[_SENTINEL], urlconf=urlconf)


def url_for_pk(url_name: str) -> Callable[[int], str]:
    """`url_for_pk("mediation:detail")(42)` is `reverse("mediation:detail", args=[42])`,
    with the pattern reversed once per process (script prefix and URLconf)."""
    template = _pk_url_template(url_name, get_script_prefix(), get_urlconf())
    sentinel = str(_SENTINEL)
    return lambda pk: template.replace(sentinel, str(int(pk)))


def shorten(text: str, limit: int) -> str:
    """Like the `truncatechars` filter: at most `limit` characters, the last one "…"."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def local_day(moment) -> str:
    """YYYY-MM-DD of an aware moment in Beijing time ("" for None)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else ""


def local_minute(moment, fmt: str = "%m-%d %H:%M") -> str:
    return timezone.localtime(moment).strftime(fmt) if moment else ""
