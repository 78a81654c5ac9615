"""The arithmetic of evaluation: weights adding up to 100, points, the score and the grade."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guwen.core.errors import DomainError
from guwen.evaluation import rules

THRESHOLDS = {"excellent": Decimal(90), "qualified": Decimal(75), "basic": Decimal(60)}
values = st.one_of(st.none(), st.decimals(min_value=0, max_value=1, places=4))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=10))
def test_weights_are_accepted_exactly_when_they_add_up_to_100(weights):
    table = {f"k{i}": w for i, w in enumerate(weights)}
    if sum(weights) == 100:
        rules.check_weights(table)
    else:
        with pytest.raises(DomainError, match="合计必须为 100"):
            rules.check_weights(table)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({}, "至少设置一个权重"),
        ({"a": 110, "b": -10}, "不能为负数"),
        ({"a": 50.5, "b": 49.5}, "必须是整数"),
        ({"a": True, "b": 99}, "必须是整数"),
        ({"a": "50", "b": 50}, "必须是整数"),
        ({"onsite_hours": 50, "unknown": 50}, "未知的指标"),
    ],
)
def test_bad_weight_tables_are_refused_in_chinese(table, message):
    with pytest.raises(DomainError, match=message):
        rules.check_weights(table, known=set(rules.INDICATORS) if "unknown" in table else None)


def test_the_default_tables_add_up_to_100():
    rules.check_weights(rules.DEFAULT_WEIGHTS, known=set(rules.INDICATORS))
    rules.check_weights({i["key"]: i["weight"] for i in rules.DEFAULT_FORM_ITEMS})


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.integers(min_value=1, max_value=40), values), min_size=1, max_size=10),
    st.decimals(min_value=-20, max_value=20, places=2),
)
def test_the_score_stays_within_0_and_100_and_ignores_missing_data(rows, adjustment):
    pointed = [(w, rules.points(w, v)) for w, v in rows]
    result = rules.score(pointed, adjustment)
    if all(v is None for _w, v in rows):
        assert result is None
        return
    assert Decimal(0) <= result <= Decimal(100)
    # Full marks on every indicator with data is 100 before adjustments.
    full = rules.score([(w, None if v is None else Decimal(w)) for w, v in rows])
    assert full == Decimal(100)


@settings(max_examples=25, deadline=None)
@given(st.decimals(min_value=0, max_value=100, places=2))
def test_the_grade_follows_the_thresholds(score):
    grade = rules.grade(score, **THRESHOLDS)
    expected = "优秀" if score >= 90 else "合格" if score >= 75 else "基本合格" if score >= 60 else "不合格"
    assert grade == expected


def test_the_grade_at_each_threshold_is_the_higher_one():
    assert [rules.grade(Decimal(x), **THRESHOLDS) for x in (90, 89.99, 75, 60, 59.99)] == [
        "优秀",
        "合格",
        "合格",
        "基本合格",
        "不合格",
    ]
    assert rules.grade(None, **THRESHOLDS) == ""


@pytest.mark.parametrize(
    ("excellent", "qualified", "basic"), [(90, 90, 60), (101, 75, 60), (90, 75, -1), (60, 75, 90)]
)
def test_thresholds_out_of_order_are_refused(excellent, qualified, basic):
    with pytest.raises(DomainError, match="等次分数线"):
        rules.check_thresholds(Decimal(excellent), Decimal(qualified), Decimal(basic))


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.sampled_from([i["key"] for i in rules.DEFAULT_FORM_ITEMS]), st.integers(1, 5)))
def test_a_community_evaluation_total_is_between_20_and_100_when_every_item_is_scored(scores):
    items = rules.DEFAULT_FORM_ITEMS
    if set(scores) != {i["key"] for i in items}:
        with pytest.raises(DomainError, match="请评 1 到 5 分"):
            rules.weighted_total(items, scores)
        return
    assert Decimal(20) <= rules.weighted_total(items, scores) <= Decimal(100)


@pytest.mark.parametrize("bad", [0, 6, -1, "5", 4.5, True, None])
def test_item_scores_outside_the_scale_are_refused(bad):
    scores = {i["key"]: 5 for i in rules.DEFAULT_FORM_ITEMS} | {"attitude": bad}
    with pytest.raises(DomainError, match="服务态度"):
        rules.weighted_total(rules.DEFAULT_FORM_ITEMS, scores)
