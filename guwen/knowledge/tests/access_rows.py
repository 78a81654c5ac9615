"""Access-matrix rows for knowledge: statutes are public; answered questions, suggestions and
triage are for the roles that work on consultations (404 for anyone else, as out of scope)."""

from __future__ import annotations

from guwen.testing import ROLES, World
from guwen.tests.matrix import Row, api_route, everyone, fixed, page

STAFF = {
    "advisor_a": 200,
    "advisor_b": 200,
    "staff_a": 200,
    "office": 200,
    "bureau": 200,
    "firm_admin": 200,
    "sysadmin": 200,
}
LAW_FILE = "anti_domestic_violence_law.md"
LAW_CODE = "anti-domestic-violence-law"


def with_statute(w: World) -> None:
    from guwen.knowledge.models import Article
    from guwen.knowledge.services import laws_import

    laws_import(files=[LAW_FILE], by=None)
    w.extras["article"] = Article.objects.get(law__code=LAW_CODE, number=2)


def with_answered(w: World) -> None:
    from guwen.knowledge.services import knowledge_add_answered

    w.extras["answered"] = knowledge_add_answered(
        question="公司拖欠工资三个月怎么办？",
        answer="可以向劳动监察部门投诉，或申请劳动仲裁。",
        category="劳动争议",
        source_ref="matrix:1",
        by=None,
    )


def triage_body(w: World, role: str, inside: bool) -> dict:
    return {"text": "老板拖欠我们二十多个工人的工资，怎么办？"}


assert set(STAFF) < set(ROLES)

ROWS: list[Row] = [
    Row(
        "knowledge:search",
        "GET",
        fixed("/knowledge/?q=%E5%B7%A5%E8%B5%84"),
        everyone(200),
        setup=with_statute,
    ),
    Row("knowledge:law_list", "GET", fixed("/laws/"), everyone(200), setup=with_statute),
    Row("knowledge:law_detail", "GET", fixed(f"/laws/{LAW_CODE}/"), everyone(200), setup=with_statute),
    Row("knowledge:article", "GET", fixed(f"/laws/{LAW_CODE}/2/"), everyone(200), setup=with_statute),
    Row(
        "knowledge:suggest",
        "GET",
        fixed("/knowledge/suggest?q=%E5%B7%A5%E8%B5%84&target=id_answer"),
        page(STAFF),
        setup=with_answered,
    ),
    Row(
        "knowledge:answered_detail",
        "GET",
        lambda w, role, inside: f"/knowledge/answered/{w.extras['answered'].pk}/",
        page(STAFF),
        setup=with_answered,
    ),
    Row(
        "api:knowledge_search",
        "GET",
        fixed("/api/v1/knowledge/search?q=%E5%B7%A5%E8%B5%84"),
        api_route(200),
        json=True,
    ),
    Row(
        "api:get_article",
        "GET",
        lambda w, role, inside: f"/api/v1/knowledge/articles/{w.extras['article'].pk}",
        api_route(200),
        json=True,
        setup=with_statute,
    ),
    Row(
        "api:get_answered",
        "GET",
        lambda w, role, inside: f"/api/v1/knowledge/answered/{w.extras['answered'].pk}",
        api_route(STAFF),
        json=True,
        setup=with_answered,
    ),
    Row(
        "api:knowledge_triage",
        "POST",
        fixed("/api/v1/knowledge/triage"),
        api_route(STAFF),
        body=triage_body,
        json=True,
    ),
]
