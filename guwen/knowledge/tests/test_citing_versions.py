"""A law revised after the published answers were written: 治安管理处罚法, shipped in its 2012 and
2025 texts. The answers cite its 2012 numbers (第四十三条 殴打他人 is 第五十一条 in 2025, whose own
第四十三条 is about electric fences); training reads them as articles of the 2012 text, and the answer
box shows such an article as what it is, with the current article that took its place."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guwen.knowledge import citing
from guwen.knowledge.selectors import current_equivalent, likely_articles
from guwen.knowledge.services import knowledge_add_answered, laws_import
from guwen.knowledge.statutes import read_laws
from guwen.testing import verified_client

OLD = "public-security-administration-punishments-law-2012"
NEW = "public-security-administration-punishments-law"
PUNISHMENTS = [
    "public_security_administration_punishments_law.md",
    "public_security_administration_punishments_law_2012.md",
]
FIGHT = "《治安管理处罚法》第四十三条"


@pytest.fixture(scope="module")
def shipped_laws():
    return read_laws()


def _fight_rows(n: int) -> list[dict]:
    return [
        {
            "question": f"邻居动手打我，脸上肿了第{i}天，派出所不管",
            "answer": f"殴打他人的，依据{FIGHT}，处五日以上十日以下拘留。",
            "category": "刑事治安",
        }
        for i in range(n)
    ]


def test_a_revised_law_is_read_by_the_text_in_force_when_the_answer_was_written(shipped_laws):
    then = citing.ShippedLaws(shipped_laws, as_of=citing.CORPUS_WRITTEN_BY)
    now = citing.ShippedLaws(shipped_laws)
    assert then.cited(FIGHT) == ((OLD, 43),)
    assert now.cited(FIGHT) == ((NEW, 43),)
    assert then.cited("《治安管理处罚法》第一百四十条") == ()  # the 2012 text has 119 articles
    # A law whose only shipped text took effect later is still read (仲裁法, in force 2026-03-01).
    assert then.cited("依据《仲裁法》第二条") == (("arbitration-law", 2),)
    # Laws with one text are read alike either way.
    assert (
        then.cited("劳动合同法第八十二条")
        == now.cited("劳动合同法第八十二条")
        == (("labor-contract-law", 82),)
    )
    assert citing.ShippedLaws(shipped_laws, as_of=date(2026, 6, 1)).cited(FIGHT) == ((NEW, 43),)


def test_each_article_of_the_earlier_text_names_the_current_article_that_took_its_place():
    equivalents = citing.current_equivalents()
    assert equivalents[(OLD, 43)] == (NEW, 51)  # 殴打他人
    assert equivalents[(OLD, 42)] == (NEW, 50)  # 威胁、侮辱、诽谤
    assert equivalents[(OLD, 49)] == (NEW, 58)  # 盗窃、诈骗、哄抢
    assert equivalents[(OLD, 58)] == (NEW, 88)  # 社会生活噪声
    assert (OLD, 119) not in equivalents  # 本法自2006年3月1日起施行: nothing took its place
    assert {code for code, _ in equivalents} == {OLD}  # only earlier texts are mapped
    current = {(law.code, article.number) for law in citing.current_laws() for article in law.articles}
    assert set(equivalents.values()) <= current
    assert len(equivalents) >= 110


def test_training_learns_the_earlier_texts_article(shipped_laws):
    rows = _fight_rows(3)
    examples = citing.read_cited(rows, citing.ShippedLaws(shipped_laws, as_of=citing.CORPUS_WRITTEN_BY))
    assert [example.articles for example in examples] == [((OLD, 43),)] * 3
    artefact = citing.fit(examples)
    scores = citing.learned_scores("邻居动手打我", artefact)
    assert max(scores, key=scores.get) == f"{OLD}:43"
    # The expanded statutes read the 2012 article with its citing questions' words.
    expanded = citing.expanded_scores("邻居动手打我", artefact)
    assert max(expanded, key=expanded.get) == f"{OLD}:43"


def test_train_citing_reads_answers_by_the_text_in_force_on_the_day_given(tmp_path):
    source = tmp_path / "train.jsonl"
    rows = _fight_rows(30)
    source.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    output = tmp_path / "citing.json.gz"
    call_command("train_citing", "--input", str(source), "--output", str(output), stdout=io.StringIO())
    assert citing.load(output)["categories"]["刑事治安"][0][0] == f"{OLD}:43"
    later = tmp_path / "later.json.gz"
    call_command(
        "train_citing",
        "--input",
        str(source),
        "--output",
        str(later),
        "--written-by",
        "2026-06-01",
        stdout=io.StringIO(),
    )
    assert citing.load(later)["categories"]["刑事治安"][0][0] == f"{NEW}:43"


@pytest.mark.parametrize("value", ["2025-13-01", "去年", "", "2025/12/31"])
def test_train_citing_refuses_a_bad_date(tmp_path, value):
    output = tmp_path / "citing.json.gz"
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("train_citing", "--output", str(output), "--written-by", value, stdout=io.StringIO())
    assert not output.exists()


@pytest.fixture
def fights(db, monkeypatch):
    """Both texts of 治安管理处罚法 imported, and a citing model whose answers cite the 2012 text."""
    laws_import(files=PUNISHMENTS, by=None)
    laws = citing.ShippedLaws(as_of=citing.CORPUS_WRITTEN_BY)
    model = citing.fit(citing.read_cited(_fight_rows(5), laws))
    monkeypatch.setattr(citing, "_shipped", lambda: model)
    return model


def test_the_earlier_article_and_the_one_that_took_its_place_are_shown_once(fights):
    # 打人 names 治安管理处罚法 51 among the hand-written matters, the model the 2012 article 43.
    shown = likely_articles("邻居动手打人，我被打了", 5, categories=[])
    pairs = [(article.law.code, article.number) for article in shown]
    assert ((OLD, 43) in pairs) != ((NEW, 51) in pairs), pairs
    assert (NEW, 43) not in pairs  # the 2025 article of that number is about electric fences
    old = next(article for article in shown if article.law.code == OLD)
    assert (current_equivalent(old).law.code, current_equivalent(old).number) == (NEW, 51)
    assert current_equivalent(current_equivalent(old)) is None


def test_the_answer_box_names_the_text_and_the_current_article(world, fights):
    knowledge_add_answered(
        question="被人打了怎么办", answer=f"依据{FIGHT}处理。", category="刑事治安", by=None
    )
    client = verified_client(world.user("advisor_a"))
    body = client.get(
        "/knowledge/suggest", {"q": "邻居动手打我，脸上肿了", "target": "id_answer"}
    ).content.decode()
    assert f"/laws/{OLD}/43/" in body and f"/laws/{NEW}/51/" in body
    assert "（2012 年文本）" in body and "现行" in body and "第五十一条" in body
    # The citation inserted into a 2026 answer is the current article's, never the 2012 number.
    assert 'data-insert-citation="《治安管理处罚法》第五十一条"' in body
    assert 'data-insert-citation="《治安管理处罚法》第四十三条"' not in body


def test_an_earlier_texts_article_page_links_the_current_article(db, client):
    laws_import(files=PUNISHMENTS, by=None)
    body = client.get(f"/laws/{OLD}/43/").content.decode()
    assert "已被新版本取代" in body and "现行对应条文" in body and f'href="/laws/{NEW}/51/"' in body
    current = client.get(f"/laws/{NEW}/51/").content.decode()
    assert "已被新版本取代" not in current and "现行对应条文" not in current
    # An article the revision dropped names none.
    dropped = client.get(f"/laws/{OLD}/119/").content.decode()
    assert "已被新版本取代" in dropped and "现行对应条文" not in dropped
