"""Mediation's periodic sweeps (run by the worker's polling loop; safe in several workers at once)."""

from __future__ import annotations

from guwen.core import sweeps
from guwen.mediation.services.committee import agreements_remind_confirmation
from guwen.mediation.services.records import cases_warn_overdue


@sweeps.register("mediation.warn_overdue", every_seconds=3600)
def warn_overdue() -> int:
    """Tell the mediators and the office, once per case, that a case passed its 30-day limit."""
    return cases_warn_overdue()


@sweeps.register("mediation.remind_confirmation", every_seconds=3600)
def remind_confirmation() -> int:
    """Remind, once per written agreement, that the court-confirmation window is about to close."""
    return agreements_remind_confirmation()
