"""The duty panel of the home page (工作台): an advisor's on-site shifts of today and the next days,
each one tap from its check-in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from guwen.accounts.models import Role
from guwen.accounts.scope import roles_of
from guwen.duty import selectors
from guwen.duty.models import ShiftStatus

DAYS_AHEAD = 7
SHOWN = 3


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if Role.ADVISOR not in roles_of(user):
        return None
    now = timezone.now()
    shifts = list(
        selectors.shifts_visible_to(user)
        .filter(
            lawyer__user=user,
            ends_at__gte=now,
            starts_at__lte=now + timedelta(days=DAYS_AHEAD),
            status__in=[ShiftStatus.SCHEDULED, ShiftStatus.CHECKED_IN],
        )
        .select_related("community", "lawyer")
        .order_by("starts_at")[:SHOWN]
    )
    return {"shifts": shifts, "days": DAYS_AHEAD}


def holiday_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The office's and the bureau's warning when this year, or the coming one near the year's end,
    has no holiday data (shifts would fall on holidays, deadlines would run through them)."""
    from guwen.duty import holidays
    from guwen.duty.services.calendar import may_edit_calendar

    if not may_edit_calendar(request.user):
        return None
    year = holidays.missing_year(timezone.localdate())
    return None if year is None else {"year": year}
