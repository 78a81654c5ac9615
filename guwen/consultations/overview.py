"""Figures for the homes of the roles that do not handle questions themselves: the law firm admin
(律所), the lawyers' association (律师协会) and the district bureau (区司法局).

Figures only, never a resident's text or phone. Each home is a handful of aggregate queries
(grouped by lawyer, street, month, category or district), whatever the number of rows: the tests
pin the query counts. Consultations sit above duty in the app stack, so this is where the service's
two halves (questions answered, on-site duty held) meet.

"Answered in time" means the first answer came before the first deadline the question was given
(``first_due_at``): escalation does not buy time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.accounts.scope import current_memberships, roles_of
from guwen.consultations.models import Consultation, Rating, RatingKind
from guwen.consultations.selectors import overdue_condition
from guwen.consultations.workflow import OPEN_STATUSES
from guwen.duty.models import DutyShift
from guwen.duty.selectors import DUE, HELD
from guwen.regions.models import Assignment, AssignmentRole, LawFirm, Lawyer, Region
from guwen.regions.models import Level as RegionLevel
from guwen.regions.selectors import current_assignments

PERIOD_DAYS = 30
MONTHS = 12
# The association sees no group smaller than this: a small count can point at a person.
MIN_GROUP = 5

ANSWERED_IN_TIME = Q(first_response_at__isnull=False, first_due_at__isnull=False) & Q(
    first_response_at__lte=F("first_due_at")
)


def _rate(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one place; None when nothing was counted."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _average(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _hours(minutes: int | None) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Period:
    """The last ``PERIOD_DAYS`` days up to today, both ends included (a rolling window, so a home
    opened on the 1st of a month is not empty)."""

    start: date
    end: date

    @classmethod
    def recent(cls, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(today - timedelta(days=PERIOD_DAYS - 1), today)

    def q(self, name: str) -> Q:
        """The moments of the period's local days, as a range on the stored column (not on its
        date), so an index on (community, ``name``) reads only the period's rows."""
        start, end = self.moments()
        return Q(**{f"{name}__gte": start, f"{name}__lt": end})

    def moments(self) -> tuple[datetime, datetime]:
        """Local midnight at the start of the first day and after the last day."""
        return (
            timezone.make_aware(datetime.combine(self.start, datetime.min.time())),
            timezone.make_aware(datetime.combine(self.end + timedelta(days=1), datetime.min.time())),
        )


# --- the firm admin: its lawyers ----------------------------------------------------------------


@dataclass
class LawyerRow:
    lawyer: Lawyer
    postings: list[Assignment] = field(default_factory=list)
    shifts_due: int = 0
    shifts_held: int = 0
    shifts_missed: int = 0
    held_minutes: int = 0
    answered: int = 0
    answered_in_time: int = 0
    rating_count: int = 0
    rating_average: Decimal | None = None

    @property
    def attendance_rate(self) -> Decimal | None:
        return _rate(self.shifts_held, self.shifts_due)

    @property
    def in_time_rate(self) -> Decimal | None:
        return _rate(self.answered_in_time, self.answered)

    @property
    def held_hours(self) -> Decimal:
        return _hours(self.held_minutes)


@dataclass
class FirmFigures:
    firm: LawFirm
    period: Period
    rows: list[LawyerRow]

    def _total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)

    @property
    def communities(self) -> int:
        return len({a.community_id for row in self.rows for a in row.postings})

    @property
    def totals(self) -> dict:
        due, held = self._total("shifts_due"), self._total("shifts_held")
        answered, in_time = self._total("answered"), self._total("answered_in_time")
        ratings = self._total("rating_count")
        weighted = sum((row.rating_average or 0) * row.rating_count for row in self.rows)
        return {
            "shifts_due": due,
            "shifts_held": held,
            "attendance_rate": _rate(held, due),
            "held_hours": _hours(self._total("held_minutes")),
            "answered": answered,
            "answered_in_time": in_time,
            "in_time_rate": _rate(in_time, answered),
            "rating_count": ratings,
            "rating_average": _average(weighted / ratings) if ratings else None,
        }


def administered_firms(user) -> list[LawFirm]:
    """The firms whose admin the user is today: a firm admin sees only their own firm."""
    return [m.firm for m in current_memberships(user) if m.role == Role.FIRM_ADMIN and m.firm is not None]


