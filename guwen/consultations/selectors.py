"""Reads of consultations, all scoped through ``consultations_visible_to``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from guwen.accounts.models import Role
from guwen.accounts.scope import current_memberships, is_sysadmin, roles_of
from guwen.consultations.models import (
    AdvisorAway,
    Attachment,
    Complaint,
    ComplaintStatus,
    Consultation,
    GroupChannel,
    Level,
    Message,
    Rating,
    Status,
)
from guwen.consultations.workflow import OPEN_STATUSES, WAITING_STATUSES, advisor_street_ids
from guwen.regions.models import Lawyer, Region
from guwen.regions.selectors import current_assignments

HANDLING_ROLES = frozenset({Role.ADVISOR, Role.OFFICE, Role.BUREAU, Role.SYSADMIN})


def can_handle_consultations(user) -> bool:
    """Whether the user works on consultations at all (advisor, judicial office, bureau, admin)."""
    return bool(roles_of(user) & HANDLING_ROLES)


def consultations_visible_to(user) -> QuerySet[Consultation]:
    """The one definition of which consultations a user may see.

    The judicial office sees its street, the bureau its district (the region anchors of
    ``regions_visible_to``); an advisor sees the communities they serve today, what they own, and the
    unowned street-pool items of the streets they serve in (to claim them). Community staff, firm
    admins and the association do not see residents' questions: the questions are confidential
    advice between resident and lawyer, and their own pages show counts instead.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Consultation.objects.none()
    if is_sysadmin(user):
        return Consultation.objects.all()
    condition = Q(owner=user)
    for membership in current_memberships(user):
        if membership.role in (Role.OFFICE, Role.BUREAU) and membership.region is not None:
            condition |= Q(community__path__startswith=membership.region.path)
    communities = current_assignments().filter(lawyer__user=user).values("community_id")
    condition |= Q(community_id__in=communities)
    streets = advisor_street_ids(user)
    if streets:
        condition |= Q(level=Level.STREET, owner__isnull=True, community__parent_id__in=streets)
    return Consultation.objects.filter(condition)


TABS = ["new", "mine", "pool", "overdue", "waiting", "answered", "closed", "all"]


