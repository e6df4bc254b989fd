"""GIN index on disputes.search_tokens (PostgreSQL only; SQLite keeps the plain LIKE scan)."""

from django.db import migrations

INDEX = "dispute_search_tokens_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_dispute USING gin (search_tokens)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_parties_disputes_loop")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
