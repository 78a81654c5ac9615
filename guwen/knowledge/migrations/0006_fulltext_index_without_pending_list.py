"""PostgreSQL: the GIN index on the search vector takes each new entry at once (fastupdate off).

With GIN's default fast update, new entries wait in an unsorted pending list until a vacuum or a
4 MB fill merges them, and every search scans that list first: after importing 20,000 answered
questions a search took 20–25 ms in the index scan alone, 1 ms once merged. The knowledge base is
written rarely (an imported file, an answer marked reusable) and searched on every answer page,
so each write pays to keep the index merged. SQLite's FTS5 index has no such list."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX knowledge_searchentry_tsv SET (fastupdate = off)")
        schema_editor.execute("SELECT gin_clean_pending_list('knowledge_searchentry_tsv'::regclass)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX knowledge_searchentry_tsv SET (fastupdate = on)")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0005_fulltext_kind_column")]
    operations = [migrations.RunPython(forward, backward)]
