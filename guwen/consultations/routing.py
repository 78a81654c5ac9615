"""Who owns a new consultation: the community's primary advisor on that date; the backup when the
primary is away; the duty rota's online responder at night or when both are away; otherwise the
street pool, where every advisor of the street and the judicial office can claim it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from guwen.consultations.models import AdvisorAway, Level
from guwen.core import workcalendar
from guwen.duty.selectors import online_responder
from guwen.regions.models import AssignmentRole
from guwen.regions.selectors import current_assignments

logger = logging.getLogger("guwen.consultations")


@dataclass(frozen=True)
class Route:
    level: str
    owner: object | None  # a User, or None for a pool
    via: str  # primary / backup / duty / pool


def within_online_hours(at: datetime) -> bool:
    local = at.astimezone(workcalendar.CHINA_TZ).replace(tzinfo=None)
    interval = workcalendar.ONLINE_HOURS.interval(local.date())
    return interval is not None and interval[0] <= local < interval[1]


def _usable(lawyer) -> object | None:
    user = lawyer.user if lawyer is not None else None
    if lawyer is None or not lawyer.is_active or user is None or not user.is_active:
        return None
    return user


def _duty(community, at: datetime):
    try:
        return _usable(online_responder(community=community, at=at))
    except Exception:  # the rota must never stop an intake; the pool catches the question
        logger.exception("online_responder failed; routing without the duty rota")
        return None


def away_lawyer_ids(at: datetime) -> set[int]:
    return set(
        AdvisorAway.objects.filter(starts_at__lte=at, ends_at__gt=at).values_list("lawyer_id", flat=True)
    )


def route(*, community, at: datetime) -> Route:
    day = at.astimezone(workcalendar.CHINA_TZ).date()
    if not within_online_hours(at):
        user = _duty(community, at)
        if user is not None:
            return Route(Level.COMMUNITY, user, "duty")
    assignments = sorted(
        current_assignments(day).filter(community=community).select_related("lawyer", "lawyer__user"),
        key=lambda a: (a.role != AssignmentRole.PRIMARY, a.starts_on, a.pk),
    )
    away = away_lawyer_ids(at) if assignments else set()
    for assignment in assignments:
        if assignment.lawyer_id in away:
            continue
        user = _usable(assignment.lawyer)
        if user is not None:
            return Route(Level.COMMUNITY, user, assignment.role)
    if within_online_hours(at):
        user = _duty(community, at)
        if user is not None:
            return Route(Level.COMMUNITY, user, "duty")
    return Route(Level.STREET, None, "pool")
