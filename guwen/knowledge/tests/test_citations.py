import pytest

from guwen.knowledge.selectors import articles_by_citation, find_citations, knowledge_search
from guwen.knowledge.services import laws_import


@pytest.mark.parametrize(
    ("query", "law", "number"),
    [
        ("劳动合同法第八十二条", "labor-contract-law", 82),
        ("劳动合同法第82条", "labor-contract-law", 82),
        ("《中华人民共和国劳动合同法》第八十二条", "labor-contract-law", 82),
        ("民法典1079条", "civil-code", 1079),
        ("民法典第一千零七十九条第二款", "civil-code", 1079),
        ("道交法第七十六条", "road-traffic-safety-law", 76),
        ("劳动合同法第８２条", "labor-contract-law", 82),
    ],
)
def test_citation_search_finds_article_in_every_form(statutes, query, law, number):
    found = articles_by_citation(query)
    assert found and (found[0].law.code, found[0].number) == (law, number)
    results = knowledge_search(None, query)
    assert (results.cited[0].law.code, results.cited[0].number) == (law, number)


def test_bare_article_number_lists_that_article_of_every_law(statutes):
    found = {(a.law.code, a.number) for a in articles_by_citation("第82条")}
    assert {("labor-contract-law", 82), ("civil-code", 82), ("labor-law", 82)} <= found


def test_find_citations_carries_the_law_to_follow_on_articles(statutes):
    refs = find_citations("依据《劳动合同法》第八十二条、第八十七条和民法典第1079条，另见婚姻法第32条。")
    assert [(r.law_code, r.number) for r in refs] == [
        ("labor-contract-law", 82),
        ("labor-contract-law", 87),
        ("civil-code", 1079),
    ]
    assert refs[0].url == "/laws/labor-contract-law/82/"


def test_citation_of_missing_article_is_ignored(statutes):
    assert find_citations("劳动合同法第九百九十九条") == []
    assert articles_by_citation("劳动合同法第九百九十九条") == []


def test_law_names_are_read_once_and_a_change_to_a_law_is_seen_at_once(statutes, django_assert_num_queries):
    from guwen.knowledge.models import Law

    text = "依据劳动合同法第八十二条、民法典第一千零七十九条"
    assert len(find_citations(text)) == 2
    with django_assert_num_queries(2):  # the shared cache (law names) and the articles
        assert len(find_citations(text)) == 2
    law = Law.objects.get(code="labor-contract-law")
    law.aliases = f"{law.aliases} 劳合法".strip()
    law.save()
    assert [ref.number for ref in find_citations("劳合法第82条")] == [82]


def test_citations_in_the_forms_published_answers_write_them(statutes):
    laws_import(files=["labor_dispute_interpretation_1.md", "civil_procedure_law.md"], by=None)
    text = (
        "《民法典》规定第一千一百二十三条 继承开始后……；《民法典》(2021.1.1生效)第一千一百二十二条；"
        "《民事诉讼法(2021修正)》第一百二十二条；"
        "《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第四十四条"
    )
    assert [(ref.law_code, ref.number) for ref in find_citations(text)] == [
        ("civil-code", 1123),
        ("civil-code", 1122),
        ("civil-procedure-law", 122),
        ("labor-dispute-interpretation-1", 44),
    ]
    # A law named without an article is no citation of a nearby bare number.
    assert find_citations("《民法典》规定，依法成立的合同受法律保护，见第五条") == []
