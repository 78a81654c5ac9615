"""Every read of outreach data, scoped to what the user may see (DESIGN §5)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.scope import communities_visible_to, regions_visible_to
from guwen.core.errors import DomainError
from guwen.core.workcalendar import is_workday
from guwen.outreach.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    ChecklistArea,
    ChecklistItem,
    CoverageRule,
    Enterprise,
    Finding,
    HealthCheck,
    LegalOpinion,
    Pairing,
    Referral,
)
from guwen.regions.models import Level, Region


def activities_visible_to(user) -> QuerySet[Activity]:
    return Activity.objects.filter(community__in=regions_visible_to(user))


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(community__in=regions_visible_to(user))


def checks_visible_to(user) -> QuerySet[HealthCheck]:
    return HealthCheck.objects.filter(community__in=regions_visible_to(user))


def findings_of(check: HealthCheck) -> QuerySet[Finding]:
    return check.findings.select_related("area", "item", "article__law").order_by("area__order", "pk")


def district_of(community: Region) -> Region | None:
    """The district above a community (its path holds city/district/street/community codes)."""
    codes = [code for code in community.path.split("/") if code]
    return Region.objects.filter(code__in=codes, level=Level.DISTRICT).first()


def checklist_for(community: Region) -> list[ChecklistArea]:
    """The checklist areas (with their active items) that apply in the community's district: the
    district's own when it has any, else the default set."""
    district = district_of(community)
    areas = ChecklistArea.objects.filter(is_active=True, district=district)
    if district is None or not areas.exists():
        areas = ChecklistArea.objects.filter(is_active=True, district=None)
    areas = list(areas.order_by("order", "pk"))
    items = ChecklistItem.objects.filter(area__in=areas, is_active=True).order_by("order", "pk")
    by_area: dict[int, list[ChecklistItem]] = {}
    for item in items:
        by_area.setdefault(item.area_id, []).append(item)
    for area in areas:
        area.active_items = by_area.get(area.pk, [])
    return areas


# --- quarters and coverage ---------------------------------------------------------------------

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def key(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        return _("%(year)d年第%(n)d季度") % {"year": self.year, "n": self.number}

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str | None) -> Quarter:
    """``2026Q4`` as a quarter; empty means the current quarter; anything else is refused."""
    if not text:
        return quarter_of(timezone.localdate())
    match = QUARTER.match(text.strip().upper())
    if match is None or not 2000 <= int(match.group(1)) <= 2100:
        raise DomainError(_("季度格式应为“2026Q4”（年份加Q加1至4）"), field="quarter")
    return Quarter(int(match.group(1)), int(match.group(2)))


def coverage_rule_for(community: Region, on: date) -> CoverageRule:
    """The rule in force on ``on`` for the community's district, else the default row, else the
    built-in default (one lecture a quarter)."""
    district = district_of(community)
    rules = CoverageRule.objects.filter(effective_from__lte=on).order_by("-effective_from")
    rule = (district and rules.filter(district=district).first()) or rules.filter(district=None).first()
    return rule or CoverageRule(lectures_per_quarter=1, first_reminder_days=30, second_reminder_days=7)


@dataclass(frozen=True)
class CoverageRow:
    community: Region
    held: int
    planned: int
    required: int

    @property
    def behind(self) -> bool:
        return self.held < self.required


def coverage(communities: QuerySet[Region], quarter: Quarter) -> list[CoverageRow]:
    """Per community, lectures held (held or confirmed) in the quarter against the rule."""
    in_quarter = Q(date__gte=quarter.first_day, date__lte=quarter.last_day, kind=ActivityKind.LECTURE)
    counts = {
        row["community"]: row
        for row in Activity.objects.filter(in_quarter, community__in=communities)
        .values("community")
        .annotate(
            held=Count("pk", filter=Q(status__in=[ActivityStatus.HELD, ActivityStatus.CONFIRMED])),
            planned=Count("pk", filter=Q(status=ActivityStatus.PLANNED)),
        )
    }
    # The rules in force at the quarter's end, read once (a city has hundreds of communities): the
    # district's latest, else the default row's, else the built-in default, as coverage_rule_for.
    in_force = list(
        CoverageRule.objects.filter(effective_from__lte=quarter.last_day)
        .select_related("district")
        .order_by("-effective_from", "-pk")
    )
    fallback = next((r for r in in_force if r.district_id is None), None) or CoverageRule(
        lectures_per_quarter=1, first_reminder_days=30, second_reminder_days=7
    )

    def rule_for(community: Region) -> CoverageRule:
        for rule in in_force:
            if rule.district_id and community.path.startswith(rule.district.path):
                return rule
        return fallback

    rows = []
    for community in communities.filter(level=Level.COMMUNITY, is_active=True).order_by("code"):
        found = counts.get(community.pk, {})
        rows.append(
            CoverageRow(
                community=community,
                held=found.get("held", 0),
                planned=found.get("planned", 0),
                required=rule_for(community).lectures_per_quarter,
            )
        )
    return rows


