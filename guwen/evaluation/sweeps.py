"""Evaluation's periodic sweep (run by the worker's polling loop; safe in several workers at once)."""

from __future__ import annotations

from guwen.core import sweeps
from guwen.evaluation import reminders


@sweeps.register("evaluation.community_evaluation_reminders", every_seconds=3600)
def community_evaluation_reminders() -> int:
    """Remind community staff whose quarterly evaluation of their advisor is missing."""
    return reminders.evaluation_remind()