def firm_figures(firm: LawFirm, *, period: Period | None = None) -> FirmFigures:
    """Each active lawyer of the firm: current postings, on-site duty over the period, questions
    they first answered in it and how many in time, and the ratings residents gave them in it."""
    period = period or Period.recent()
    lawyers = list(Lawyer.objects.filter(firm=firm, is_active=True).order_by("name", "pk"))
    rows = {lawyer.pk: LawyerRow(lawyer) for lawyer in lawyers}
    by_user = {lawyer.user_id: rows[lawyer.pk] for lawyer in lawyers if lawyer.user_id}
    postings = (
        current_assignments(period.end)
        .filter(lawyer__in=lawyers)
        .select_related("community", "community__parent")
        .order_by("role", "community__code")
    )
    for posting in postings:
        rows[posting.lawyer_id].postings.append(posting)
    duty = (
        DutyShift.objects.filter(lawyer__in=lawyers, date__gte=period.start, date__lte=period.end)
        .values("lawyer_id")
        .annotate(
            shifts_due=Count("pk", filter=Q(status__in=DUE)),
            shifts_held=Count("pk", filter=Q(status__in=HELD)),
            shifts_missed=Count("pk", filter=Q(status="missed")),
            held_minutes=Sum("held_minutes", filter=Q(status__in=HELD), default=0),
        )
        .order_by()
    )
    for line in duty:
        row = rows[line.pop("lawyer_id")]
        for name, value in line.items():
            setattr(row, name, value)
    if by_user:
        answered = (
            Consultation.objects.filter(period.q("first_response_at"), owner_id__in=list(by_user))
            .values("owner_id")
            .annotate(answered=Count("pk"), answered_in_time=Count("pk", filter=ANSWERED_IN_TIME))
            .order_by()
        )
        for line in answered:
            row = by_user[line["owner_id"]]
            row.answered, row.answered_in_time = line["answered"], line["answered_in_time"]
        ratings = (
            Rating.objects.filter(period.q("created_at"), consultation__owner_id__in=list(by_user))
            .values("consultation__owner_id")
            .annotate(n=Count("pk"), average=Avg("score"))
            .order_by()
        )
        for line in ratings:
            row = by_user[line["consultation__owner_id"]]
            row.rating_count, row.rating_average = line["n"], _average(line["average"])
    return FirmFigures(firm, period, list(rows.values()))


# --- the bureau: its district by street ----------------------------------------------------------


@dataclass
class StreetRow:
    street: Region
    communities: int = 0
    covered: int = 0
    asked: int = 0
    open_now: int = 0
    overdue: int = 0
    answered: int = 0
    answered_in_time: int = 0
    rating_count: int = 0
    rating_average: Decimal | None = None
    shifts_due: int = 0
    shifts_held: int = 0
    held_minutes: int = 0

    @property
    def vacant(self) -> int:
        return self.communities - self.covered

    @property
    def in_time_rate(self) -> Decimal | None:
        return _rate(self.answered_in_time, self.answered)

    @property
    def attendance_rate(self) -> Decimal | None:
        return _rate(self.shifts_held, self.shifts_due)

    @property
    def held_hours(self) -> Decimal:
        return _hours(self.held_minutes)


COUNTS = ("asked", "open_now", "overdue", "answered", "answered_in_time")


def community_counts(community_ids: list[int], period: Period, now: datetime) -> dict[int, dict[str, int]]:
    """Per community (by id): questions asked in the period, open and overdue now, answered in the
    period and of those in time; a community with none is absent. Three grouped queries, each read
    from an index alone (community and asked, community and answered, status), which is why the
    communities come as ids and the counts as COUNT(*): three years of questions cost the period's."""
    counts: dict[int, dict[str, int]] = {}

    def add(rows) -> None:
        for line in rows.order_by():
            counts.setdefault(line.pop("community_id"), dict.fromkeys(COUNTS, 0)).update(line)

    questions = Consultation.objects.filter(community_id__in=community_ids)
    add(questions.filter(period.q("created_at")).values("community_id").annotate(asked=Count("*")))
    add(
        questions.filter(period.q("first_response_at"))
        .values("community_id")
        # Count("*") cannot take a filter; a column of the index can (never null when in time).
        .annotate(answered=Count("*"), answered_in_time=Count("first_due_at", filter=ANSWERED_IN_TIME))
    )
    add(
        questions.filter(status__in=OPEN_STATUSES)
        .values("community_id")
        .annotate(open_now=Count("pk"), overdue=Count("pk", filter=overdue_condition(now)))
    )
    return counts


@dataclass
class DistrictFigures:
    district: Region
    period: Period
    rows: list[StreetRow]


