"""Records for duty tests: rules through the service, shifts placed around the real clock."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from guwen.duty import services
from guwen.duty.models import DutyRule, DutyShift
from guwen.duty.services.rules import week_end
from guwen.testing import tiny_image

PNG_BYTES = tiny_image("PNG")


def make_rule(
    world, *, community=None, lawyer=None, weekdays="1", start=time(9), end=time(12), **extra
) -> DutyRule:
    values = {
        "community": community or world.community_a,
        "lawyer": lawyer or world.lawyer_a,
        "weekdays": weekdays,
        "start_time": start,
        "end_time": end,
        "place": "社区党群服务中心二楼法律服务室",
        "service_content": "法律咨询、矛盾纠纷调解、法治宣传",
        "valid_from": date(2024, 1, 1),
        "by": None,
    }
    values.update(extra)
    return services.duty_rule_create(**values)


def make_shift(
    world,
    *,
    starts_in: timedelta = timedelta(minutes=-5),
    hours: float = 3,
    lawyer=None,
    community=None,
    rule=None,
    capacity: int = 6,
    **extra,
) -> DutyShift:
    """A scheduled shift starting ``starts_in`` from now (negative: already started)."""
    starts_at = (timezone.now() + starts_in).replace(microsecond=0)
    ends_at = starts_at + timedelta(hours=hours)
    day = timezone.localdate(starts_at)
    return DutyShift.objects.create(
        rule=rule,
        community=community or world.community_a,
        lawyer=lawyer or world.lawyer_a,
        date=day,
        starts_at=starts_at,
        ends_at=ends_at,
        place="社区党群服务中心",
        capacity=capacity,
        confirm_due=week_end(day),
        **extra,
    )


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def photo_file(data: bytes = PNG_BYTES, name: str = "p.png"):
    handle = io.BytesIO(data)
    handle.name = name
    handle.size = len(data)
    return handle
