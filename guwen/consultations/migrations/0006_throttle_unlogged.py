"""Rate-limit counters are disposable: on PostgreSQL their table is UNLOGGED.

Every public request updates a counter row in a transaction of its own. An unlogged table writes no
WAL, so that commit neither waits for a WAL flush nor costs the server the WAL record, and nothing
is shipped to replicas. After a crash the table comes back empty, which only resets the current
windows' counts. Other databases are left as they are."""

from django.db import migrations

TABLE = "consultations_throttlebucket"


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("consultations", "0005_lean_indexes")]

    operations = [migrations.RunPython(unlogged, logged)]
