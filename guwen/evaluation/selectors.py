"""Reads of evaluation, scoped (DESIGN §5): which appraisals, evaluations and survey figures a user
may see, and the table versions in force for a community and year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from guwen.accounts.models import Membership, Role
from guwen.accounts.scope import communities_visible_to, current_memberships, is_sysadmin, roles_of
from guwen.consultations import selectors as consultations
from guwen.consultations.models import Complaint, ComplaintStatus
from guwen.evaluation.models import (
    Appraisal,
    AppraisalScheme,
    AppraisalStatus,
    CommunityEvaluation,
    ComplaintOverdueNotice,
    EvaluationForm,
    Questionnaire,
    SurveyResponse,
)
from guwen.evaluation.rules import GRADES
from guwen.outreach.selectors import Quarter
from guwen.regions.models import Assignment, AssignmentRole, Lawyer, Region
from guwen.regions.selectors import current_assignments, in_force_on

OFFICE_ROLES = {Role.OFFICE, Role.BUREAU, Role.SYSADMIN}
EVALUATORS = {Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}


def district_of(community: Region | None) -> Region | None:
    if community is None:
        return None
    if community.level == "district":
        return community
    street = community if community.level == "street" else community.parent
    return street.parent if street is not None else None


def _in_force(model, community: Region | None, year: int):
    district = district_of(community)
    rows = model.objects.filter(year__lte=year).filter(Q(district=None) | Q(district=district))
    # The district's own version wins over the city default of the same year.
    return rows.order_by("-year", F("district_id").asc(nulls_last=True), "-version").first()


def questionnaire_for(community: Region, year: int) -> Questionnaire | None:
    return _in_force(Questionnaire, community, year)


def form_for(community: Region, year: int) -> EvaluationForm | None:
    return _in_force(EvaluationForm, community, year)


def scheme_for(lawyer: Lawyer, year: int) -> AppraisalScheme | None:
    return _in_force(AppraisalScheme, lawyer.firm.district if lawyer.firm_id else None, year)


def min_sample() -> int:
    return int(getattr(settings, "GUWEN_SURVEY_MIN_SAMPLE", 20))


@dataclass
class SurveyProgress:
    community: Region
    quarter: Quarter
    responses: int
    required: int
    mean: Decimal | None

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.responses / self.required)) if self.required else 100

    @property
    def reached(self) -> bool:
        return self.responses >= self.required


def survey_progress(community: Region, quarter: Quarter) -> SurveyProgress:
    figures = SurveyResponse.objects.filter(
        community=community, year=quarter.year, quarter=quarter.number
    ).aggregate(n=Count("pk"), mean=Avg("score"))
    mean = figures["mean"]
    return SurveyProgress(
        community,
        quarter,
        figures["n"],
        min_sample(),
        Decimal(str(mean)).quantize(Decimal("0.01")) if mean is not None else None,
    )


def survey_mean(*, community_ids: list[int], year: int) -> tuple[int, Decimal | None]:
    figures = SurveyResponse.objects.filter(community_id__in=community_ids, year=year).aggregate(
        n=Count("pk"), mean=Avg("score")
    )
    mean = figures["mean"]
    return figures["n"], (Decimal(str(mean)).quantize(Decimal("0.01")) if mean is not None else None)


def _lawyer_condition(user, prefix: str = "") -> Q:
    """Appraisals and evaluations of advisors: the office and bureau those serving their regions,
    community staff their community's advisor, an advisor their own, a firm admin their firm's."""
    if is_sysadmin(user):
        return Q()
    condition = Q(pk__in=[])
    for region in _regional(user):
        served = current_assignments().filter(community__path__startswith=region.path).values("lawyer_id")
        condition |= Q(**{f"{prefix}lawyer_id__in": served})
    if getattr(user, "is_authenticated", False):
        condition |= Q(**{f"{prefix}lawyer__user": user})
    firms = [m.firm_id for m in current_memberships(user) if m.role == Role.FIRM_ADMIN and m.firm_id]
    if firms:
        condition |= Q(**{f"{prefix}lawyer__firm_id__in": firms})
    return condition


def _regional(user) -> list[Region]:
    return [
        m.region
        for m in current_memberships(user)
        if m.role in {Role.OFFICE, Role.BUREAU, Role.COMMUNITY_STAFF} and m.region is not None
    ]


def appraisals_visible_to(user) -> QuerySet[Appraisal]:
    """As ``_lawyer_condition``, and for the regions' readers also the appraisals of the years an
    advisor served them, though the advisor has left since: the office that wrote the appraisal
    keeps it, and the dashboard, which counts the advisors who served in the year, opens it."""
    if not getattr(user, "is_authenticated", False):
        return Appraisal.objects.none()
    if is_sysadmin(user):
        return Appraisal.objects.select_related("lawyer__firm")
    condition = _lawyer_condition(user)
    for region in _regional(user):
        served_that_year = Assignment.objects.filter(
            lawyer_id=OuterRef("lawyer_id"),
            community__path__startswith=region.path,
            starts_on__year__lte=OuterRef("year"),
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__year__gte=OuterRef("year")))
        condition |= Exists(served_that_year)
    return Appraisal.objects.filter(condition).select_related("lawyer__firm")


def lawyers_to_appraise(user) -> QuerySet[Lawyer]:
    """Advisors whose appraisal the user may open or start: those serving the office's street."""
    if not roles_of(user) & OFFICE_ROLES:
        return Lawyer.objects.none()
    if is_sysadmin(user):
        return Lawyer.objects.filter(pk__in=current_assignments().values("lawyer_id"))
    regions = [m.region for m in current_memberships(user) if m.role in OFFICE_ROLES and m.region]
    condition = Q(pk__in=[])
    for region in regions:
        condition |= Q(
            pk__in=current_assignments().filter(community__path__startswith=region.path).values("lawyer_id")
        )
    return Lawyer.objects.filter(condition)


