"""JSON API of outreach (mounted under /api/v1/ by guwen/api.py): reads, through the same scoped
selectors as the pages."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from guwen.core.apischema import PlainStr, refusals
from guwen.core.masking import mask_name
from guwen.knowledge.selectors import article_url
from guwen.outreach import selectors
from guwen.outreach.models import Activity, HealthCheck, LegalOpinion, Pairing, Referral
from guwen.outreach.report import check_documents, opinion_documents

router = Router(tags=["outreach"])


class ActivityOut(Schema):
    id: int
    kind: str
    channel: str
    status: str
    date: dt.date
    topic: str
    community_code: str
    community_name: str
    advisors: list[str]
    audience_count: int | None

    @staticmethod
    def resolve_community_code(obj: Activity) -> str:
        return obj.community.code

    @staticmethod
    def resolve_community_name(obj: Activity) -> str:
        return obj.community.name

    @staticmethod
    def resolve_advisors(obj: Activity) -> list[str]:
        return [lawyer.name for lawyer in obj.advisors.all()]


class CoverageOut(Schema):
    quarter: str
    first_day: dt.date
    last_day: dt.date
    community_code: str
    community_name: str
    held: int
    planned: int
    required: int
    behind: bool


class CheckFields(Schema):
    id: int
    enterprise: str
    credit_code: str
    community_code: str
    date: dt.date
    status: str
    follow_up_on: dt.date | None
    risk_points: int


class CheckOut(CheckFields):
    @staticmethod
    def resolve_enterprise(obj: HealthCheck) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_credit_code(obj: HealthCheck) -> str:
        return obj.enterprise.credit_code

    @staticmethod
    def resolve_community_code(obj: HealthCheck) -> str:
        return obj.community.code

    @staticmethod
    def resolve_risk_points(obj: HealthCheck) -> int:
        return obj.findings.count()


class FindingOut(Schema):
    id: int
    area: str
    item: str
    issue: str
    legal_basis: str
    article_url: str | None
    risk_level: str
    recommendation: str
    owner: str
    deadline: dt.date | None
    is_fixed: bool


class DocumentOut(Schema):
    kind: str
    title: str
    docx_url: str
    pdf_url: str


class CheckDetailOut(CheckFields):
    scope: str
    method: str
    advisors: list[str]
    reported_on: dt.date | None
    follow_up_result: str
    findings: list[FindingOut]
    documents: list[DocumentOut]


@router.get("/outreach/activities", response={200: list[ActivityOut], **refusals(401, 422)})
@paginate
def outreach_list_activities(
    request,
    kind: PlainStr | None = None,
    status: PlainStr | None = None,
    community_code: PlainStr | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    rows = (
        selectors.activities_visible_to(request.user).select_related("community").prefetch_related("advisors")
    )
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if community_code:
        rows = rows.filter(community__code=community_code)
    if date_from:
        rows = rows.filter(date__gte=date_from)
    if date_to:
        rows = rows.filter(date__lte=date_to)
    return rows


@router.get("/outreach/coverage", response={200: list[CoverageOut], **refusals(401, 422)})
def outreach_coverage(request, quarter: PlainStr | None = None):
    """Per community: lectures held in the quarter (``2026Q4``; the current one when omitted)
    against the district's rule, and whether it is behind."""
    period = selectors.parse_quarter(quarter)
    return [
        {
            "quarter": period.key,
            "first_day": period.first_day,
            "last_day": period.last_day,
            "community_code": row.community.code,
            "community_name": row.community.name,
            "held": row.held,
            "planned": row.planned,
            "required": row.required,
            "behind": row.behind,
        }
        for row in selectors.coverage_visible_to(request.user, period)
    ]


def _checks(request):
    return selectors.checks_visible_to(request.user).select_related("enterprise", "community")


@router.get("/outreach/checkups", response={200: list[CheckOut], **refusals(401, 422)})
@paginate
def outreach_list_checkups(request, status: PlainStr | None = None, community_code: PlainStr | None = None):
    rows = _checks(request)
    if status:
        rows = rows.filter(status=status)
    if community_code:
        rows = rows.filter(community__code=community_code)
    return rows


@router.get("/outreach/checkups/{checkup_id}", response={200: CheckDetailOut, **refusals(401, 404, 422)})
def outreach_get_checkup(request, checkup_id: int):
    check = get_object_or_404(_checks(request), pk=checkup_id)
    findings = [
        {
            "id": f.pk,
            "area": f.area.name,
            "item": f.item.text if f.item_id else "",
            "issue": f.issue,
            "legal_basis": f.legal_basis,
            "article_url": article_url(f.article) if f.article_id else None,
            "risk_level": f.risk_level,
            "recommendation": f.recommendation,
            "owner": f.owner,
            "deadline": f.deadline,
            "is_fixed": f.is_fixed,
        }
        for f in selectors.findings_of(check)
    ]
    return {
        "id": check.pk,
        "enterprise": check.enterprise.name,
        "credit_code": check.enterprise.credit_code,
        "community_code": check.community.code,
        "date": check.date,
        "status": check.status,
        "follow_up_on": check.follow_up_on,
        "risk_points": len(findings),
        "scope": check.scope,
        "method": check.method,
        "advisors": [lawyer.name for lawyer in check.advisors.order_by("name")],
        "reported_on": check.reported_on,
        "follow_up_result": check.follow_up_result,
        "findings": findings,
        "documents": check_documents(check),
    }


