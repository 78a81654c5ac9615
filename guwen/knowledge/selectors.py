"""Reads of the knowledge base.

Statutes are public. Answered questions (anonymised) are for staff: ``answered_visible_to`` is the
one definition of who may read them, and every page, fragment and API route fetches through it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from guwen.accounts.models import Role
from guwen.accounts.scope import roles_of
from guwen.core.cache import bump, cached
from guwen.knowledge import citing
from guwen.knowledge.citations import parse_citations
from guwen.knowledge.models import OTHER, AnsweredQuestion, Article, Category, CategoryVersion, EntryKind, Law
from guwen.knowledge.search import search_entries
from guwen.knowledge.text import normalize

log = logging.getLogger(__name__)

# Roles that work on consultations and so may read earlier answers and ask for suggestions.
STAFF_ROLES = frozenset(
    {Role.ADVISOR, Role.COMMUNITY_STAFF, Role.OFFICE, Role.BUREAU, Role.FIRM_ADMIN, Role.SYSADMIN}
)


def category_version_current(on: date | None = None) -> CategoryVersion | None:
    day = on or timezone.localdate()
    return CategoryVersion.objects.filter(effective_from__lte=day).order_by("-number").first()


def categories_current(on: date | None = None) -> list[Category]:
    version = category_version_current(on)
    return list(version.categories.order_by("sort", "id")) if version else []


def category_names(on: date | None = None) -> list[str]:
    return [category.name for category in categories_current(on)]


def category_is_valid(name: str, on: date | None = None) -> bool:
    return name in category_names(on)


# --- who may read what --------------------------------------------------------------------------


def is_knowledge_staff(user) -> bool:
    return bool(roles_of(user) & STAFF_ROLES)


def answered_visible_to(user) -> QuerySet[AnsweredQuestion]:
    """The one definition of which answered questions a user may read: all of them (they are
    anonymised) for the roles that answer or oversee consultations, none for anyone else."""
    if not is_knowledge_staff(user):
        return AnsweredQuestion.objects.none()
    return AnsweredQuestion.objects.all()


def laws_public() -> QuerySet[Law]:
    return Law.objects.all()


def articles_public() -> QuerySet[Article]:
    return Article.objects.select_related("law")


# --- articles and citations ---------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleRef:
    """An article a text cites, as written and as found."""

    written: str
    law_code: str
    law_title: str
    number: int
    article_id: int
    citation: str
    url: str


def article_url(article: Article) -> str:
    return reverse("knowledge:article", args=[article.law.code, article.number])


# Every answer on a thread page, every answer box and every citation search reads the law names:
# they are kept in the shared cache (laws change only by import or in the admin), and a change
# makes every process read them again.
LAW_NAMES = "knowledge.law_names"


def forget_aliases() -> None:
    """Every process reads the law names afresh (after a write that sends no save signals)."""
    bump(LAW_NAMES)


@receiver(post_save, sender=Law, dispatch_uid="guwen.knowledge.law_saved")
@receiver(post_delete, sender=Law, dispatch_uid="guwen.knowledge.law_deleted")
def _law_changed(**kwargs: object) -> None:
    forget_aliases()


def _load_alias_index() -> dict[str, Law]:
    index: dict[str, Law] = {}
    for law in Law.objects.order_by("-is_current", "sort"):
        for alias in [law.short_title, law.title, *law.alias_list]:
            index.setdefault(alias, law)
            # Text is NFKC-normalised before parsing: （一） is read as (一).
            index.setdefault(normalize(alias), law)
    return index


def _alias_index() -> dict[str, Law]:
    """alias → the current law of that name (the version in force today)."""
    return cached(LAW_NAMES, "aliases", _load_alias_index)


def find_citations(text: str | None) -> list[ArticleRef]:
    """Articles cited in ``text`` (劳动合同法第八十二条, 民法典1079条, 《…》第82条 and follow-on
    、第八十七条) that exist in the knowledge base, in order, without repeats. A bare 第N条 with
    no law before it is not a citation of anything and is left out."""
    if not text:
        return []
    aliases = _alias_index()
    matches = parse_citations(normalize(text), tuple(aliases))
    wanted = [(aliases[m.alias], m) for m in matches if m.alias]
    if not wanted:
        return []
    articles = {
        (a.law_id, a.number): a
        for a in Article.objects.select_related("law").filter(
            law__in={law for law, _ in wanted}, number__in={m.number for _, m in wanted}
        )
    }
    refs, seen = [], set()
    for law, match in wanted:
        article = articles.get((law.pk, match.number))
        if article is None or article.pk in seen:
            continue
        seen.add(article.pk)
        written = normalize(text)[match.start : match.end]
        refs.append(
            ArticleRef(
                written,
                law.code,
                law.title,
                article.number,
                article.pk,
                article.citation,
                article_url(article),
            )
        )
    return refs


def articles_by_citation(text: str | None, limit: int = 20) -> list[Article]:
    """Articles a query names by citation: 劳动合同法第八十二条 gives that article; a bare 第82条
    gives article 82 of every current law (the most-used laws first)."""
    if not text or len(text) > 200:
        return []
    aliases = _alias_index()
    matches = parse_citations(normalize(text), tuple(aliases))
    found: list[Article] = []
    for match in matches:
        query = Article.objects.select_related("law").filter(number=match.number)
        # A bare 第N条 names no law: article N of every current law.
        law_filter = {"law": aliases[match.alias]} if match.alias else {"law__is_current": True}
        query = query.filter(**law_filter)
        found.extend(query.order_by("law__sort")[:limit])
    unique = list({article.pk: article for article in found}.values())
    return unique[:limit]


def _in_order(queryset: QuerySet, ids: list[int]) -> list:
    """The rows of ``queryset`` with these ids, in this order (ids outside it are left out)."""
    if not ids:
        return []
    rows = queryset.in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


# Articles beside the answer box: those the question cites, then a mix of nine signals (see
# citing.py), each scaled to its best article: the model learned from published answers (which
# articles lawyers cite for questions using these words), the statutes read with the words of the
# questions each article answered (BM25; it reaches articles no answer cited), the hand-written matters of
# data/citing/topics.txt, what the published answers to questions naming the same matters cite,
# the category triage gives the question (which articles its answers cite most), the full-text
# search of the current statutes, and the articles cited by this deployment's own earlier answers
# most like the question (SIMILAR_VOTERS of them, each weighted by its match against the best), and
# the question's sentence embedding against each article's text and its citing questions' mean.
# The weights are a logistic regression's over those six scaled scores of the 40 strongest
# candidates, fitted out of fold by cross-validation on the training part of the consultation corpus
# (rounded, the learned model's as 1; the hand-written matters' kept at 1.5 rather than the fitted
# 0.75, within noise on the folds and what keeps 劳动合同法 30 for unpaid wages);
# bench_suggestions.py measures them on the held-out part (docs/performance.md).
SIMILAR_VOTERS = 20
# The expanded statutes (citing.expanded_scores: each article's words joined by its citing
# questions' words) came later, as a seventh signal; its weight was chosen on the same folds with
# the other five left as they were, and the matters' raised to 2.0 beside it (within noise on the
# folds; at 1.5 the corpus-learned signals, now two, push out 民法典 1254 for 高空抛物, which no
# training answer cites).
# The two dense signals (citing_vectors: the cosine of the question's sentence embedding with each
# article's text and with its citing questions' mean) came last, both weights chosen on the same
# folds with the others left as they were; without the embedding they are empty and the rest rank.
WEIGHTS = {
    "learned": 1.0,
    "expanded": 1.5,
    "topics": 2.0,
    "matters": 0.6,
    "category": 0.9,
    "search": 0.8,
    "answered": 0.75,
    "prototypes": 2.0,
    "passages": 2.0,
}
LEARNED_CANDIDATES = 60


def _answered_votes(similar: list) -> dict[int, float]:
    votes: dict[int, float] = defaultdict(float)
    if not similar:
        return votes
    answers = AnsweredQuestion.objects.only("answer").in_bulk([hit.object_id for hit in similar])
    texts = [answers[hit.object_id].answer if hit.object_id in answers else "" for hit in similar]
    cited = _cited_article_ids(texts)
    best = similar[0].score
    for rank, (hit, article_ids) in enumerate(zip(similar, cited, strict=True)):
        weight = hit.score / best if best > 0 else 1 / (rank + 1)
        for article_id in article_ids:
            votes[article_id] += weight
    return votes


def _keys_to_ids(scores: dict[str, float]) -> dict[int, float]:
    """ "law-code:number" scores as scores of those articles' ids (one query). A code names one text
    of a law: the current one, or an earlier one the published answers cite (citing.ShippedLaws)."""
    if not scores:
        return {}
    pairs = {citing.split_key(key): value for key, value in scores.items()}
    rows = Article.objects.filter(
        law__code__in={code for code, _ in pairs},
        number__in={number for _, number in pairs},
    ).values_list("pk", "law__code", "number")
    return {pk: pairs[(code, number)] for pk, code, number in rows if (code, number) in pairs}


def _current_articles(pairs: tuple[tuple[str, int], ...]) -> list[Article]:
    """The current laws' articles named as (law code, number), in this order (one query)."""
    if not pairs:
        return []
    rows = articles_public().filter(
        law__is_current=True, law__code__in={code for code, _ in pairs}, number__in={n for _, n in pairs}
    )
    by_pair = {(article.law.code, article.number): article for article in rows}
    return [by_pair[pair] for pair in pairs if pair in by_pair]


