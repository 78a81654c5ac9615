from django.template import Context, Template

from guwen.knowledge.models import Article
from guwen.knowledge.services import knowledge_add_answered
from guwen.testing import verified_client


def test_public_statute_pages(statutes, client):
    response = client.get("/knowledge/", {"q": "劳动合同法第八十二条"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "/laws/labor-contract-law/82/" in body and "已答问题" not in body
    article = client.get("/laws/labor-contract-law/82/")
    assert article.status_code == 200 and "二倍的工资" in article.content.decode()
    assert client.get("/laws/labor-contract-law/").status_code == 200
    assert client.get("/laws/").status_code == 200
    assert client.get("/laws/labor-contract-law/9999/").status_code == 404
    assert client.get("/laws/no-such-law/1/").status_code == 404


def test_search_page_survives_odd_queries(statutes, client):
    for query in ['"', "' OR 1=1 --", "NEAR(", "😀", "x" * 100_000, "\u202e"]:
        assert client.get("/knowledge/", {"q": query}).status_code == 200
    # A control character (NUL, which PostgreSQL refuses in text) is refused before the search.
    refused = client.get("/knowledge/", {"q": "工资\x00"})
    assert refused.status_code == 422 and "控制字符" in refused.content.decode()


def test_staff_search_shows_answered_questions(world, statutes):
    entry = knowledge_add_answered(
        question="公司拖欠工资三个月",
        answer="可申请劳动仲裁。",
        category="劳动争议",
        source_ref="v1",
        by=None,
    )
    client = verified_client(world.user("advisor_a"))
    body = client.get("/knowledge/", {"q": "老板拖欠工钱"}).content.decode()
    assert f"/knowledge/answered/{entry.pk}/" in body
    outsider = verified_client(world.user("outsider"))
    assert (
        f"/knowledge/answered/{entry.pk}/"
        not in outsider.get("/knowledge/", {"q": "拖欠工资"}).content.decode()
    )


def test_suggest_fragment_offers_similar_answers_and_citations(world, statutes):
    knowledge_add_answered(
        question="用人单位不签劳动合同",
        answer="依据劳动合同法第八十二条可要求二倍工资。",
        category="劳动争议",
        by=None,
    )
    client = verified_client(world.user("advisor_a"))
    response = client.get(
        "/knowledge/suggest", {"q": "老板一直不跟我签劳动合同，能要二倍工资吗", "target": "id_answer"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-target="id_answer"' in body
    assert "用人单位不签劳动合同" in body
    assert 'data-insert-citation="《劳动合同法》第八十二条"' in body
    assert "<html" not in body  # a fragment, not a page
    # The target id is matched whole: anything else names no box, never a cut or filtered one.
    odd = client.get("/knowledge/suggest", {"q": "工资", "target": '"><script>'}).content.decode()
    assert "<script>" not in odd and 'data-target="script"' not in odd
    long = client.get("/knowledge/suggest", {"q": "工资", "target": "id_answer" + "x" * 60}).content.decode()
    assert 'data-target="id_answer' not in long


def test_template_helpers_link_citations_and_show_cited_text(statutes):
    rendered = Template(
        "{% load knowledge %}{{ text|link_citations }}|{% cited_articles text %}|"
        "{% knowledge_suggest text 'id_answer' %}"
    ).render(Context({"text": "<b>依据劳动合同法第八十二条</b>"}))
    assert '<a href="/laws/labor-contract-law/82/"' in rendered
    assert "&lt;b&gt;" in rendered  # the rest is escaped
    assert Article.objects.get(law__code="labor-contract-law", number=82).text.splitlines()[0] in rendered
    assert "/knowledge/suggest?q=" in rendered and "knowledge/suggest.js" in rendered


def test_linked_answers_keep_their_chinese_punctuation_as_written(statutes):
    text = "您好：依照《劳动合同法》第８２条，可以要求二倍工资；另见民法典第一千零七十九条（离婚）！"
    rendered = Template("{% load knowledge %}{{ text|link_citations }}").render(Context({"text": text}))
    # The citation written with full-width digits still links, and shows as written.
    assert rendered == (
        '您好：依照《<a href="/laws/labor-contract-law/82/" title="《劳动合同法》第八十二条">'
        "劳动合同法》第８２条</a>，可以要求二倍工资；另见"
        '<a href="/laws/civil-code/1079/" title="《民法典》第一千零七十九条">民法典第一千零七十九条</a>'
        "（离婚）！"
    )
    unlinked = Template("{% load knowledge %}{{ text|link_citations }}").render(
        Context({"text": "请补充：合同、聊天记录（截图）。"})
    )
    assert unlinked == "请补充：合同、聊天记录（截图）。"


def test_api_search_article_and_triage(world, statutes):
    client = verified_client(world.user("advisor_a"))
    data = client.get("/api/v1/knowledge/search", {"q": "民法典1079条"}).json()
    assert data["cited"][0]["number"] == 1079 and data["cited"][0]["url"] == "/laws/civil-code/1079/"
    article_id = data["cited"][0]["id"]
    assert client.get(f"/api/v1/knowledge/articles/{article_id}").json()["law_code"] == "civil-code"
    assert client.get("/api/v1/knowledge/search", {"q": "x", "limit": 0}).status_code == 422
    response = client.post(
        "/api/v1/knowledge/triage", {"text": "他要杀了我"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["urgency"] == "urgent"
    too_long = client.post(
        "/api/v1/knowledge/triage", {"text": "字" * 100_001}, content_type="application/json"
    )
    assert too_long.status_code == 422 and too_long.json()["field"] == "text"
    missing = client.post("/api/v1/knowledge/triage", {}, content_type="application/json")
    assert missing.status_code == 422
