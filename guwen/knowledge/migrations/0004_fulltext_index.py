"""The full-text index on SearchEntry.tokens, in each database's own way.

SQLite: an FTS5 table over the pre-segmented tokens (external content, kept in step by triggers),
ranked with bm25(). PostgreSQL: a stored generated tsvector column ('simple' configuration, so the
tokens rjieba produced are kept as they are) with a GIN index, ranked with ts_rank().
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE knowledge_search_fts USING fts5(
        tokens, kind UNINDEXED, content='knowledge_searchentry', content_rowid='id',
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
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS knowledge_searchentry_au",
    "DROP TRIGGER IF EXISTS knowledge_searchentry_ad",
    "DROP TRIGGER IF EXISTS knowledge_searchentry_ai",
    "DROP TABLE IF EXISTS knowledge_search_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE knowledge_searchentry ADD COLUMN tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED""",
    "CREATE INDEX knowledge_searchentry_tsv ON knowledge_searchentry USING gin (tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS knowledge_searchentry_tsv",
    "ALTER TABLE knowledge_searchentry DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"no full-text index for database vendor {schema_editor.connection.vendor}")
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_statutes_answers_corrections")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
