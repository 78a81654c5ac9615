"""Triage of a question: its category (the 18-value taxonomy, with the top three and their
confidences) from the shipped linear model, and its urgency from keyword rules plus the model.

The model is loaded once per process. ``triage`` never raises on any text; a missing or mismatched
model is a deployment error, so ``load_model`` raises TriageModelError with what to do, the
knowledge app's system check (knowledge.E001) fails ``manage.py check`` with it, and ``triage``
logs it once and answers from the rules alone (category 其他) so no intake is lost.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from guwen.knowledge.taxonomy import OTHER, TAXONOMY_V1
from guwen.knowledge.text import DATA_DIR, cn_to_int, fold_width

log = logging.getLogger(__name__)

MODEL_PATH = DATA_DIR / "triage" / "triage.joblib"
ARTEFACT_FORMAT = 1
# Below this top-1 confidence the answer is 其他: better an honest "cannot tell" than a wrong route.
MIN_CONFIDENCE = 0.12
MAX_CHARS = 5_000
NORMAL, URGENT = "normal", "urgent"
MASS_ARREARS = "大规模欠薪"
MASS_ARREARS_HEADCOUNT = 10
MODEL_SIGNAL = "模型：刑事治安且涉及人身"
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


# --- urgency rules ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def urgency_rules() -> dict[str, tuple[str, ...]]:
    """reason → words, from data/urgency.txt."""
    rules: dict[str, tuple[str, ...]] = {}
    for line in (DATA_DIR / "urgency.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if ":" in line:
            reason, words = line.split(":", 1)
            rules[reason.strip()] = tuple(words.split())
    return rules


def keyword_reasons() -> frozenset[str]:
    """The reasons that come from word lists rather than from the model: the lines of
    data/urgency.txt and mass wage arrears. A caller with its own keyword table (consultations'
    urgency rules) counts only the model's signal on top of it."""
    return frozenset(urgency_rules()) | {MASS_ARREARS}


_WAGES = ("欠薪", "拖欠工资", "欠工资", "工资", "工钱", "讨薪", "薪水")
_HEADCOUNT = re.compile(
    r"(\d{1,5}|[一二两三四五六七八九十百千]{1,4}|几十|上百|数十|上千)\s*(?:多|余|来)?\s*(?:个|名|位)?\s*"
    r"(?:人|工人|农民工|员工|工友|职工|师傅)"
)
_MANY = {"几十": 20, "数十": 20, "上百": 100, "上千": 1000}
_PERSONAL_HARM = ("受伤", "伤害", "人身", "威胁", "安全", "打", "伤")


def _headcount(text: str) -> int:
    best = 0
    for match in _HEADCOUNT.finditer(text):
        raw = match.group(1)
        best = max(best, _MANY.get(raw) or cn_to_int(raw) or 0)
    return best


def urgency_of(text: str, *, category: str = "", confidence: float = 0.0) -> tuple[str, list[str]]:
    """(urgency, reasons): each reason names the rule that fired, so an advisor can see why."""
    reasons = [reason for reason, words in urgency_rules().items() if any(word in text for word in words)]
    if any(word in text for word in _WAGES) and _headcount(text) >= MASS_ARREARS_HEADCOUNT:
        reasons.append(MASS_ARREARS)
    if (
        category == "刑事治安"
        and confidence >= 0.5
        and any(word in text for word in _PERSONAL_HARM)
        and not reasons
    ):
        reasons.append(MODEL_SIGNAL)
    return (URGENT if reasons else NORMAL), reasons


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


def predict_proba(artefact: dict[str, Any], texts: list[str]):
    """Average class probabilities of the artefact's classifiers, as an (n, classes) array."""
    return _probabilities(artefact, artefact["vectorizer"].transform(texts))


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


def _probabilities(artefact: dict[str, Any], features):
    total = None
    for classifier in artefact["classifiers"]:
        probabilities = classifier.predict_proba(features)
        total = probabilities if total is None else total + probabilities
    return total / len(artefact["classifiers"])


def _result(text: str, classes: list[str], row, version: str) -> TriageResult:
    order = sorted(range(len(classes)), key=lambda i: -row[i])[:3]
    top3 = [classes[i] for i in order]
    confidences = [round(float(row[i]), 4) for i in order]
    category = top3[0] if confidences[0] >= MIN_CONFIDENCE else OTHER
    urgency, reasons = urgency_of(text, category=top3[0], confidence=confidences[0])
    return TriageResult(category, top3, confidences, urgency, version, reasons)


def _fallback(text: str, version: str) -> TriageResult:
    others = [name for name in TAXONOMY_V1 if name != OTHER][:2]
    urgency, reasons = urgency_of(text)
    return TriageResult(OTHER, [OTHER, *others], [1.0, 0.0, 0.0], urgency, version, reasons)


def triage_many(texts: list[Any], titles: list[Any] | None = None) -> list[TriageResult]:
    """Triage a batch (one vectorizer pass: what the command and the benchmark use)."""
    inputs = [model_input(text, titles[i] if titles else None) for i, text in enumerate(texts)]
    artefact = _model_or_none()
    if artefact is None:
        return [_fallback(text, "rules-only") for text in inputs]
    version = artefact["meta"]["model_version"]
    results: list[TriageResult | None] = [None] * len(inputs)
    known = [i for i, text in enumerate(inputs) if text.strip()]
    if known:
        features = artefact["vectorizer"].transform([inputs[i] for i in known])
        # Nothing the model has seen (emoji, an unknown script): it cannot tell, so 其他.
        seen = features @ _meaningful_columns(artefact)  # tf-idf weights are positive
        probabilities = _probabilities(artefact, features)
        classes = list(artefact["meta"]["classes"])
        for row, i, count in zip(probabilities, known, seen, strict=True):
            if count > 0:
                results[i] = _result(inputs[i], classes, row, version)
    return [result or _fallback(inputs[i], version) for i, result in enumerate(results)]


def triage(text: Any, title: Any = None) -> TriageResult:
    """Category, top three with confidences, and urgency for one question. Never raises."""
    try:
        return triage_many([text], [title])[0]
    except Exception:  # the contract is "never raises": a bug here must not block an intake
        log.exception("triage failed; answering 其他")
        return _fallback(str(text or "")[:MAX_CHARS], "error")
