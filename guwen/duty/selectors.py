"""Reads of duty data that other modules use (consultation routing, appraisal, subsidies)."""

from __future__ import annotations

from datetime import datetime

from guwen.regions.models import Lawyer, Region


def online_responder(*, community: Region, at: datetime) -> Lawyer | None:
    """Who answers this community's online questions at this moment when its own advisor is off
    (the street's evening/weekend/holiday rota). None when the rota has nobody for that time."""
    from guwen.duty.rota import responder_at  # the rota module owns the lookup

    return responder_at(community=community, at=at)
