"""Monthly rollups of consultations, so a district or city dashboard over a year reads a few
thousand counted rows instead of hundreds of thousands of questions.

One ``ConsultationMonth`` row per community and calendar month holds the counts the consultations
section draws (by level, status, channel and category, answered, in time, escalated, and the
minutes behind the averages). The worker refreshes them (``reports.rollup_recent`` every 15 minutes
for the two months before the current one, ``reports.rollup_all`` daily for the three years a
dashboard may span), and the section reads them for the **whole past months** of a period that
are rolled up (``RolledMonth``), counting the rest — a partial month at either end, the current
month, a month not yet rolled up — live. The current month is never read from a rollup.

What may lag: a question asked more than two months ago and answered, closed or escalated since
is counted by its new status after the next daily refresh (the two recent months within 15
minutes). A month of imported history is refreshed when the import commits. "Overdue now" is always
counted live.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from guwen.consultations.models import Consultation, Level
from guwen.consultations.overview import ANSWERED_IN_TIME, Period
from guwen.reports.models import ConsultationMonth, RolledMonth
from guwen.reports.scope import MAX_DAYS

DIMENSIONS = ("level", "status", "channel")
CATEGORY = Coalesce(NullIf("category", Value("")), NullIf("category_suggested", Value("")))


def month_period(month: date) -> Period:
    first = month.replace(day=1)
    return Period(first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1))


def counts(prefix: str = "", where: Q | None = None) -> dict:
    """The aggregate of a set of questions the section adds up, live or rolled up alike."""
    where = where if where is not None else Q()
    return {
        f"{prefix}total": Count("pk", filter=where),
        f"{prefix}answered": Count("pk", filter=where & Q(first_response_at__isnull=False)),
        f"{prefix}in_time": Count("pk", filter=where & ANSWERED_IN_TIME),
        f"{prefix}escalated": Count("pk", filter=where & ~Q(level=Level.COMMUNITY)),
        f"{prefix}first_minutes": Sum("minutes_to_first_response", filter=where, default=0),
        f"{prefix}first_count": Count("minutes_to_first_response", filter=where),
        f"{prefix}close_minutes": Sum("minutes_to_close", filter=where, default=0),
        f"{prefix}close_count": Count("minutes_to_close", filter=where),
    }


def consultation_month_refresh(*, month: date) -> int:
    """Count one month's questions community by community and replace its rows; returns the rows.
    Several workers may refresh the same month: the month's marker row is locked first."""
    span = month_period(month)
    asked = Consultation.objects.filter(span.q("created_at"))
    rows: dict[int, ConsultationMonth] = {}
    for line in asked.values("community_id").annotate(**counts()).order_by():
        community = line.pop("community_id")
        rows[community] = ConsultationMonth(community_id=community, month=span.start, **line)
    for dimension in DIMENSIONS:
        for line in asked.values("community_id", dimension).annotate(n=Count("pk")).order_by():
            getattr(rows[line["community_id"]], f"by_{dimension}")[line[dimension]] = line["n"]
    groups = asked.annotate(group=CATEGORY).values("community_id", "group").annotate(n=Count("pk"))
    for line in groups.order_by():
        rows[line["community_id"]].by_category[line["group"] or ""] = line["n"]
    RolledMonth.objects.get_or_create(month=span.start, defaults={"refreshed_at": timezone.now()})
    with transaction.atomic():
        marker = RolledMonth.objects.select_for_update().get(month=span.start)
        ConsultationMonth.objects.filter(month=span.start).delete()
        ConsultationMonth.objects.bulk_create(rows.values(), batch_size=2000)
        marker.refreshed_at = timezone.now()
        marker.save(update_fields=["refreshed_at"])
    return len(rows)


def whole_past_months(start: date, end: date, today: date | None = None) -> list[date]:
    """The first days of the calendar months wholly inside start–end and before this month."""
    this_month = (today or timezone.localdate()).replace(day=1)
    cursor = start if start.day == 1 else (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    months = []
    while cursor < this_month and month_period(cursor).end <= end:
        months.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months


def recent_months(today: date | None = None) -> list[date]:
    """The two months before the current one: where late answers and closings still land."""
    this_month = (today or timezone.localdate()).replace(day=1)
    last = (this_month - timedelta(days=1)).replace(day=1)
    return [(last - timedelta(days=1)).replace(day=1), last]


def all_months(today: date | None = None) -> list[date]:
    """Every month a dashboard period may cover (three years back), up to last month."""
    today = today or timezone.localdate()
    return whole_past_months(today - timedelta(days=MAX_DAYS), today, today)


def consultation_months_refresh(*, months: list[date]) -> int:
    return sum(consultation_month_refresh(month=month) for month in months)


def rolled_run(period: Period) -> list[date]:
    """The whole past months of the period that are rolled up, as one unbroken run from the first
    such month (a month not rolled up ends the run; what follows is counted live)."""
    wanted = whole_past_months(period.start, period.end)
    rolled = set(RolledMonth.objects.filter(month__in=wanted).values_list("month", flat=True))
    run: list[date] = []
    for month in wanted:
        if month in rolled:
            run.append(month)
        elif run:
            break
    return run


def live_parts(period: Period, run: list[date]) -> list[Period]:
    """The period less the rolled-up run: at most a head and a tail, counted live."""
    if not run:
        return [period]
    parts = []
    if period.start < run[0]:
        parts.append(Period(period.start, run[0] - timedelta(days=1)))
    run_end = month_period(run[-1]).end
    if run_end < period.end:
        parts.append(Period(run_end + timedelta(days=1), period.end))
    return parts
