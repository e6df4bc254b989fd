"""Which records have a history page, and how to fetch one within the user's scope.

Each app registers its models with the permission-checked getter it already uses for its
detail page, so the history page and CSV export answer 404 exactly where the record does.
A record whose story is partly written on other records (a dispute's dispatches: accepted,
answered, handed back by the responders) also says which ones, so its history shows them.
"""

from collections.abc import Callable, Iterable

from django.db import models

_getters: dict[str, Callable] = {}
_related: dict[str, Callable] = {}


def register_history(model, getter: Callable, *, related: Callable | None = None) -> None:
    """`getter(user, pk)` returns the record or raises Http404. `related(record)` returns
    querysets of the other records whose entries belong in this record's history."""
    _getters[model._meta.label_lower] = getter
    if related is not None:
        _related[model._meta.label_lower] = related


def getter_for(label: str) -> Callable | None:
    return _getters.get(label)


def related_for(instance: models.Model) -> Iterable[models.QuerySet]:
    related = _related.get(instance._meta.label_lower)
    return related(instance) if related else ()
