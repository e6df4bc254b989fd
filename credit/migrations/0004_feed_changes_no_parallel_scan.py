"""The partner feed reads credit_creditchange only in keyset pages (`version > cursor ORDER
BY version LIMIT n`, each change joined to its listing or restriction by primary key). The
planner cannot see how early the LIMIT stops such a scan and plans a parallel index scan
with a worker for every page: at 5,000,000 listings, starting it took ≈ 15 ms of a page
whose own work is ≈ 2 ms (bench/README.md, "partner sync"). No reader of this table gains
from parallel scans, so they are switched off for it (a storage parameter: no rewrite, no
lock beyond an instant). Nothing on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE credit_creditchange SET (parallel_workers = 0)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE credit_creditchange RESET (parallel_workers)")


class Migration(migrations.Migration):
    dependencies = [("credit", "0003_name_bigram_search")]

    operations = [migrations.RunPython(forwards, backwards)]
