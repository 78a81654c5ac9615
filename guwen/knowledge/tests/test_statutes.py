import csv
import re

from guwen.knowledge.models import Article, Law, SearchEntry
from guwen.knowledge.services import laws_import
from guwen.knowledge.statutes import LAWS_DIR, read_laws

INSERTED = re.compile(r"^第[零〇一二两三四五六七八九十百千]+条之")


def test_every_shipped_law_parses_with_the_manifest_article_count():
    with open(LAWS_DIR / "manifest.csv", encoding="utf-8") as handle:
        expected = {row["file"]: int(row["article_count"]) for row in csv.DictReader(handle)}
    laws = read_laws()
    assert len(laws) == len(expected) == 46
    for law in laws:
        # 刑法's 第X条之一… articles (53 of its 505) are kept in the text of the article they extend.
        paragraphs = [p for a in law.articles for p in a.paragraphs]
        inserted = sum(1 for p in paragraphs if INSERTED.match(p))
        assert len(law.articles) + inserted == expected[law.source_file], law.source_file
        assert [a.number for a in law.articles] == list(range(1, len(law.articles) + 1)), law.source_file


def test_import_is_idempotent_and_keeps_structure(statutes):
    article = Article.objects.get(law__code="civil-code", number=1079)
    assert article.label == "第一千零七十九条"
    assert article.part == "婚姻家庭编" and article.chapter == "第四章 离婚"
    assert "调解" in article.text and "\n" in article.text  # further paragraphs are kept
    law = article.law
    assert law.short_title == "民法典" and str(law.effective_date) == "2021-01-01"
    entries = SearchEntry.objects.count()
    result = laws_import(files=["labor_contract_law.md", "civil_code.md"], by=None)
    assert result.articles_created == result.articles_updated == result.articles_deleted == 0
    assert result.laws_created == result.laws_updated == 0
    assert SearchEntry.objects.count() == entries


def test_older_version_is_kept_but_not_current(db):
    laws_import(
        files=[
            "public_security_administration_punishments_law.md",
            "public_security_administration_punishments_law_2012.md",
        ],
        by=None,
    )
    current = Law.objects.get(is_current=True, title="中华人民共和国治安管理处罚法")
    assert current.code == "public-security-administration-punishments-law"
    assert Law.objects.filter(title=current.title).count() == 2
