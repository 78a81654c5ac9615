"""Full-text search over SearchEntry, in the database's own index.

The query is segmented with the same rjieba search mode as the documents, stop words dropped,
each word widened with its synonyms, and only words made of letters and digits are ever put in the
query string, so quotes, FTS operators and SQL metacharacters in the input cannot reach the FTS
syntax; the string itself is always passed as a parameter.

SQLite ranks with FTS5's bm25(), PostgreSQL with ts_rank() over the 'simple' tsvector.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from django.db import connection

from guwen.core.cache import cached
from guwen.knowledge.text import query_terms

# Query planning: a word found in more than COMMON of the index says little about relevance but
# makes the index rank thousands of rows, so it is left out (unless nothing else is left); at most
# MAX_TERMS words and MAX_ALTERNATIVES synonyms each are searched, rarest first. Document
# frequencies come from a random sample of the index, kept in the shared cache and drawn again
# every SAMPLE_TTL seconds (a new entry changes a sample of thousands too little to bump it).
COMMON = 0.06
MAX_TERMS = 8
# ts_rank reads each matching row's tsvector, so PostgreSQL keeps a tighter plan than FTS5's bm25.
POSTGRES_COMMON = 0.02
POSTGRES_MAX_TERMS = 6
MAX_ALTERNATIVES = 4
SAMPLE_SIZE = 3_000
# Below this many entries a word's share says nothing (in a fresh deployment with a few dozen
# answers every word looks "common"), so nothing is dropped.
MIN_SAMPLE = 500
SAMPLE_TTL = 600
SAMPLE = "knowledge.search_sample"  # the cache namespace


def _sample_frequencies(kinds: tuple[str, ...]) -> tuple[dict[str, int], int]:
    from guwen.knowledge.models import SearchEntry

    entries = SearchEntry.objects.filter(kind__in=kinds) if kinds else SearchEntry.objects.all()
    ids = list(entries.values_list("pk", flat=True))
    chosen = random.sample(ids, min(SAMPLE_SIZE, len(ids)))
    counts: Counter = Counter()
    for start in range(0, len(chosen), 500):
        for tokens in SearchEntry.objects.filter(pk__in=chosen[start : start + 500]).values_list(
            "tokens", flat=True
        ):
            counts.update(set(tokens.split()))
    return dict(counts), len(chosen)


def _document_frequencies(kinds: tuple[str, ...] = ()) -> tuple[dict[str, int], int]:
    """Per-word count in a random sample of the index entries of ``kinds`` (all when empty), and
    the sample's size. Statutes and residents' questions use different words, so each kind's
    search plans with the frequencies of its own entries."""
    return cached(SAMPLE, ",".join(kinds) or "all", lambda: _sample_frequencies(kinds), timeout=SAMPLE_TTL)


def plan(terms: list[tuple[str, ...]], kinds: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The informative part of a query: repeated and common words dropped, rarest words first,
    bounded; frequencies are those of the entries of ``kinds`` (all when empty)."""
    unique: list[tuple[str, ...]] = []
    for group in terms:  # "老板" and "厂里" widen to the same synonyms: search them once
        if group not in unique:
            unique.append(group)
    terms = unique
    counts, n = _document_frequencies(tuple(sorted(kinds)))
    if n < MIN_SAMPLE:
        return [group[:MAX_ALTERNATIVES] for group in terms[:MAX_TERMS]]

    def share(word: str) -> float:
        return counts.get(word, 0) / n

    kept = []
    for group in terms:
        # The word itself always stays; its synonyms only when they are not common.
        alternatives = [group[0], *[word for word in group[1:] if share(word) <= COMMON]][:MAX_ALTERNATIVES]
        kept.append((max(share(word) for word in alternatives), tuple(alternatives)))
    postgres = connection.vendor == "postgresql"
    common = POSTGRES_COMMON if postgres else COMMON
    most = POSTGRES_MAX_TERMS if postgres else MAX_TERMS
    informative = [item for item in kept if item[0] <= common] or sorted(kept)[:2]
    # Rarest first, but a word the sample never saw comes after every word it did: such a word
    # ("南湾", "一家") is mostly one the index lacks, and would take the place of the words that
    # find something ("拖欠", "工资").
    informative.sort(key=lambda item: (item[0] == 0, item[0]))
    return [group for _, group in informative[:most]]


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
    # Kinds come from EntryKind (code, never user input); anything else is refused, not quoted.
    kind_list = [kind for kind in kinds if kind in ("article", "answered")]
    terms = query_terms(text, synonyms=synonyms)
    if ranked or synonyms:
        terms = plan(terms, tuple(kind_list))
    limit = max(1, min(int(limit), 100))
    if not terms:
        return []
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
            # The kind is a column of the FTS table: filtering inside MATCH ranks only that kind.
            match = f"tokens : ({_fts5_query(terms)})"
            if kind_list:
                match = f"kind : ({' OR '.join(kind_list)}) AND {match}"
            order = "ORDER BY score DESC, e.id" if ranked else ""
            # bm25() is lower for better matches; negated so both vendors sort higher-is-better.
            score = "-bm25(knowledge_search_fts, 1.0, 0.0)" if ranked else "0"
            cursor.execute(
                f"SELECT e.kind, e.object_id, {score} AS score FROM knowledge_search_fts "  # noqa: S608
                "JOIN knowledge_searchentry e ON e.id = knowledge_search_fts.rowid "
                f"WHERE knowledge_search_fts MATCH %s {order} LIMIT %s",
                [match, limit],
            )
        rows = cursor.fetchall()
    return [Hit(kind, object_id, float(score)) for kind, object_id, score in rows]
