"""Reads of duty data: the scoped record sets every page and API route fetches through, the settings
in force, and the figures other modules use (consultation routing, appraisal, subsidies)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from guwen.accounts.scope import manageable_regions, regions_visible_to
from guwen.duty.models import (
    Booking,
    BookingStatus,
    DutyChangeRequest,
    DutyCheck,
    DutyDispute,
    DutyRule,
    DutySettings,
    DutyShift,
    RotaSlot,
    ShiftStatus,
)
from guwen.regions.models import Assignment, AssignmentRole, Lawyer, Level, Region
from guwen.regions.selectors import assignments_from, assignments_on, in_force_on

# On record as held: checked out (awaiting confirmation), confirmed, or disputed until the office
# decides. A shift counts as held (到岗) only with minutes on site inside its hours: checking in and
# out before the start holds nothing, so it counts as missed (缺勤), never as 100% attendance.
HELD = (ShiftStatus.COMPLETED, ShiftStatus.CONFIRMED, ShiftStatus.DISPUTED)
DUE = (*HELD, ShiftStatus.MISSED)
HELD_ON_SITE = Q(status__in=HELD, held_minutes__gt=0)


def online_responder(*, community: Region, at: datetime) -> Lawyer | None:
    """Who answers this community's online questions at this moment when its own advisor is off
    (the street's evening/weekend/holiday rota). None when the rota has nobody for that time."""
    from guwen.duty.rota import responder_at  # the rota module owns the lookup

    return responder_at(community=community, at=at)


# --- settings ------------------------------------------------------------------------------------


def settings_for(region: Region, on: date | None = None) -> DutySettings:
    """The duty settings in force for a region's district on a date: the district's latest row,
    else the global default row, else the built-in defaults (an unsaved row)."""
    day = on or timezone.localdate()
    codes = [code for code in region.path.split("/") if code]
    rows = DutySettings.objects.filter(effective_from__lte=day).order_by("-effective_from")
    row = rows.filter(district__code__in=codes).first() or rows.filter(district__isnull=True).first()
    return row or DutySettings(effective_from=date(2000, 1, 1))


# --- scope -------------------------------------------------------------------------------------


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def rules_visible_to(user) -> QuerySet[DutyRule]:
    if not _signed_in(user):
        return DutyRule.objects.none()
    return DutyRule.objects.filter(Q(community__in=regions_visible_to(user)) | Q(lawyer__user=user))


def shifts_visible_to(user) -> QuerySet[DutyShift]:
    """Shifts of the communities the user sees, and a lawyer's own shifts wherever they are."""
    if not _signed_in(user):
        return DutyShift.objects.none()
    return DutyShift.objects.filter(Q(community__in=regions_visible_to(user)) | Q(lawyer__user=user))


def bookings_visible_to(user) -> QuerySet[Booking]:
    return Booking.objects.filter(shift__in=shifts_visible_to(user))


def disputes_visible_to(user) -> QuerySet[DutyDispute]:
    """Disputes of the shifts the user sees (the advisor sees the disputes of their own shifts)."""
    return (
        DutyDispute.objects.filter(shift__in=shifts_visible_to(user))
        .select_related("shift", "shift__community", "shift__lawyer", "raised_by")
        .order_by("raised_at")
    )


def change_requests_visible_to(user) -> QuerySet[DutyChangeRequest]:
    visible = shifts_visible_to(user)
    return DutyChangeRequest.objects.filter(Q(shift__in=visible) | Q(other_shift__in=visible))


def streets_visible_to(user) -> QuerySet[Region]:
    """Streets the user sees, or in which they see a community (an advisor sees their street's rota)."""
    visible = regions_visible_to(user)
    return (
        Region.objects.filter(level=Level.STREET)
        .filter(Q(pk__in=visible) | Q(children__in=visible))
        .distinct()
    )


def rota_visible_to(user) -> QuerySet[RotaSlot]:
    if not _signed_in(user):
        return RotaSlot.objects.none()
    return RotaSlot.objects.filter(Q(street__in=streets_visible_to(user)) | Q(lawyer__user=user))


def manageable_communities(user) -> QuerySet[Region]:
    """Communities whose duty rules and shifts the user may set: an office's street, a bureau's district."""
    return manageable_regions(user)


def manageable_streets(user) -> QuerySet[Region]:
    return Region.objects.filter(level=Level.STREET, children__in=manageable_regions(user)).distinct()


# --- records for pages ---------------------------------------------------------------------------


def active_rules(community: Region, on: date | None = None) -> QuerySet[DutyRule]:
    day = on or timezone.localdate()
    return (
        DutyRule.objects.filter(
            in_force_on(day, start_field="valid_from", end_field="valid_to"), community=community
        )
        .select_related("lawyer", "lawyer__firm")
        .order_by("weekdays", "start_time")
    )


def upcoming_shifts(community: Region, *, now: datetime | None = None, days: int = 14) -> QuerySet[DutyShift]:
    moment = now or timezone.now()
    return (
        DutyShift.objects.filter(
            community=community,
            status=ShiftStatus.SCHEDULED,
            starts_at__gt=moment,
            starts_at__lte=moment + timedelta(days=days),
        )
        .select_related("lawyer")
        .annotate(booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
        .order_by("starts_at")
    )


def bookable_shifts(community: Region, *, now: datetime | None = None, days: int = 21) -> list[DutyShift]:
    """Future scheduled shifts of the community that still have room."""
    return [s for s in upcoming_shifts(community, now=now, days=days) if s.booked < s.capacity]


def bookable_shift_choices(open_shifts: list[DutyShift]) -> QuerySet[DutyShift]:
    """The open shifts as a queryset for the booking form's choices, soonest first."""
    return (
        DutyShift.objects.filter(pk__in=[s.pk for s in open_shifts])
        .select_related("community", "lawyer")
        .order_by("starts_at")
    )


def community_shift(community: Region, pk: int | None) -> DutyShift | None:
    """One of the community's shifts by id (a public page names it), or None."""
    return DutyShift.objects.filter(community=community, pk=pk).first() if pk is not None else None


def flagged_shifts(shifts: QuerySet[DutyShift]) -> QuerySet[DutyShift]:
    """Late, short and missed shifts: what the judicial office follows up."""
    return (
        shifts.filter(
            Q(status__in=(ShiftStatus.MISSED, ShiftStatus.DISPUTED)) | Q(is_late=True) | Q(is_short=True)
        )
        .select_related("community", "lawyer")
        .order_by("-starts_at")
    )


def unconfirmed_shifts(shifts: QuerySet[DutyShift]) -> QuerySet[DutyShift]:
    return (
        shifts.filter(status=ShiftStatus.COMPLETED)
        .select_related("community", "lawyer")
        .order_by("starts_at")
    )


def attended_bookings(*, community: Region | None = None, since: datetime | None = None) -> QuerySet[Booking]:
    """Bookings that took place (marked attended), for the consultations module to log."""
    rows = Booking.objects.filter(status=BookingStatus.ATTENDED).select_related("shift", "shift__community")
    if community is not None:
        rows = rows.filter(shift__community=community)
    if since is not None:
        rows = rows.filter(attended_at__gte=since)
    return rows.order_by("attended_at", "id")


# --- attendance figures (appraisal and subsidy read these) ------------------------------------


@dataclass
class Attendance:
    """On-site attendance over a period. Shifts in the future or still open are not yet due.

    One definition for every figure: ``shifts_due = shifts_held + shifts_missed``; late and short
    are counted among the held; ``held_minutes`` are the minutes of the held shifts; the rate is
    held over due. The monthly minimum is judged only on a complete period (``complete``); before
    that, ``scheduled_minutes`` says whether the plan can still meet it."""

    shifts_due: int = 0
    shifts_held: int = 0
    shifts_missed: int = 0
    shifts_late: int = 0
    shifts_short: int = 0
    shifts_disputed: int = 0
    scheduled_minutes: int = 0
    held_minutes: int = 0
    required_minutes: int = 0
    complete: bool = True
    label: str = ""
    community: Region | None = None
    lawyer: Lawyer | None = None
    extra: dict = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        """Held shifts over due shifts, 0-1 with four places; None when nothing was due."""
        if not self.shifts_due:
            return None
        return (Decimal(self.shifts_held) / Decimal(self.shifts_due)).quantize(
            Decimal("0.0001"), ROUND_HALF_UP
        )

    @property
    def held_hours(self) -> Decimal:
        return _hours(self.held_minutes)

    @property
    def required_hours(self) -> Decimal:
        return _hours(self.required_minutes)

    @property
    def scheduled_hours(self) -> Decimal:
        return _hours(self.scheduled_minutes)

    @property
    def meets_requirement(self) -> bool:
        return self.held_minutes >= self.required_minutes

    @property
    def below_requirement(self) -> bool:
        """未达标: a complete period whose held minutes fall short of the district's minimum."""
        return self.complete and bool(self.required_minutes) and not self.meets_requirement

    @property
    def plan_short(self) -> bool:
        """排班不足: a period still running whose shifts, all held, could not reach the minimum."""
        return not self.complete and self.scheduled_minutes < self.required_minutes


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _figures(rows: QuerySet[DutyShift]) -> dict:
    figures = rows.aggregate(
        shifts_due=Count("id", filter=Q(status__in=DUE)),
        shifts_held=Count("id", filter=HELD_ON_SITE),
        shifts_late=Count("id", filter=HELD_ON_SITE & Q(is_late=True)),
        shifts_short=Count("id", filter=HELD_ON_SITE & Q(is_short=True)),
        shifts_disputed=Count("id", filter=Q(status=ShiftStatus.DISPUTED)),
        held_minutes=Sum("held_minutes", filter=Q(status__in=HELD), default=0),
    )
    figures["shifts_missed"] = figures["shifts_due"] - figures["shifts_held"]
    return figures


def _scheduled_minutes(rows: QuerySet[DutyShift]) -> int:
    return sum(
        int((end - start).total_seconds() // 60)
        for start, end in rows.exclude(status=ShiftStatus.CANCELLED).values_list("starts_at", "ends_at")
    )


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _month_segments(start: date, end: date):
    cursor = start.replace(day=1)
    while cursor <= end:
        first, last = month_bounds(cursor)
        yield first, last, max(first, start), min(last, end)
        cursor = last + timedelta(days=1)


def _primary_days(lawyer: Lawyer, community: Region, start: date, end: date) -> int:
    days = 0
    for a in Assignment.objects.filter(lawyer=lawyer, community=community, role=AssignmentRole.PRIMARY):
        lo, hi = max(a.starts_on, start), min(a.ends_on or end, end)
        if hi >= lo:
            days += (hi - lo).days + 1
    return days


def required_minutes(*, community: Region, start: date, end: date, lawyer: Lawyer | None = None) -> int:
    """The on-site minutes the district's standard requires of the community over the period,
    pro rata by day in part months; for a lawyer, the share of the days they were its primary advisor."""
    total = Decimal(0)
    for first, last, lo, hi in _month_segments(start, end):
        monthly = Decimal(settings_for(community, first).min_monthly_onsite_hours * 60)
        days_in_month = (last - first).days + 1
        days = (hi - lo).days + 1 if lawyer is None else _primary_days(lawyer, community, lo, hi)
        total += monthly * days / days_in_month
    return int(total.quantize(Decimal(1), ROUND_HALF_UP))


def attendance(
    *,
    start: date,
    end: date,
    lawyer: Lawyer | None = None,
    community: Region | None = None,
    communities: QuerySet[Region] | None = None,
) -> Attendance:
    """Attendance of one advisor, one community, or one advisor in one community, over [start, end];
    an advisor's may be kept to ``communities`` (a page's scope)."""
    rows = DutyShift.objects.filter(date__gte=start, date__lte=end)
    if lawyer is not None:
        rows = rows.filter(lawyer=lawyer)
    if community is not None:
        rows = rows.filter(community=community)
    if communities is not None:
        rows = rows.filter(community__in=communities)
    result = Attendance(
        **_figures(rows),
        scheduled_minutes=_scheduled_minutes(rows),
        complete=end < timezone.localdate(),
        community=community,
        lawyer=lawyer,
    )
    if community is not None:
        result.required_minutes = required_minutes(community=community, start=start, end=end, lawyer=lawyer)
    elif lawyer is not None:
        served = Region.objects.filter(
            pk__in=Assignment.objects.filter(lawyer=lawyer, role=AssignmentRole.PRIMARY).values(
                "community_id"
            )
        )
        if communities is not None:
            served = served.filter(pk__in=communities.values("pk"))
        result.required_minutes = sum(
            required_minutes(community=c, start=start, end=end, lawyer=lawyer) for c in served
        )
    return result


def attendance_by_community(*, communities: QuerySet[Region], start: date, end: date) -> list[Attendance]:
    out = []
    for community in communities.filter(level=Level.COMMUNITY).order_by("code"):
        row = attendance(start=start, end=end, community=community)
        row.label = community.name
        out.append(row)
    return out


def attendance_by_advisor(
    *, communities: QuerySet[Region], start: date, end: date, lawyer: Lawyer | None = None
) -> list[Attendance]:
    """One row per advisor (or only ``lawyer``) and community with shifts in the period, in the given
    communities."""
    shifts = DutyShift.objects.filter(community__in=communities, date__gte=start, date__lte=end)
    if lawyer is not None:
        shifts = shifts.filter(lawyer=lawyer)
    pairs = shifts.values_list("lawyer_id", "community_id").distinct()
    lawyers = {lw.pk: lw for lw in Lawyer.objects.filter(pk__in={p[0] for p in pairs}).select_related("firm")}
    places = {c.pk: c for c in Region.objects.filter(pk__in={p[1] for p in pairs})}
    out = []
    for lawyer_id, community_id in sorted(set(pairs), key=lambda p: (places[p[1]].code, lawyers[p[0]].name)):
        row = attendance(start=start, end=end, lawyer=lawyers[lawyer_id], community=places[community_id])
        row.label = f"{lawyers[lawyer_id].name} · {places[community_id].name}"
        out.append(row)
    return out


# --- what the rules plan against the district's minimum ------------------------------------


@dataclass
class PlannedHours:
    """On-site hours a community's rules plan per month, averaged over the coming months (statutory
    holidays skipped, 调休 weekends as the district's setting says), against the monthly minimum."""

    monthly_minutes: int
    lowest_month_minutes: int
    required_hours: int

    @property
    def monthly_hours(self) -> int:
        return int(_hours(self.monthly_minutes).to_integral_value(ROUND_HALF_UP))

    @property
    def short(self) -> bool:
        return self.monthly_minutes < self.required_hours * 60

    @property
    def warning(self) -> str:
        if not self.short:
            return ""
        from django.utils.translation import gettext as _

        return _("按此规则每月约 %(h)d 小时，低于区里要求的 %(min)d 小时") % {
            "h": self.monthly_hours,
            "min": self.required_hours,
        }


def planned_hours(community: Region, *, start: date, months: int = 12) -> PlannedHours:
    """What the community's rules in force give per month over ``months`` whole months from
    ``start``'s month: the figure a rule is judged by when it is saved."""
    from guwen.duty import holidays

    first = start.replace(day=1)
    rules = list(
        DutyRule.objects.filter(community=community).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
    )
    totals = []
    cursor = first
    for _n in range(months):
        lo, hi = month_bounds(cursor)
        mode = settings_for(community, lo).adjusted_workday_mode
        minutes = 0
        day = lo
        while day <= hi:
            for rule in rules:
                if rule.is_valid_on(day) and holidays.duty_on(day, set(rule.weekday_list), mode)[0]:
                    span = datetime.combine(day, rule.end_time) - datetime.combine(day, rule.start_time)
                    minutes += int(span.total_seconds() // 60)
            day += timedelta(days=1)
        totals.append(minutes)
        cursor = hi + timedelta(days=1)
    return PlannedHours(
        monthly_minutes=sum(totals) // len(totals),
        lowest_month_minutes=min(totals),
        required_hours=settings_for(community, start).min_monthly_onsite_hours,
    )


# --- the public card (三公开) ----------------------------------------------------------------


@dataclass
class PublicCard:
    community: Region
    lawyer: Lawyer | None
    rules: list[DutyRule]
    settings: DutySettings
    upcoming: list[DutyShift]


def public_card(community: Region, on: date | None = None) -> PublicCard:
    """What the community's public card and notice board show today: the primary advisor of the
    current assignment (so the card follows a change of advisor), the duty rules and work rules."""
    from guwen.regions.selectors import primary_assignment

    day = on or timezone.localdate()
    assignment = primary_assignment(community=community, on=day)
    return PublicCard(
        community=community,
        lawyer=assignment.lawyer if assignment else None,
        rules=list(active_rules(community, day)),
        settings=settings_for(community, day),
        upcoming=bookable_shifts(community),
    )


def public_community(code: str) -> Region | None:
    """The active community with this 12-digit code, or None (unknown, malformed or not a community)."""
    if not isinstance(code, str) or len(code) != 12 or not code.isascii() or not code.isdigit():
        return None
    return (
        Region.objects.filter(code=code, level=Level.COMMUNITY, is_active=True)
        .select_related("parent")
        .first()
    )


# --- choices on work pages -----------------------------------------------------------------------


def my_shifts(user) -> QuerySet[DutyShift]:
    """The advisor's own shifts, as the advisor sees them."""
    return shifts_visible_to(user).filter(lawyer__user=user).select_related("community")


def my_coming_shifts(user, *, now: datetime) -> QuerySet[DutyShift]:
    """The advisor's shifts from three hours ago to two weeks ahead, not cancelled."""
    return (
        my_shifts(user)
        .filter(ends_at__gte=now - timedelta(hours=3), starts_at__lte=now + timedelta(days=14))
        .exclude(status=ShiftStatus.CANCELLED)
    )


def streets_with_duty(user) -> QuerySet[Region]:
    """Streets in the user's view that have an online rota or on-site rules (coverage is checked there)."""
    return (
        streets_visible_to(user)
        .filter(Q(rota_slots__isnull=False) | Q(children__duty_rules__isnull=False))
        .distinct()
    )


def check_photos_visible_to(user) -> QuerySet[DutyCheck]:
    """Check-in and check-out records with a photo, in the user's shifts."""
    return DutyCheck.objects.filter(shift__in=shifts_visible_to(user)).exclude(photo="")


def _active_lawyers(assignments: QuerySet[Assignment]) -> QuerySet[Lawyer]:
    return Lawyer.objects.filter(pk__in=assignments.values("lawyer_id"), is_active=True).select_related(
        "firm"
    )


def substitute_choices(shift: DutyShift) -> QuerySet[Lawyer]:
    """Who may stand in for the shift's advisor: the community's other active advisors on its day."""
    assignments = assignments_on(shift.date).filter(community=shift.community)
    return _active_lawyers(assignments).exclude(pk=shift.lawyer_id)


def swap_choices(shift: DutyShift, *, now: datetime, limit: int = 200) -> QuerySet[DutyShift]:
    """Shifts the advisor may swap with: coming scheduled shifts of other advisors in the same street,
    the ``limit`` soonest."""
    soonest = (
        DutyShift.objects.filter(
            community__parent_id=shift.community.parent_id, status=ShiftStatus.SCHEDULED, starts_at__gt=now
        )
        .exclude(lawyer_id=shift.lawyer_id)
        .order_by("starts_at")
        .values_list("pk", flat=True)[:limit]
    )
    return DutyShift.objects.filter(pk__in=list(soonest)).select_related("community", "lawyer")


def rule_lawyer_choices(community: Region, *, on: date) -> QuerySet[Lawyer]:
    """Active lawyers serving the community on ``on`` or later: who an on-site rule may name."""
    return _active_lawyers(assignments_from(on).filter(community=community)).order_by("name")


def rota_lawyer_choices(street: Region, *, on: date) -> QuerySet[Lawyer]:
    """Active lawyers serving a community of the street on ``on`` or later: who the rota may name."""
    return _active_lawyers(assignments_from(on).filter(community__parent=street)).order_by("name")


@dataclass(frozen=True)
class HeldShift:
    """An on-site shift the community confirmed was held, as the subsidy module pays it."""

    pk: int
    lawyer_id: int
    community_id: int
    date: date


def shifts_held(
    *, region_path: str, start: date, end: date, lawyer_ids: list[int] | None = None
) -> list[HeldShift]:
    """Confirmed shifts between ``start`` and ``end`` in the communities under ``region_path``."""
    rows = DutyShift.objects.filter(
        status=ShiftStatus.CONFIRMED, date__gte=start, date__lte=end, community__path__startswith=region_path
    )
    if lawyer_ids is not None:
        rows = rows.filter(lawyer_id__in=lawyer_ids)
    return [
        HeldShift(pk=pk, lawyer_id=lawyer_id, community_id=community_id, date=day)
        for pk, lawyer_id, community_id, day in rows.order_by("pk").values_list(
            "pk", "lawyer_id", "community_id", "date"
        )
    ]


# --- read selectors for evaluation (ratings and appraisal) ---------------------------------------


def booking_by_id(pk: int) -> Booking | None:
    """One booking with its shift, community and lawyer: what a resident's rating link names."""
    return Booking.objects.filter(pk=pk).select_related("shift__community", "shift__lawyer").first()


def booking_by_receipt(*, receipt_code: str, phone_hash: str) -> Booking | None:
    """The resident's booking by its code and phone fingerprint (both must match)."""
    return (
        Booking.objects.filter(receipt_code=receipt_code, phone_hash=phone_hash)
        .select_related("shift__community", "shift__lawyer")
        .first()
    )
