"""Statute suggestions: the citing model, the hand-written matters, ``manage.py cite`` and
``manage.py train_citing``."""

import gzip
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guwen.knowledge import citing
from guwen.knowledge.models import Law
from guwen.knowledge.selectors import likely_articles
from guwen.knowledge.services import laws_import
from guwen.knowledge.statutes import read_laws

LABOUR = "中华人民共和国劳动合同法"
CIVIL = "中华人民共和国民法典"
EXPROPRIATION = "国有土地上房屋征收与补偿条例"
MIGRANT_WAGES = "保障农民工工资支付条例"

EXAMPLES = [
    {"id": "wages", "question": "我在工地干了半年，老板一直拖欠工资不发，也没有签劳动合同，我该怎么办？"},
    {"id": "falling", "question": "楼上有人高空抛物砸坏了我的车，找不到是谁扔的，怎么办"},
    {"id": "demolition", "question": "我家房子被拆迁，拆迁补偿太低了，我不同意，怎么办"},
]


def _cite(tmp_path, lines: list[str]) -> tuple[list[dict], str, int]:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("cite", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue(), code


@pytest.fixture(scope="module")
def shipped_laws():
    return read_laws()


def test_every_statute_of_the_shared_folder_is_shipped(shipped_laws):
    titles = {law.title for law in shipped_laws}
    assert len(shipped_laws) == 46 and len(titles) == 45  # 治安管理处罚法 in its 2012 and 2025 texts
    assert "中华人民共和国刑法" in titles and "工资支付暂行规定" in titles
    assert "最高人民法院关于审理劳动争议案件适用法律问题的解释（一）" in titles


def test_new_statutes_are_found_by_citation(db):
    laws_import(files=["criminal_law.md", "labor_dispute_interpretation_1.md"], by=None)
    from guwen.knowledge.selectors import find_citations

    refs = find_citations("依据《刑法》第二百三十四条及劳动争议解释（一）第四十四条")
    assert [(ref.law_title, ref.number) for ref in refs] == [
        ("中华人民共和国刑法", 234),
        ("最高人民法院关于审理劳动争议案件适用法律问题的解释（一）", 44),
    ]


def test_cite_prints_the_five_articles_a_lawyer_would_cite(db, tmp_path):
    rows, err, code = _cite(tmp_path, [json.dumps(row, ensure_ascii=False) for row in EXAMPLES])
    assert code == 0 and "先导入" in err  # the empty test database gets the shipped statutes
    assert Law.objects.count() == 46
    by_id = {row["id"]: row for row in rows}
    assert [row["id"] for row in rows] == ["wages", "falling", "demolition"]
    for row in rows:
        assert row["question"] == next(e["question"] for e in EXAMPLES if e["id"] == row["id"])
        assert len(row["articles"]) == 5
        for item in row["articles"]:
            assert set(item) == {"law", "article"} and isinstance(item["article"], int)
    wages = {(item["law"], item["article"]) for item in by_id["wages"]["articles"]}
    # No written contract (82), wages paid in full (30), and the wage-arrears article the published
    # answers for work on a site cite (保障农民工工资支付条例 16); never what issue #16 found instead.
    assert {(LABOUR, 82), (LABOUR, 30), (MIGRANT_WAGES, 16)} <= wages
    assert not {law for law, _ in wages} & {"工伤保险条例"}
    assert not wages & {(CIVIL, 76), (CIVIL, 577), (CIVIL, 585)}
    assert (CIVIL, 1254) in {(item["law"], item["article"]) for item in by_id["falling"]["articles"]}
    demolition = by_id["demolition"]["articles"]
    assert demolition[0]["law"] == EXPROPRIATION
    assert (CIVIL, 390) not in {(item["law"], item["article"]) for item in demolition}
    # The answer box ranks with the same function: the same five, in the same order.
    shown = likely_articles(EXAMPLES[0]["question"], 5)
    printed = [(item["law"], item["article"]) for item in by_id["wages"]["articles"]]
    assert [(a.law.title, a.number) for a in shown] == printed


CRIMINAL = "中华人民共和国刑法"


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("我朋友酒驾被查，为逃避检查开车推了警察一下，这是袭警罪吗", 277),
        ("把银行卡借给别人用，现在说我涉嫌帮信罪，会坐牢吗", 287),  # 第二百八十七条之二, kept with 287
        ("公司说我把货款转到自己账上是职务侵占，要报警抓我", 271),
        ("我老公三天前因为涉嫌介绍卖淫被刑事拘留了，会判多久", 359),
        ("我用假的在读证明在网贷平台借了钱，现在说我骗取贷款", 175),  # 第一百七十五条之一
        ("一帮人堵住我打，我拿小刀捅伤了其中一个人，算不算正当防卫", 20),
    ],
)
def test_a_question_naming_a_crime_is_shown_the_article_that_defines_it(db, tmp_path, question, article):
    rows, _, code = _cite(tmp_path, [json.dumps({"id": "q", "question": question}, ensure_ascii=False)])
    assert code == 0
    assert (CRIMINAL, article) in {(item["law"], item["article"]) for item in rows[0]["articles"]}


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("朋友借钱让我在借条上签了连带责任担保人，现在他不还了，我要承担多大责任", 688),
        ("我不小心转错账给了一个陌生人，两千块，他不肯退", 985),
        ("老人去世前留了一份打印遗嘱，只有一个见证人，有效吗", 1136),
        ("在商场里地面有水滑倒了，摔断了手腕，商场要负责吗", 1198),
    ],
)
def test_a_question_naming_a_legal_term_is_shown_the_article_that_defines_it(db, tmp_path, question, article):
    rows, _, code = _cite(tmp_path, [json.dumps({"id": "q", "question": question}, ensure_ascii=False)])
    assert code == 0
    assert (CIVIL, article) in {(item["law"], item["article"]) for item in rows[0]["articles"]}


