"""Chinese-capable free-text search without a search server.

pg_trgm ignores CJK characters under the C locale, and Chinese has no spaces, so we index
character bigrams ourselves: "张三丰" → {张三, 三丰} (+ unigrams {张, 三, 丰} for names, so
a one-character query still finds something). A query matches when every one of its own
tokens is present. On PostgreSQL the tokens live in a ``text[]`` column with a GIN index
(``@>`` containment); on SQLite the same field is stored as `` tok tok `` text and matched
with LIKE, which is slow but correct for tests and small demos.
"""

import re

from django.contrib.postgres.fields import ArrayField
from django.db import models

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_CJK_RE = re.compile(rf"[{_CJK}]")
MAX_TOKENS = 2000


def _run_tokens(run: str, *, unigrams: bool) -> list[str]:
    if not _CJK_RE.match(run):
        return [run]  # ASCII word or number: the whole run
    if len(run) == 1:
        return [run]
    tokens = [run[i : i + 2] for i in range(len(run) - 1)]
    if unigrams:
        tokens.extend(run)
    return tokens


def tokenize(text: str, *, unigrams: bool = False) -> list[str]:
    """Distinct search tokens of `text` (order kept, capped at MAX_TOKENS)."""
    seen: dict[str, None] = {}
    for run in _RUN_RE.findall((text or "").lower()):
        for token in _run_tokens(run, unigrams=unigrams):
            seen.setdefault(token, None)
            if len(seen) >= MAX_TOKENS:
                return list(seen)
    return list(seen)


def query_tokens(query: str) -> list[str]:
    """Tokens a query must all match: bigrams of CJK runs, a single character as itself."""
    return tokenize(query, unigrams=False)


class SearchTokensField(ArrayField):
    """``text[]`` on PostgreSQL, space-delimited text elsewhere (SQLite in tests)."""

    def __init__(self, **kwargs):
        kwargs["base_field"] = models.TextField()
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(**kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("base_field", None)
        return name, path, args, kwargs

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return super().db_type(connection)
        return "text"

    def get_placeholder(self, value, compiler, connection):
        if connection.vendor == "postgresql":
            return super().get_placeholder(value, compiler, connection)
        return "%s"

    def cast_db_type(self, connection):
        return self.db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor == "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        return " " + " ".join(value) + " " if value else ""

    def from_db_value(self, value, expression, connection):
        if isinstance(value, str):
            return value.split()
        return value
