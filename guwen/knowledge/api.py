"""JSON API routes of knowledge (mounted under /api/v1/ by guwen/api.py): the same selectors and
services as the pages. Articles are for any signed-in user; answered questions and triage are for
the roles that work on consultations (others get 404, as for anything out of scope)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from guwen.core.apischema import PlainStr, refusals
from guwen.core.errors import DomainError, NotFound
from guwen.knowledge import selectors, services
from guwen.knowledge.models import AnsweredQuestion, Article

router = Router(tags=["knowledge"])

MAX_TRIAGE_CHARS = 100_000


class ArticleOut(Schema):
    id: int
    law_code: str
    law_title: str
    number: int
    label: str
    citation: str
    heading: str
    text: str
    effective_date: str
    is_current: bool
    url: str

    @staticmethod
    def resolve_law_code(obj: Article) -> str:
        return obj.law.code

    @staticmethod
    def resolve_law_title(obj: Article) -> str:
        return obj.law.title

    @staticmethod
    def resolve_effective_date(obj: Article) -> str:
        return obj.law.effective_date.isoformat()

    @staticmethod
    def resolve_is_current(obj: Article) -> bool:
        return obj.law.is_current

    @staticmethod
    def resolve_url(obj: Article) -> str:
        return selectors.article_url(obj)


class AnsweredOut(Schema):
    id: int
    question: str
    answer: str
    category: str


class SearchOut(Schema):
    query: str
    cited: list[ArticleOut]
    articles: list[ArticleOut]
    answered: list[AnsweredOut]


class TriageIn(Schema):
    text: PlainStr = Field(..., description="问题文本")
    title: PlainStr | None = None


class TriageOut(Schema):
    category: str  # the model's first choice
    # Whether it is sure enough to suggest: when false, pages show 待确认 and the top three.
    confident: bool
    category_top3: list[str]
    confidences: list[float]
    urgency: str
    urgency_reasons: list[str]
    model_version: str


@router.get("/knowledge/search", response={200: SearchOut, **refusals(401, 422)})
def knowledge_search(request, q: PlainStr = "", limit: int = 10):
    if not 1 <= limit <= 50:
        raise DomainError("limit 应在 1 到 50 之间", field="limit")
    results = selectors.knowledge_search(request.user, q, limit=limit)
    return {
        "query": results.query,
        "cited": results.cited,
        "articles": results.articles,
        "answered": results.answered,
    }


@router.get("/knowledge/articles/{article_id}", response={200: ArticleOut, **refusals(401, 404, 422)})
def get_article(request, article_id: int):
    return get_object_or_404(selectors.articles_public(), pk=article_id)


@router.get("/knowledge/answered/{answered_id}", response={200: AnsweredOut, **refusals(401, 404, 422)})
def get_answered(request, answered_id: int) -> AnsweredQuestion:
    return get_object_or_404(selectors.answered_visible_to(request.user), pk=answered_id)


@router.post("/knowledge/triage", response={200: TriageOut, **refusals(401, 403, 404, 422)})
def knowledge_triage(request, payload: TriageIn):
    if not selectors.is_knowledge_staff(request.user):
        raise NotFound("未找到")
    if len(payload.text) > MAX_TRIAGE_CHARS:
        raise DomainError(f"文本过长（最多 {MAX_TRIAGE_CHARS} 字）", field="text")
    result = services.triage(payload.text, payload.title)
    return {**result.__dict__, "confident": result.confident}