def overdue_condition(now: datetime) -> Q:
    """Open and past the current level's deadline, or never answered and past the first deadline it
    was given: escalation resets the level's clock, not the resident's wait."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(due_at__lt=now) | Q(first_response_at__isnull=True, first_due_at__lt=now)
    )


def waited_condition(days: int, now: datetime) -> Q:
    """Still unresolved (open or waiting on the resident) and asked more than ``days`` days ago."""
    return Q(status__in=[*OPEN_STATUSES, *WAITING_STATUSES], created_at__lt=now - timedelta(days=days))


def _tab_conditions(user, now: datetime) -> dict[str, Q]:
    return {
        "new": Q(status=Status.NEW),
        "mine": Q(owner=user, status__in=[*OPEN_STATUSES, *WAITING_STATUSES]),
        "pool": Q(owner__isnull=True, status__in=OPEN_STATUSES),
        "overdue": overdue_condition(now),
        "waiting": Q(status__in=WAITING_STATUSES),
        "answered": Q(status=Status.ANSWERED),
        "closed": Q(status=Status.CLOSED),
        "all": Q(),
    }


def inbox_counts(queryset: QuerySet[Consultation], user, now: datetime | None = None) -> dict[str, int]:
    """Counts per inbox tab in one query."""
    conditions = _tab_conditions(user, now or timezone.now())
    return queryset.aggregate(**{tab: Count("pk", filter=cond) for tab, cond in conditions.items()})


@dataclass(frozen=True)
class Filters:
    status: str = ""
    category: str = ""
    channel: str = ""
    community: str = ""
    level: str = ""
    date_from: date | None = None
    date_to: date | None = None
    waited_days: int | None = None
    # ``answered``: the dates are those of the first answer (as the appraisal counts), else of asking.
    date_by: str = ""
    owner_id: int | None = None  # the advisor's account: what they first answered or now handle
    region_path: str = ""  # any level, by path prefix
    community_ids: tuple[int, ...] | None = None  # the communities an advisor served (``served_by``)


def inbox(
    queryset: QuerySet[Consultation], user, *, tab: str = "new", filters: Filters | None = None
) -> QuerySet[Consultation]:
    """A tab of the inbox with filters applied, most urgent and soonest due first."""
    now = timezone.now()
    rows = queryset.filter(_tab_conditions(user, now).get(tab, Q()))
    f = filters or Filters()
    if f.status:
        rows = rows.filter(status=f.status)
    if f.category:
        # Until an advisor confirms the category on closing, the triage's suggestion stands for it
        # (as in the reports' counts by category, which link here).
        rows = rows.filter(Q(category=f.category) | Q(category="", category_suggested=f.category))
    if f.channel:
        rows = rows.filter(channel=f.channel)
    if f.community:
        rows = rows.filter(community__code=f.community)
    if f.level:
        rows = rows.filter(level=f.level)
    if f.region_path:
        rows = rows.filter(community__path__startswith=f.region_path)
    if f.community_ids is not None:
        rows = rows.filter(community_id__in=f.community_ids)
    if f.owner_id is not None:
        rows = rows.filter(owner_id=f.owner_id)
    day = "first_response_at__date" if f.date_by == "answered" else "created_at__date"
    if f.date_from:
        rows = rows.filter(**{f"{day}__gte": f.date_from})
    if f.date_to:
        rows = rows.filter(**{f"{day}__lte": f.date_to})
    if f.waited_days is not None:
        rows = rows.filter(waited_condition(f.waited_days, now))
    order = (
        ["-urgency", "due_at", "-created_at"]
        if tab in ("new", "mine", "pool", "overdue")
        else ["-created_at"]
    )
    return rows.select_related("community", "owner").order_by(*order, "-id")


def street_queue(user) -> QuerySet[Consultation]:
    return consultations_visible_to(user).filter(level=Level.STREET)


def district_queue(user) -> QuerySet[Consultation]:
    return consultations_visible_to(user).filter(level=Level.DISTRICT)


def can_see_street_queue(user) -> bool:
    return bool(roles_of(user) & {Role.OFFICE, Role.BUREAU, Role.SYSADMIN})


def can_see_district_queue(user) -> bool:
    return bool(roles_of(user) & {Role.BUREAU, Role.SYSADMIN})


def consultation_thread(consultation: Consultation) -> list[Message]:
    return list(
        consultation.messages.select_related("author_user").prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
        )
    )


def consultation_events(consultation: Consultation):
    return consultation.events.select_related("actor", "owner")


def advisor_communities(user) -> QuerySet[Region]:
    """Communities where the user's lawyer serves today (where they log phone and walk-in questions)."""
    return Region.objects.filter(
        pk__in=current_assignments().filter(lawyer__user=user).values("community_id")
    ).order_by("code")


def lawyer_of(user) -> Lawyer | None:
    return Lawyer.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None


def away_periods(lawyer: Lawyer) -> QuerySet[AdvisorAway]:
    return AdvisorAway.objects.filter(lawyer=lawyer, ends_at__gt=timezone.now()).order_by("starts_at")


def resident_view(consultation_ids: list[int], community: Region) -> list[Consultation]:
    """The consultations a resident has proved (phone + receipt code) in this browser session."""
    return list(
        Consultation.objects.filter(pk__in=consultation_ids, community=community)
        .select_related("community")
        .prefetch_related("messages", "attachments")
        .order_by("-created_at")
    )


