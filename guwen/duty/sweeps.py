"""Duty's periodic sweeps (run by the worker's polling loop; safe in several workers at once)."""

from __future__ import annotations

from guwen.core import sweeps
from guwen.duty import services
from guwen.duty.models import DutyRule, RotaSlot
from guwen.regions.models import Level, Region


@sweeps.register("duty.close_past_shifts", every_seconds=300)
def close_past_shifts() -> int:
    """Mark missed shifts and close unfinished ones (compare-and-set, see the service)."""
    return services.shifts_close_past()


@sweeps.register("duty.coverage_check", every_seconds=3600)
def coverage_check() -> int:
    """Warn each street that runs duty (has rules or a rota) about gaps in its online rota."""
    streets = Region.objects.filter(level=Level.STREET, is_active=True).filter(
        pk__in=DutyRule.objects.values("community__parent_id")
    ) | Region.objects.filter(pk__in=RotaSlot.objects.values("street_id"))
    warned = 0
    for street in streets.distinct():
        warned += services.coverage_warn(street=street) is not None
    return warned
