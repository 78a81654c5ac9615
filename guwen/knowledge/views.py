"""Pages: statute search and article pages (public), answered questions and the suggestion
fragment beside the answer box (staff)."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from guwen.knowledge import selectors

SUGGEST_CHARS = 2_000
TARGET_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,59}")


def _base(request) -> str:
    return "base_work.html" if request.user.is_authenticated else "base_public.html"


@require_GET
def search(request):
    query = request.GET.get("q", "")[:200]
    results = selectors.knowledge_search(request.user, query) if query.strip() else None
    return render(
        request,
        "knowledge/search.html",
        {
            "base_template": _base(request),
            "q": query,
            "results": results,
            "is_staff": selectors.is_knowledge_staff(request.user),
        },
    )


@require_GET
def law_list(request):
    laws = selectors.laws_public().order_by("-is_current", "sort")
    return render(request, "knowledge/law_list.html", {"base_template": _base(request), "laws": laws})


@require_GET
def law_detail(request, code: str):
    law = get_object_or_404(selectors.laws_public(), code=code)
    articles = law.articles.only("number", "label", "part", "chapter", "section", "text").order_by("number")
    return render(
        request,
        "knowledge/law_detail.html",
        {"base_template": _base(request), "law": law, "articles": articles},
    )


@require_GET
def article(request, code: str, number: int):
    item = get_object_or_404(selectors.articles_public(), law__code=code, number=number)
    siblings = selectors.articles_public().filter(law=item.law, number__in=[number - 1, number + 1])
    neighbours = {a.number: a for a in siblings}
    return render(
        request,
        "knowledge/article.html",
        {
            "base_template": _base(request),
            "article": item,
            "previous": neighbours.get(number - 1),
            "next": neighbours.get(number + 1),
            "now": selectors.current_equivalent(item),
        },
    )


@login_required
@require_GET
def answered_detail(request, pk: int):
    entry = get_object_or_404(selectors.answered_visible_to(request.user), pk=pk)
    return render(
        request,
        "knowledge/answered_detail.html",
        {"entry": entry, "citations": selectors.find_citations(entry.answer)},
    )


@login_required
@require_GET
def suggest(request):
    """The htmx fragment beside the answer box: similar answered questions and likely articles,
    each article with a one-click "insert citation" into the box named by ``target``."""
    if not selectors.is_knowledge_staff(request.user):
        raise Http404
    text = request.GET.get("q", "")[:SUGGEST_CHARS]
    # The id of the answer box, matched whole: anything else names no box (never a cut or filtered one).
    target = request.GET.get("target", "")
    target = target if TARGET_ID.fullmatch(target) else ""
    similar, articles = selectors.answer_box(text, user=request.user) if text.strip() else ([], [])
    for article in articles:  # an earlier text's article names the current one that replaced it
        article.now = selectors.current_equivalent(article)
    return render(
        request,
        "knowledge/_suggest.html",
        {"similar": similar, "articles": articles, "target": target},
    )
