"""The articles suggested beside the answer box, measured on real questions: how often the article
that the published answer cites is among the five suggested, beside statute search alone measured
in the same run.

The knowledge base is filled with the answered questions of the training part of
../shared/data/consultations/train.jsonl (the triage model's stratified, seeded split, through the
same import that removes personal data); the questions of the held-out part whose published answer
cites a shipped article are then asked. Nothing of the corpus is kept: the database is a throwaway
SQLite file under /tmp unless DATABASE_URL is set.

Run: `.venv/bin/python benchmarks/bench_suggestions.py` (part of `make bench`; skipped without
../shared).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "data" / "consultations" / "train.jsonl"
SHOWN = 5


def main() -> int:
    if not CORPUS.exists():
        print(f"suggestions: {CORPUS} is absent; skipped")
        return 0
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='guwen-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guwen.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from guwen.knowledge import services
    from guwen.knowledge.models import EntryKind
    from guwen.knowledge.search import search_entries
    from guwen.knowledge.selectors import articles_public, find_citations, likely_articles
    from guwen.knowledge.training import Example, split

    call_command("migrate", verbosity=0, interactive=False)
    services.laws_import(by=None)
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    examples = [Example(row["id"], row["question"], row["category"]) for row in rows]
    train, held_out = split(examples)
    in_train = {example.ref for example in train}
    loaded = 0
    for row in rows:
        if row["id"] in in_train and row.get("answer"):
            services.knowledge_add_answered(
                question=row["question"],
                answer=row["answer"],
                category=row["category"],
                source_ref=f"bench:{row['id']}",
                by=None,
            )
            loaded += 1
    by_ref = {row["id"]: row for row in rows}
    articles = articles_public().in_bulk()
    cases = []
    for example in held_out:
        row = by_ref[example.ref]
        cited = {ref.article_id for ref in find_citations(row.get("answer"))} & set(articles)
        if cited:
            cases.append((row["question"], cited))
    print(
        f"suggestions: knowledge base of {loaded} answered questions (training part); {len(cases)} "
        f"held-out questions whose published answer cites a shipped article; top {SHOWN}"
    )

    def measure(label: str, suggest) -> None:
        article_hits = law_hits = 0
        took = []
        for question, cited in cases:
            began = time.perf_counter()
            shown = suggest(question)[:SHOWN]
            took.append((time.perf_counter() - began) * 1000)
            laws = {articles[pk].law_id for pk in cited}
            article_hits += bool({a.pk for a in shown} & cited)
            law_hits += bool({a.law_id for a in shown} & laws)
        n = len(cases)
        p95 = statistics.quantiles(took, n=20)[-1]
        print(
            f"  {label:<54} cited article shown {article_hits / n:6.1%}   its law shown {law_hits / n:6.1%}"
            f"   p50 {statistics.median(took):5.1f} ms   p95 {p95:5.1f} ms"
        )

    def statutes_alone(question: str):
        hits = search_entries(question, kinds=(EntryKind.ARTICLE,), limit=SHOWN)
        return [articles[hit.object_id] for hit in hits if hit.object_id in articles]

    measure("baseline: statute search alone", statutes_alone)
    measure("suggested (citations, similar answers' vote, search)", lambda q: likely_articles(q, SHOWN))
    return 0


if __name__ == "__main__":
    sys.exit(main())