def evaluations_visible_to(user) -> QuerySet[CommunityEvaluation]:
    if not getattr(user, "is_authenticated", False):
        return CommunityEvaluation.objects.none()
    condition = _lawyer_condition(user)
    if is_sysadmin(user):
        return CommunityEvaluation.objects.all()
    # Community staff see their community's evaluations, whoever the advisor was.
    condition |= (
        Q(community__in=communities_visible_to(user)) if roles_of(user) & EVALUATORS else Q(pk__in=[])
    )
    return CommunityEvaluation.objects.filter(condition).select_related("community", "lawyer")


def evaluation_communities(user) -> QuerySet[Region]:
    """Communities whose advisor the user may evaluate: community staff's own (the office too)."""
    if not roles_of(user) & EVALUATORS:
        return Region.objects.none()
    return communities_visible_to(user).filter(is_active=True).order_by("code")


def assigned_in_quarter(*, lawyer: Lawyer, community: Region, quarter: Quarter) -> bool:
    """Whether the advisor served the community at any time in the quarter."""
    return (
        Assignment.objects.filter(lawyer=lawyer, community=community, starts_on__lte=quarter.last_day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=quarter.first_day))
        .exists()
    )


def advisors_of(community: Region, quarter: Quarter) -> QuerySet[Lawyer]:
    ids = (
        Assignment.objects.filter(community=community, starts_on__lte=quarter.last_day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=quarter.first_day))
        .values("lawyer_id")
    )
    return Lawyer.objects.filter(pk__in=ids).order_by("name")


def community_evaluation_mean(*, lawyer_id: int, year: int) -> tuple[int, Decimal | None]:
    figures = CommunityEvaluation.objects.filter(lawyer_id=lawyer_id, year=year).aggregate(
        n=Count("pk"), mean=Avg("total")
    )
    mean = figures["mean"]
    return figures["n"], (Decimal(str(mean)).quantize(Decimal("0.01")) if mean is not None else None)


def missing_evaluations(quarter: Quarter) -> list[tuple[Region, Lawyer]]:
    """(community, advisor) pairs of primary assignments in force at the quarter's end with no
    evaluation for that quarter: what the reminder sweep asks for."""
    done = set(
        CommunityEvaluation.objects.filter(year=quarter.year, quarter=quarter.number).values_list(
            "community_id", "lawyer_id"
        )
    )
    rows = (
        Assignment.objects.filter(role=AssignmentRole.PRIMARY, starts_on__lte=quarter.last_day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=quarter.last_day))
        .select_related("community", "lawyer")
    )
    return [(a.community, a.lawyer) for a in rows if (a.community_id, a.lawyer_id) not in done]


