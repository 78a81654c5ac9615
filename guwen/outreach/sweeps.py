"""Outreach's periodic sweep (run by the worker's polling loop; safe in several workers at once)."""

from __future__ import annotations

from guwen.core import sweeps
from guwen.outreach import services


@sweeps.register("outreach.coverage_reminders", every_seconds=3600)
def coverage_reminders() -> int:
    """Remind communities behind on lectures 30 and 7 days before the quarter ends."""
    return services.coverage_remind()