def test_cite_reports_bad_lines_and_keeps_going(db, tmp_path):
    rows, err, code = _cite(tmp_path, ["not json", "[1, 2]", '{"id": "a"}', '{"id": "b", "question": 3}'])
    assert code == 1
    errors = ["不是有效的 JSON", "应为 JSON 对象", "缺少 question 字段", "question 应为文本"]
    assert [row.get("error") for row in rows] == errors
    assert rows[2]["id"] == "a" and rows[3]["line"] == 4
    assert "第 1 行：不是有效的 JSON" in err
    assert Law.objects.count() == 0  # no valid line: nothing imported


def test_cite_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("cite", str(tmp_path / "absent.jsonl"))


def test_topics_name_only_shipped_articles(shipped_laws):
    laws = citing.ShippedLaws(shipped_laws)
    matters = citing.topics()
    assert len(matters) >= 15
    for words, articles in matters:
        assert words and articles
        assert all(article in laws.articles for article in articles)


def test_topic_scores_put_the_first_article_of_a_matter_first():
    scores = citing.topic_scores("公司没签劳动合同")
    assert max(scores, key=scores.get) == "labor-contract-law:82"
    assert citing.topic_scores("今天天气很好") == {}


def test_shipped_model_is_small_and_keeps_no_text():
    artefact = citing.load()
    assert artefact["meta"]["format"] == citing.ARTEFACT_FORMAT
    # Words and weights take about 360 KB; the articles' and prototypes' vectors (float16) the rest.
    assert citing.MODEL_PATH.stat().st_size < 6_000_000
    # Only words, "law-code:number" keys and weights: no sentence of any question or answer.
    assert all(len(word) <= 20 for word in artefact["idf"])
    keys = {key for entries in artefact["terms"].values() for key, _ in entries}
    assert all(citing.split_key(key)[1] > 0 for key in keys)
    # Per hand-written matter (named by its first word), articles and shares only.
    assert set(artefact["matters"]) <= {words[0] for words, _ in citing.topics()}
    assert all(0 < share <= 1 for entries in artefact["matters"].values() for _, share in entries)
    assert "labor-contract-law:82" in dict(artefact["matters"]["没签合同"])
    # Per article, words of its citing questions and summed weights: words the model keeps only.
    assert all(citing.split_key(key)[1] > 0 for key in artefact["expansion"])
    assert all(
        word in artefact["idf"] and weight > 0
        for entries in artefact["expansion"].values()
        for word, weight in entries
    )


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_model_scores_any_text_without_error(text):
    assert all(value >= 0 for value in citing.learned_scores(text).values())
    assert all(value > 0 for value in citing.topic_scores(text).values())
    assert citing.words(text) is not None


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_expanded_statutes_score_any_text_without_error(text):
    scores = citing.expanded_scores(text)
    assert len(scores) <= citing.EXPANDED_CANDIDATES
    assert all(value > 0 for value in scores.values())


