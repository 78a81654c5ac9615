from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guwen.knowledge.search import search_entries
from guwen.knowledge.selectors import knowledge_search, likely_articles
from guwen.knowledge.services import knowledge_add_answered

ODD = [
    "",
    " ",
    '"',
    "'",
    '"工资" OR',
    "NEAR(工资 离婚, 2)",
    "工资*",
    "^工资",
    "工资 AND NOT 离婚",
    "kind:article",
    "tokens: 工资",
    "'; DROP TABLE knowledge_searchentry; --",
    "工资' | '离婚",
    "!!(工资 & ",
    "%_\\",
    "😀🎉",
    "\x00\x01工资",
    "工资" * 50_000,
    "ｆｕｌｌ－ｗｉｄｔｈ　全角",
]


def test_synonyms_find_everyday_words(statutes):
    # 老板/工钱 are not statute words; 用人单位/劳动报酬 are.
    articles = likely_articles("老板不给工钱怎么办", limit=10)
    assert any(a.law.code in {"labor-contract-law", "labor-law"} for a in articles)
    plain = search_entries("老板 工钱", kinds=("article",), synonyms=False)
    wide = search_entries("老板 工钱", kinds=("article",))
    assert len(wide) > len(plain)


def test_ranked_search_puts_the_relevant_article_first(statutes):
    results = knowledge_search(None, "离婚 感情破裂 调解")
    assert results.articles and results.articles[0].law.code == "civil-code"


def test_odd_input_never_errors(statutes):
    knowledge_add_answered(question="工资被拖欠", answer="申请仲裁", category="劳动争议", by=None)
    for text in ODD:
        results = knowledge_search(None, text)
        assert isinstance(results.articles, list)
        search_entries(text, ranked=False, synonyms=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8"),
            st.sampled_from(list("\"'*^:()-+&|!<>%_\\;{}[]工资离婚老板 ORANDNOTNEAR")),
        ),
        max_size=200,
    )
)
def test_search_never_errors_on_any_text(db, text):
    search_entries(text, limit=5)
    search_entries(text, kinds=("answered",), ranked=False, synonyms=False)
