"""Evaluation's periodic sweep (run by the worker's polling loop; safe in several workers at once)."""

from __future__ import annotations

from guwen.core import sweeps
from guwen.evaluation import reminders


@sweeps.register("evaluation.community_evaluation_reminders", every_seconds=3600)
def community_evaluation_reminders() -> int:
    """Remind community staff whose quarterly evaluation of their advisor is missing."""
    return reminders.evaluation_remind()


@sweeps.register("evaluation.complaints_overdue", every_seconds=3600)
def complaints_overdue() -> int:
    """Tell the office, once per complaint, that a complaint passed its deadline unresolved."""
    return reminders.complaints_overdue_notify()
