"""Every write to the knowledge base: statutes, answered questions, triage corrections and the
search index that follows them. ``triage`` (a read, but the call consultations make at intake) is
re-exported here so callers need one import."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.knowledge import selectors
from guwen.knowledge.anonymise import anonymise
from guwen.knowledge.models import AnsweredQuestion, Article, EntryKind, Law, SearchEntry, TriageCorrection
from guwen.knowledge.statutes import read_laws
from guwen.knowledge.text import index_tokens
from guwen.knowledge.triage import TriageResult, triage, triage_many

MAX_QUESTION = 5_000
MAX_ANSWER = 20_000


# --- the search index ---------------------------------------------------------------------------


def _article_tokens(article: Article, law: Law) -> str:
    return index_tokens(law.short_title, article.label, article.chapter, article.section, article.text)


def _answered_tokens(entry: AnsweredQuestion) -> str:
    # The question counts twice: a new question is matched first against earlier questions.
    return index_tokens(entry.question, entry.question, entry.category, entry.answer)


def _index(kind: str, pairs: Iterable[tuple[int, str]]) -> None:
    pairs = list(pairs)
    if not pairs:
        return
    existing = dict(
        SearchEntry.objects.filter(kind=kind, object_id__in=[pk for pk, _ in pairs]).values_list(
            "object_id", "pk"
        )
    )
    fresh = [
        SearchEntry(kind=kind, object_id=pk, tokens=tokens) for pk, tokens in pairs if pk not in existing
    ]
    SearchEntry.objects.bulk_create(fresh, batch_size=500)
    for pk, tokens in pairs:
        if pk in existing:
            SearchEntry.objects.filter(pk=existing[pk]).update(tokens=tokens)


def search_index_rebuild() -> int:
    """Re-segment every article and answered question (after a dictionary or synonym change)."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        laws = {law.pk: law for law in Law.objects.all()}
        _index(
            EntryKind.ARTICLE,
            ((a.pk, _article_tokens(a, laws[a.law_id])) for a in Article.objects.all()),
        )
        _index(EntryKind.ANSWERED, ((e.pk, _answered_tokens(e)) for e in AnsweredQuestion.objects.all()))
        return SearchEntry.objects.count()


# --- statutes -----------------------------------------------------------------------------------


@dataclass
class LawImportResult:
    laws_created: int = 0
    laws_updated: int = 0
    articles_created: int = 0
    articles_updated: int = 0
    articles_deleted: int = 0
    articles_unchanged: int = 0


def laws_import(*, directory: Path | None = None, files: list[str] | None = None, by=None) -> LawImportResult:
    """Load statutes (default: the copy shipped in data/laws) into article records, idempotently:
    a second run with the same files changes nothing."""
    parsed = read_laws(directory, files)
    result = LawImportResult()
    today = timezone.localdate()
    with transaction.atomic():
        for item in parsed:
            fields = {
                "title": item.title,
                "short_title": item.short_title,
                "aliases": " ".join(item.aliases),
                "version_date": item.version_date,
                "effective_date": item.effective_date,
                "article_count": len(item.articles),
                "source_file": item.source_file,
                "sort": item.sort,
            }
            law = Law.objects.filter(code=item.code).first()
            if law is None:
                law = Law.objects.create(code=item.code, **fields)
                result.laws_created += 1
            elif any(getattr(law, key) != value for key, value in fields.items()):
                Law.objects.filter(pk=law.pk).update(**fields)
                law.refresh_from_db()
                result.laws_updated += 1
            _import_articles(law, item.articles, result)
        _mark_current(today)
        audit.record(
            actor=by,
            action="knowledge.laws_import",
            object_type="knowledge.law",
            object_id="*",
            context=result.__dict__,
        )
    selectors.forget_aliases()  # the updates above send no signals
    return result


