"""Template helpers other modules use beside their own pages:

- ``{{ text|link_citations }}`` — the text, escaped, with every citation of a known article turned
  into a link to its page (for answers shown to advisors and residents);
- ``{% cited_articles text %}`` — the full text of each article cited, for under a resident's answer;
- ``{% knowledge_suggest text target %}`` — the suggestion panel beside an answer box.
"""

from __future__ import annotations

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from guwen.knowledge import selectors
from guwen.knowledge.text import normalize

register = template.Library()


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` normalised character by character as the citation parser reads it (full-width
    digits folded, control characters dropped), and for each character of the result the index of
    the character of ``text`` it came from."""
    parts, origins = [], []
    for index, character in enumerate(text):
        folded = normalize(character)
        parts.append(folded)
        origins.extend([index] * len(folded))
    return "".join(parts), origins


@register.filter
def link_citations(text: str | None):
    """The text as written (Chinese punctuation stays Chinese), escaped, with each citation of a
    known article linked. Citations are found in the normalised text (第８２条 is 第82条) and
    linked at the same place in the original."""
    if not text:
        return ""
    text = str(text)
    found = selectors.find_citations(text)  # ref.written is taken from the normalised text
    if not found:  # most messages cite nothing: no character map needed
        return escape(text)
    plain, origins = _folded(text)
    refs = {ref.written: ref for ref in found}
    out, position, searched = [], 0, 0
    for written in sorted(refs, key=plain.find):
        start = plain.find(written, searched)
        if start < 0:
            continue
        searched = start + len(written)
        begin, end = origins[start], origins[searched - 1] + 1
        ref = refs[written]
        out.append(escape(text[position:begin]))
        out.append(format_html('<a href="{}" title="{}">{}</a>', ref.url, ref.citation, text[begin:end]))
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


@register.inclusion_tag("knowledge/_cited_articles.html")
def cited_articles(text: str | None):
    refs = selectors.find_citations(text)
    articles = selectors.articles_public().filter(pk__in=[ref.article_id for ref in refs])
    by_id = {article.pk: article for article in articles}
    return {"articles": [by_id[ref.article_id] for ref in refs if ref.article_id in by_id]}


@register.inclusion_tag("knowledge/_suggest_panel.html")
def knowledge_suggest(text: str | None, target: str = ""):
    return {"text": (text or "")[:500], "target": target}
