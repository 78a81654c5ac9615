"""The per-street online rota (evenings, weekends, holidays). Filled in by the duty module."""

from __future__ import annotations

from datetime import datetime

from guwen.regions.models import Lawyer, Region


def responder_at(*, community: Region, at: datetime) -> Lawyer | None:
    return None
