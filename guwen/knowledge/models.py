"""Knowledge base records. The consultation category taxonomy lives here because triage (this app)
and consultations (built on this app) both read it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from guwen.knowledge.taxonomy import OTHER, TAXONOMY_V1  # noqa: F401 (re-exported)


class CategoryVersion(models.Model):
    """A version of the category code table. Consultations keep the category name they were filed
    under, so reports stay stable when a later version renames or splits a category."""

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    effective_from = models.DateField(_("生效日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("分类版本")
        verbose_name_plural = _("分类版本")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number}（{self.effective_from}）"


class Category(models.Model):
    version = models.ForeignKey(
        CategoryVersion, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="categories"
    )
    name = models.CharField(_("类别"), max_length=20)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("咨询类别")
        verbose_name_plural = _("咨询类别")
        ordering = ["version__number", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="category_unique_name_per_version")
        ]

    def __str__(self) -> str:
        return self.name


class Law(models.Model):
    """One statute or regulation in one version (e.g. the 2012 and the 2025 texts of 治安管理处罚法
    are two rows with the same title)."""

    code = models.SlugField(_("代码"), max_length=80, unique=True)
    title = models.CharField(_("名称"), max_length=100)
    short_title = models.CharField(_("简称"), max_length=60)
    aliases = models.CharField(_("别名"), max_length=300, blank=True, help_text=_("以空格分隔"))
    version_date = models.DateField(_("版本日期"))
    effective_date = models.DateField(_("施行日期"))
    is_current = models.BooleanField(_("现行有效"), default=True)
    article_count = models.PositiveIntegerField(_("条文数"), default=0)
    source_file = models.CharField(_("来源文件"), max_length=120)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.title if self.is_current else f"{self.title}（{self.version_date:%Y}）"

    @property
    def alias_list(self) -> list[str]:
        return [alias for alias in self.aliases.split() if alias]


class Article(models.Model):
    """One article (条) of a law, with where it sits (part/chapter/section)."""

    law = models.ForeignKey(
        Law, verbose_name=_("法律法规"), on_delete=models.CASCADE, related_name="articles"
    )
    number = models.PositiveIntegerField(_("条号"))
    label = models.CharField(_("条文序号"), max_length=30)
    part = models.CharField(_("编"), max_length=80, blank=True)
    chapter = models.CharField(_("章"), max_length=80, blank=True)
    section = models.CharField(_("节"), max_length=80, blank=True)
    text = models.TextField(_("条文"))

    class Meta:
        verbose_name = _("法条")
        verbose_name_plural = _("法条")
        ordering = ["law__sort", "number"]
        constraints = [
            models.UniqueConstraint(fields=["law", "number"], name="article_unique_number_per_law")
        ]

    def __str__(self) -> str:
        return f"《{self.law.short_title}》{self.label}"

    @property
    def citation(self) -> str:
        return str(self)

    @property
    def heading(self) -> str:
        return " · ".join(part for part in (self.part, self.chapter, self.section) if part)


class AnsweredQuestion(models.Model):
    """A question and its answer, anonymised, kept for reuse. Text never holds personal data: the
    only way in is knowledge_add_answered, which removes it."""

    question = models.TextField(_("问题"))
    answer = models.TextField(_("答复"))
    category = models.CharField(_("类别"), max_length=20)
    source_ref = models.CharField(
        _("来源"), max_length=80, blank=True, help_text=_("如咨询编号或导入文件行号")
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("加入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("已答问题")
        verbose_name_plural = _("已答问题")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_ref"], condition=~models.Q(source_ref=""), name="answered_unique_source_ref"
            )
        ]

    def __str__(self) -> str:
        return self.question[:40]


class TriageCorrection(models.Model):
    """An advisor changed the category triage proposed. Retraining reads these rows."""

    text_ref = models.CharField(_("来源"), max_length=80, help_text=_("如咨询编号"))
    text = models.TextField(_("问题文本"))
    predicted = models.CharField(_("模型类别"), max_length=20)
    corrected = models.CharField(_("更正类别"), max_length=20)
    model_version = models.CharField(_("模型版本"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("更正人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("更正时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("分诊更正")
        verbose_name_plural = _("分诊更正")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.text_ref}: {self.predicted} → {self.corrected}"


class EntryKind(models.TextChoices):
    ARTICLE = "article", _("法条")
    ANSWERED = "answered", _("已答问题")


class SearchEntry(models.Model):
    """One searchable record as pre-segmented tokens. The database's own full-text index sits on
    ``tokens``: an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL (both
    created by migration 0004, which branches on the vendor)."""

    kind = models.CharField(_("类型"), max_length=10, choices=EntryKind.choices)
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    tokens = models.TextField(_("分词"))

    class Meta:
        verbose_name = _("检索条目")
        verbose_name_plural = _("检索条目")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_unique_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