def current_assignments_of_communities(communities: QuerySet[Region]) -> QuerySet[Assignment]:
    return current_assignments().filter(community__in=communities)


def survey_communities(user) -> QuerySet[Region]:
    """Communities whose survey progress the user may follow."""
    return communities_visible_to(user).filter(is_active=True).order_by("code")


# --- versioned tables -----------------------------------------------------------------------------

TABLE_EDITORS = {Role.BUREAU, Role.SYSADMIN}


def table_districts(user) -> QuerySet[Region]:
    """Districts whose tables the user keeps: the bureau its own, the system admin every one."""
    if is_sysadmin(user):
        return Region.objects.filter(level="district").order_by("code")
    ids = [
        m.region_id
        for m in current_memberships(user)
        if m.role == Role.BUREAU and m.region is not None and m.region.level == "district"
    ]
    return Region.objects.filter(pk__in=ids).order_by("code")


def tables_visible_to(user, model) -> QuerySet:
    """Versions of a table the user may read: the city default and their districts' own."""
    if not roles_of(user) & TABLE_EDITORS:
        return model.objects.none()
    rows = model.objects.select_related("district")
    if is_sysadmin(user):
        return rows
    return rows.filter(Q(district=None) | Q(district__in=table_districts(user)))


def table_in_force(model, district: Region | None, year: int):
    """The version of a table in force for a district (or the city, with None) and year."""
    return _in_force(model, district, year)


def tables_in_use(model, ids) -> set[int]:
    """The versions among ``ids`` that records refer to (never edited: a change is a new version)."""
    ids = list(ids)
    if model is Questionnaire:
        used = SurveyResponse.objects.filter(questionnaire_id__in=ids).values_list(
            "questionnaire_id", flat=True
        )
    elif model is EvaluationForm:
        used = CommunityEvaluation.objects.filter(form_id__in=ids).values_list("form_id", flat=True)
    else:
        used = Appraisal.objects.filter(scheme_id__in=ids).values_list("scheme_id", flat=True)
    return set(used)


def table_in_use(row) -> bool:
    return row.pk is not None and row.pk in tables_in_use(type(row), [row.pk])


# --- who is told ----------------------------------------------------------------------------------