def bureau_districts(user) -> list[Region]:
    return [
        m.region
        for m in current_memberships(user)
        if m.role == Role.BUREAU and m.region is not None and m.region.level == RegionLevel.DISTRICT
    ]


def district_figures(district: Region, *, period: Period | None = None, now: datetime | None = None):
    """One row per active street of the district: communities and their primary advisors, questions
    asked in the period, open and overdue now, answered in time, ratings, on-site duty held."""
    period = period or Period.recent()
    now = now or timezone.now()
    streets = list(
        Region.objects.filter(parent=district, level=RegionLevel.STREET, is_active=True).order_by("code")
    )
    rows = {street.pk: StreetRow(street) for street in streets}
    communities = Region.objects.filter(parent__in=streets, level=RegionLevel.COMMUNITY, is_active=True)
    covered = current_assignments(period.end).filter(role=AssignmentRole.PRIMARY).values("community_id")
    for line in (
        communities.values("parent_id")
        .annotate(n=Count("pk"), covered=Count("pk", filter=Q(pk__in=covered)))
        .order_by()
    ):
        row = rows[line["parent_id"]]
        row.communities, row.covered = line["n"], line["covered"]
    # The streets' communities as a list of ids (active or not: their questions still count), so
    # the counts below are served by the (community, date) indexes; grouped by community, added up
    # by street here.
    street_of = dict(
        Region.objects.filter(parent__in=streets, level=RegionLevel.COMMUNITY).values_list("pk", "parent_id")
    )
    for community_id, line in community_counts(list(street_of), period, now).items():
        row = rows[street_of[community_id]]
        for name, value in line.items():
            setattr(row, name, getattr(row, name) + value)
    # A consultation's rating keeps its community: counted without joining the questions.
    scores: dict[int, int] = {}
    for line in (
        Rating.objects.filter(
            period.q("created_at"), kind=RatingKind.CONSULTATION, community_id__in=list(street_of)
        )
        .values("community_id")
        .annotate(n=Count("pk"), total=Sum("score"))
        .order_by()
    ):
        row = rows[street_of[line["community_id"]]]
        row.rating_count += line["n"]
        scores[row.street.pk] = scores.get(row.street.pk, 0) + line["total"]
    for row in rows.values():
        if row.rating_count:
            row.rating_average = _average(Decimal(scores[row.street.pk]) / row.rating_count)
    for line in (
        DutyShift.objects.filter(community__parent__in=streets, date__gte=period.start, date__lte=period.end)
        .values("community__parent_id")
        .annotate(
            shifts_due=Count("pk", filter=Q(status__in=DUE)),
            shifts_held=Count("pk", filter=Q(status__in=HELD)),
            held_minutes=Sum("held_minutes", filter=Q(status__in=HELD), default=0),
        )
        .order_by()
    ):
        row = rows[line.pop("community__parent_id")]
        for name, value in line.items():
            setattr(row, name, value)
    return DistrictFigures(district, period, list(rows.values()))


# --- the association: anonymised, by month, category and district --------------------------------


@dataclass(frozen=True)
class Cell:
    """A count the association may see: hidden (shown "<5") when the group is smaller than
    ``MIN_GROUP``, with every figure derived from it. ``withheld`` hides a larger group too (shown
    "已隐藏"), when it is the one that would let a lone small group be worked out from the total."""

    count: int
    withheld: bool = False

    @property
    def small(self) -> bool:
        return 0 < self.count < MIN_GROUP

    @property
    def hidden(self) -> bool:
        return self.small or self.withheld

    def __str__(self) -> str:
        if self.small:
            return f"<{MIN_GROUP}"
        return _("已隐藏") if self.withheld else str(self.count)


def withhold_complement(rows: list[GroupRow]) -> None:
    """Secondary suppression: the three cuts share one total, so a table with a single hidden group
    would give its count away by subtraction. Then the smallest shown group is hidden with it."""
    if sum(row.asked.small for row in rows) != 1:
        return
    shown = [row for row in rows if row.asked.count >= MIN_GROUP]
    if shown:
        smallest = min(shown, key=lambda row: (row.asked.count, row.label))
        smallest.asked = Cell(smallest.asked.count, withheld=True)