def coverage_visible_to(user, quarter: Quarter) -> list[CoverageRow]:
    return coverage(communities_visible_to(user), quarter)


# --- legal opinions ------------------------------------------------------------------------------


def opinions_visible_to(user) -> QuerySet[LegalOpinion]:
    return LegalOpinion.objects.filter(community__in=regions_visible_to(user))


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` on the work calendar (holidays and 调休 known)."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when delivered the same day)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_workday(day)
    return count


def pairings_visible_to(user) -> QuerySet[Pairing]:
    return Pairing.objects.filter(community__in=regions_visible_to(user))


def referrals_visible_to(user) -> QuerySet[Referral]:
    return Referral.objects.filter(community__in=regions_visible_to(user))


# --- counts for the subsidy and the appraisal (confirmed work per advisor and period) ----------


@dataclass(frozen=True)
class ConfirmedWork:
    """One piece of confirmed outreach work, as the subsidy module pays it."""

    kind: str  # lecture / health_check / opinion
    pk: int
    label: str
    url: str
    community_id: int
    completed_on: date
    lawyer_ids: tuple[int, ...]
    photo_hashes: tuple[str, ...] = ()


def photo_hashes(photo_ids) -> dict[int, str | None]:
    """The perceptual hash (dHash) of each photo, read from its file; None when it cannot be read."""
    from guwen.core.photohash import dhash
    from guwen.outreach.models import ActivityPhoto

    hashes: dict[int, str | None] = {}
    for photo in ActivityPhoto.objects.filter(pk__in=list(photo_ids)).order_by("pk"):
        try:
            with photo.photo.open("rb") as handle:
                hashes[photo.pk] = dhash(handle.read())
        except OSError:
            hashes[photo.pk] = None
    return hashes


def _photo_hashes(activity_ids: list[int]) -> dict[int, list[str]]:
    from guwen.outreach.models import ActivityPhoto

    hashes: dict[int, list[str]] = {pk: [] for pk in activity_ids}
    rows = list(
        ActivityPhoto.objects.filter(activity_id__in=activity_ids)
        .order_by("pk")
        .values_list("pk", "activity_id")
    )
    values = photo_hashes([pk for pk, _activity in rows])
    for pk, activity_id in rows:
        if values.get(pk):
            hashes[activity_id].append(values[pk])
    return hashes


@dataclass(frozen=True)
class LecturePhoto:
    """A photo of a confirmed lecture, without its file: what the photo check keeps an index of."""

    pk: int
    activity_id: int
    community_id: int
    date: date


def lecture_photos(*, start: date, end: date, region_path: str = "") -> list[LecturePhoto]:
    """The photos of lectures confirmed between ``start`` and ``end`` (city-wide when ``region_path``
    is empty), by photo id, in one query and without opening a file."""
    from guwen.outreach.models import ActivityPhoto

    rows = ActivityPhoto.objects.filter(
        activity__kind=ActivityKind.LECTURE,
        activity__status=ActivityStatus.CONFIRMED,
        activity__date__gte=start,
        activity__date__lte=end,
    )
    if region_path:
        rows = rows.filter(activity__community__path__startswith=region_path)
    return [
        LecturePhoto(*row)
        for row in rows.order_by("pk").values_list(
            "pk", "activity_id", "activity__community_id", "activity__date"
        )
    ]


def confirmed_work(
    *, region_path: str, start: date, end: date, lawyer_ids: list[int] | None = None, photos: bool = True
) -> list[ConfirmedWork]:
    """Lectures confirmed by the community, health checks reported, opinions delivered, between
    ``start`` and ``end`` in the communities under ``region_path``; with the photos' perceptual
    hashes of each lecture. Ordered by kind and record, so a settlement is reproducible."""
    in_region = Q(community__path__startswith=region_path)
    lectures = Activity.objects.filter(
        in_region, kind=ActivityKind.LECTURE, status=ActivityStatus.CONFIRMED, date__gte=start, date__lte=end
    )
    checks = HealthCheck.objects.filter(in_region, reported_on__gte=start, reported_on__lte=end).exclude(
        status="checking"
    )
    opinions = LegalOpinion.objects.filter(
        in_region, status="delivered", delivered_on__gte=start, delivered_on__lte=end
    )
    if lawyer_ids is not None:
        lectures = lectures.filter(advisors__in=lawyer_ids).distinct()
        checks = checks.filter(advisors__in=lawyer_ids).distinct()
        opinions = opinions.filter(advisor_id__in=lawyer_ids)
    lecture_rows = list(lectures.order_by("pk").values("pk", "topic", "community_id", "date"))
    check_rows = list(checks.order_by("pk").values("pk", "enterprise__name", "community_id", "reported_on"))
    advisors: dict[tuple[str, int], list[int]] = {}
    for pk, lawyer_id in Activity.advisors.through.objects.filter(
        activity_id__in=[r["pk"] for r in lecture_rows]
    ).values_list("activity_id", "lawyer_id"):
        advisors.setdefault(("lecture", pk), []).append(lawyer_id)
    for pk, lawyer_id in HealthCheck.advisors.through.objects.filter(
        healthcheck_id__in=[r["pk"] for r in check_rows]
    ).values_list("healthcheck_id", "lawyer_id"):
        advisors.setdefault(("health_check", pk), []).append(lawyer_id)
    hashes = _photo_hashes([r["pk"] for r in lecture_rows]) if photos else {}
    work = [
        ConfirmedWork(
            kind="lecture",
            pk=r["pk"],
            label=r["topic"][:120],
            url=f"/outreach/activities/{r['pk']}/",
            community_id=r["community_id"],
            completed_on=r["date"],
            lawyer_ids=tuple(sorted(advisors.get(("lecture", r["pk"]), []))),
            photo_hashes=tuple(hashes.get(r["pk"], [])),
        )
        for r in lecture_rows
    ]
    work += [
        ConfirmedWork(
            kind="health_check",
            pk=r["pk"],
            label=f"{r['enterprise__name']}法治体检"[:120],
            url=f"/outreach/checks/{r['pk']}/",
            community_id=r["community_id"],
            completed_on=r["reported_on"],
            lawyer_ids=tuple(sorted(advisors.get(("health_check", r["pk"]), []))),
        )
        for r in check_rows
    ]
    work += [
        ConfirmedWork(
            kind="opinion",
            pk=r["pk"],
            label=r["title"][:120],
            url=f"/outreach/opinions/{r['pk']}/",
            community_id=r["community_id"],
            completed_on=r["delivered_on"],
            lawyer_ids=(r["advisor_id"],),
        )
        for r in opinions.order_by("pk").values("pk", "title", "community_id", "delivered_on", "advisor_id")
    ]
    return work


# --- evaluation: counts for the appraisal -------------------------------------------------------


def lectures_held_count(*, lawyer_id: int, start: date, end: date) -> int:
    """Lectures (法治讲座) an advisor held or had confirmed in [start, end]."""
    return (
        Activity.objects.filter(
            advisors__id=lawyer_id,
            kind=ActivityKind.LECTURE,
            status__in=[ActivityStatus.HELD, ActivityStatus.CONFIRMED],
            date__gte=start,
            date__lte=end,
        )
        .distinct()
        .count()
    )


def lectures_required(*, community: Region, start: date, end: date) -> int:
    """Lectures a community must have in the quarters of [start, end] that have ended by ``end``
    (the district's coverage rule in force in each quarter)."""
    total, quarter = 0, quarter_of(start)
    while quarter.last_day <= end:
        total += coverage_rule_for(community, quarter.first_day).lectures_per_quarter
        quarter = quarter.next()
    return total
