"""Prepared statements for the few fixed-shape reads that every list page makes.

PostgreSQL plans a plain statement on every execution. The list pages' probe of which
cases have rows in eleven tables took ~1.5 ms to plan, and psycopg2 wrote the page's ids
into its text once per table (another ~1.5 ms): ~4.5 ms a page for 0.2 ms of reading.
Prepared once per database session, with the ids as one array parameter, an execution sends
them once and, from the sixth on, reuses PostgreSQL's generic plan: ~0.4 ms.

`fetchall(sql, types, params)`: `sql` written with `$1 … $n` placeholders of the given
PostgreSQL `types`. The statement is prepared in the same round trip as its first
execution, so a page makes the same number of queries whether or not its connection had
prepared it before. Prepared statements live as long as the database session, not the
transaction (a rollback keeps them); which ones a connection holds is kept per psycopg2
connection, so a new connection prepares again.

PostgreSQL only: callers read other databases (SQLite under `make run`) their own way.
Not for a connection pooler in transaction mode (none is used: docker-compose connects the
web and worker to PostgreSQL directly).
"""

import hashlib
import weakref

from django.db import connection

# psycopg2 connection → names of the statements prepared in its session
_prepared: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()
# (connection, name) whose first run failed: PREPARE may or may not have taken
_uncertain: set[tuple[object, str]] = set()


def statement_name(sql: str, types: tuple[str, ...]) -> str:
    """A name that changes with the statement's text (a changed query is a new statement)."""
    digest = hashlib.sha1(f"{types}\n{sql}".encode(), usedforsecurity=False).hexdigest()
    return f"fq_{digest[:20]}"


def fetchall(sql: str, types: tuple[str, ...], params: list) -> list[tuple]:
    assert connection.vendor == "postgresql", "prepared statements are PostgreSQL's"
    assert len(types) == len(params)
    name = statement_name(sql, types)
    with connection.cursor() as cursor:
        raw = connection.connection
        names = _prepared.setdefault(raw, set())
        placeholders = ", ".join(["%s"] * len(params))
        execute = f"EXECUTE {name} ({placeholders})"
        if name in names:
            cursor.execute(execute, params)
            return cursor.fetchall()
        if (raw, name) in _uncertain:
            # an earlier first run failed: whether its PREPARE took is for the server to say
            cursor.execute("SELECT EXISTS (SELECT FROM pg_prepared_statements WHERE name = %s)",
                           [name])  # fmt: skip
            if cursor.fetchone()[0]:
                names.add(name)
                _uncertain.discard((raw, name))
                cursor.execute(execute, params)
                return cursor.fetchall()
        # one round trip: PREPARE, then EXECUTE (psycopg2 returns the last result)
        prepare = f"PREPARE {name} ({', '.join(types)}) AS {sql}"
        try:
            cursor.execute(f"{prepare.replace('%', '%%')}; {execute}", params)
        except Exception:
            _uncertain.add((raw, name))
            raise
        names.add(name)
        _uncertain.discard((raw, name))
        return cursor.fetchall()