@dataclass
class GroupRow:
    label: str
    asked: Cell
    answered: int = 0
    answered_in_time: int = 0
    rating_count: int = 0
    rating_average: Decimal | None = None
    held_minutes: int = 0
    shifts_held: int = 0

    @property
    def in_time_rate(self) -> Decimal | None:
        """Hidden with the group, and when the answered questions are themselves a small group."""
        if self.asked.hidden or 0 < self.answered < MIN_GROUP:
            return None
        return _rate(self.answered_in_time, self.answered)

    @property
    def rating(self) -> Decimal | None:
        return None if self.asked.hidden or self.rating_count < MIN_GROUP else self.rating_average

    @property
    def ratings(self) -> Cell:
        return Cell(self.rating_count)

    @property
    def shifts(self) -> Cell:
        return Cell(self.shifts_held)

    @property
    def held_hours(self) -> Decimal | None:
        """Withheld with a small number of shifts, which could point at one advisor."""
        return None if self.shifts.hidden else _hours(self.held_minutes)


@dataclass
class AssociationFigures:
    start: date
    end: date
    by_month: list[GroupRow]
    by_category: list[GroupRow]
    by_district: list[GroupRow]
    min_group: int = MIN_GROUP


def _month_start(day: date, back: int) -> date:
    month = day.month - 1 - back
    return date(day.year + month // 12, month % 12 + 1, 1)


def association_figures(today: date | None = None) -> AssociationFigures:
    """The last ``MONTHS`` calendar months (this one included), city-wide, in three cuts. Counts
    only; groups under ``MIN_GROUP`` show "<5" and their rates are withheld."""
    today = today or timezone.localdate()
    start = _month_start(today, MONTHS - 1)
    asked = Consultation.objects.filter(created_at__date__gte=start, created_at__date__lte=today)
    figures = {
        "asked": Count("pk"),
        "answered": Count("pk", filter=Q(first_response_at__isnull=False)),
        "answered_in_time": Count("pk", filter=ANSWERED_IN_TIME),
        "rating_count": Count("rating"),
        "rating_average": Avg("rating__score"),
    }

    def rows(lines, key, label) -> list[GroupRow]:
        out = []
        for line in lines:
            out.append(
                GroupRow(
                    label=label(line[key]),
                    asked=Cell(line["asked"]),
                    answered=line["answered"],
                    answered_in_time=line["answered_in_time"],
                    rating_count=line["rating_count"],
                    rating_average=_average(line["rating_average"]),
                )
            )
        return out

    months = (
        asked.annotate(month=TruncMonth("created_at")).values("month").annotate(**figures).order_by("month")
    )
    by_month = rows(months, "month", lambda m: f"{m:%Y-%m}")
    duty_months = (
        DutyShift.objects.filter(status__in=HELD, date__gte=start, date__lte=today)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(n=Count("pk"), minutes=Sum("held_minutes", default=0))
        .order_by()
    )
    held = {f"{line['month']:%Y-%m}": line for line in duty_months}
    for row in by_month:
        line = held.pop(row.label, None)
        if line:
            row.shifts_held, row.held_minutes = line["n"], line["minutes"]
    for label, line in sorted(held.items()):  # months with duty but no questions
        by_month.append(GroupRow(label, Cell(0), shifts_held=line["n"], held_minutes=line["minutes"]))
    by_month.sort(key=lambda row: row.label)

    # Until an advisor confirms the category on closing, the triage's suggestion stands for it.
    categories = (
        asked.annotate(group=Coalesce(NullIf("category", Value("")), NullIf("category_suggested", Value(""))))
        .values("group")
        .annotate(**figures)
        .order_by("-asked", "group")
    )
    by_category = rows(categories, "group", lambda c: c or _("未分类"))

    districts = {d.path: d for d in Region.objects.filter(level=RegionLevel.DISTRICT)}
    lines = (
        asked.values("community__parent__parent__path")
        .annotate(**figures)
        .order_by("community__parent__parent__path")
    )
    by_district = rows(
        lines,
        "community__parent__parent__path",
        lambda path: districts[path].name if path in districts else _("其他"),
    )
    duty_districts = (
        DutyShift.objects.filter(status__in=HELD, date__gte=start, date__lte=today)
        .values("community__parent__parent__path")
        .annotate(n=Count("pk"), minutes=Sum("held_minutes", default=0))
        .order_by()
    )
    by_name = {row.label: row for row in by_district}
    for line in duty_districts:
        path = line["community__parent__parent__path"]
        label = districts[path].name if path in districts else _("其他")
        row = by_name.get(label)
        if row is None:
            row = by_name[label] = GroupRow(label, Cell(0))
            by_district.append(row)
        row.shifts_held, row.held_minutes = line["n"], line["minutes"]
    for table in (by_month, by_category, by_district):
        withhold_complement(table)
    return AssociationFigures(start, today, by_month, by_category, by_district)


def sees_association_figures(user) -> bool:
    return Role.ASSOCIATION in roles_of(user)
