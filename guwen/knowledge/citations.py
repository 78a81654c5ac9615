"""Finding article citations in free text, in every form people write them:
《中华人民共和国劳动合同法》第八十二条, 劳动合同法第82条, 民法典1079条, 第八十二条第二款, and a bare
第82条 that follows a named law (劳动合同法第八十二条、第八十七条) or stands alone in a query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from guwen.knowledge.text import CN_NUMERAL_CHARS, cn_to_int, fold_width

_NUMBER = rf"[{CN_NUMERAL_CHARS}\d]{{1,8}}"
# 第82条, 第八十二条, 1079条; 第 before a number is optional only right after a law's name.
# Answers also write 《民法典》规定第…条, 《民法典》规定，第…条, 《民法典》(2021.1.1生效)第…条 and
# 《民事诉讼法(2021修正)》第…条.
_ARTICLE_AFTER_LAW = re.compile(
    rf"^(?:[(（][^()（）]{{0,16}}[)）])?[》>」\s]*(?:[(（][^()（）]{{0,16}}[)）])?\s*(?:的)?\s*(?:相关)?(?:规定)?[,，:：\s]{{0,2}}"
    rf"(?:第\s*({_NUMBER})\s*条|({_NUMBER})\s*条)"
)
_BARE_ARTICLE = re.compile(rf"第\s*({_NUMBER})\s*条")
_JOINER = re.compile(rf"\s*(?:[、，,和及与或至到]|以及)\s*第\s*({_NUMBER})\s*条")


@dataclass(frozen=True)
class CitationMatch:
    """A citation as written: the law alias (empty for a bare 第N条) and the article number."""

    alias: str
    number: int
    start: int
    end: int


@lru_cache(maxsize=8)
def _alias_pattern(aliases: tuple[str, ...]) -> re.Pattern | None:
    if not aliases:
        return None
    ordered = sorted(set(aliases), key=len, reverse=True)
    return re.compile("(?:中华人民共和国)?(" + "|".join(re.escape(alias) for alias in ordered) + ")")


def parse_citations(text: str | None, aliases: tuple[str, ...]) -> list[CitationMatch]:
    """Citations in ``text``, in order. A bare 第N条 carries the law last named before it in the
    same sentence run (劳动合同法第八十二条、第八十七条); otherwise its alias is empty."""
    if not text:
        return []
    text = fold_width(text[:20_000])
    pattern = _alias_pattern(aliases)
    found: list[CitationMatch] = []
    taken: list[tuple[int, int]] = []
    if pattern is not None:
        for law in pattern.finditer(text):
            tail = text[law.end() : law.end() + 40]
            match = _ARTICLE_AFTER_LAW.match(tail)
            if not match:
                continue
            number = cn_to_int(match.group(1) or match.group(2))
            end = law.end() + match.end()
            if number:
                found.append(CitationMatch(law.group(1), number, law.start(), end))
                taken.append((law.start(), end))
            # Follow-on articles: 、第八十七条 和第九十条
            while True:
                more = _JOINER.match(text, end) if end < len(text) else None
                if not more:
                    break
                value = cn_to_int(more.group(1))
                if value:
                    found.append(CitationMatch(law.group(1), value, end, more.end()))
                    taken.append((end, more.end()))
                end = more.end()
    for match in _BARE_ARTICLE.finditer(text):
        if any(start <= match.start() < stop for start, stop in taken):
            continue
        number = cn_to_int(match.group(1))
        if number:
            found.append(CitationMatch("", number, match.start(), match.end()))
    found.sort(key=lambda citation: citation.start)
    return found
