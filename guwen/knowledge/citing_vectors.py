"""The citing model's dense signals: statute suggestions read through the sentence embedding
(knowledge/embedding.py, multilingual-e5-small) beside the words.

Two vectors score an article for a question, by their cosine with the question's embedding:

- the article's own text (``passage``, every current article): finds an article by meaning when
  the question shares no word with it and no training answer cites it;
- its citing questions' prototype: the normalised mean of the embeddings of the training questions
  whose answers cite it, weighted as ``citing.fit`` weighs an answer's articles, and kept only for
  an article at least PROTOTYPE_LEAST questions cite (as a word must be used by two citing
  questions to be kept): an aggregate, never one question's vector.

Both are kept in the citing artefact's ``dense`` as float16 (base64), with the SHA-256 of the
embedding weights they were computed with. A model trained where the embedding is not available
has none, and a process without the embedding (or with other weights) ranks without them.

Chosen by 5-fold cross-validation on the training part of the consultation corpus and measured on
the held-out part by benchmarks/bench_suggestions.py (docs/performance.md).
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass

from guwen.knowledge import embedding

# An article's text as the embedding reads it: its law's short name, its number, its text, capped
# (the median article has 84 characters; embedding cost grows with length).
PASSAGE_CHARS = 256
PROTOTYPE_LEAST = 2
# Each signal keeps its best candidates, scored by how far their cosine rises above the cosine of
# the candidate just after them: e5's cosines all sit between 0.7 and 0.95, so the raw value
# scaled to the best would give every article nearly the same score.
PROTOTYPE_CANDIDATES = 30
ARTICLE_CANDIDATES = 60


def passages(laws: Iterable) -> tuple[list[str], list[str]]:
    """("law-code:number" keys, the texts the embedding reads) of every article of ``laws``."""
    keys, texts = [], []
    for law in laws:
        for article in law.articles:
            keys.append(f"{law.code}:{article.number}")
            text = f"{law.short_title or law.title}第{article.number}条：{article.text}"
            texts.append(text[:PASSAGE_CHARS])
    return keys, texts


def _pack(matrix) -> str:
    return base64.b64encode(matrix.astype("<f2").tobytes()).decode("ascii")


def _unpack(text: str, rows: int):
    import numpy as np

    matrix = np.frombuffer(base64.b64decode(text), dtype="<f2").astype(np.float32)
    return matrix.reshape(rows, embedding.DIMENSIONS)


def build(examples: list, laws: Iterable, *, previous: dict | None = None) -> dict | None:
    """The artefact's ``dense`` for the training questions ``examples`` (citing.CitedQuestion) and
    the current ``laws``, or None when the embedding is not available. The articles' vectors
    depend only on the statutes: those of ``previous`` (an earlier artefact's ``dense``) are reused
    when its texts and weights are the same, which saves most of the time (a quarter of an hour on
    one core for the 5,943 articles, against about four minutes for 1,600 questions)."""
    import numpy as np

    if not embedding.available():
        return None
    keys, texts = passages(laws)
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()
    if (
        previous
        and previous.get("weights_sha256") == embedding.WEIGHTS_SHA256
        and previous.get("articles", {}).get("digest") == digest
        and previous["articles"].get("keys") == keys
    ):
        articles = _unpack(previous["articles"]["vectors"], len(keys))
    else:
        articles = embedding.embed(texts, passage=True)
    questions = embedding.embed([example.question for example in examples])
    sums: dict[str, object] = {}
    counts: dict[str, int] = {}
    for example, vector in zip(examples, questions, strict=True):
        share = 1 / math.sqrt(len(example.articles))
        for position, (code, number) in enumerate(example.articles):
            key = f"{code}:{number}"  # an article of the text the answer cites (citing.ShippedLaws)
            weight = share * (1.0 if position == 0 else 0.8)
            sums[key] = sums.get(key, 0) + vector * weight
            counts[key] = counts.get(key, 0) + 1
    kept = sorted(key for key, count in counts.items() if count >= PROTOTYPE_LEAST)
    prototypes = np.zeros((len(kept), embedding.DIMENSIONS), dtype=np.float32)
    for row, key in enumerate(kept):
        prototypes[row] = sums[key] / np.linalg.norm(sums[key])
    return {
        "weights_sha256": embedding.WEIGHTS_SHA256,
        "articles": {"digest": digest, "keys": keys, "vectors": _pack(articles)},
        "prototypes": {"keys": kept, "vectors": _pack(prototypes)},
    }


@dataclass(frozen=True)
class _Vectors:
    article_keys: tuple[str, ...]
    articles: object  # (n, 384) float32
    prototype_keys: tuple[str, ...]
    prototypes: object


# The vectors of the artefacts in use (the shipped one, a benchmark's own), unpacked once each,
# keyed by the artefact's identity and holding it so the key stays its (as citing._EXPANDED).
_HELD: dict[int, tuple[dict, _Vectors | None]] = {}


def _vectors(artefact: dict) -> _Vectors | None:
    held = _HELD.get(id(artefact))
    if held is None or held[0] is not artefact:
        dense = artefact.get("dense")
        vectors = None
        if dense and dense.get("weights_sha256") == embedding.WEIGHTS_SHA256:
            articles, prototypes = dense["articles"], dense["prototypes"]
            vectors = _Vectors(
                tuple(articles["keys"]),
                _unpack(articles["vectors"], len(articles["keys"])),
                tuple(prototypes["keys"]),
                _unpack(prototypes["vectors"], len(prototypes["keys"])),
            )
        if len(_HELD) >= 2:
            _HELD.clear()
        held = _HELD[id(artefact)] = (artefact, vectors)
    return held[1]


def _best(keys: tuple[str, ...], cosines, limit: int) -> dict[str, float]:
    import numpy as np

    if len(keys) <= limit:  # too few to have a floor: rank them all above the least
        floor = float(cosines.min()) if len(keys) else 0.0
        order = np.argsort(-cosines)
    else:
        order = np.argpartition(-cosines, limit)[: limit + 1]
        order = order[np.argsort(-cosines[order])]
        floor = float(cosines[order[limit]])
        order = order[:limit]
    return {keys[i]: float(cosines[i]) - floor for i in order if cosines[i] > floor}


def scores(text: str | None, artefact: dict | None) -> tuple[dict[str, float], dict[str, float]]:
    """ "law-code:number" → score, for ``text``: (by its citing questions' prototype, by its own
    text), the best PROTOTYPE_CANDIDATES and ARTICLE_CANDIDATES; both empty when the artefact has
    no vectors or the embedding is not available. The question is embedded once."""
    if not artefact or not text or not text.strip():
        return {}, {}
    vectors = _vectors(artefact)
    if vectors is None or not embedding.available():
        return {}, {}
    question = embedding.embed([text])[0]
    return (
        _best(vectors.prototype_keys, vectors.prototypes @ question, PROTOTYPE_CANDIDATES),
        _best(vectors.article_keys, vectors.articles @ question, ARTICLE_CANDIDATES),
    )