def minutes_left(consultation: Consultation, now: datetime | None = None) -> int | None:
    """Wall-clock minutes to the deadline while the item waits on an advisor (negative when overdue);
    None when no clock runs (answered, closed, waiting on the resident)."""
    if consultation.status not in OPEN_STATUSES or consultation.due_at is None:
        return None
    return int((consultation.due_at - (now or timezone.now())).total_seconds() // 60)


def minutes_waited(consultation: Consultation, now: datetime | None = None) -> int | None:
    """Wall-clock minutes since the resident asked, while the question is unresolved (open or waiting
    on the resident); None once answered or closed."""
    if consultation.status not in (*OPEN_STATUSES, *WAITING_STATUSES):
        return None
    return max(0, int(((now or timezone.now()) - consultation.created_at).total_seconds() // 60))


def rating_summary(queryset: QuerySet[Consultation]) -> dict:
    from django.db.models import Avg

    return queryset.filter(rating__isnull=False).aggregate(
        count=Count("rating"), average=Avg("rating__score")
    )


@dataclass(frozen=True)
class CommunityFigures:
    """Counts only, for those who may not read residents' questions (community staff)."""

    communities: list
    this_month: int
    last_month: int
    waiting: int
    overdue: int
    answered_this_month: int
    average_first_response_minutes: float | None
    rating_count: int
    rating_average: float | None


def community_figures(user, now: datetime | None = None) -> CommunityFigures | None:
    """This month's service figures for the communities of a community staff member."""
    from django.db.models import Avg

    from guwen.accounts.scope import communities_visible_to

    if Role.COMMUNITY_STAFF not in roles_of(user):
        return None
    communities = list(communities_visible_to(user).order_by("code"))
    if not communities:
        return None
    now = now or timezone.now()
    today = timezone.localdate(now)
    month_start = today.replace(day=1)
    last_month_start = (month_start - timedelta(days=1)).replace(day=1)
    rows = Consultation.objects.filter(community__in=communities)
    counted = rows.filter(  # only the rows a count takes, not the years before last month
        Q(created_at__date__gte=last_month_start)
        | Q(first_response_at__date__gte=month_start)
        | Q(status__in=OPEN_STATUSES)
    )
    figures = counted.aggregate(
        this_month=Count("pk", filter=Q(created_at__date__gte=month_start)),
        last_month=Count(
            "pk", filter=Q(created_at__date__gte=last_month_start, created_at__date__lt=month_start)
        ),
        waiting=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_condition(now)),
        answered_this_month=Count("pk", filter=Q(first_response_at__date__gte=month_start)),
        average_first_response_minutes=Avg(
            "minutes_to_first_response", filter=Q(first_response_at__date__gte=month_start)
        ),
    )
    ratings = rating_summary(rows.filter(rating__created_at__date__gte=month_start))
    return CommunityFigures(
        communities=communities,
        rating_count=ratings["count"] or 0,
        rating_average=ratings["average"],
        **figures,
    )


def knowledge_ref(consultation: Consultation) -> str:
    """The knowledge base's reference to the entry of a consultation marked reusable."""
    return f"consultation:{consultation.pk}"


def knowledge_entry(consultation: Consultation):
    """The consultation's entry in the knowledge base (anonymised), when it is marked reusable."""
    if not consultation.reusable:
        return None
    from guwen.knowledge.models import AnsweredQuestion

    return AnsweredQuestion.objects.filter(source_ref=knowledge_ref(consultation)).only("pk").first()


# --- a district's settings: urgency rules and response deadlines ----------------------------------


@dataclass(frozen=True)
class RobotRow:
    """A community of the district and its group robot (None when it has none yet)."""

    community: Region
    channel: GroupChannel | None


def district_communities(district: Region) -> QuerySet[Region]:
    """The district's active communities, by street and code."""
    from guwen.regions.models import Level as RegionLevel

    return (
        Region.objects.filter(level=RegionLevel.COMMUNITY, is_active=True, parent__parent=district)
        .select_related("parent")
        .order_by("parent__code", "code")
    )


def group_robots_of(district: Region) -> list[RobotRow]:
    """The district's active communities, by street and code, each with its group-robot channel."""
    communities = list(district_communities(district))
    channels = {c.community_id: c for c in GroupChannel.objects.filter(community__in=communities)}
    return [RobotRow(community, channels.get(community.pk)) for community in communities]


def settings_districts(user) -> QuerySet[Region]:
    """Districts whose urgency rules and deadlines the user manages: a bureau its own district, the
    system administrator every district."""
    from guwen.regions.models import Level as RegionLevel

    districts = Region.objects.filter(level=RegionLevel.DISTRICT, is_active=True).order_by("code")
    if is_sysadmin(user):
        return districts
    codes = [
        m.region.code
        for m in current_memberships(user)
        if m.role == Role.BUREAU and m.region is not None and m.region.level == RegionLevel.DISTRICT
    ]
    return districts.filter(code__in=codes)


@dataclass(frozen=True)
class DeadlineVersion:
    policy: object
    rows: list  # DeadlineRule, by level then urgency
    own: bool  # the district's own version, not the city-wide default
    in_force: bool


def deadline_versions(district: Region, today: date | None = None) -> list[DeadlineVersion]:
    """The versions that matter to a district today: the one in force (its own, else the default)
    and its own versions still to come, latest last."""
    from guwen.consultations.models import DeadlinePolicy

    today = today or timezone.localdate()
    level_order = {value: i for i, value in enumerate(Level.values)}
    policies = DeadlinePolicy.objects.filter(
        Q(district=district) | Q(district__isnull=True)
    ).prefetch_related("rules")
    past = [p for p in policies if p.effective_from <= today]
    own = sorted((p for p in past if p.district_id == district.pk), key=lambda p: p.effective_from)
    default = sorted((p for p in past if p.district_id is None), key=lambda p: p.effective_from)
    current = (own or default or [None])[-1]
    future = sorted(
        (p for p in policies if p.district_id == district.pk and p.effective_from > today),
        key=lambda p: p.effective_from,
    )

    def version(policy, in_force: bool) -> DeadlineVersion:
        rows = sorted(policy.rules.all(), key=lambda r: (level_order.get(r.level, 9), r.urgency != "normal"))
        return DeadlineVersion(policy, rows, policy.district_id == district.pk, in_force)

    return ([version(current, True)] if current else []) + [version(p, False) for p in future]


def urgency_rules_of(district: Region, today: date | None = None) -> tuple[list, list]:
    """(city-wide rules in force, the district's own rules in force or to come)."""
    from guwen.consultations.models import UrgencyRule

    today = today or timezone.localdate()
    live = UrgencyRule.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gt=today))
    city = list(live.filter(district__isnull=True, effective_from__lte=today).order_by("id"))
    own = list(live.filter(district=district).order_by("effective_from", "id"))
    return city, own


