"""Records for duty tests: rules through the service, shifts placed around the real clock."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from guwen.duty import services
from guwen.duty.models import DutyRule, DutyShift
from guwen.duty.services.rules import week_end

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


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
