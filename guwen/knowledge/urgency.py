"""Urgency as a safety function: the kinds of danger, the matcher for the district's rules, and a
classifier trained on the project's own labelled messages. Either can mark a question urgent: a
false alarm costs an advisor a minute, a miss can cost a life.

Rules are the district's urgency table (consultations.UrgencyRule, the single keyword source). A
rule's words are matched over the segmented text (rjieba), so the harmless senses of a word do not
fire it:

- a word of one character (``打``, ``跳``, ``堵``) matches only when the segmenter makes it a word of
  its own: ``他打我`` → 他/打/我 matches, while 打工, 打卡, 打官司, 打听, 打麻将, 打折, 跳槽 and 堵车
  are single words that do not;
- ``A…B`` is a co-occurrence: A then B within the same sentence, a few words apart (``坐在…不走``,
  ``打…孩子``, ``堵…门口``);
- a longer word matches whatever the segmentation (``家暴``, ``不想活``);
- a rule's exclusions (``打我电话``, ``打折``) are masked out before its words are looked for.

The classifier (character n-grams and segmented words, logistic regression) is fitted in process
from ``data/urgency_labelled.jsonl`` the first time it is needed (well under a second for the few
hundred messages): no artefact to ship, no version to mismatch. It answers urgent when the
probability of "normal" falls below ``URGENT_BELOW``, a threshold chosen for recall.

This module knows no consultations: the app that owns the table registers a source of city-wide
patterns (``register_rule_source``) for callers without a district, such as ``manage.py triage``.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import rjieba
from django.db import models
from django.utils.translation import gettext_lazy as _

from guwen.knowledge.text import DATA_DIR, fold_width

log = logging.getLogger(__name__)

LABELLED_PATH = DATA_DIR / "urgency_labelled.jsonl"
NORMAL, URGENT = "normal", "urgent"
MAX_CHARS = 2_000
# Urgent when P(normal) is below this: chosen on cross-validation for recall ≥ 0.95 with few false
# alarms (benchmarks/bench_urgency.py prints the trade-off).
URGENT_BELOW = 0.5
GAP = "…"
# Between the two parts of A…B: the same sentence, at most ~14 characters (the joined token string
# carries a separator between words, hence the larger count).
_GAP_RE = r"[^。！？!?；;\n]{0,28}?"
_SEP = "|"
_SPLIT = re.compile(r"[、,，|｜;；\n]+")
_SPACES = re.compile(r"\s+")
_DOTS = re.compile(r"\.{2,}|…+|⋯+|\*+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_GROUP = re.compile(
    r"\d{2,}|[十百千几两]+(?:个|名|位|号|来|多|余)|好多|很多|多名|全体|集体|一群|大批|所有|全部|整个|全厂|全公司"
    r"|大家|们|兄弟|班组|工程队|施工队|车间"
)


class UrgencyKind(models.TextChoices):
    """What makes a question urgent; the label is what the advisor and the office read."""

    VIOLENCE = "violence", _("人身危险")
    DOMESTIC = "domestic", _("家庭暴力")
    SELF_HARM = "self_harm", _("自伤风险")
    VULNERABLE = "vulnerable", _("儿童老人处境危险")
    COLLECTIVE = "collective", _("群体性事件")
    MASS_ARREARS = "mass_arrears", _("多人欠薪")
    HIDDEN_INJURY = "hidden_injury", _("工伤被隐瞒")
    EVICTION = "eviction", _("强拆强迁")
    DEBT_THREAT = "debt_threat", _("催债威胁")
    OTHER = "other", _("其他紧急情况")


def kind_label(kind: str) -> str:
    try:
        return str(UrgencyKind(kind).label)
    except ValueError:
        return str(UrgencyKind.OTHER.label)


# --- rules --------------------------------------------------------------------------------------


def words_of(pattern: str) -> list[str]:
    """A rule's words (separated by 、，,|; or new lines; spaces ignored; ``...`` written as …), once
    each, without empty parts."""
    words = []
    for raw in _SPLIT.split(pattern or ""):
        word = _DOTS.sub(GAP, _SPACES.sub("", raw)).strip(GAP)
        if word:
            words.append(word)
    return list(dict.fromkeys(words))


def _part(part: str) -> str:
    if len(part) == 1 and _CJK.match(part):
        # One character stands for a word only where the segmenter leaves it alone.
        return rf"(?<![^{re.escape(_SEP)}]){re.escape(part)}(?![^{re.escape(_SEP)}])"
    return (re.escape(_SEP) + "?").join(re.escape(ch) for ch in part)


def compile_words(words: Sequence[str]) -> re.Pattern[str] | None:
    """One expression over the joined token string for all of ``words``; None for no words."""
    alternatives = []
    for word in words:
        parts = [part for part in word.split(GAP) if part]
        if parts:
            alternatives.append("(?:" + _GAP_RE.join(_part(part) for part in parts) + ")")
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


@dataclass(frozen=True)
class Prepared:
    """A question once, in the two forms rules read: squeezed text and the joined tokens."""

    squeezed: str
    tokens: str


def prepare(text: Any) -> Prepared:
    squeezed = _SPACES.sub("", fold_width(str(text or ""))[:MAX_CHARS]).replace(_SEP, "，")
    tokens = _SEP + _SEP.join(token for token in rjieba.cut(squeezed) if token.strip()) + _SEP
    return Prepared(squeezed, tokens)


@dataclass(frozen=True)
class UrgencyPattern:
    """A compiled rule: ``regex`` over the tokens (keyword rules) or the squeezed text (regular
    expressions); ``exclude`` masks its harmless phrases first."""

    label: str
    kind: str
    regex: re.Pattern[str]
    on_tokens: bool = True
    exclude: re.Pattern[str] | None = None

    @property
    def reason(self) -> str:
        """What the advisor reads after 紧急：, the kind, or the rule's own name for 其他."""
        return self.label if self.kind == UrgencyKind.OTHER else kind_label(self.kind)

    def matches(self, prepared: Prepared) -> bool:
        target = prepared.tokens if self.on_tokens else prepared.squeezed
        if self.exclude is not None:
            target = self.exclude.sub(lambda m: "□" * len(m.group(0)), target)
        return bool(self.regex.search(target))