def test_expanded_statutes_find_an_article_no_answer_cited_by_its_own_words(shipped_laws):
    # No citing question at all: the statutes' own words still rank the article that holds them.
    index = citing.ExpandedStatutes(shipped_laws, {})
    scores = index.scores("从建筑物中抛掷物品造成他人损害")
    assert max(scores, key=scores.get) == "civil-code:1254"


def test_expanded_statutes_read_an_article_with_its_citing_questions_words(shipped_laws):
    plain = citing.ExpandedStatutes(shipped_laws, {})
    # 老赖 is a resident's word that no statute uses: only the questions citing 30 teach it.
    assert plain.scores("老赖") == {}
    expanded = citing.ExpandedStatutes(shipped_laws, {"labor-contract-law:30": [["老赖", 3.0]]})
    assert list(expanded.scores("老赖")) == ["labor-contract-law:30"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=120))
def test_suggestions_never_fail_and_show_at_most_five(statutes, text):
    shown = likely_articles(text, 5, categories=[])
    assert len(shown) <= 5 and len({a.pk for a in shown}) == len(shown)


def _training_rows(n: int) -> list[str]:
    rows = []
    for i in range(n):
        rows.append(
            json.dumps(
                {
                    "question": f"老板拖欠工资第{i}个月了，独特句子{i}不给钱",
                    "answer": "依据《劳动合同法》第三十条，用人单位应当及时足额支付劳动报酬。",
                    "category": "劳动争议",
                },
                ensure_ascii=False,
            )
        )
    return rows


def test_train_citing_learns_from_answers_and_keeps_no_sentences(tmp_path):
    source = tmp_path / "train.jsonl"
    source.write_text("\n".join(_training_rows(30)) + "\nnot json\n", encoding="utf-8")
    output = tmp_path / "citing.json.gz"
    out = io.StringIO()
    call_command("train_citing", "--input", str(source), "--output", str(output), stdout=out)
    assert "30 条答复" in out.getvalue() and "无句向量" in out.getvalue()
    artefact = citing.load(output)
    assert "独特句子1不给钱" not in gzip.decompress(output.read_bytes()).decode("utf-8")
    scores = citing.learned_scores("拖欠工资怎么办", artefact)
    assert max(scores, key=scores.get) == "labor-contract-law:30"
    assert artefact["categories"]["劳动争议"][0][0] == "labor-contract-law:30"
    # Every training question names the wage matter of topics.txt (拖欠+工资) and its answer cites 30.
    assert artefact["matters"]["拖欠工资"] == [["labor-contract-law:30", 1.0]]
    assert citing.matter_scores("工资被拖欠了", artefact) == {"labor-contract-law:30": 1.0}
    assert citing.matter_scores("今天天气很好", artefact) == {}
    # The words of the questions citing 30 join its text, summed over the thirty questions.
    expansion = dict(artefact["expansion"]["labor-contract-law:30"])
    assert expansion["拖欠"] == expansion["工资"] == 30.0
    assert all(word in artefact["idf"] for word in expansion)
    expanded = citing.expanded_scores("拖欠工资怎么办", artefact)
    assert max(expanded, key=expanded.get) == "labor-contract-law:30"
    # Tests run without the sentence embedding: the model has no vectors and still ranks.
    assert artefact["dense"] is None and citing.dense_scores("拖欠工资怎么办", artefact) == ({}, {})


def test_a_model_of_an_earlier_format_is_refused_and_retrained(tmp_path):
    old = tmp_path / "citing.json.gz"
    citing.save({"meta": {"format": 1}, "idf": {}, "terms": {}, "categories": {}}, old)
    with pytest.raises(citing.CitingModelError, match="格式不符"):
        citing.load(old)
    source = tmp_path / "train.jsonl"
    source.write_text("\n".join(_training_rows(30)), encoding="utf-8")
    out = io.StringIO()
    call_command("train_citing", "--if-stale", "--input", str(source), "--output", str(old), stdout=out)
    assert "需要重新训练" in out.getvalue() and "matters" in citing.load(old)


def test_train_citing_refuses_too_few_citing_answers(tmp_path):
    source = tmp_path / "train.jsonl"
    source.write_text("\n".join(_training_rows(5)), encoding="utf-8")
    with pytest.raises(CommandError, match="太少"):
        call_command("train_citing", "--input", str(source), "--output", str(tmp_path / "m.json.gz"))


def test_train_citing_if_stale_leaves_a_usable_model_alone(tmp_path):
    out = io.StringIO()
    call_command("train_citing", "--if-stale", "--output", str(citing.MODEL_PATH), stdout=out)
    assert "无需重新训练" in out.getvalue()


