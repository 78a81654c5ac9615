"""Duty data for the Nanwan demo, on top of guwen/demo/nanwan.py: a fixed weekly duty (三固定) for
every community's advisor, the current quarter of shifts generated around the 2026 holidays, past
attendance with a few late, short and missed shifts, an online rota for the next weeks with a gap
left on purpose, and some residents' bookings. Re-runnable: a second run adds nothing twice.

Past attendance cannot go through the check-in services (they use the server's clock), so the
loader writes those outcomes directly, deterministically from the shift's date and community.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from guwen.core.errors import DomainError
from guwen.core.workcalendar import CHINA_TZ
from guwen.duty import services
from guwen.duty.models import (
    Booking,
    DutyChangeRequest,
    DutyRule,
    DutySettings,
    DutyShift,
    RotaSlot,
    ShiftStatus,
)
from guwen.duty.rota import needed_periods
from guwen.duty.selectors import month_bounds, planned_hours, required_minutes, settings_for
from guwen.duty.services.rules import week_end
from guwen.regions.models import Assignment, AssignmentRole, Region
from guwen.regions.selectors import assignments_on

STREET = "440307012000"
DISTRICT = "440307000000"
FIRST_HOUR, LAST_HOUR = 8, 17  # an on-site duty starts in the daytime and ends by 20:00
SLOTS = [(time(9, 0), time(12, 0)), (time(14, 30), time(17, 30))]
CONTENT = "法律咨询、矛盾纠纷排查调解、法治宣传，协助审查社区合同和重大决策"
NAMES = ["王女士", "李先生", "陈阿姨", "刘师傅", "黄女士", "张先生"]
TOPICS = ["拖欠工资", "租房押金不退", "离婚财产分割", "邻里漏水纠纷", "交通事故赔偿", ""]


def _score(*parts: object) -> int:
    """A stable number 0-99 from the parts, so every run picks the same outcomes."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16) % 100


def _range(today: date) -> tuple[date, date]:
    """The two months before this one (so there are always complete months to judge) to the end of
    this quarter."""
    back = today.replace(day=1)
    for _n in range(2):
        back = (back - timedelta(days=1)).replace(day=1)
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    after = date(first.year + (first.month + 3 > 12), (first.month + 2) % 12 + 1, 1)
    return back, after - timedelta(days=1)


def load(*, stdout=None) -> None:
    say = stdout.write if stdout else (lambda _msg: None)
    street = Region.objects.filter(code=STREET).first()
    if street is None:
        say("驻点值班：未找到南湾街道，请先载入南湾演示数据")
        return
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        district = Region.objects.get(code=DISTRICT)
        if not DutySettings.objects.filter(district=district).exists():
            DutySettings.objects.create(district=district, effective_from=date(2026, 1, 1))
        communities = list(Region.objects.filter(parent=street).order_by("code"))
        rules = [_rules(i, community, today) for i, community in enumerate(communities)]
        start, end = _range(today)
        created = 0
        for community in communities:
            if DutyRule.objects.filter(community=community).exists():
                created += services.duty_shifts_generate(
                    community=community, start=start, end=end, by=None
                ).created
        say(f"驻点值班：{sum(bool(r) for r in rules)} 个社区有驻点规则，新生成 {created} 个班次")
        say(f"驻点值班：历史考勤 {_past_attendance(now)} 个班次")
        _today_shift_for_demo_advisor(communities[0], now)
        say(f"驻点值班：线上值班新增 {_rota(street, now)} 段")
        say(f"驻点值班：新增预约 {_bookings(street, now)} 个")
        _pending_request(communities, now)
    services.coverage_warn(street=street)