class OpinionOut(Schema):
    id: int
    kind: str
    title: str
    community_code: str
    advisor: str
    status: str
    requested_on: dt.date
    due_on: dt.date
    delivered_on: dt.date | None
    working_days_taken: int | None
    overdue: bool
    related_to: str
    documents: list[dict[str, str]]

    @staticmethod
    def resolve_documents(obj: LegalOpinion) -> list[dict[str, str]]:
        return opinion_documents(obj)

    @staticmethod
    def resolve_community_code(obj: LegalOpinion) -> str:
        return obj.community.code

    @staticmethod
    def resolve_advisor(obj: LegalOpinion) -> str:
        return obj.advisor.name

    @staticmethod
    def resolve_overdue(obj: LegalOpinion) -> bool:
        return obj.is_overdue


@router.get("/outreach/opinions", response={200: list[OpinionOut], **refusals(401, 422)})
@paginate
def outreach_list_opinions(request, status: PlainStr | None = None, community_code: PlainStr | None = None):
    """Requests for legal opinions and contract review: requested, due, delivered, working days taken."""
    rows = selectors.opinions_visible_to(request.user).select_related("community", "advisor")
    if status:
        rows = rows.filter(status=status)
    if community_code:
        rows = rows.filter(community__code=community_code)
    return rows


HELD = ["held", "confirmed"]  # a joint activity counts once it took place


class PairingOut(Schema):
    id: int
    firm: str
    branch: str
    community_code: str
    community_name: str
    committee: str
    starts_on: dt.date
    ends_on: dt.date
    goals: str
    joint_activities: int

    @staticmethod
    def resolve_firm(obj: Pairing) -> str:
        return obj.firm.name

    @staticmethod
    def resolve_community_code(obj: Pairing) -> str:
        return obj.community.code

    @staticmethod
    def resolve_community_name(obj: Pairing) -> str:
        return obj.community.name

    @staticmethod
    def resolve_joint_activities(obj: Pairing) -> int:
        return obj.joint_activities


@router.get("/outreach/pairings", response={200: list[PairingOut], **refusals(401, 422)})
@paginate
def outreach_list_pairings(request, community_code: PlainStr | None = None, current: bool | None = None):
    """Party-building pairings (结对共建) in scope, with the number of joint activities held;
    ``current=true`` keeps those whose period includes today."""
    from django.db.models import Count, Q
    from django.utils import timezone

    rows = (
        selectors.pairings_visible_to(request.user)
        .select_related("firm", "community")
        .annotate(joint_activities=Count("activities", filter=Q(activities__status__in=HELD)))
        .order_by("-starts_on", "-pk")
    )
    if community_code:
        rows = rows.filter(community__code=community_code)
    if current:
        today = timezone.localdate()
        rows = rows.filter(starts_on__lte=today, ends_on__gte=today)
    return rows


class ReferralOut(Schema):
    id: int
    community_code: str
    centre: str
    applicant: str
    category: str
    category_label: str
    hardship: bool
    status: str
    sent_on: dt.date
    decided_on: dt.date | None
    closed_on: dt.date | None
    consultation_id: int | None
    mediation_case_id: int | None

    @staticmethod
    def resolve_community_code(obj: Referral) -> str:
        return obj.community.code

    @staticmethod
    def resolve_centre(obj: Referral) -> str:
        return obj.centre.name

    @staticmethod
    def resolve_applicant(obj: Referral) -> str:
        return mask_name(obj.applicant)  # personal data: the API gives the masked name only

    @staticmethod
    def resolve_category_label(obj: Referral) -> str:
        return str(obj.get_category_display())


@router.get("/outreach/referrals", response={200: list[ReferralOut], **refusals(401, 422)})
@paginate
def outreach_list_referrals(request, status: PlainStr | None = None, community_code: PlainStr | None = None):
    """Legal-aid referrals (法律援助转介) in scope: to which centre, when, and how the centre answered;
    the applicant's name masked. The situation and documents stay on the page."""
    rows = selectors.referrals_visible_to(request.user).select_related("community", "centre")
    if status:
        rows = rows.filter(status=status)
    if community_code:
        rows = rows.filter(community__code=community_code)
    return rows.order_by("-sent_on", "-pk")
