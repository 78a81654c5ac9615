"""Triage of a question: its category (the 18-value taxonomy, with the top three and their
confidences) from the shipped model (TF-IDF and sentence-embedding classifiers averaged; TF-IDF
alone where the embedding is not available: guwen.knowledge.embedding), and its urgency from the
urgency rules and classifier (guwen.knowledge.urgency): either may raise it.

The category is always the model's first choice, and ``confident`` says whether it is sure enough
to show as a suggestion: below ``MIN_CONFIDENCE`` pages show 待确认 with the top three, never a
category outside them.

The model is loaded once per process. ``triage`` never raises on any text; a missing or mismatched
model is a deployment error, so ``load_model`` raises TriageModelError with what to do, the
knowledge app's system check (knowledge.E001) fails ``manage.py check`` with it, and ``triage``
logs it once and answers from the rules alone (category 其他) so no intake is lost.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guwen.knowledge import embedding, urgency
from guwen.knowledge.taxonomy import OTHER, TAXONOMY_V1
from guwen.knowledge.text import DATA_DIR, fold_width

log = logging.getLogger(__name__)

MODEL_PATH = DATA_DIR / "triage" / "triage.joblib"
ARTEFACT_FORMAT = 2
# Below this top-1 confidence the suggestion is shown as 待确认 (with the top three): in 5-fold
# cross-validation on the training data the first choice is then right less often than wrong
# (about 41 % of the time, against 72 % above it), so an honest "not sure" beats a
# confident-looking wrong route.
MIN_CONFIDENCE = 0.20
MAX_CHARS = 5_000
NORMAL, URGENT = urgency.NORMAL, urgency.URGENT
RETRAIN = "python manage.py train_triage --all --no-corrections"


class TriageModelError(RuntimeError):
    """The shipped model is missing, damaged or built by another scikit-learn version. The
    message says what is wrong and how to rebuild the model, in Chinese and then in English."""

    def __init__(self, chinese: str, english: str):
        super().__init__(f"{chinese} {english}")


@dataclass(frozen=True)
class TriageResult:
    category: str
    category_top3: list[str]
    confidences: list[float]
    urgency: str
    model_version: str
    urgency_reasons: list[str] = field(default_factory=list)
    # Which side found the danger: the rules (the district table's city-wide rows) or the model.
    urgency_rule_reason: str = ""
    urgency_model_reason: str = ""

    @property
    def urgency_reason(self) -> str:
        return self.urgency_reasons[0] if self.urgency_reasons else ""

    @property
    def confident(self) -> bool:
        """Sure enough to show the first choice as the suggestion; otherwise 待确认."""
        return bool(self.confidences) and self.confidences[0] >= MIN_CONFIDENCE

    @property
    def suggestion(self) -> str:
        """What a page shows: the first choice, or "" (待确认) when the model is not sure."""
        return self.category if self.confident else ""


# --- urgency --------------------------------------------------------------------------------------


def urgency_of(text: str) -> tuple[str, list[str]]:
    """(urgency, reasons) from the city-wide urgency rules and the urgency classifier
    (guwen.knowledge.urgency); the reason names the kind of danger, so an advisor can see why."""
    return _urgency_fields(urgency.assess(text))


def _urgency_fields(assessment: urgency.Assessment) -> tuple[str, list[str]]:
    return assessment.urgency, [assessment.reason] if assessment.reason else []


# --- the model ----------------------------------------------------------------------------------

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def load_model(path: Path | None = None, *, reload: bool = False) -> dict[str, Any]:
    """The model artefact (a dict: meta, vectorizer, classifiers), loaded once per process."""
    path = Path(path or MODEL_PATH)
    key = str(path)
    if not reload and key in _loaded:
        return _loaded[key]
    with _lock:
        if not reload and key in _loaded:
            return _loaded[key]
        import joblib
        import sklearn

        if not path.exists():
            raise TriageModelError(
                f"分诊模型文件不存在：{path}。请运行 {RETRAIN} 生成。",
                f"The triage model {path} is missing: build it with {RETRAIN}.",
            )
        try:
            artefact = joblib.load(path)
        except Exception as exc:  # a damaged file: say which and how to rebuild it
            raise TriageModelError(
                f"分诊模型文件无法读取（{exc.__class__.__name__}）：{path}。请运行 {RETRAIN} 重新生成。",
                f"The triage model {path} cannot be read ({exc.__class__.__name__}): rebuild it with "
                f"{RETRAIN}.",
            ) from exc
        meta = artefact.get("meta", {}) if isinstance(artefact, dict) else {}
        if meta.get("format") != ARTEFACT_FORMAT:
            raise TriageModelError(
                f"分诊模型格式不符（{meta.get('format')}，应为 {ARTEFACT_FORMAT}）：{path}。"
                f"请运行 {RETRAIN} 重新训练。",
                f"The triage model {path} has format {meta.get('format')}, not {ARTEFACT_FORMAT}: "
                f"retrain it with {RETRAIN}.",
            )
        if meta.get("sklearn_version") != sklearn.__version__:
            raise TriageModelError(
                f"分诊模型由 scikit-learn {meta.get('sklearn_version')} 训练，当前安装的是 "
                f"{sklearn.__version__}：请运行 {RETRAIN} 重新训练。",
                f"The triage model was trained with scikit-learn {meta.get('sklearn_version')} but "
                f"{sklearn.__version__} is installed: retrain it with {RETRAIN}.",
            )
        _loaded[key] = artefact
        return artefact


def forget_model() -> None:
    _loaded.clear()


_warned = False


def _model_or_none() -> dict[str, Any] | None:
    global _warned
    try:
        return load_model()
    except TriageModelError as exc:
        if not _warned:
            log.error("triage falls back to rules only: %s", exc)
            _warned = True
        return None


def model_input(text: Any, title: Any = None) -> str:
    """What the model reads: the title (where a question has one) and the question."""
    body = fold_width(str(text or ""))[:MAX_CHARS]
    head = fold_width(str(title or ""))[:200]
    return f"{head}。{body}" if head else body


def predict_proba(artefact: dict[str, Any], texts: list[str], *, fast: bool = False):
    """Class probabilities as an (n, classes) array: the TF-IDF and embedding classifiers averaged
    by the artefact's weight, or the TF-IDF classifier alone when ``fast`` or when the embedding
    is not available."""
    features = artefact["vectorizer"].transform(texts)
    return _probabilities(artefact, features, texts, fast=fast)


def _meaningful_columns(artefact: dict[str, Any]):
    """1 for each feature with a letter, digit or Chinese character in it: the character n-grams pad
    words with a space, and a few training questions carry an emoji, so an emoji-only question
    would otherwise "match" on the padding or the emoji alone, which says nothing of its subject."""
    cached = artefact.get("_meaningful")
    if cached is None:
        import numpy as np

        names = artefact["vectorizer"].get_feature_names_out()
        cached = artefact["_meaningful"] = np.array(
            [1.0 if any(ch.isalnum() for ch in str(name)) else 0.0 for name in names]
        )
    return cached


def uses_embeddings(artefact: dict[str, Any]) -> bool:
    """Whether this artefact's embedding classifier can be used here (trained with one, and the
    same embedding is available)."""
    meta = artefact["meta"].get("embedding")
    return (
        artefact.get("embedding_classifier") is not None
        and bool(meta)
        and meta.get("weights_sha256") == embedding.WEIGHTS_SHA256
        and embedding.available()
    )


def model_version(artefact: dict[str, Any], *, fast: bool = False) -> str:
    """The version recorded with each triage: ``+tfidf-only`` marks answers given without the
    embedding half."""
    version = artefact["meta"]["model_version"]
    if artefact.get("embedding_classifier") is not None and (fast or not uses_embeddings(artefact)):
        return f"{version}+tfidf-only"
    return version


def _probabilities(artefact: dict[str, Any], features, texts: list[str], *, fast: bool = False):
    total = None
    for classifier in artefact["classifiers"]:
        probabilities = classifier.predict_proba(features)
        total = probabilities if total is None else total + probabilities
    total = total / len(artefact["classifiers"])
    if fast or not uses_embeddings(artefact):
        return total
    vectors = embedding.embed(texts)
    if vectors is None:
        return total
    weight = float(artefact["meta"]["embedding"]["weight"])
    return (1 - weight) * total + weight * artefact["embedding_classifier"].predict_proba(vectors)


def _top3(classes: list[str], row) -> tuple[list[str], list[float]]:
    order = sorted(range(len(classes)), key=lambda i: -row[i])[:3]
    return [classes[i] for i in order], [round(float(row[i]), 4) for i in order]


def _fallback_top3() -> tuple[list[str], list[float]]:
    others = [name for name in TAXONOMY_V1 if name != OTHER][:2]
    return [OTHER, *others], [1.0, 0.0, 0.0]


def _fallback(assessment: urgency.Assessment, version: str) -> TriageResult:
    top3, confidences = _fallback_top3()
    return TriageResult(OTHER, top3, confidences, *_urgency_parts(assessment, version))


def _urgency_parts(assessment: urgency.Assessment, version: str) -> tuple:
    level, reasons = _urgency_fields(assessment)
    return level, version, reasons, assessment.rule_reason, assessment.model_reason


def _categories(inputs: list[str], *, fast: bool) -> tuple[str, list[tuple[list[str], list[float]] | None]]:
    """(model version, per input its top three categories and their confidences, or None where
    the model cannot tell: no model, an empty text, or nothing it has seen)."""
    artefact = _model_or_none()
    if artefact is None:
        return "rules-only", [None] * len(inputs)
    version = model_version(artefact, fast=fast)
    found: list[tuple[list[str], list[float]] | None] = [None] * len(inputs)
    known = [i for i, text in enumerate(inputs) if text.strip()]
    if known:
        features = artefact["vectorizer"].transform([inputs[i] for i in known])
        # Nothing the model has seen (emoji, an unknown script): it cannot tell, so 其他.
        seen = features @ _meaningful_columns(artefact)  # tf-idf weights are positive
        probabilities = _probabilities(artefact, features, [inputs[i] for i in known], fast=fast)
        classes = list(artefact["meta"]["classes"])
        for row, i, count in zip(probabilities, known, seen, strict=True):
            if count > 0:
                found[i] = _top3(classes, row)
    return version, found


def triage_many(
    texts: list[Any],
    titles: list[Any] | None = None,
    *,
    urgency_patterns: list[urgency.UrgencyPattern] | None = None,
    fast: bool = False,
) -> list[TriageResult]:
    """Triage a batch (one vectorizer pass: what the command and the benchmark use). Urgency reads
    ``urgency_patterns`` (by default the city-wide rules of the district table) and the classifier.
    ``fast``: the category from the TF-IDF classifier alone (about a millisecond instead of a tenth
    of a second), for callers in a request that only need a hint."""
    inputs = [model_input(text, titles[i] if titles else None) for i, text in enumerate(texts)]
    assessments = urgency.assess_many(inputs, patterns=urgency_patterns)
    version, found = _categories(inputs, fast=fast)
    results = []
    for assessment, top in zip(assessments, found, strict=True):
        if top is None:
            results.append(_fallback(assessment, version))
        else:
            results.append(TriageResult(top[0][0], top[0], top[1], *_urgency_parts(assessment, version)))
    return results


def categories_many(texts: list[Any], *, fast: bool = False) -> list[list[tuple[str, float]]]:
    """(category, confidence) of the top three for each text, as ``triage_many`` gives them, without
    the urgency assessment: for the statute suggestions, which read the category as one weak signal
    and must not pay for the urgency classifier (fitted once per process, seconds on first use)."""
    inputs = [model_input(text) for text in texts]
    _, found = _categories(inputs, fast=fast)
    return [list(zip(*(top or _fallback_top3()), strict=True)) for top in found]


def triage(text: Any, title: Any = None, *, urgency_patterns=None, fast: bool = False) -> TriageResult:
    """Category, top three with confidences, and urgency for one question. Never raises."""
    try:
        return triage_many([text], [title], urgency_patterns=urgency_patterns, fast=fast)[0]
    except Exception:  # the contract is "never raises": a bug here must not block an intake
        log.exception("triage failed; answering 其他")
        return _fallback(urgency.Assessment(NORMAL, "", ""), "error")
