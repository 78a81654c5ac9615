"""Workload of advisors (生存现状, the survey the report was convened for): per advisor and period,
on-site hours, days at a community (travel), online answers, mediation cases by grade, activities,
health checks and opinions —
in a region, or anonymised for the lawyers' association.

The pay side: ``AdvisorLoad.pay`` is filled by the functions in ``PAY_SOURCES`` (the subsidy paid and
the fee income received, registered by ``guwen/reports/figures/subsidy.py``), with the effective pay
per hour on site and per case; the page shows those columns when any advisor has pay. A handful of
grouped queries whatever the number of advisors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.db.models import Count, Q, Sum

from guwen.consultations.models import Consultation
from guwen.consultations.overview import MIN_GROUP, Period
from guwen.duty.models import DutyShift
from guwen.duty.selectors import HELD
from guwen.mediation.models import CaseMediator, Grade
from guwen.outreach.models import Activity, ActivityStatus, HealthCheck, LegalOpinion, OpinionStatus
from guwen.regions.models import Assignment, Lawyer, Region
from guwen.regions.selectors import overlapping
from guwen.reports.scope import communities_of


@dataclass
class AdvisorLoad:
    lawyer: Lawyer
    held_minutes: int = 0
    shifts: int = 0
    answers: int = 0
    cases: dict[str, int] = field(default_factory=dict)
    activities: int = 0
    checks: int = 0
    opinions: int = 0
    trips: int = 0  # days at a community: one per (community, day) with a shift, activity or health check
    pay: Decimal | None = None  # filled by PAY_SOURCES (None: no pay recorded)

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.held_minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def case_count(self) -> int:
        return sum(self.cases.values())

    @property
    def by_grade(self) -> list[tuple[str, int]]:
        """(grade label, cases) in the order of ``GRADES``, zero included: a column per grade."""
        return [(label, self.cases.get(value, 0)) for value, label in GRADES]

    @property
    def pay_per_hour(self) -> Decimal | None:
        """Effective pay per hour on site (None without pay or hours)."""
        if self.pay is None or not self.held_minutes:
            return None
        return (self.pay * 60 / self.held_minutes).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def pay_per_case(self) -> Decimal | None:
        """Effective pay per mediation case taken on in the period (None without pay or cases)."""
        if self.pay is None or not self.case_count:
            return None
        return (self.pay / self.case_count).quantize(Decimal("0.01"), ROUND_HALF_UP)


# Each source adds to ``pay`` the advisors' pay for the period in the region (loads, period, region).
PAY_SOURCES: list[Callable[[list[AdvisorLoad], Period, Region], None]] = []


def workload(region: Region, period: Period) -> list[AdvisorLoad]:
    """Every advisor posted to a community of the region during the period, with their work there."""
    communities = communities_of(region)
    posted = Assignment.objects.filter(
        overlapping(period.start, period.end), community__in=communities
    ).values("lawyer_id")
    lawyers = list(Lawyer.objects.filter(pk__in=posted).select_related("firm").order_by("name", "pk"))
    rows = {lawyer.pk: AdvisorLoad(lawyer) for lawyer in lawyers}
    by_user = {lawyer.user_id: rows[lawyer.pk] for lawyer in lawyers if lawyer.user_id}
    in_period = {"date__gte": period.start, "date__lte": period.end, "community__in": communities}
    for line in (
        DutyShift.objects.filter(lawyer_id__in=rows, status__in=HELD, **in_period)
        .values("lawyer_id")
        .annotate(n=Count("pk"), minutes=Sum("held_minutes", default=0))
        .order_by()
    ):
        rows[line["lawyer_id"]].shifts, rows[line["lawyer_id"]].held_minutes = line["n"], line["minutes"]
    for line in (
        Consultation.objects.filter(
            period.q("first_response_at"), owner_id__in=by_user, community__in=communities
        )
        .values("owner_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_user[line["owner_id"]].answers = line["n"]
    for line in (
        CaseMediator.objects.filter(
            is_primary=True,
            user_id__in=by_user,
            case__community__in=communities,
            case__intake_on__gte=period.start,
            case__intake_on__lte=period.end,
        )
        .values("user_id", "case__grade")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        grade = line["case__grade"] or "ungraded"
        by_user[line["user_id"]].cases[grade] = line["n"]
    done = [ActivityStatus.HELD, ActivityStatus.CONFIRMED]
    for line in (
        Activity.advisors.through.objects.filter(
            lawyer_id__in=rows,
            activity__status__in=done,
            activity__community__in=communities,
            activity__date__gte=period.start,
            activity__date__lte=period.end,
        )
        .values("lawyer_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[line["lawyer_id"]].activities = line["n"]
    for line in (
        HealthCheck.advisors.through.objects.filter(
            lawyer_id__in=rows,
            healthcheck__community__in=communities,
            healthcheck__date__gte=period.start,
            healthcheck__date__lte=period.end,
        )
        .values("lawyer_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[line["lawyer_id"]].checks = line["n"]
    for line in (
        LegalOpinion.objects.filter(
            Q(delivered_on__gte=period.start, delivered_on__lte=period.end),
            advisor_id__in=rows,
            status=OpinionStatus.DELIVERED,
            community__in=communities,
        )
        .values("advisor_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[line["advisor_id"]].opinions = line["n"]
    _trips(rows, communities, period, done)
    loads = list(rows.values())
    from guwen.reports import figures  # noqa: F401  (registers the pay sources)

    for source in PAY_SOURCES:
        source(loads, period, region)
    return loads


def _trips(rows: dict[int, AdvisorLoad], communities, period: Period, done) -> None:
    """Travel to communities: the days each advisor was at a community of the region (a held shift,
    a lecture or event held there, a health check of one of its enterprises), each (community, day)
    counted once however much was done that day. Three queries of (lawyer, community, day)."""
    days: dict[int, set] = {pk: set() for pk in rows}
    in_period = {"date__gte": period.start, "date__lte": period.end}
    sources = (
        DutyShift.objects.filter(lawyer_id__in=rows, status__in=HELD, community__in=communities, **in_period)
        .values_list("lawyer_id", "community_id", "date")
        .distinct(),
        Activity.advisors.through.objects.filter(
            lawyer_id__in=rows,
            activity__status__in=done,
            activity__community__in=communities,
            activity__date__gte=period.start,
            activity__date__lte=period.end,
        )
        .values_list("lawyer_id", "activity__community_id", "activity__date")
        .distinct(),
        HealthCheck.advisors.through.objects.filter(
            lawyer_id__in=rows,
            healthcheck__community__in=communities,
            healthcheck__date__gte=period.start,
            healthcheck__date__lte=period.end,
        )
        .values_list("lawyer_id", "healthcheck__community_id", "healthcheck__date")
        .distinct(),
    )
    for source in sources:
        for lawyer_id, community_id, day in source.order_by():
            days[lawyer_id].add((community_id, day))
    for pk, seen in days.items():
        rows[pk].trips = len(seen)


GRADES = [*Grade.choices, ("ungraded", "未定级")]


@dataclass(frozen=True)
class Distribution:
    """Hours on site across advisors: the buckets of a histogram, the median and the outliers
    (more than twice or less than half the median)."""

    buckets: list[tuple[str, int]]
    median_hours: Decimal | None
    high: list[AdvisorLoad]
    low: list[AdvisorLoad]


def distribution(loads: list[AdvisorLoad], width: int = 10) -> Distribution:
    if not loads:
        return Distribution([], None, [], [])
    hours = [load.hours for load in loads]
    top = int(max(hours) // width) + 1
    counts = [0] * top
    for h in hours:
        counts[int(h // width)] += 1
    buckets = [(f"{i * width}-{(i + 1) * width}", n) for i, n in enumerate(counts)]
    mid = Decimal(str(median(hours))).quantize(Decimal("0.1"))
    high = [load for load in loads if mid and load.hours > 2 * mid]
    low = [load for load in loads if mid and load.hours < mid / 2]
    return Distribution(buckets, mid, high, low)


def by_firm(loads: list[AdvisorLoad]) -> list[dict]:
    """Totals per law firm; for the association only firms with at least ``MIN_GROUP`` advisors
    are named, the rest pooled, so no figure points at one lawyer."""
    firms: dict[str, list[AdvisorLoad]] = {}
    for load in loads:
        firms.setdefault(load.lawyer.firm.name if load.lawyer.firm_id else "—", []).append(load)
    return [
        {
            "firm": name,
            "advisors": len(group),
            "hours": sum((g.hours for g in group), Decimal(0)),
            "trips": sum(g.trips for g in group),
            "answers": sum(g.answers for g in group),
            "cases": sum(g.case_count for g in group),
            "activities": sum(g.activities for g in group),
        }
        for name, group in sorted(firms.items())
    ]


def anonymised(loads: list[AdvisorLoad]) -> list[dict] | None:
    """The association's view: no names, advisors in a random-free stable order by hours, and
    nothing at all when fewer than ``MIN_GROUP`` advisors would be shown."""
    if len(loads) < MIN_GROUP:
        return None
    ordered = sorted(loads, key=lambda load: (load.hours, load.answers, load.case_count))
    return [
        {
            "label": f"顾问{i}",
            "hours": load.hours,
            "trips": load.trips,
            "answers": load.answers,
            "cases": load.case_count,
            "activities": load.activities,
            "opinions": load.opinions,
        }
        for i, load in enumerate(ordered, start=1)
    ]