def test_train_citing_if_stale_without_data_warns_and_does_not_fail(tmp_path, settings):
    settings.GUWEN_SHARED_DIR = tmp_path
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip")
    err = io.StringIO()
    call_command("train_citing", "--if-stale", "--output", str(broken), stderr=err, stdout=io.StringIO())
    assert "训练文件不存在" in err.getvalue()


# --- citations of the laws the 民法典 repealed ------------------------------------------------------


def test_every_repealed_mapping_names_a_shipped_civil_code_article(shipped_laws):
    laws = citing.ShippedLaws(shipped_laws)
    table = citing.read_repealed(laws.articles, "civil-code")
    assert len(table) >= 9 and len(laws.repealed) == len(table)
    for (law, _), number in table.items():
        assert law in citing.REPEALED_LAWS
        assert ("civil-code", number) in laws.articles
    # Spot checks against the old texts: 合同法 94 (法定解除) is 民法典 563, 婚姻法 38 (探望) is 1086.
    assert table[("合同法", 94)] == 563 and table[("婚姻法", 38)] == 1086


def test_a_repealed_law_is_read_as_the_civil_code_article_that_replaced_it(shipped_laws):
    laws = citing.ShippedLaws(shipped_laws)
    assert laws.cited("根据《中华人民共和国合同法》第一百二十二条规定") == (("civil-code", 186),)
    assert laws.cited("《婚姻法》(修正案)第38条规定") == (("civil-code", 1086),)
    # 劳动合同法 is itself, not 合同法; an old article the table lacks is no citation at all.
    assert laws.cited("劳动合同法第八十二条、第八十七条") == (
        ("labor-contract-law", 82),
        ("labor-contract-law", 87),
    )
    assert laws.cited("依照合同法第六十条处理") == ()
    # 【合同法定解除】 after a 民法典 article is a heading, not a citation of 合同法.
    assert laws.cited("《民法典》第五百六十三条 【合同法定解除】有下列情形") == (("civil-code", 563),)


def test_training_maps_repealed_citations(shipped_laws):
    rows = [{"question": "对方迟迟不交房，我能解除合同吗", "answer": "依据《合同法》第九十四条，可以解除。"}]
    found = citing.read_cited(rows, citing.ShippedLaws(shipped_laws))
    assert [example.articles for example in found] == [(("civil-code", 563),)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("合同法\t94", "expected"),
        ("合同法\t九十四\t563", "expected"),
        ("劳动合同法\t82\t563", "not a law the 民法典 repealed"),
        ("合同法\t94\t9999", "has no article 9999"),
        ("合同法\t94\t563\n合同法\t94\t563", "listed twice"),
    ],
)
def test_a_bad_repealed_table_fails_loudly(shipped_laws, tmp_path, line, message):
    path = tmp_path / "repealed.tsv"
    path.write_text("# comment\n" + line + "\n", encoding="utf-8")
    articles = citing.ShippedLaws(shipped_laws).articles
    with pytest.raises(ValueError, match=message):
        citing.read_repealed(articles, "civil-code", path)


def test_spread_keeps_the_best_articles_and_adds_other_laws():
    ranked = [("a1", 1.0), ("a2", 0.9), ("a3", 0.8), ("a4", 0.7), ("a5", 0.6), ("b1", 0.5), ("c1", 0.01)]
    law_of = {"a1": "A", "a2": "A", "a3": "A", "a4": "A", "a5": "A", "b1": "B", "c1": "C"}
    # The three best, then the strongest other laws; C scores under a tenth of A and is left out,
    # so its place goes to A's next article.
    assert citing.spread(ranked, law_of, limit=5) == ["a1", "a2", "a3", "a4", "b1"]
    assert citing.spread(ranked, law_of, limit=5, least=0) == ["a1", "a2", "a3", "b1", "c1"]
    assert citing.spread(ranked, law_of, limit=5, first=5) == ["a1", "a2", "a3", "a4", "a5"]
    # An article a hand-written matter names keeps its place among the four best.
    assert citing.spread(ranked, law_of, limit=5, least=0, keep={"a4"}) == ["a1", "a2", "a3", "a4", "b1"]
    assert citing.spread(ranked, law_of, limit=5, least=0, keep={"a5"}) == ["a1", "a2", "a3", "b1", "c1"]


