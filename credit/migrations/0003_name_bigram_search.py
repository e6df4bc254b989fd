"""The staff name search's index (credit/search.py): on PostgreSQL, the IMMUTABLE function
credit_name_bigrams(text) → text[] and a GIN index on it for listings and restrictions, so
a 2-character name ("张伟") is found through an index (pg_trgm needs 3 characters).
Nothing on SQLite, where the search is a plain filter."""

from django.db import migrations

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION credit_name_bigrams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(name, i, 2)), '{}'::text[])
    FROM generate_series(1, char_length(name) - 1) AS i
$$
"""
TABLES = ("credit_listing", "credit_restriction")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION_SQL)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_name_bigram_idx ON {table} "
            "USING gin (credit_name_bigrams(debtor_name))"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_name_bigram_idx")
    schema_editor.execute("DROP FUNCTION IF EXISTS credit_name_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("credit", "0002_partner_feed")]

    operations = [migrations.RunPython(forwards, backwards)]