def _rules(index: int, community: Region, today: date) -> list[DutyRule]:
    """The community's fixed weekly duty, added weekday by weekday until the rules plan at least the
    district's monthly minimum (a demo that breaks its own rules teaches the wrong thing)."""
    rules = list(DutyRule.objects.filter(community=community))
    primary = (
        assignments_on(today)
        .filter(community=community, role=AssignmentRole.PRIMARY)
        .select_related("lawyer")
        .first()
    )
    if primary is None:
        return rules
    start, end = SLOTS[index % 2]
    valid_from = max(primary.starts_on, date(2026, 1, 1))
    taken = {d for rule in rules for d in rule.weekday_list}
    for offset in (0, 2, 4, 1, 3):
        if planned_hours(community, start=valid_from).lowest_month_minutes >= _minimum(community, valid_from):
            break
        weekday = (index + offset) % 5
        if weekday in taken:
            continue
        try:
            rules.append(
                services.duty_rule_create(
                    community=community,
                    lawyer=primary.lawyer,
                    weekdays=[weekday],
                    start_time=start,
                    end_time=end,
                    place=f"{community.name}党群服务中心法律服务室",
                    service_content=CONTENT,
                    valid_from=valid_from,
                    by=None,
                )
            )
        except DomainError:  # the advisor is elsewhere then: try another weekday
            continue
        taken.add(weekday)
    return rules


def _minimum(community: Region, on: date) -> int:
    return settings_for(community, on).min_monthly_onsite_hours * 60