def test_spread_shows_the_first_article_of_each_matter_the_question_names():
    ranked = [(f"a{i}", 1.0 - i / 100) for i in range(1, 20)] + [("b1", 0.5)]
    law_of = {key: key[0].upper() for key, _ in ranked}
    plain = citing.spread(ranked, law_of, limit=5, least=0)
    assert plain == ["a1", "a2", "a3", "a4", "b1"]

    def shown(named):
        return citing.spread(ranked, law_of, limit=5, least=0, named=named)

    # Each named article takes the place of the lowest-ranked article not named.
    assert shown(["a9"]) == ["a1", "a2", "a3", "a4", "a9"]
    assert shown(["a9", "a7"]) == ["a1", "a2", "a3", "a7", "a9"]
    # At most two matters, each among the fifteen best; an article no signal ranks is never shown.
    assert shown(["a9", "a7", "a8"]) == ["a1", "a2", "a3", "a7", "a9"]
    assert shown(["a15"]) == ["a1", "a2", "a3", "a4", "a15"]
    assert shown(["a16"]) == plain and shown(["x1"]) == plain
    # Already shown: nothing moves.
    assert shown(["a2", "b1"]) == plain


@given(
    scores=st.lists(st.floats(0.01, 1.0), min_size=1, max_size=30),
    laws=st.lists(st.sampled_from("ABCD"), min_size=30, max_size=30),
    named=st.lists(st.integers(0, 40), max_size=4),
    limit=st.integers(1, 6),
)
def test_spread_shows_distinct_ranked_articles_best_first(scores, laws, named, limit):
    ranked = sorted(((f"k{i}", score) for i, score in enumerate(scores)), key=lambda item: -item[1])
    law_of = {f"k{i}": laws[i] for i in range(len(scores))}
    shown = citing.spread(ranked, law_of, limit=limit, named=[f"k{i}" for i in named])
    order = [key for key, _ in ranked]
    assert len(shown) == len(set(shown)) == min(limit, len(ranked))
    assert shown == sorted(shown, key=order.index)
    firsts = [f"k{i}" for i in dict.fromkeys(named) if f"k{i}" in order[: citing.NAMED_WITHIN]][
        : citing.NAMED_MOST
    ]
    assert set(firsts[:limit]) <= set(shown) or limit < len(firsts)


def test_named_first_reads_each_matter_once_in_the_file_order():
    firsts = citing.named_first("老板拖欠工资，也没签劳动合同，还把我辞退了")
    assert firsts[:3] == ["labor-contract-law:82", "labor-contract-law:30", "labor-contract-law:46"]
    assert citing.named_first("") == [] and citing.named_first(None) == []


def test_a_question_citing_a_repealed_law_is_shown_the_article_that_replaced_it(statutes):
    assert citing.repealed_cited("劳动合同法第九十四条") == ()  # 劳动合同法 is not 合同法
    assert citing.repealed_cited("按合同法第94条我能解除合同吗") == (("civil-code", 563),)
    shown = likely_articles("按合同法第94条我能解除合同吗", 5, categories=[])
    assert (shown[0].law.code, shown[0].number) == ("civil-code", 563)


@pytest.mark.parametrize(
    "question",
    [
        "小区高空抛物砸坏了我的电动车",
        "楼上有人往下扔花盆砸坏了我的车，找不到是谁扔的",
        "不知道谁从楼上丢下来一个酒瓶，差点砸到孩子",
        "晚上有人往楼下扔垃圾，砸到了路过的老人",
    ],
)
def test_a_falling_object_is_named_however_the_resident_puts_it(question):
    assert "高空抛物" in citing.matters_of(question)


def test_unrelated_questions_name_no_falling_object():
    for question in ("公司拖欠三个月工资不发", "房东不退押金怎么办", "扔掉的旧家具被物业罚款"):
        assert "高空抛物" not in citing.matters_of(question)


def test_warming_loads_the_suggestions_models_without_the_database():
    from guwen.knowledge.selectors import warm_suggestions

    citing.forget()
    warm_suggestions()  # no db fixture: a query would raise
    shipped = citing._shipped()
    assert shipped is not None and any(held is shipped for held, _ in citing._EXPANDED.values())
    assert citing.current_equivalents.cache_info().currsize == 1


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80) | st.sampled_from([EXAMPLES[0]["question"], "", "😀", "   "]))
def test_suggestions_read_the_same_categories_as_triage_without_urgency(text):
    from guwen.knowledge.triage import categories_many, triage_many

    [result] = triage_many([text], fast=True)
    assert categories_many([text], fast=True) == [
        list(zip(result.category_top3, result.confidences, strict=True))
    ]
