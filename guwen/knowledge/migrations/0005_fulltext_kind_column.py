"""SQLite: index the entry kind inside the FTS5 table too, so a search for articles only ranks
articles (a column filter) instead of ranking every match and discarding the other kinds.
PostgreSQL already filters on the kind before ranking: nothing to do there."""

from django.db import migrations

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS knowledge_searchentry_au",
    "DROP TRIGGER IF EXISTS knowledge_searchentry_ad",
    "DROP TRIGGER IF EXISTS knowledge_searchentry_ai",
    "DROP TABLE IF EXISTS knowledge_search_fts",
    """CREATE VIRTUAL TABLE knowledge_search_fts USING fts5(
        tokens, kind, content='knowledge_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER knowledge_searchentry_ai AFTER INSERT ON knowledge_searchentry BEGIN
        INSERT INTO knowledge_search_fts(rowid, tokens, kind) VALUES (new.id, new.tokens, new.kind);
    END""",
    """CREATE TRIGGER knowledge_searchentry_ad AFTER DELETE ON knowledge_searchentry BEGIN
        INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, tokens, kind)
        VALUES ('delete', old.id, old.tokens, old.kind);
    END""",
    """CREATE TRIGGER knowledge_searchentry_au AFTER UPDATE ON knowledge_searchentry BEGIN
        INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, tokens, kind)
        VALUES ('delete', old.id, old.tokens, old.kind);
        INSERT INTO knowledge_search_fts(rowid, tokens, kind) VALUES (new.id, new.tokens, new.kind);
    END""",
    "INSERT INTO knowledge_search_fts(knowledge_search_fts) VALUES ('rebuild')",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_fulltext_index")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