def _past_attendance(now: datetime) -> int:
    """Give every past scheduled demo shift an outcome: mostly held and confirmed, some late or short,
    a few missed; this week's held shifts wait for the community's confirmation. A lapse is given
    only while the month's shifts still reach the district's minimum without it, so no community's
    complete month falls below the standard by construction."""
    count = 0
    today = timezone.localdate(now)
    budgets: dict[tuple[int, date], int] = {}
    past = DutyShift.objects.filter(
        status=ShiftStatus.SCHEDULED, ends_at__lt=now, community__parent__code=STREET
    )
    for shift in past.select_related("community").order_by("starts_at"):
        key = (shift.community_id, shift.date.replace(day=1))
        if key not in budgets:
            budgets[key] = _month_budget(shift.community, key[1])
        roll = _score(shift.community.code, shift.date)
        minutes = shift.scheduled_minutes
        if roll < 7 and budgets[key] >= minutes:
            budgets[key] -= minutes
            DutyShift.objects.filter(pk=shift.pk).update(status=ShiftStatus.MISSED)
            count += 1
            continue
        late = 20 + roll % 25 if roll < 17 else 0
        early = 40 if 17 <= roll < 22 else 0
        if late + early > budgets[key]:
            late = early = 0
        budgets[key] -= late + early
        checked_in = shift.starts_at + timedelta(minutes=late - 10 if late == 0 else late)
        checked_out = shift.ends_at - timedelta(minutes=early) + timedelta(minutes=5 if not early else 0)
        held = int((min(checked_out, shift.ends_at) - max(checked_in, shift.starts_at)).total_seconds() // 60)
        confirmed = shift.confirm_due < today
        DutyShift.objects.filter(pk=shift.pk).update(
            status=ShiftStatus.CONFIRMED if confirmed else ShiftStatus.COMPLETED,
            checked_in_at=checked_in,
            checked_out_at=checked_out,
            is_late=bool(late),
            is_short=bool(early),
            held_minutes=held,
            confirmed_at=shift.ends_at + timedelta(days=1) if confirmed else None,
        )
        count += 1
    return count


def _month_budget(community: Region, first: date) -> int:
    """Minutes the month's shifts plan beyond the district's minimum: what lapses may cost."""
    lo, hi = month_bounds(first)
    planned = sum(
        s.scheduled_minutes
        for s in DutyShift.objects.filter(community=community, date__gte=lo, date__lte=hi).exclude(
            status=ShiftStatus.CANCELLED
        )
    )
    return planned - required_minutes(community=community, start=lo, end=hi)


def _today_shift_for_demo_advisor(community: Region, now: datetime) -> None:
    """An extra duty for the demo advisor starting about now, so checking in can be tried at once;
    only in the daytime (loaded at night it would be an on-site duty at 00:00-03:00)."""
    rule = DutyRule.objects.filter(community=community).select_related("lawyer").first()
    if rule is None:
        return
    local = timezone.localtime(now, CHINA_TZ)
    if not FIRST_HOUR <= local.hour <= LAST_HOUR:
        return  # at night the advisor's next daytime shift is the one to try
    starts_at = local.replace(minute=0, second=0, microsecond=0)
    ends_at = starts_at + timedelta(hours=3)
    if (
        DutyShift.objects.filter(lawyer=rule.lawyer, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(status=ShiftStatus.CANCELLED)
        .exists()
    ):
        return
    DutyShift.objects.create(
        community=community,
        lawyer=rule.lawyer,
        date=starts_at.date(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=rule.place,
        capacity=rule.capacity,
        confirm_due=week_end(starts_at.date()),
    )


def _rota(street: Region, now: datetime) -> int:
    """The next 30 days of evenings, weekends and holidays, taken in turn by the street's primary
    advisors; one night in the second week stays open so the coverage warning has something to say."""
    lawyers = [
        a.lawyer
        for a in Assignment.objects.filter(
            community__parent=street, role=AssignmentRole.PRIMARY, ends_on__isnull=True
        )
        .select_related("lawyer")
        .order_by("community__code")
    ]
    if not lawyers:
        return 0
    added = 0
    periods = needed_periods(street=street, start=timezone.localdate(now), days=30)
    for index, (lo, hi) in enumerate(periods):
        lo = max(lo, now)
        if hi <= lo or index == 9:  # the deliberate gap
            continue
        if RotaSlot.objects.filter(street=street, starts_at__lt=hi, ends_at__gt=lo).exists():
            continue
        while lo < hi:  # a long holiday is taken in turns of at most three days
            until = min(hi, lo + timedelta(days=3))
            lawyer = lawyers[(index + added) % len(lawyers)]
            services.rota_slot_create(street=street, lawyer=lawyer, starts_at=lo, ends_at=until, by=None)
            added += 1
            lo = until
    return added


def _bookings(street: Region, now: datetime) -> int:
    added = 0
    upcoming = DutyShift.objects.filter(
        community__parent=street,
        status=ShiftStatus.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=14),
    ).order_by("starts_at")
    for shift in upcoming:
        for n in range(_score("bookings", shift.pk) % 3):
            key = f"demo-duty-{shift.community.code}-{shift.date:%Y%m%d}-{n}"
            if Booking.objects.filter(client_key=key).exists():
                continue
            services.booking_create(
                shift=shift,
                name=NAMES[(shift.pk + n) % len(NAMES)],
                phone=f"1370000{(shift.pk * 3 + n) % 10000:04d}",
                topic=TOPICS[(shift.pk + n) % len(TOPICS)],
                client_key=key,
                by=None,
            )
            added += 1
    return added


def _pending_request(communities: list[Region], now: datetime) -> None:
    """One substitution by a backup advisor waiting for the community's approval."""
    if DutyChangeRequest.objects.filter(shift__community__in=communities).exists():
        return
    for community in communities:
        backup = (
            Assignment.objects.filter(community=community, role=AssignmentRole.BACKUP, ends_on__isnull=True)
            .select_related("lawyer")
            .first()
        )
        shift = (
            DutyShift.objects.filter(
                community=community, status=ShiftStatus.SCHEDULED, starts_at__gt=now + timedelta(days=2)
            )
            .order_by("starts_at")
            .first()
        )
        if backup is None or shift is None:
            continue
        try:
            services.duty_change_request_create(
                shift=shift,
                kind="substitute",
                substitute=backup.lawyer,
                reason="当天需出庭，申请由备岗顾问替班",
                by=shift.lawyer.user,
            )
        except DomainError:  # a clash only means this community is not the example
            continue
        return
