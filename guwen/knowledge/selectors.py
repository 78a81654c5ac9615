"""Reads of the knowledge base."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from guwen.knowledge.models import OTHER, Category, CategoryVersion


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


__all__ = ["OTHER", "categories_current", "category_is_valid", "category_names", "category_version_current"]
