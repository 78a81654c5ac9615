"""Chinese text handling shared by search, citations and triage: segmentation (rjieba), Chinese
numerals, synonyms for everyday words and the terms a query is searched with.

Every function here accepts any string (empty, 100,000 characters, emoji, control characters) and
never raises: odd input simply yields fewer terms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import rjieba

DATA_DIR = Path(__file__).resolve().parent / "data"

# Longer text is cut before segmentation: no question needs more to be searched or routed, and it
# bounds the work any request can cause.
MAX_QUERY_CHARS = 2_000
MAX_QUERY_TERMS = 24

_WORD = re.compile(r"^\w+$")  # letters (any script), digits and underscore only: safe in any FTS syntax
_SPACE = re.compile(r"\s+")
# Fragments such as 第八 / 十二条 come from segmenting a citation; citations are matched apart.
_NUMERAL_FRAGMENT = re.compile(r"^[第零〇一二两三四五六七八九十百千万条款项]+$")

STOPWORDS = frozenset(
    word
    for line in (DATA_DIR / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    if not line.startswith("#")
    for word in line.split()
)

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万"


def cn_to_int(text: str) -> int | None:
    """``八十二`` → 82, ``一千零七十九`` → 1079, ``十`` → 10, ``1079`` → 1079; anything else → None."""
    text = (text or "").strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if len(text) > 12 or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    total, section, number = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            number = _DIGITS[ch]
            continue
        unit = _UNITS[ch]
        if unit == 10_000:
            section = (section + (number or 0)) * unit
            total += section
            section, number = 0, None
            continue
        section += (1 if number is None else number) * unit
        number = None
    return total + section + (number or 0)


def int_to_cn(value: int) -> str:
    """82 → ``八十二``, 1079 → ``一千零七十九``, 10 → ``十`` (as article numbers are written)."""
    if value <= 0 or value >= 100_000:
        return str(value)
    digits = "零一二三四五六七八九"
    parts, zero = [], False
    for unit_value, unit in ((10_000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, value = divmod(value, unit_value)
        if digit:
            if zero:
                parts.append("零")
            parts.append(digits[digit] + unit)
            zero = False
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if chr(code - 0xFEE0).isalnum()}


def fold_width(text: str) -> str:
    """Full-width digits and Latin letters (１３８, ＡＢ) as ASCII; punctuation is left as written."""
    return text.translate(_FULL_WIDTH)


def normalize(text: str | None) -> str:
    """Full-width letters and digits folded to ASCII (NFKC), control characters dropped."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def segment(text: str | None, *, limit: int | None = None) -> list[str]:
    """Words of ``text`` for indexing: rjieba's search mode (compounds and their parts), lower-cased,
    punctuation and symbols dropped."""
    clean = normalize(text)
    if limit is not None:
        clean = clean[:limit]
    if not clean.strip():
        return []
    return [word.lower() for word in rjieba.cut_for_search(clean) if _WORD.match(word)]


def index_tokens(*parts: str | None) -> str:
    """The space-separated token string stored in the full-text index."""
    return " ".join(token for part in parts for token in segment(part))


@lru_cache(maxsize=1)
def synonym_groups() -> dict[str, tuple[str, ...]]:
    """Everyday words and their legal counterparts, from data/synonyms.txt (one group a line)."""
    groups: dict[str, tuple[str, ...]] = {}
    path = DATA_DIR / "synonyms.txt"
    if not path.exists():
        return groups
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        members = tuple(dict.fromkeys(word.lower() for word in line.split()))
        for word in members:
            groups[word] = tuple(dict.fromkeys((*groups.get(word, ()), *members)))
    return groups


def query_terms(text: str | None, *, synonyms: bool = True) -> list[tuple[str, ...]]:
    """The terms a query is searched with: each a tuple of alternatives (a word and its synonyms).

    Stop words are dropped and at most MAX_QUERY_TERMS distinct words are kept, so a pasted essay
    costs no more than a long question.
    """
    seen: set[str] = set()
    terms: list[tuple[str, ...]] = []
    groups = synonym_groups() if synonyms else {}
    for word in segment(text, limit=MAX_QUERY_CHARS):
        if word in STOPWORDS or word in seen or _NUMERAL_FRAGMENT.match(word):
            continue
        if len(word) == 1 and not word.isdigit() and word not in groups:
            continue
        seen.add(word)
        terms.append(groups.get(word, (word,)))
        if len(terms) >= MAX_QUERY_TERMS:
            break
    return terms


def squash_spaces(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