@dataclass(frozen=True)
class EmergencyList:
    lines: list  # emergency.Line, in the order shown
    own: bool  # the district set its own; False: the national defaults


def emergency_numbers_of(district: Region | None) -> EmergencyList:
    """The numbers the district shows first on an urgent receipt: its own, else the defaults."""
    from guwen.consultations import emergency
    from guwen.consultations.models import EmergencyNumbers

    row = EmergencyNumbers.objects.filter(district=district).first() if district is not None else None
    if row is not None and row.lines:
        return EmergencyList(emergency.from_json(row.lines), True)
    return EmergencyList(list(emergency.DEFAULT_LINES), False)


def emergency_numbers_for(community: Region) -> EmergencyList:
    """The emergency numbers of the district a community is in (the district read from its path)."""
    from guwen.consultations.rules import district_code_of
    from guwen.regions.models import Level as RegionLevel

    code = district_code_of(community)
    district = Region.objects.filter(code=code, level=RegionLevel.DISTRICT).first() if code else None
    return emergency_numbers_of(district)


@dataclass(frozen=True)
class TimelyAnswer:
    """A consultation first answered within its deadline, by the user who owned it."""

    pk: int
    owner_id: int
    community_id: int
    answered_on: date


def answers_within_deadline(
    *, region_path: str, start: date, end: date, user_ids: list[int] | None = None
) -> list[TimelyAnswer]:
    """Consultations of the communities under ``region_path`` first answered between ``start`` and
    ``end`` (local dates) no later than their first deadline."""
    from datetime import time

    from django.db.models import F

    tz = timezone.get_current_timezone()
    rows = Consultation.objects.filter(
        community__path__startswith=region_path,
        owner__isnull=False,
        first_response_at__gte=datetime.combine(start, time.min, tzinfo=tz),
        first_response_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
        first_due_at__isnull=False,
        first_response_at__lte=F("first_due_at"),
    )
    if user_ids is not None:
        rows = rows.filter(owner_id__in=user_ids)
    return [
        TimelyAnswer(pk=pk, owner_id=owner, community_id=community, answered_on=timezone.localtime(at).date())
        for pk, owner, community, at in rows.order_by("pk").values_list(
            "pk", "owner_id", "community_id", "first_response_at"
        )
    ]


# --- evaluation: counts for the appraisal, ratings and complaints in scope -----------------------


