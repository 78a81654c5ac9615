"""Which region a dashboard or report covers, and over which period.

The scope comes from the user's memberships through ``regions_visible_to`` (the one definition of
what a user may see): community staff pick their community, the judicial office (司法所) its
street and the street's communities, the bureau (区司法局) its district and everything under it.
A region outside that set is a 404, as everywhere else.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.accounts.scope import regions_visible_to, roles_of
from guwen.consultations.overview import Period
from guwen.core.errors import DomainError
from guwen.regions.models import Level, Region

# Those who run the service in a region read its dashboard; advisors, firms and the association
# have their own homes (the association's anonymised figures are in consultations.overview).
READERS = frozenset({Role.COMMUNITY_STAFF, Role.OFFICE, Role.BUREAU, Role.SYSADMIN})
LEVELS = (Level.CITY, Level.DISTRICT, Level.STREET, Level.COMMUNITY)
MAX_DAYS = 3 * 366


def can_read_reports(user) -> bool:
    return bool(roles_of(user) & READERS)


def scopes_for(user) -> QuerySet[Region]:
    """The regions whose dashboard the user may open, broadest first."""
    if not can_read_reports(user):
        return Region.objects.none()
    return regions_visible_to(user).filter(level__in=LEVELS, is_active=True).order_by("path")


def scope_for(user, code: str | None) -> Region:
    """The region a request names (``region=<code>``), or the user's broadest one; 404 when the
    user may not read reports or the region is not theirs."""
    regions = scopes_for(user)
    region = regions.filter(code=code).first() if code else regions.first()
    if region is None:
        raise Http404
    return region


def communities_of(region: Region) -> QuerySet[Region]:
    """The communities under a region (the region itself when it is one)."""
    return Region.objects.filter(level=Level.COMMUNITY, path__startswith=region.path)


def community_ids(region: Region) -> list[int]:
    """The ids of ``communities_of(region)`` as a list. A condition on a large table's community
    given as ids is served by its (community, date) index; given as a join on the regions' paths,
    the database reads the whole table."""
    return list(communities_of(region).values_list("pk", flat=True))


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(_("日期格式应为 2026-11-30"), field=field) from None


def default_period(today: date | None = None) -> Period:
    """The twelve calendar months up to today (this month included), so trends have a year."""
    today = today or timezone.localdate()
    month = today.month - 11
    start = date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return Period(start, today)


# No record predates the service (2000 is well before the first advisors); a year beyond next is a typo.
FIRST_YEAR = 2000


def parse_period(date_from: str | date | None, date_to: str | date | None) -> Period:
    """The period a request names; either end may be left out. Refused in Chinese when the end
    comes before the start, the span is longer than three years, or a date falls outside 2000 to next
    year."""
    start = date_from if isinstance(date_from, date) else _date(date_from, "date_from")
    end = date_to if isinstance(date_to, date) else _date(date_to, "date_to")
    default = default_period()
    end = end or default.end
    start = start or (default.start if end >= default.start else end.replace(day=1))
    last_year = default.end.year + 1
    for day, field in ((start, "date_from"), (end, "date_to")):
        if not FIRST_YEAR <= day.year <= last_year:
            raise DomainError(
                _("日期须在 %(first)d 年至 %(last)d 年之间") % {"first": FIRST_YEAR, "last": last_year},
                field=field,
            )
    if start > end:
        raise DomainError(_("结束日期不能早于开始日期"), field="date_to")
    if (end - start).days > MAX_DAYS:
        raise DomainError(_("统计期间最长三年"), field="date_from")
    return Period(start, end)


def months_of(period: Period) -> list[date]:
    """The first day of every calendar month the period touches, in order."""
    months, cursor = [], period.start.replace(day=1)
    while cursor <= period.end:
        months.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months


def month_spans(period: Period) -> list[tuple[str, Period]]:
    """Each calendar month the period touches, clipped to the period, with its label (2026-03).
    The sections count a month as a filtered count over the period's rows (``month.q(column)``
    or ``month_days(column, month)``) instead of grouping by a truncated date: a comparison on the
    stored column is native on both databases, where truncating a date on SQLite calls Python for
    every row."""
    spans = []
    for first in months_of(period):
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        spans.append((first.strftime("%Y-%m"), Period(max(first, period.start), min(last, period.end))))
    return spans


def month_days(column: str, month: Period) -> Q:
    """The rows whose date column falls in the month (a date column, so no time zone)."""
    return Q(**{f"{column}__gte": month.start, f"{column}__lte": month.end})
