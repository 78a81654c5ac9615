"""Reports' periodic sweep (run by the worker's polling loop; safe in several workers at once)."""

from __future__ import annotations

from guwen.core import sweeps
from guwen.reports import rollups, services


@sweeps.register("reports.expire_exports", every_seconds=3600)
def expire_exports() -> int:
    """Delete ledger files past their expiry (kept seven days)."""
    return services.ledger_exports_expire()


@sweeps.register("reports.send_scheduled", every_seconds=3600)
def send_scheduled() -> int:
    """Send the monthly and quarterly reports whose period has ended."""
    return services.report_subscriptions_send()


@sweeps.register("reports.rollup_recent", every_seconds=900)
def rollup_recent() -> int:
    """Count again the two months before the current one, where late answers still land."""
    return rollups.consultation_months_refresh(months=rollups.recent_months())


@sweeps.register("reports.rollup_all", every_seconds=86400)
def rollup_all() -> int:
    """Count again every month a dashboard may cover (three years), once a day."""
    return rollups.consultation_months_refresh(months=rollups.all_months())