def keyword_pattern(*, label: str, kind: str, words: str, exclude: str = "") -> UrgencyPattern:
    """A keyword rule; raises ``re.error`` when it has no words."""
    regex = compile_words(words_of(words))
    if regex is None:
        raise re.error("no keywords")
    return UrgencyPattern(label, kind, regex, True, compile_words(words_of(exclude)))


def regex_pattern(*, label: str, kind: str, regex: str, exclude: str = "") -> UrgencyPattern:
    """A regular-expression rule over the squeezed text; raises ``re.error`` for a bad one."""
    excluded = [re.escape(word.replace(GAP, "")) for word in words_of(exclude)]
    return UrgencyPattern(
        label,
        kind,
        re.compile(regex, re.IGNORECASE | re.DOTALL),
        False,
        re.compile("|".join(excluded)) if excluded else None,
    )


# When rules of several kinds fire, the reason shown is the most specific danger: "老公打我" is
# 家庭暴力 before 人身危险, a child beaten is 儿童老人处境危险; a district's 其他 rule comes last.
PRIORITY = [
    UrgencyKind.SELF_HARM,
    UrgencyKind.DOMESTIC,
    UrgencyKind.VULNERABLE,
    UrgencyKind.DEBT_THREAT,
    UrgencyKind.HIDDEN_INJURY,
    UrgencyKind.EVICTION,
    UrgencyKind.VIOLENCE,
    UrgencyKind.COLLECTIVE,
    UrgencyKind.MASS_ARREARS,
    UrgencyKind.OTHER,
]


def _rank(pattern: UrgencyPattern) -> int:
    return PRIORITY.index(pattern.kind) if pattern.kind in PRIORITY else len(PRIORITY)


def match_rules(prepared: Prepared, patterns: Iterable[UrgencyPattern]) -> UrgencyPattern | None:
    """The pattern that fires with the most specific kind (the first of them in table order), or
    None."""
    best = None
    for pattern in patterns:
        if (best is None or _rank(pattern) < _rank(best)) and pattern.matches(prepared):
            best = pattern
            if _rank(best) == 0:
                break
    return best


_source: list[Callable[[], list[UrgencyPattern]]] = []


def register_rule_source(source: Callable[[], list[UrgencyPattern]]) -> None:
    """The city-wide patterns for callers without a district (set by the app that owns the table)."""
    _source[:] = [source]


def city_patterns() -> list[UrgencyPattern]:
    if not _source:
        return []
    try:
        return _source[0]()
    except Exception:  # the table unreachable: the classifier still answers
        log.exception("urgency rules could not be read; the classifier answers alone")
        return []


# --- the classifier -----------------------------------------------------------------------------


def load_labelled(path: Path | None = None) -> list[dict[str, str]]:
    """The labelled messages: ``{"text": …, "kind": "normal" | an UrgencyKind value}`` per line."""
    rows = []
    for line in Path(path or LABELLED_PATH).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append({"text": str(row["text"]), "kind": str(row["kind"])})
    return rows