def _import_articles(law: Law, articles, result: LawImportResult) -> None:
    existing = {article.number: article for article in law.articles.all()}
    changed: list[Article] = []
    for parsed in articles:
        values = {
            "label": parsed.label,
            "part": parsed.part[:80],
            "chapter": parsed.chapter[:80],
            "section": parsed.section[:80],
            "text": parsed.text,
        }
        article = existing.pop(parsed.number, None)
        if article is None:
            changed.append(Article.objects.create(law=law, number=parsed.number, **values))
            result.articles_created += 1
        elif any(getattr(article, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(article, key, value)
            article.save()
            changed.append(article)
            result.articles_updated += 1
        else:
            result.articles_unchanged += 1
    if existing:
        gone = [article.pk for article in existing.values()]
        SearchEntry.objects.filter(kind=EntryKind.ARTICLE, object_id__in=gone).delete()
        Article.objects.filter(pk__in=gone).delete()
        result.articles_deleted += len(gone)
    _index(EntryKind.ARTICLE, ((article.pk, _article_tokens(article, law)) for article in changed))


def _mark_current(today) -> None:
    """Of several versions of one title, the latest in force today is current."""
    for title in Law.objects.values_list("title", flat=True).distinct():
        versions = list(Law.objects.filter(title=title).order_by("-effective_date", "-version_date"))
        in_force = [law for law in versions if law.effective_date <= today] or versions[-1:]
        current = in_force[0]
        for law in versions:
            wanted = law.pk == current.pk
            if law.is_current != wanted:
                Law.objects.filter(pk=law.pk).update(is_current=wanted)


# --- answered questions -------------------------------------------------------------------------


def _checked_answered(question: str, answer: str, category: str) -> tuple[str, str]:
    question = (question or "").strip()
    answer = (answer or "").strip()
    if not question:
        raise DomainError(_("请填写问题"), field="question")
    if not answer:
        raise DomainError(_("请填写答复"), field="answer")
    if len(question) > MAX_QUESTION:
        raise DomainError(_("问题过长（最多 %(n)d 字）") % {"n": MAX_QUESTION}, field="question")
    if len(answer) > MAX_ANSWER:
        raise DomainError(_("答复过长（最多 %(n)d 字）") % {"n": MAX_ANSWER}, field="answer")
    if not selectors.category_is_valid(category):
        raise DomainError(_("类别不在分类表中"), field="category")
    return question, answer


def knowledge_add_answered(
    *, question: str, answer: str, category: str, source_ref: str = "", by, is_demo: bool = False
) -> AnsweredQuestion:
    """Add an answered question to the knowledge base with personal data removed (names, phones,
    ID numbers, addresses, card numbers, plates). The same ``source_ref`` twice returns the first
    entry (an import run twice adds nothing)."""
    question, answer = _checked_answered(question, answer, category)
    source_ref = (source_ref or "").strip()[:80]
    if source_ref:
        found = AnsweredQuestion.objects.filter(source_ref=source_ref).first()
        if found is not None:
            return found
    with transaction.atomic():
        entry = AnsweredQuestion.objects.create(
            question=anonymise(question),
            answer=anonymise(answer),
            category=category,
            source_ref=source_ref,
            created_by=by if getattr(by, "is_authenticated", False) else None,
            is_demo=is_demo,
        )
        _index(EntryKind.ANSWERED, [(entry.pk, _answered_tokens(entry))])
        audit.record(actor=by, action="knowledge.answered_add", obj=entry, context={"source_ref": source_ref})
    return entry


def knowledge_put_answered(
    *, source_ref: str, question: str, answer: str, category: str, by
) -> AnsweredQuestion:
    """The entry of ``source_ref`` (a consultation marked reusable), added, or brought up to date
    when its question, answer or category has changed since (a later answer, the category the
    advisor confirmed on closing). Personal data is removed as in ``knowledge_add_answered``."""
    source_ref = (source_ref or "").strip()[:80]
    if not source_ref:
        raise DomainError(_("缺少来源编号"), field="source_ref")
    question, answer = _checked_answered(question, answer, category)
    entry = AnsweredQuestion.objects.filter(source_ref=source_ref).first()
    if entry is None:
        return knowledge_add_answered(
            question=question, answer=answer, category=category, source_ref=source_ref, by=by
        )
    fresh = {"question": anonymise(question), "answer": anonymise(answer), "category": category}
    old = {name: getattr(entry, name) for name in fresh}
    if old == fresh:
        return entry
    with transaction.atomic():
        for name, value in fresh.items():
            setattr(entry, name, value)
        entry.save(update_fields=list(fresh))
        _index(EntryKind.ANSWERED, [(entry.pk, _answered_tokens(entry))])
        changed = sorted(name for name in fresh if old[name] != fresh[name])
        audit.record(
            actor=by,
            action="knowledge.answered_update",
            obj=entry,
            old={"category": old["category"]},
            new={"category": category, "changed": changed},
            context={"source_ref": source_ref},
        )
    return entry


def knowledge_remove_answered(*, source_ref: str, by) -> bool:
    """Take the entry of ``source_ref`` out of the knowledge base and its search index (an advisor
    unmarked the consultation); False when there was none."""
    entry = AnsweredQuestion.objects.filter(source_ref=(source_ref or "").strip()[:80]).first()
    if entry is None or not source_ref:
        return False
    with transaction.atomic():
        SearchEntry.objects.filter(kind=EntryKind.ANSWERED, object_id=entry.pk).delete()
        audit.record(
            actor=by, action="knowledge.answered_remove", obj=entry, context={"source_ref": source_ref}
        )
        entry.delete()
    return True


@dataclass
class AnsweredImportResult:
    added: int = 0
    existing: int = 0
    errors: list[str] = field(default_factory=list)


def answered_import(*, lines: Iterable[str], by, prefix: str = "import") -> AnsweredImportResult:
    """Load JSON lines of ``question`` / ``answer`` / ``category`` (optional ``id``) through
    knowledge_add_answered. A bad line is reported with its number and skipped."""
    result = AnsweredImportResult()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            result.errors.append(_("第 %(n)d 行：不是有效的 JSON") % {"n": number})
            continue
        if not isinstance(row, dict):
            result.errors.append(_("第 %(n)d 行：应为 JSON 对象") % {"n": number})
            continue
        ref = f"{prefix}:{row.get('id') or number}"
        before = AnsweredQuestion.objects.filter(source_ref=ref[:80]).exists()
        try:
            knowledge_add_answered(
                question=str(row.get("question") or ""),
                answer=str(row.get("answer") or ""),
                category=str(row.get("category") or ""),
                source_ref=ref,
                by=by,
            )
        except DomainError as exc:
            result.errors.append(_("第 %(n)d 行：%(msg)s") % {"n": number, "msg": exc.message})
            continue
        if before:
            result.existing += 1
        else:
            result.added += 1
    return result


# --- triage corrections -------------------------------------------------------------------------


def triage_correction_record(
    *, text_ref: str, text: str, predicted: str, corrected: str, by, model_version: str = ""
) -> TriageCorrection | None:
    """Store an advisor's correction of a triage category for the next retraining. The text is
    anonymised first. The same category as predicted is not a correction: nothing is stored."""
    if not selectors.category_is_valid(corrected):
        raise DomainError(_("类别不在分类表中"), field="corrected")
    if corrected == predicted:
        return None
    text = anonymise((text or "").strip()[:MAX_QUESTION])
    if not text:
        raise DomainError(_("请提供问题文本"), field="text")
    with transaction.atomic():
        correction = TriageCorrection.objects.create(
            text_ref=(text_ref or "")[:80],
            text=text,
            predicted=(predicted or "")[:20],
            corrected=corrected,
            model_version=model_version[:60],
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit.record(
            actor=by,
            action="knowledge.triage_correct",
            obj=correction,
            old={"category": predicted},
            new={"category": corrected},
            context={"text_ref": text_ref},
        )
    return correction


__all__ = [
    "AnsweredImportResult",
    "LawImportResult",
    "TriageResult",
    "answered_import",
    "knowledge_add_answered",
    "knowledge_put_answered",
    "knowledge_remove_answered",
    "laws_import",
    "search_index_rebuild",
    "triage",
    "triage_correction_record",
    "triage_many",
]
