"""Knowledge base records. The consultation category taxonomy lives here because triage (this app)
and consultations (built on this app) both read it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The 18-value unified taxonomy (see ../shared/data/consultations/README.md), seeded as version 1.
TAXONOMY_V1 = [
    "劳动争议",
    "社保工伤",
    "婚姻家庭",
    "邻里纠纷",
    "交通事故",
    "债权债务",
    "合同纠纷",
    "消费维权",
    "房产纠纷",
    "物业纠纷",
    "土地征收拆迁",
    "建设工程",
    "侵权损害",
    "医疗纠纷",
    "刑事治安",
    "公司商事",
    "行政事务",
    "其他",
]
OTHER = "其他"


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
