"""Reports' periodic sweep (run by the worker's polling loop; safe in several workers at once)."""

from __future__ import annotations

from guwen.core import sweeps
from guwen.reports import services


@sweeps.register("reports.expire_exports", every_seconds=3600)
def expire_exports() -> int:
    """Delete ledger files past their expiry (kept seven days)."""
    return services.ledger_exports_expire()


@sweeps.register("reports.send_scheduled", every_seconds=3600)
def send_scheduled() -> int:
    """Send the monthly and quarterly reports whose period has ended."""
    return services.report_subscriptions_send()
