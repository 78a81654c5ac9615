from hypothesis import given, settings
from hypothesis import strategies as st

from guwen.knowledge.text import cn_to_int, int_to_cn, query_terms, segment, synonym_groups


def test_chinese_numerals_round_trip():
    assert cn_to_int("八十二") == 82
    assert cn_to_int("一千零七十九") == 1079
    assert cn_to_int("十") == 10
    assert cn_to_int("一百零五") == 105
    assert cn_to_int("1079") == 1079
    assert cn_to_int("abc") is None
    assert int_to_cn(82) == "八十二"
    assert int_to_cn(1079) == "一千零七十九"
    assert int_to_cn(110) == "一百一十"
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(1, 3000))


def test_synonyms_are_data():
    groups = synonym_groups()
    assert "单位" in groups["老板"] and "公司" in groups["老板"]
    assert "薪水" in groups["工资"] and "工钱" in groups["工资"]
    assert "分开" in groups["离婚"]


def test_query_terms_drop_stop_words_and_keep_synonyms():
    terms = query_terms("请问我老板不给工钱怎么办？")
    flat = {word for group in terms for word in group}
    assert "工资" in flat and "用人单位" in flat
    assert "怎么办" not in flat and "请问" not in flat


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_segmentation_never_raises_and_yields_only_word_characters(text):
    for token in segment(text):
        assert token and all(ch.isalnum() or ch == "_" for ch in token)
    assert len(query_terms(text)) <= 24


def test_very_long_text_is_bounded():
    assert len(query_terms("工资" * 50_000 + "离婚")) <= 24
