"""Full-text search over SearchEntry, in the database's own index.

The query is segmented with the same rjieba search mode as the documents, stop words dropped,
each word widened with its synonyms, and only words made of letters and digits are ever put in the
query string, so quotes, FTS operators and SQL metacharacters in the input cannot reach the FTS
syntax; the string itself is always passed as a parameter.

SQLite ranks with FTS5's bm25(), PostgreSQL with ts_rank() over the 'simple' tsvector.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from guwen.knowledge.text import query_terms


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    score: float


def _fts5_query(terms: list[tuple[str, ...]]) -> str:
    # Every alternative is a quoted FTS5 string; the words contain no quote (see text._WORD).
    return " OR ".join(f'"{word}"' for group in terms for word in group)


def _tsquery(terms: list[tuple[str, ...]]) -> str:
    return " | ".join(f"'{word}'" for group in terms for word in group)


def search_entries(
    text: str | None,
    *,
    kinds: tuple[str, ...] = (),
    limit: int = 10,
    ranked: bool = True,
    synonyms: bool = True,
) -> list[Hit]:
    """The best-matching entries of ``kinds`` (all kinds when empty), best first.

    ``ranked=False`` and ``synonyms=False`` give the bare index lookup the benchmark compares against.
    """
    terms = query_terms(text, synonyms=synonyms)
    limit = max(1, min(int(limit), 100))
    if not terms:
        return []
    kind_list = list(kinds)
    with connection.cursor() as cursor:
        # Only constants and placeholders are joined into the SQL; every value is a parameter.
        if connection.vendor == "postgresql":
            kind_sql = " AND e.kind = ANY(%s)" if kind_list else ""
            params: list = [_tsquery(terms)]
            if kind_list:
                params.append(kind_list)
            if ranked:
                sql = (
                    "SELECT e.kind, e.object_id, ts_rank(e.tsv, q) AS score "  # noqa: S608
                    "FROM knowledge_searchentry e, to_tsquery('simple', %s) q "
                    f"WHERE e.tsv @@ q{kind_sql} ORDER BY score DESC, e.id LIMIT %s"
                )
            else:
                sql = (
                    "SELECT e.kind, e.object_id, 0 FROM knowledge_searchentry e "  # noqa: S608
                    f"WHERE e.tsv @@ to_tsquery('simple', %s){kind_sql} LIMIT %s"
                )
            cursor.execute(sql, [*params, limit])
        else:
            kind_sql = f" AND e.kind IN ({', '.join(['%s'] * len(kind_list))})" if kind_list else ""
            order = "ORDER BY score DESC, e.id" if ranked else ""
            # bm25() is lower for better matches; negated so both vendors sort higher-is-better.
            score = "-bm25(knowledge_search_fts)" if ranked else "0"
            cursor.execute(
                f"SELECT e.kind, e.object_id, {score} AS score FROM knowledge_search_fts "  # noqa: S608
                "JOIN knowledge_searchentry e ON e.id = knowledge_search_fts.rowid "
                f"WHERE knowledge_search_fts MATCH %s{kind_sql} {order} LIMIT %s",
                [_fts5_query(terms), *kind_list, limit],
            )
        rows = cursor.fetchall()
    return [Hit(kind, object_id, float(score)) for kind, object_id, score in rows]