def answered_in_time_counts(*, user_id: int | None, start: datetime, end: datetime) -> tuple[int, int]:
    """(answered, answered by the first deadline) of the consultations a user first answered in
    [start, end): the appraisal's 按时答复 figure."""
    if user_id is None:
        return 0, 0
    rows = Consultation.objects.filter(
        owner_id=user_id, first_response_at__gte=start, first_response_at__lt=end
    )
    figures = rows.aggregate(
        total=Count("pk"),
        in_time=Count(
            "pk", filter=Q(first_due_at__isnull=True) | Q(first_response_at__lte=F("first_due_at"))
        ),
    )
    return figures["total"], figures["in_time"]


def escalation_counts(*, community_ids: list[int], start: datetime, end: datetime) -> tuple[int, int]:
    """(received, escalated above the community) of the consultations received in [start, end) by
    the given communities."""
    rows = Consultation.objects.filter(
        community_id__in=community_ids, created_at__gte=start, created_at__lt=end
    )
    figures = rows.aggregate(total=Count("pk"), escalated=Count("pk", filter=~Q(level=Level.COMMUNITY)))
    return figures["total"], figures["escalated"]


def rating_figures(*, lawyer_id: int, start: datetime, end: datetime) -> tuple[int, Decimal | None]:
    """(count, mean score 1–5) of the residents' ratings of one advisor given in [start, end)."""
    figures = Rating.objects.filter(lawyer_id=lawyer_id, created_at__gte=start, created_at__lt=end).aggregate(
        n=Count("pk"), mean=Avg("score")
    )
    mean = figures["mean"]
    return figures["n"], (Decimal(str(mean)).quantize(Decimal("0.01")) if mean is not None else None)


def ratings_by_community(*, community_ids: list[int], start: datetime, end: datetime) -> dict[int, tuple]:
    """``{community id: (count, mean score 1–5, ratings of 2 stars or fewer)}`` of the residents'
    ratings given in [start, end) in the given communities (one grouped query)."""
    rows = (
        Rating.objects.filter(community_id__in=community_ids, created_at__gte=start, created_at__lt=end)
        .values("community_id")
        .annotate(n=Count("pk"), mean=Avg("score"), low=Count("pk", filter=Q(score__lte=2)))
    )
    return {
        row["community_id"]: (row["n"], Decimal(str(row["mean"])).quantize(Decimal("0.01")), row["low"])
        for row in rows
    }


def complaint_counts(*, community_ids: list[int], start: datetime, end: datetime) -> tuple[int, int, int]:
    """(opened in [start, end), resolved in [start, end), open and past their deadline today) of the
    complaints about the given communities' work."""
    rows = Complaint.objects.filter(community_id__in=community_ids)
    figures = rows.aggregate(
        opened=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        resolved=Count("pk", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
        overdue=Count("pk", filter=Q(status=ComplaintStatus.OPEN, due_on__lt=timezone.localdate())),
    )
    return figures["opened"], figures["resolved"], figures["overdue"]


def ratings_visible_to(user) -> QuerySet[Rating]:
    """Ratings of items in the user's regions; an advisor also sees every rating of themself."""
    return Rating.objects.filter(_rated_condition(user)).select_related("community", "lawyer")


def _rated_condition(user) -> Q:
    """Records about an advisor's service: the office and bureau by region, community staff their
    community, an advisor their own, a firm admin their firm's lawyers' (never other firms')."""
    if is_sysadmin(user):
        return Q()
    regional = [
        m.region
        for m in current_memberships(user)
        if m.role in {Role.OFFICE, Role.BUREAU, Role.COMMUNITY_STAFF} and m.region is not None
    ]
    condition = Q(pk__in=[])
    for region in regional:
        condition |= Q(community__path__startswith=region.path)
    lawyer = lawyer_of(user)
    if lawyer is not None:
        condition |= Q(lawyer=lawyer)
    firms = [m.firm_id for m in current_memberships(user) if m.role == Role.FIRM_ADMIN and m.firm_id]
    if firms:
        condition |= Q(lawyer__firm_id__in=firms)
    return condition


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """Complaints opened by low ratings, by the same rule as the ratings themselves."""
    return Complaint.objects.filter(_rated_condition(user)).select_related("rating", "community", "lawyer")
