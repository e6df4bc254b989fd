"""Database privileges of the application's runtime role (PostgreSQL).

Migrations run as the owner role, which owns every table. The web server, worker and beat
connect as a runtime role that is neither superuser nor owner: ordinary DML on every table,
but only SELECT and INSERT on the append-only tables. Without ownership or superuser it can
neither TRUNCATE, ALTER TABLE … DISABLE TRIGGER, nor SET session_replication_role, so the
audit trail cannot be rewritten through the application's own credentials.
"""

from django.db import connection as default_connection

# Tables the runtime role may only read and append to. The case-fund ledger's entries are
# never edited, only reversed by a new entry (enforcement/models/funds.py FundEntry).
APPEND_ONLY_TABLES = ("audit_auditentry", "enforcement_fundentry")


class RuntimeRoleError(Exception):
    pass


def runtime_role_grant(*, role: str, connection=default_connection) -> None:
    """Grant `role` what the application needs, and no more. Run as the owner after every
    `migrate` (new tables need their grants): `manage.py grant_runtime_role`."""
    if connection.vendor != "postgresql":
        raise RuntimeRoleError("Runtime role grants are for PostgreSQL only.")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            raise RuntimeRoleError(f"There is no database role {role!r}.")
        if row[0]:
            raise RuntimeRoleError(f"{role!r} is a superuser: the runtime role must not be one.")
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tableowner = %s",
            [role],
        )
        owned = [name for (name,) in cursor.fetchall()]
        if owned:
            raise RuntimeRoleError(
                f"{role!r} owns tables ({', '.join(owned[:5])}…): migrate as another role."
            )
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
        grantee = quote(role)
        statements = [
            f"GRANT CONNECT ON DATABASE {quote(database)} TO {grantee}",
            f"GRANT USAGE ON SCHEMA {quote(schema)} TO {grantee}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quote(schema)} "
            f"TO {grantee}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {grantee}",
        ]
        for table in APPEND_ONLY_TABLES:
            statements += [
                f"REVOKE ALL ON {quote(table)} FROM {grantee}",
                f"GRANT SELECT, INSERT ON {quote(table)} TO {grantee}",
            ]
        for statement in statements:
            cursor.execute(statement)
