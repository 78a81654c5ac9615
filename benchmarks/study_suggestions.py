"""The fold study behind the statute suggestions' weights and rules (docs/performance.md, "Statute
suggestions"): 5-fold cross-validation of the ranking on the training part of the corpus, then the
held-out part, with every signal of each question computed once so that a change to the ranking is
measured in seconds.

The corpus is split as bench_suggestions.py splits it (the triage split). The training part's
questions whose published answer cites a shipped article are dealt into seeded folds; for each fold
the citing model (with its prototypes) and the triage model are trained without it (plus the
unlabelled LawBench 3-8 answers), and each of its questions gets the signals `manage.py cite` reads
on a fresh install (no earlier answers), as "law-code:number" scores. The held-out questions get
the same from models trained on the whole training part. The signals and the cited articles are
kept in a cache file (`--cache`, under the system's temporary directory by default): it holds
scores and corpus ids, no text of the corpus, and a second run reads it instead of training again
(`--fresh` computes them again, after a change to a signal or a model).

Printed, on the folds and held out (article@5 / law@5): the shipped ranking (citing.combine with
selectors.WEIGHTS, citing.spread), the five best without spreading over laws, and how often a cited
article is among the best 10, 20 and 40 candidates at all. The ranking is the shipped one in the
keys' space: an article and its current equivalent (selectors._one_text_each) are not merged, which
moves a figure by a question at most. `bench_suggestions.py` measures the product path itself.

Run: `.venv/bin/python benchmarks/study_suggestions.py [--folds 5] [--seed 7] [--cache PATH] [--fresh]`
(about four minutes the first time, most of it embedding the training questions; seconds with the
cache; not part of `make bench`; skipped without ../shared).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The corpus and the number shown, as the benchmark reads them (its import also gives the embedding
# engine one thread, before numpy loads).
from benchmarks.bench_suggestions import CORPUS, SHOWN, setup_django

SIGNALS = ("learned", "expanded", "topics", "matters", "category", "search", "prototypes", "passages")


def _memoised_embedding() -> None:
    """Each question is embedded once however many folds train on it (the articles' vectors come
    from the shipped model, as in bench_suggestions.py)."""
    import numpy as np

    from guwen.knowledge import embedding

    done: dict[str, object] = {}
    embed = embedding.embed

    def once(texts: list[str], *, passage: bool = False):
        if passage:
            return embed(texts, passage=True)
        missing = [text for text in dict.fromkeys(texts) if text not in done]
        if missing:
            vectors = embed(missing)
            if vectors is None:
                return None
            done.update(zip(missing, vectors, strict=True))
        return np.stack([done[text] for text in texts])

    embedding.embed = once


def _signals(
    rows: list[dict], training: list[dict], triage_examples: list, written, key_of: dict
) -> list[dict]:
    """Every signal of each of ``rows`` from models trained on ``training`` (citing) and
    ``triage_examples`` (triage), with the articles its answer cites."""
    from guwen.knowledge import citing, citing_vectors
    from guwen.knowledge.models import EntryKind
    from guwen.knowledge.search import search_entries
    from guwen.knowledge.training import fit
    from guwen.knowledge.triage import predict_proba

    examples = citing.read_cited(training, written)
    try:
        shipped_dense = citing.load().get("dense")
    except citing.CitingModelError:
        shipped_dense = None
    model = citing.fit(
        examples, dense=citing_vectors.build(examples, citing.current_laws(), previous=shipped_dense)
    )
    triage_model = fit(triage_examples, embeddings=False)
    classes = triage_model["meta"]["classes"]
    questions = [row["question"] for row in rows]
    found = []
    for row, question, probabilities in zip(
        rows, questions, predict_proba(triage_model, questions), strict=True
    ):
        top = sorted(range(len(classes)), key=lambda i: -probabilities[i])[:3]
        learned = citing.learned_scores(question, model)
        hits = search_entries(question, kinds=(EntryKind.ARTICLE,), limit=SHOWN * 2)
        prototypes, passages = citing.dense_scores(question, model)
        found.append(
            {
                "id": row["id"],
                "cited": [f"{code}:{number}" for code, number in written.cited(row["answer"])],
                "learned": dict(sorted(learned.items(), key=lambda item: -item[1])[:60]),
                "expanded": citing.expanded_scores(question, model),
                "topics": citing.topic_scores(question),
                "named": citing.named_first(question),
                "matters": citing.matter_scores(question, model),
                "category": citing.category_scores(
                    [(classes[i], float(probabilities[i])) for i in top], model
                ),
                "search": citing.ranks([key_of[hit.object_id] for hit in hits if hit.object_id in key_of]),
                "prototypes": prototypes,
                "passages": passages,
            }
        )
    return found


def compute(folds: int, seed: int) -> dict:
    """{"folds": [[question signals…] per fold], "held_out": […], "titles": {law code: title}}."""
    from django.core.management import call_command

    from guwen.knowledge import citing, services
    from guwen.knowledge.selectors import articles_public
    from guwen.knowledge.training import Example, split

    call_command("migrate", verbosity=0, interactive=False)
    services.laws_import(by=None)
    _memoised_embedding()
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    extra_path = CORPUS.parent / "qa_unlabelled_lawbench_3-8.jsonl"
    extra = [json.loads(line) for line in extra_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    train, held_out = split([Example(row["id"], row["question"], row["category"]) for row in rows])
    in_train = {example.ref for example in train}
    written = citing.ShippedLaws(as_of=citing.CORPUS_WRITTEN_BY)
    articles = articles_public().in_bulk()
    key_of = {pk: f"{article.law.code}:{article.number}" for pk, article in articles.items()}
    training_rows = [row for row in rows if row["id"] in in_train]
    asked = [row for row in training_rows if written.cited(row.get("answer"))]
    order = list(range(len(asked)))
    random.Random(seed).shuffle(order)
    fold_of = {asked[i]["id"]: position % folds for position, i in enumerate(order)}
    found: dict = {
        "folds": [],
        "titles": {article.law.code: article.law.title for article in articles.values()},
    }
    for fold in range(folds):
        began = time.perf_counter()
        left_out = {row["id"] for row in asked if fold_of[row["id"]] == fold}
        kept = [row for row in training_rows if row["id"] not in left_out]
        signals = _signals(
            [row for row in asked if row["id"] in left_out],
            kept + extra,
            [example for example in train if example.ref not in left_out],
            written,
            key_of,
        )
        found["folds"].append(signals)
        took = time.perf_counter() - began
        print(f"study: fold {fold + 1} of {folds}, {len(signals)} questions, {took:.0f} s")
    by_ref = {row["id"]: row for row in rows}
    held_rows = [
        by_ref[example.ref] for example in held_out if written.cited(by_ref[example.ref].get("answer"))
    ]
    found["held_out"] = _signals(held_rows, training_rows + extra, train, written, key_of)
    return found


def shipped_ranking(question: dict, weights: dict[str, float]) -> list[tuple[str, float]]:
    from guwen.knowledge import citing

    return citing.combine([(question[name], weights[name]) for name in SIGNALS])


def shipped_five(question: dict, weights: dict[str, float]) -> list[str]:
    from guwen.knowledge import citing

    ranked = shipped_ranking(question, weights)[:30]
    law_of = {key: citing.split_key(key)[0] for key, _ in ranked}
    return citing.spread(ranked, law_of, limit=SHOWN, keep=set(question["topics"]), named=question["named"])


def figures(questions: list[dict], shown, titles: dict[str, str]) -> tuple[float, float]:
    """(article@5, law@5) of ``shown`` (question → keys); either text of a law is the law."""
    from guwen.knowledge import citing

    def law(key: str) -> str:
        code = citing.split_key(key)[0]
        return titles.get(code, code)

    article_hits = law_hits = 0
    for question in questions:
        keys, cited = shown(question), set(question["cited"])
        article_hits += bool(set(keys) & cited)
        law_hits += bool({law(key) for key in keys} & {law(key) for key in cited})
    return article_hits / len(questions), law_hits / len(questions)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument(
        "--fresh", action="store_true", help="compute the signals again (after a change to a signal)"
    )
    options = parser.parse_args()
    if not CORPUS.exists():
        print(f"study: {CORPUS} is absent; skipped")
        return 0
    setup_django()
    cache = (
        options.cache or Path(tempfile.gettempdir()) / f"guwen-study-{options.folds}-{options.seed}.json.gz"
    )
    if cache.exists() and not options.fresh:
        study = json.loads(gzip.decompress(cache.read_bytes()))
        print(f"study: signals read from {cache}")
    else:
        study = compute(options.folds, options.seed)
        cache.write_bytes(gzip.compress(json.dumps(study).encode()))
        print(f"study: signals kept in {cache}")
    from guwen.knowledge.selectors import WEIGHTS

    folded = [question for fold in study["folds"] for question in fold]
    parts = (("folds", folded), ("held out", study["held_out"]))
    print(f"study: {len(folded)} fold questions, {len(study['held_out'])} held out (article@5 / law@5)")
    rankings = {
        "shipped (three best, then up to five laws)": lambda q: shipped_five(q, WEIGHTS),
        "the five best, no spreading": lambda q: [key for key, _ in shipped_ranking(q, WEIGHTS)[:SHOWN]],
    }
    for label, shown in rankings.items():
        line = "   ".join(
            f"{name} {a:6.1%} / {law:6.1%}"
            for name, (a, law) in ((n, figures(qs, shown, study["titles"])) for n, qs in parts)
        )
        print(f"  {label:<44} {line}")
    for depth in (10, 20, 40):
        among = {
            name: sum(bool({k for k, _ in shipped_ranking(q, WEIGHTS)[:depth]} & set(q["cited"])) for q in qs)
            / len(qs)
            for name, qs in parts
        }
        line = "   ".join(f"{name} {share:6.1%}" for name, share in among.items())
        print(f"  {f'a cited article among the best {depth}':<44} {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
