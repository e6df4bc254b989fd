"""The application's own database account cannot rewrite the audit trail (PostgreSQL).

A LOGIN role is created for the test and granted exactly as in production
(`manage.py grant_runtime_role`); a second connection, as that role, then tries every way
to change audit rows. A superuser could RESET ROLE out of a SET ROLE, so the test connects
as the role itself."""

import secrets

import psycopg2
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from psycopg2 import errors

from audit.models import AuditEntry
from organisations.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's"),
]


@pytest.fixture
def runtime_role():
    role = f"fq_test_runtime_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %s",
            [password],
        )
    try:
        call_command("grant_runtime_role", role)
        yield role, password
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


@pytest.fixture
def as_runtime_role(runtime_role):
    role, password = runtime_role
    params = connection.settings_dict
    conn = psycopg2.connect(
        dbname=params["NAME"],
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=role,
        password=password,
    )
    conn.autocommit = True
    try:
        yield conn
    finally:
        conn.close()


def _refused(conn, sql, params=()):
    with conn.cursor() as cursor:
        try:
            cursor.execute(sql, params)
        except psycopg2.Error as exc:
            return exc
    return None


def test_runtime_role_can_append_and_read_audit_entries_but_not_rewrite_them(as_runtime_role):
    organisation = OrganisationFactory()
    content_type = ContentType.objects.get_for_model(Organisation)
    AuditEntry.objects.create(
        action="create",
        content_type=content_type,
        object_id=str(organisation.pk),
        object_repr=organisation.name,
        channel="system",
    )
    conn = as_runtime_role
    with conn.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (at, actor_name, action, content_type_id, object_id,"
            " object_repr, changes, transition, transition_label, note, channel, path)"
            " VALUES (now(), '', 'change', %s, %s, 'x', '{}', '', '', '', 'system', '')",
            [content_type.pk, str(organisation.pk)],
        )
        cursor.execute("SELECT count(*) FROM audit_auditentry")
        assert cursor.fetchone()[0] == 2
        # Ordinary tables: normal DML, sequences included.
        cursor.execute(
            "UPDATE organisations_organisation SET name = name WHERE id = %s", [organisation.pk]
        )
        assert cursor.rowcount == 1

    attempts = {
        "UPDATE": "UPDATE audit_auditentry SET note = 'rewritten'",
        "DELETE": "DELETE FROM audit_auditentry",
        "TRUNCATE": "TRUNCATE audit_auditentry",
        "TRUNCATE CASCADE": "TRUNCATE organisations_organisation CASCADE",
        "DISABLE TRIGGER": "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
        "replication role": "SET session_replication_role = replica",
        "drop trigger": "DROP TRIGGER audit_entry_append_only ON audit_auditentry",
    }
    for name, sql in attempts.items():
        refusal = _refused(conn, sql)
        assert isinstance(refusal, errors.InsufficientPrivilege), (name, refusal)

    assert AuditEntry.objects.count() == 2
    assert set(AuditEntry.objects.values_list("note", flat=True)) == {""}


def test_truncate_guard_refuses_even_the_owner():
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditentry")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE organisations_organisation CASCADE")


def test_grant_refuses_a_superuser_as_the_runtime_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (superuser,) = cursor.fetchone()
    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_runtime_role", superuser)


@pytest.mark.parametrize("table", ["audit_auditentry", "enforcement_fundentry"])
def test_runtime_role_may_only_read_and_append_to_the_append_only_tables(runtime_role, table):
    from audit.dbroles import APPEND_ONLY_TABLES

    assert table in APPEND_ONLY_TABLES
    role, _password = runtime_role
    with connection.cursor() as cursor:
        privileges = {}
        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"):
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
            privileges[privilege] = cursor.fetchone()[0]
    assert privileges == {
        "SELECT": True, "INSERT": True, "UPDATE": False, "DELETE": False, "TRUNCATE": False
    }  # fmt: skip


def test_runtime_role_cannot_rewrite_the_case_fund_ledger(as_runtime_role):
    conn = as_runtime_role
    for sql in (
        "UPDATE enforcement_fundentry SET amount = 0",
        "DELETE FROM enforcement_fundentry",
    ):
        refusal = _refused(conn, sql)
        assert isinstance(refusal, errors.InsufficientPrivilege), (sql, refusal)
    with conn.cursor() as cursor:  # the ledger's other tables stay ordinary
        cursor.execute("UPDATE enforcement_fundaccount SET id = id")
