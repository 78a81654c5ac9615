"""Cache invalidation only (no state changes here): the rare writes of other modules that move an
advisor's live appraisal preview most visibly make every process compute it afresh."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save


def _bump(**_kwargs) -> None:
    from guwen.evaluation.services import preview_cache_bump

    preview_cache_bump()


def connect() -> None:
    from guwen.consultations.models import Rating
    from guwen.regions.models import Assignment

    for model in (Rating, Assignment):
        post_save.connect(_bump, sender=model, dispatch_uid=f"evaluation.preview.{model.__name__}.save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"evaluation.preview.{model.__name__}.delete")
