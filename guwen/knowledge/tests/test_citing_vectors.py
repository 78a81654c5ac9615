"""The statute suggestions' dense signals (citing_vectors): real vectors from the bundled embedding,
aggregates only in the artefact, and suggestions that rank without them when the embedding cannot
be used."""

from __future__ import annotations

import base64
from types import SimpleNamespace

import numpy as np
import pytest

from guwen.knowledge import citing, citing_vectors, embedding
from guwen.knowledge.selectors import likely_articles
from guwen.knowledge.statutes import read_laws

DOG = "邻居家的狗把我咬伤了"  # no statute says 狗 or 咬伤: 民法典 1245–1251 say 饲养的动物
ANIMAL_ARTICLES = {f"civil-code:{number}" for number in range(1245, 1252)}


@pytest.fixture
def embeddings_on(embeddings_on):
    """conftest's, and skipped where the engine cannot run (no AVX2): these tests need real vectors."""
    if not embedding.available():
        pytest.skip(embedding.unavailable_reason())


def _law(code: str, texts: list[str]):
    articles = [SimpleNamespace(number=n, text=text) for n, text in enumerate(texts, start=1)]
    return SimpleNamespace(code=code, title=code, short_title=code, articles=articles)


def test_shipped_vectors_are_half_precision_aggregates():
    dense = citing.load()["dense"]
    assert dense["weights_sha256"] == embedding.WEIGHTS_SHA256
    articles, prototypes = dense["articles"], dense["prototypes"]
    keys, _ = citing_vectors.passages(citing.current_laws())
    assert articles["keys"] == keys  # every current article, in the order of the shipped texts
    # A prototype is an article's the answers cite: a current one, or one of an earlier text
    # (治安管理处罚法 2012, read by the numbers the answers were written with).
    current = {law.code for law in citing.current_laws()}
    earlier = {
        f"{law.code}:{a.number}" for law in read_laws() if law.code not in current for a in law.articles
    }
    assert set(prototypes["keys"]) <= set(keys) | earlier and 100 < len(prototypes["keys"]) < len(keys)
    assert set(prototypes["keys"]) & earlier  # 第四十三条 殴打他人 and others
    for part in (articles, prototypes):  # float16, 384 numbers a vector, unit length
        raw = base64.b64decode(part["vectors"])
        assert len(raw) == len(part["keys"]) * embedding.DIMENSIONS * 2
        norms = np.linalg.norm(citing_vectors._unpack(part["vectors"], len(part["keys"])), axis=1)
        assert np.allclose(norms, 1, atol=0.01)


def test_a_question_in_words_no_statute_uses_finds_its_article(embeddings_on, statutes):
    plain = citing.ExpandedStatutes(citing.current_laws(), {})
    assert not set(plain.scores(DOG)) & ANIMAL_ARTICLES  # the statutes' words alone miss them
    prototypes, passages = citing.dense_scores(DOG)
    assert len(passages) == citing_vectors.ARTICLE_CANDIDATES and all(v > 0 for v in passages.values())
    assert set(sorted(passages, key=passages.get, reverse=True)[:5]) & ANIMAL_ARTICLES
    assert max(prototypes, key=prototypes.get) == "civil-code:1245"
    shown = likely_articles(DOG, 5, categories=[])
    assert {f"{a.law.code}:{a.number}" for a in shown} & ANIMAL_ARTICLES


def test_without_the_embedding_the_artefact_loads_and_ranks(embeddings_off, statutes):
    assert citing.load()["dense"]  # the shipped vectors are there, unused
    assert citing.dense_scores(DOG) == ({}, {})
    shown = likely_articles("公司拖欠工资三个月，没签劳动合同", 5, categories=[])
    assert len(shown) == 5 and any(a.law.code == "labor-contract-law" for a in shown)


def test_vectors_of_other_weights_or_none_are_not_read(embeddings_on):
    artefact = citing.load()
    assert citing.dense_scores(DOG, {**artefact, "dense": None}) == ({}, {})
    other = {**artefact, "dense": {**artefact["dense"], "weights_sha256": "0" * 64}}
    assert citing.dense_scores(DOG, other) == ({}, {})


def test_build_keeps_a_prototype_only_for_an_article_two_questions_cite(embeddings_on, monkeypatch):
    wages, animals = "用人单位应当按时足额支付劳动报酬。", "饲养的动物造成他人损害的，动物饲养人承担责任。"
    laws = [_law("x", [wages, animals])]
    examples = [
        citing.CitedQuestion("老板三个月没发工资", (("x", 1),)),
        citing.CitedQuestion("工地包工头跑了，工钱拿不到", (("x", 1), ("x", 2))),
        citing.CitedQuestion("邻居的狗咬了我", (("x", 2), ("y", 9))),  # y:9 is no current article
    ]
    dense = citing_vectors.build(examples, laws)
    assert dense["articles"]["keys"] == ["x:1", "x:2"]
    assert dense["prototypes"]["keys"] == ["x:1", "x:2"]
    one = citing_vectors.build(examples[:2], laws)
    assert one["prototypes"]["keys"] == ["x:1"]  # x:2 has one citing question: no vector of its own
    # The statutes unchanged, the articles' vectors are reused and only the questions embedded.
    calls = []
    real = embedding.embed
    monkeypatch.setattr(embedding, "embed", lambda texts, **kw: calls.append(kw) or real(texts, **kw))
    again = citing_vectors.build(examples, laws, previous=dense)
    assert calls == [{}] and again["articles"] == dense["articles"]
    prototypes, passages = citing_vectors.scores("我的工资被拖欠了", {"dense": again})
    assert max(passages, key=passages.get) == "x:1" and max(prototypes, key=prototypes.get) == "x:1"


def test_build_without_the_embedding_gives_none(embeddings_off):
    assert citing_vectors.build([], [_law("x", ["一条。"])]) is None