# The harmless senses of the words danger is told in, taken out of what the classifier reads (in
# training and in use) so that 打 in 打官司 or 堵 in 堵车 teaches it nothing; the rules have their own
# exclusions in the table.
HARMLESS = re.compile(
    "|".join(
        [
            "打官司",
            "打工",
            "打卡",
            "打听",
            "打麻将",
            "打牌",
            "打折",
            "打电话",
            "打我电话",
            "打我手机",
            "打了我电话",
            "打给",
            "打印",
            "打扫",
            "打算",
            "打车",
            "打包",
            "打疫苗",
            "打针",
            "打游戏",
            "打球",
            "打篮球",
            "打羽毛球",
            "打赌",
            "打呼噜",
            "打扰",
            "跳槽",
            "跳舞",
            "跳绳",
            "跳高",
            "跳级",
            "跳水",
            "堵车",
            "堵得很",
            "下水道堵",
            "马桶堵",
            "厕所堵",
        ]
    )
)


def classifier_input(text: Any) -> str:
    return HARMLESS.sub("，", fold_width(str(text or ""))[:MAX_CHARS])


def _words(text: str) -> list[str]:
    return [token for token in rjieba.cut(text) if token.strip()]


def fit(texts: Sequence[str], kinds: Sequence[str]):
    """A pipeline (features → logistic regression) over the classes normal + the kinds seen."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1),
        TfidfVectorizer(tokenizer=_words, token_pattern=None, lowercase=False, sublinear_tf=True),
    )
    model = make_pipeline(features, LogisticRegression(C=20.0, max_iter=3000, class_weight="balanced"))
    model.fit([classifier_input(text) for text in texts], list(kinds))
    return model


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _shipped():
    rows = load_labelled()
    return fit([row["text"] for row in rows], [row["kind"] for row in rows])


def classifier():
    """The classifier fitted on the shipped labelled set, once per process."""
    with _lock:
        return _shipped()


@dataclass(frozen=True)
class ModelSignal:
    urgent: bool
    kind: str
    p_normal: float


def model_signals(
    texts: Sequence[Any], *, model=None, urgent_below: float = URGENT_BELOW
) -> list[ModelSignal]:
    """The classifier's view of each text: urgent or not and the likeliest kind of danger."""
    if not texts:
        return []
    model = model or classifier()
    classes = list(model.classes_)
    normal = classes.index(NORMAL)
    inputs = [classifier_input(text) for text in texts]
    # Wage arrears are urgent for many workers only: the model cannot count, so without a word for
    # a group its "多人欠薪" weight counts as normal ("公司拖欠我一个人的工资").
    mass = classes.index(UrgencyKind.MASS_ARREARS) if UrgencyKind.MASS_ARREARS in classes else None
    signals = []
    for text, row in zip(inputs, model.predict_proba(inputs), strict=True):
        p_normal = float(row[normal])
        kinds = [i for i in range(len(classes)) if i != normal]
        if mass is not None and not _GROUP.search(text):
            p_normal += float(row[mass])
            kinds.remove(mass)
        best = max(kinds, key=lambda i: row[i])
        urgent = bool(text.strip()) and p_normal < urgent_below
        signals.append(ModelSignal(urgent, classes[best] if urgent else "", round(p_normal, 4)))
    return signals


# --- both together ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """Urgency of one question. ``rule_reason`` and ``model_reason`` say which side fired (either
    may be empty); ``reason`` is the one shown, the rule's first."""

    urgency: str
    kind: str
    reason: str
    rule_reason: str = ""
    model_reason: str = ""


def assess_many(
    texts: Sequence[Any], *, patterns: Sequence[UrgencyPattern] | None = None, model=None
) -> list[Assessment]:
    """Rules (the given patterns, or the city-wide ones) and the classifier over each text."""
    patterns = city_patterns() if patterns is None else list(patterns)
    try:
        signals = model_signals(texts, model=model)
    except Exception:  # the contract is "never raises": the rules still answer
        log.exception("urgency classifier failed; rules answer alone")
        signals = [ModelSignal(False, "", 1.0)] * len(texts)
    results = []
    for text, signal in zip(texts, signals, strict=True):
        hit = match_rules(prepare(text), patterns)
        rule_reason = hit.reason if hit else ""
        model_reason = kind_label(signal.kind) if signal.urgent else ""
        if hit or signal.urgent:
            kind = hit.kind if hit else signal.kind
            results.append(Assessment(URGENT, kind, rule_reason or model_reason, rule_reason, model_reason))
        else:
            results.append(Assessment(NORMAL, "", ""))
    return results


def assess(text: Any, *, patterns: Sequence[UrgencyPattern] | None = None) -> Assessment:
    return assess_many([text], patterns=patterns)[0]