def firm_admins(firm_id: int | None) -> list[int]:
    """The users who administer a firm today."""
    if firm_id is None:
        return []
    today = timezone.localdate()
    return list(
        Membership.objects.filter(
            in_force_on(today), role=Role.FIRM_ADMIN, firm_id=firm_id, user__is_active=True
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def office_users_for(community: Region | None) -> list[int]:
    """The judicial office (司法所) of the community's street today: who follows its complaints."""
    if community is None:
        return []
    street = community if community.level == "street" else community.parent
    if street is None:
        return []
    today = timezone.localdate()
    return list(
        Membership.objects.filter(in_force_on(today), role=Role.OFFICE, region=street, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def overdue_complaints(today):
    """Complaints (差评投诉) still open after their deadline, oldest deadline first. They belong to
    consultations, which keeps the rating link; the sweep that tells the office reads them here."""
    return (
        Complaint.objects.filter(status=ComplaintStatus.OPEN, due_on__lt=today)
        .select_related("rating", "community__parent", "lawyer")
        .exclude(pk__in=ComplaintOverdueNotice.objects.values("complaint_id"))
        .order_by("due_on", "pk")
    )


# --- for the reports (aggregates; the reports module scopes the region) ---------------------------

LOW_MEAN = Decimal("3.50")  # a community whose residents rate under 3.5 stars on average is named


@dataclass(frozen=True)
class RegionEvaluation:
    """A region's evaluation figures for a quarter, as the quarterly summary writes them."""

    ratings: int
    rating_mean: Decimal | None
    low_ratings: int  # 2 stars or fewer: each opened a complaint
    low_rated: list[tuple[str, int, Decimal]]  # (community, ratings, mean) under LOW_MEAN
    complaints_opened: int
    complaints_resolved: int
    complaints_overdue: int  # open and past their deadline today
    surveys: list[SurveyProgress]  # one per community, in code order
    grades: dict[str, int]  # reviewed appraisals of the year by grade, every grade present
    appraisals_draft: int

    @property
    def surveys_reached(self) -> list[SurveyProgress]:
        return [s for s in self.surveys if s.reached]

    @property
    def surveys_behind(self) -> list[SurveyProgress]:
        return [s for s in self.surveys if not s.reached]

    @property
    def survey_responses(self) -> int:
        return sum(s.responses for s in self.surveys)


def survey_figures(communities, quarter: Quarter) -> list[SurveyProgress]:
    """The quarter's survey progress of each of ``communities`` (in their order), in one grouped
    query: the rows of the survey page and the dashboard's figure alike."""
    communities = list(communities)
    answers = {
        row["community_id"]: row
        for row in SurveyResponse.objects.filter(
            community_id__in=[c.pk for c in communities], year=quarter.year, quarter=quarter.number
        )
        .values("community_id")
        .annotate(n=Count("pk"), mean=Avg("score"))
    }
    required = min_sample()
    return [
        SurveyProgress(
            c,
            quarter,
            answers[c.pk]["n"] if c.pk in answers else 0,
            required,
            Decimal(str(answers[c.pk]["mean"])).quantize(Decimal("0.01")) if c.pk in answers else None,
        )
        for c in communities
    ]


def survey_list_communities(user, quarter: Quarter) -> QuerySet[Region]:
    """The communities on the survey page: the active ones the user may see, and any closed since
    whose residents answered in the quarter (their answers count in the region's figure)."""
    answered = SurveyResponse.objects.filter(year=quarter.year, quarter=quarter.number).values("community_id")
    return (
        communities_visible_to(user)
        .filter(level="community")
        .filter(Q(is_active=True) | Q(pk__in=answered))
        .order_by("code")
    )


def served_in_year(communities: Q, year: int) -> QuerySet:
    """The advisors (``lawyer_id`` values) assigned at some time in ``year`` to the communities
    matched by ``communities`` (a condition on ``Assignment``): whose appraisals a region counts."""
    return (
        Assignment.objects.filter(communities, starts_on__lte=date(year, 12, 31))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=date(year, 1, 1)))
        .values("lawyer_id")
    )


def region_figures(communities: QuerySet[Region], quarter: Quarter, start, end) -> RegionEvaluation:
    """Ratings and complaints in [start, end) (aware datetimes), survey progress for ``quarter``
    and the appraisals of its year of the advisors who served the communities in that year: five
    grouped queries."""
    communities = list(communities.order_by("code"))
    ids = [c.pk for c in communities]
    by_community = consultations.ratings_by_community(community_ids=ids, start=start, end=end)
    count = sum(n for n, _mean, _low in by_community.values())
    total = sum(n * mean for n, mean, _low in by_community.values())
    names = {c.pk: c.name for c in communities}
    low_rated = sorted(
        (names[pk], n, mean) for pk, (n, mean, _low) in by_community.items() if mean < LOW_MEAN
    )
    opened, resolved, overdue = consultations.complaint_counts(community_ids=ids, start=start, end=end)
    surveys = survey_figures(communities, quarter)
    served = served_in_year(Q(community_id__in=ids), quarter.year)
    grades = dict.fromkeys(GRADES, 0)
    draft = 0
    for row in (
        Appraisal.objects.filter(year=quarter.year, lawyer_id__in=served)
        .values("status", "grade")
        .annotate(n=Count("pk"))
    ):
        if row["status"] == AppraisalStatus.REVIEWED and row["grade"] in grades:
            grades[row["grade"]] += row["n"]
        else:
            draft += row["n"]
    return RegionEvaluation(
        ratings=count,
        rating_mean=(total / count).quantize(Decimal("0.01")) if count else None,
        low_ratings=sum(low for _n, _mean, low in by_community.values()),
        low_rated=low_rated,
        complaints_opened=opened,
        complaints_resolved=resolved,
        complaints_overdue=overdue,
        surveys=surveys,
        grades=grades,
        appraisals_draft=draft,
    )
