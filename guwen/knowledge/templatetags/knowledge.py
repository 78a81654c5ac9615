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


@register.filter
def link_citations(text: str | None):
    if not text:
        return ""
    plain = normalize(text)
    refs = {ref.written: ref for ref in selectors.find_citations(plain)}
    if not refs:
        return escape(plain)
    out, position = [], 0
    for written in sorted(refs, key=plain.find):
        start = plain.find(written, position)
        if start < 0:
            continue
        ref = refs[written]
        out.append(escape(plain[position:start]))
        out.append(format_html('<a href="{}" title="{}">{}</a>', ref.url, ref.citation, written))
        position = start + len(written)
    out.append(escape(plain[position:]))
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
