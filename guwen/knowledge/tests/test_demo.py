import re

from guwen.demo import knowledge as demo
from guwen.knowledge.models import AnsweredQuestion, Article
from guwen.knowledge.selectors import find_citations


def test_demo_knowledge_loads_twice_without_change(db):
    demo.load()
    articles, answered = Article.objects.count(), AnsweredQuestion.objects.count()
    # Every article of every shipped statute (46 texts, 刑法's 之一 articles kept with their base).
    assert articles == 6062 and answered == len(demo.ANSWERED)
    demo.load()
    assert Article.objects.count() == articles and AnsweredQuestion.objects.count() == answered
    # Every citation written in the demo answers resolves to a shipped article.
    for entry in AnsweredQuestion.objects.all():
        written = re.findall(r"第[一二三四五六七八九十百千零]+条", entry.answer)
        assert written and len(find_citations(entry.answer)) == len(written), entry.answer
    # The answer box has an earlier answer to show for most kinds of question.
    assert len({category for category, _q, _a in demo.ANSWERED}) >= 15
