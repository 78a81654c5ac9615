"""The articles suggested beside the answer box (and printed by ``manage.py cite``), measured on
real questions: article@5 (the article the published answer cites is among the five suggested) and
law@5 (its law is), beside plain full-text retrieval of the statutes measured in the same run.

What is learned from the corpus (the citing model's words, the articles each category's and each
hand-written matter's answers cite) and the weights that mix the signals were chosen by 5-fold
cross-validation on the training part only (docs/performance.md); this run asks the held-out part.

The corpus ../shared/data/consultations/train.jsonl is split as the triage model splits it
(stratified, seeded). From the training part only (plus the unlabelled LawBench 3-8 questions, never
asked here) the benchmark trains its own citing model and its own triage model, and fills the
knowledge base with the training part's answered questions (through the same import that removes
personal data); the held-out questions whose published answer cites a shipped article are then
asked. The shipped models, trained on every row, are not used: they have seen the held-out part;
only the shipped articles' own vectors (citing_vectors: embeddings of the statute texts, nothing of
the corpus) are reused rather than computed again, and the training questions are embedded here
(about three minutes on one core). Without the sentence embedding the dense signals are left out.
Nothing of the corpus is kept: the database is a throwaway SQLite file under /tmp unless
DATABASE_URL is set.

Run: `.venv/bin/python benchmarks/bench_suggestions.py` (part of `make bench`; about five minutes,
most of it embedding the training questions; skipped without ../shared).
"""

from __future__ import annotations

import os

# One thread for the embedding engine, as the other benchmarks: on a busy machine two threads spin
# against each other and a single question's embedding takes ten times as long.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = (
    Path(os.environ.get("GUWEN_SHARED_DIR", ROOT.parent / "shared"))
    / "data"
    / "consultations"
    / "train.jsonl"
)
SHOWN = 5


def setup_django() -> None:
    """Django on a throwaway SQLite file under /tmp, unless DATABASE_URL names a database."""
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='guwen-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guwen.settings")
    import django

    django.setup()


def main() -> int:
    if not CORPUS.exists():
        print(f"suggestions: {CORPUS} is absent; skipped")
        return 0
    setup_django()
    from django.core.management import call_command

    from guwen.knowledge import citing, citing_vectors, embedding, services
    from guwen.knowledge.models import EntryKind
    from guwen.knowledge.search import search_entries
    from guwen.knowledge.selectors import articles_public, likely_articles
    from guwen.knowledge.training import Example, fit, split
    from guwen.knowledge.triage import predict_proba

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
    extra_path = CORPUS.parent / "qa_unlabelled_lawbench_3-8.jsonl"
    extra = [json.loads(line) for line in extra_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    training = [row for row in rows if row["id"] in in_train] + extra
    # The answers cite each law by the text in force when they were written (治安管理处罚法 by its
    # 2012 numbers): training and the held-out truth read them alike (citing.CORPUS_WRITTEN_BY).
    written = citing.ShippedLaws(as_of=citing.CORPUS_WRITTEN_BY)
    cited_examples = citing.read_cited(training, written)
    began = time.perf_counter()
    try:
        shipped_dense = citing.load().get("dense")
    except citing.CitingModelError:
        shipped_dense = None
    dense = citing_vectors.build(cited_examples, citing.current_laws(), previous=shipped_dense)
    took = time.perf_counter() - began
    model = citing.fit(cited_examples, dense=dense)
    triage_model = fit(train, embeddings=False)  # the answer box reads triage's TF-IDF half
    classes = triage_model["meta"]["classes"]
    by_ref = {row["id"]: row for row in rows}
    articles = articles_public().in_bulk()
    pk_of = {(article.law.code, article.number): pk for pk, article in articles.items()}
    cases = []
    repealed_only = 0  # held-out answers citing only a law the 民法典 repealed: not asked (see docs)
    earlier_text = 0  # held-out answers citing an article of an earlier text (治安管理处罚法 2012)
    for example in held_out:
        row = by_ref[example.ref]
        answer = row.get("answer")
        mapped = set(written.cited(answer, only_repealed=True))
        cited = {pk_of[pair] for pair in written.cited(answer) if pair not in mapped and pair in pk_of}
        if cited:
            cases.append((row["question"], cited))
            earlier_text += any(not articles[pk].law.is_current for pk in cited)
        elif mapped:
            repealed_only += 1
    categories = {}
    for (question, _), row in zip(cases, predict_proba(triage_model, [q for q, _ in cases]), strict=True):
        top = sorted(range(len(classes)), key=lambda i: -row[i])[:3]
        categories[question] = [(classes[i], float(row[i])) for i in top]
    print(
        f"suggestions: knowledge base of {loaded} answered questions (training part); {len(cases)} "
        f"held-out questions whose published answer cites a shipped article; top {SHOWN}; "
        f"{repealed_only} more cite only a repealed law's article mapped to the 民法典 (not asked); "
        f"{earlier_text} cite an article of an earlier text (治安管理处罚法 2012)"
    )
    if dense:
        print(f"suggestions: dense signals built in {took:.0f} s ({len(cited_examples)} training questions)")
    else:
        print(f"suggestions: dense signals left out ({embedding.unavailable_reason()})")

    def measure(label: str, suggest) -> None:
        article_hits = law_hits = 0
        took = []
        for question, cited in cases:
            began = time.perf_counter()
            shown = suggest(question)[:SHOWN]
            took.append((time.perf_counter() - began) * 1000)
            laws = {articles[pk].law.title for pk in cited}  # either text of a law is the law
            article_hits += bool({a.pk for a in shown} & cited)
            law_hits += bool({a.law.title for a in shown} & laws)
        n = len(cases)
        p95 = statistics.quantiles(took, n=20)[-1]
        print(
            f"  {label:<56} article@5 {article_hits / n:6.1%}   law@5 {law_hits / n:6.1%}"
            f"   p50 {statistics.median(took):5.1f} ms   p95 {p95:5.1f} ms"
        )

    def statutes_alone(question: str):
        hits = search_entries(question, kinds=(EntryKind.ARTICLE,), limit=SHOWN)
        return [articles[hit.object_id] for hit in hits if hit.object_id in articles]

    def suggested(question: str, **kwargs):
        return likely_articles(question, SHOWN, categories=categories[question], model=model, **kwargs)

    measure("baseline: plain full-text retrieval of the statutes", statutes_alone)
    measure("all signals but earlier answers (cite on a fresh install)", lambda q: suggested(q, similar=[]))
    measure("suggested, as the answer box and manage.py cite", suggested)
    if dense:
        took = []
        for question, _ in cases:
            began = time.perf_counter()
            embedding.embed([question])
            took.append((time.perf_counter() - began) * 1000)
        print(
            f"  {'the question embedding alone (in each line above but the baseline)':<74}"
            f"p50 {statistics.median(took):5.1f} ms   p95 {statistics.quantiles(took, n=20)[-1]:5.1f} ms"
        )
        without = {**model, "dense": None}
        measure(
            "the same without the dense signals",
            lambda q: likely_articles(q, SHOWN, categories=categories[q], model=without),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