def _triage_categories(text: str) -> list[tuple[str, float]]:
    from guwen.knowledge.triage import categories_many

    # The TF-IDF half: a millisecond in the request, and the category is one weak signal here, so
    # a failure leaves it out rather than the suggestions.
    try:
        return categories_many([text], fast=True)[0]
    except Exception:
        log.exception("category triage failed; statute suggestions without the category")
        return []


def likely_articles(
    text: str | None,
    limit: int = 5,
    *,
    similar: list | None = None,
    categories: list[tuple[str, float]] | None = None,
    model: dict | None = None,
) -> list[Article]:
    """Articles most likely to answer ``text``, best first: those it cites, then the mix above.
    ``similar``: the search hits among answered questions, when the caller has them already;
    ``categories``: (name, probability) pairs, when the caller has triaged the text; ``model``: a
    citing artefact other than the shipped one (the benchmark's, trained without its test part)."""
    # 合同法第九十四条: the 民法典 article that replaced it (data/citing/repealed.tsv); its 第94条 is
    # then that law's, not article 94 of every law.
    found: list[Article] = _current_articles(citing.repealed_cited(text))
    if text and len(text) <= 200 and not found:
        found.extend(articles_by_citation(text, limit))
    refs = find_citations(text)
    by_id = articles_public().in_bulk([ref.article_id for ref in refs])
    found.extend(by_id[ref.article_id] for ref in refs if ref.article_id in by_id)
    if text and text.strip():
        if similar is None:
            similar = search_entries(text, kinds=(EntryKind.ANSWERED,), limit=SIMILAR_VOTERS)
        if categories is None:
            categories = _triage_categories(text)
        learned = citing.learned_scores(text, model)
        top = dict(sorted(learned.items(), key=lambda item: -item[1])[:LEARNED_CANDIDATES])
        hits = search_entries(text, kinds=(EntryKind.ARTICLE,), limit=max(10, limit * 2))
        prototypes, passages = citing.dense_scores(text, model)
        ranked = citing.combine(
            [
                (_keys_to_ids(top), WEIGHTS["learned"]),
                (_keys_to_ids(citing.expanded_scores(text, model)), WEIGHTS["expanded"]),
                (matters := _keys_to_ids(citing.topic_scores(text)), WEIGHTS["topics"]),
                (_keys_to_ids(citing.matter_scores(text, model)), WEIGHTS["matters"]),
                (_keys_to_ids(citing.category_scores(categories, model)), WEIGHTS["category"]),
                (citing.ranks([hit.object_id for hit in hits]), WEIGHTS["search"]),
                (_answered_votes(similar), WEIGHTS["answered"]),
                (_keys_to_ids(prototypes), WEIGHTS["prototypes"]),
                (_keys_to_ids(passages), WEIGHTS["passages"]),
            ]
        )
        candidates = articles_public().in_bulk([pk for pk, _ in ranked[:30]])
        ranked = _one_text_each(ranked[:30], candidates)
        law_of = {pk: article.law_id for pk, article in candidates.items()}
        pk_of = {f"{article.law.code}:{article.number}": pk for pk, article in candidates.items()}
        named = [pk_of[key] for key in citing.named_first(text) if key in pk_of]
        shown = citing.spread(ranked[:30], law_of, limit=limit, keep=set(matters), named=named)
        found.extend(candidates[pk] for pk in shown)
    return list({article.pk: article for article in found}.values())[:limit]


