"""Which records have a history page, and how to fetch one within the user's scope.

Each app registers its models with the permission-checked getter it already uses for its
detail page, so the history page and CSV export answer 404 exactly where the record does.
"""

from collections.abc import Callable

_getters: dict[str, Callable] = {}


def register_history(model, getter: Callable) -> None:
    """`getter(user, pk)` returns the record or raises Http404."""
    _getters[model._meta.label_lower] = getter


def getter_for(label: str) -> Callable | None:
    return _getters.get(label)
