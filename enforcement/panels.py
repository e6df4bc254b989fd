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

from django.db import connection

from common import prepared


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


@dataclass(frozen=True)
class _Prefetch:
    load: Callable
    reads: tuple  # models with a `case` key whose rows the prefetch may skip for a case


_next_step_prefetchers: list[_Prefetch] = []


def register_next_step(
    provider: Callable, *, prefetch: Callable | None = None, reads: tuple = ()
) -> None:
    """`provider(case) -> list[str]`: the steps this part expects next, most urgent first.
    `prefetch(cases)` (optional) loads what the provider needs for many cases at once, for
    a list page (`next_steps_for_many`): the provider then asks nothing per case.

    `reads` (optional, with a prefetch): models keyed by `case` that the prefetch needs to
    read only for the cases having a row in one of them. A list page then asks once, for
    all the parts together, which of its cases have rows there, and calls
    `prefetch(cases, only=ids)`: the prefetch still answers for every case, but reads
    those models for `ids` only (none at all on a page without such rows, the usual)."""
    if provider not in _next_step_providers:
        _next_step_providers.append(provider)
    if prefetch is not None and all(p.load is not prefetch for p in _next_step_prefetchers):
        _next_step_prefetchers.append(_Prefetch(prefetch, tuple(reads)))


def next_steps_for(case) -> list[str]:
    steps: list[str] = []
    for provider in _next_step_providers:
        steps.extend(provider(case))
    return steps


def next_steps_for_many(cases) -> list[list[str]]:
    """`next_steps_for` of each case of a list page, the parts' reads batched."""
    cases = list(cases)
    having = _cases_having_rows(cases)
    for prefetch in _next_step_prefetchers:
        if prefetch.reads:
            only = set().union(*(having[model] for model in prefetch.reads))
            prefetch.load(cases, only=only)
        else:
            prefetch.load(cases)
    return [next_steps_for(case) for case in cases]


def _cases_having_rows(cases) -> dict[type, set[int]]:
    """For each model the prefetches declared in `reads`: which of `cases` have a row in
    it. One query for the page: a UNION of one SELECT per model (written out, not built
    by the ORM: compiling ten querysets with the page's ids cost more than reading),
    prepared on PostgreSQL (`common.prepared`: planning it cost more than running it)."""
    models = list(dict.fromkeys(m for p in _next_step_prefetchers for m in p.reads))
    having: dict[type, set[int]] = {model: set() for model in models}
    ids = [case.pk for case in cases]
    if not models or not ids:
        return having
    quote = connection.ops.quote_name
    postgresql = connection.vendor == "postgresql"
    selects, params = [], []
    for index, model in enumerate(models):
        table, column = quote(model._meta.db_table), quote(model._meta.get_field("case").column)
        if postgresql:  # the ids once, as the prepared statement's one array parameter
            condition = f"{column} = ANY($1)"
        else:
            condition = f"{column} IN ({', '.join(['%s'] * len(ids))})"
            params.extend(ids)
        # names from the models' meta; the ids are parameters
        selects.append(f"SELECT {index}, {column} FROM {table} WHERE {condition}")  # noqa: S608
    sql = " UNION ".join(selects)
    if postgresql:
        rows = prepared.fetchall(sql, ("bigint[]",), [ids])
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    for index, case_id in rows:
        having[models[index]].add(case_id)
    return having