def warm_suggestions() -> None:
    """Load what the first statute suggestion of a process would otherwise load in a request (about
    three seconds: scikit-learn and the triage model, the citing model and its expanded statutes,
    the matters, the earlier texts' equivalents). guwen.wsgi calls it once in gunicorn's master,
    whose workers then share it. No database connection is opened, and the sentence embedding stays
    for each process to open (a native engine is not carried across a fork)."""
    from guwen.knowledge import triage

    triage._model_or_none()
    citing.expanded_scores("预热")  # the shipped citing model and its expanded statutes
    citing.topics()
    citing.current_equivalents()


def _one_text_each(ranked: list[tuple[int, float]], articles: dict[int, Article]) -> list[tuple[int, float]]:
    """``ranked`` with each provision once: an earlier text's article (the published answers cite
    治安管理处罚法 by its 2012 numbers) and the current article that took its place are one, and
    the lower-ranked of the two is left out."""
    equivalents = citing.current_equivalents()
    kept, seen = [], set()
    for pk, score in ranked:
        article = articles.get(pk)
        if article is not None:
            key = (article.law.code, article.number)
            provision = equivalents.get(key, key)
            if provision in seen:
                continue
            seen.add(provision)
        kept.append((pk, score))
    return kept


def current_equivalent(article: Article) -> Article | None:
    """The current article that took the place of ``article`` of an earlier text (None for a
    current article, or one the revision dropped)."""
    if article.law.is_current:
        return None
    pair = citing.current_equivalents().get((article.law.code, article.number))
    if pair is None:
        return None
    return articles_public().filter(law__code=pair[0], number=pair[1]).first()


