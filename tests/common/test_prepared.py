"""common.prepared: a statement prepared once per database session, one query a call."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from common import prepared

pytestmark = pytest.mark.django_db

SQL = "SELECT n, n * $2 FROM unnest($1) AS n ORDER BY n"
TYPES = ("bigint[]", "integer")


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")


def _prepared_here(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT FROM pg_prepared_statements WHERE name = %s)", [name])
        return cursor.fetchone()[0]


def test_each_call_is_one_query_and_the_statement_stays_prepared():
    name = prepared.statement_name(SQL, TYPES)
    with CaptureQueriesContext(connection) as first:
        assert prepared.fetchall(SQL, TYPES, [[3, 1, 2], 10]) == [(1, 10), (2, 20), (3, 30)]
    assert len(first.captured_queries) == 1
    assert _prepared_here(name)
    with CaptureQueriesContext(connection) as second:
        assert prepared.fetchall(SQL, TYPES, [[5], 2]) == [(5, 10)]
    assert len(second.captured_queries) == 1
    assert second.captured_queries[0]["sql"].startswith(f"EXECUTE {name}")


def test_a_rolled_back_transaction_keeps_the_statement():
    name = prepared.statement_name(SQL, TYPES)
    with transaction.atomic():
        prepared.fetchall(SQL, TYPES, [[1], 1])
        transaction.set_rollback(True)
    assert _prepared_here(name)
    assert prepared.fetchall(SQL, TYPES, [[4], 3]) == [(4, 12)]


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again():
    prepared.fetchall(SQL, TYPES, [[1], 1])
    connection.close()
    assert prepared.fetchall(SQL, TYPES, [[2], 2]) == [(2, 4)]


def test_a_failed_first_run_is_settled_by_asking_the_server():
    sql = "SELECT 100 / $1"
    with pytest.raises(DatabaseError), transaction.atomic():
        prepared.fetchall(sql, ("integer",), [0])  # PREPARE takes, EXECUTE divides by zero
    assert prepared.fetchall(sql, ("integer",), [4]) == [(25,)]


def test_a_different_text_is_a_different_statement():
    assert prepared.statement_name(SQL, TYPES) != prepared.statement_name(SQL + " ", TYPES)
    assert prepared.statement_name(SQL, TYPES) != prepared.statement_name(SQL, ("int[]", "int"))
