"""On PostgreSQL, refuse TRUNCATE of the audit table, including through a TRUNCATE … CASCADE
of a table it references (organisations, users). Row triggers (0003) do not fire on
TRUNCATE. Only a superuser can get past it (session_replication_role = replica, which the
test suite's own flush uses); the application's runtime role has no TRUNCATE privilege at
all (manage.py grant_runtime_role)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_entry_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: TRUNCATE of % refused', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_truncate
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the SQL has a literal %


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_audit_transition_label")]
    operations = [migrations.RunPython(forwards, backwards)]