def _cited_article_ids(texts: list[str]) -> list[list[int]]:
    """For each text, the ids of the articles it cites (in order, no repeats): one query for all."""
    aliases = _alias_index()
    wanted = []
    for text in texts:
        matches = parse_citations(normalize(text), tuple(aliases)) if text else []
        wanted.append([(aliases[m.alias].pk, m.number) for m in matches if m.alias])
    pairs = {pair for cited in wanted for pair in cited}
    if not pairs:
        return [[] for _ in texts]
    ids = {
        (law_id, number): pk
        for pk, law_id, number in Article.objects.filter(
            law_id__in={law_id for law_id, _ in pairs}, number__in={number for _, number in pairs}
        ).values_list("pk", "law_id", "number")
    }
    return [list(dict.fromkeys(ids[pair] for pair in cited if pair in ids)) for cited in wanted]


def answer_box(text: str | None, *, user, limit: int = 5) -> tuple[list[AnsweredQuestion], list[Article]]:
    """What the answer box shows: the earlier answers most like the question that the user may read,
    and the articles most likely to apply. One search of the answered questions serves both."""
    hits = search_entries(text, kinds=(EntryKind.ANSWERED,), limit=max(SIMILAR_VOTERS, limit))
    similar = _in_order(answered_visible_to(user), [hit.object_id for hit in hits[:limit]])
    return similar, likely_articles(text, limit, similar=hits)


def similar_questions(text: str | None, limit: int = 5, *, user=None) -> list[AnsweredQuestion]:
    """Earlier answered questions most like ``text``. With ``user`` given, only those the user may
    read (none for a non-staff user); without it, the caller has already checked."""
    hits = search_entries(text, kinds=(EntryKind.ANSWERED,), limit=limit)
    base = answered_visible_to(user) if user is not None else AnsweredQuestion.objects.all()
    return _in_order(base, [hit.object_id for hit in hits])


@dataclass
class SearchResults:
    query: str
    cited: list[Article]
    articles: list[Article]
    answered: list[AnsweredQuestion]


def knowledge_search(user, text: str | None, *, limit: int = 10) -> SearchResults:
    """The search page and API: citations first, then ranked articles, then (for staff) answered
    questions. Never raises on any input."""
    query = normalize(text or "")[:200].strip()
    cited = articles_by_citation(query, limit)
    seen = {article.pk for article in cited}
    hits = search_entries(query, kinds=(EntryKind.ARTICLE,), limit=limit + len(seen))
    articles = [
        article
        for article in _in_order(articles_public(), [hit.object_id for hit in hits])
        if article.pk not in seen
    ][:limit]
    answered = similar_questions(query, limit, user=user) if is_knowledge_staff(user) else []
    return SearchResults(query, cited, articles, answered)


__all__ = [
    "OTHER",
    "ArticleRef",
    "answer_box",
    "answered_visible_to",
    "article_url",
    "articles_by_citation",
    "categories_current",
    "category_is_valid",
    "category_names",
    "category_version_current",
    "find_citations",
    "is_knowledge_staff",
    "knowledge_search",
    "likely_articles",
    "similar_questions",
]
