from guwen.demo import knowledge as demo
from guwen.knowledge.models import AnsweredQuestion, Article
from guwen.knowledge.selectors import find_citations


def test_demo_knowledge_loads_twice_without_change(db):
    demo.load()
    articles, answered = Article.objects.count(), AnsweredQuestion.objects.count()
    assert articles == 3089 and answered == len(demo.ANSWERED)
    demo.load()
    assert Article.objects.count() == articles and AnsweredQuestion.objects.count() == answered
    # Every citation written in the demo answers resolves to a shipped article.
    assert all(find_citations(entry.answer) for entry in AnsweredQuestion.objects.all())
