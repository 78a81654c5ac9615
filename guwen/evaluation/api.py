"""JSON API of evaluation (mounted under /api/v1/ by guwen/api.py): reads through the same scoped
selectors as the pages."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from guwen.consultations import selectors as consultations
from guwen.core.apischema import PlainStr, refusals
from guwen.evaluation import selectors, services

router = Router(tags=["evaluation"])


class AppraisalOut(Schema):
    id: int
    year: int
    advisor: str
    firm: str
    status: str
    score: Decimal | None
    grade: str


class IndicatorOut(Schema):
    key: str
    name: str
    weight: int
    detail: str
    value: Decimal | None
    points: Decimal | None
    records: str


class AppraisalDetailOut(AppraisalOut):
    adjustment: Decimal
    office_comment: str
    advisor_response: str
    indicators: list[IndicatorOut]


class ComplaintOut(Schema):
    id: int
    status: str
    score: int
    item: str
    community_code: str | None
    advisor: str | None
    due_on: dt.date
    overdue: bool
    outcome: str
    created_at: dt.datetime


def _row(appraisal, preview) -> dict:
    return {
        "id": appraisal.pk,
        "year": appraisal.year,
        "advisor": appraisal.lawyer.name,
        "firm": appraisal.lawyer.firm.name,
        "status": appraisal.status,
        "score": preview.score,
        "grade": preview.grade,
    }


@router.get("/evaluation/appraisals", response={200: list[AppraisalOut], **refusals(401, 422)})
@paginate
def evaluation_list_appraisals(request, year: int | None = None):
    """Appraisals in scope for a year (the current one when omitted), with the live or reviewed
    score and grade."""
    rows = selectors.appraisals_visible_to(request.user).filter(year=year or timezone.localdate().year)
    return [_row(a, services.appraisal_preview(a)) for a in rows.order_by("lawyer__name")]


@router.get(
    "/evaluation/appraisals/{appraisal_id}", response={200: AppraisalDetailOut, **refusals(401, 404, 422)}
)
def evaluation_get_appraisal(request, appraisal_id: int):
    appraisal = get_object_or_404(selectors.appraisals_visible_to(request.user), pk=appraisal_id)
    preview = services.appraisal_preview(appraisal)
    return {
        **_row(appraisal, preview),
        "adjustment": preview.adjustment,
        "office_comment": appraisal.office_comment,
        "advisor_response": appraisal.advisor_response,
        "indicators": [
            {
                "key": r.key,
                "name": r.name,
                "weight": r.weight,
                "detail": r.detail,
                "value": r.value,
                "points": r.points,
                "records": request.build_absolute_uri(r.link),
            }
            for r in preview.indicators
        ],
    }


@router.get("/evaluation/complaints", response={200: list[ComplaintOut], **refusals(401, 422)})
@paginate
def evaluation_list_complaints(request, status: PlainStr | None = None):
    """Complaints opened by low resident ratings, with their deadline and whether it has passed."""
    today = timezone.localdate()
    rows = consultations.complaints_visible_to(request.user)
    if status in {"open", "resolved"}:
        rows = rows.filter(status=status)
    return [
        {
            "id": c.pk,
            "status": c.status,
            "score": c.rating.score,
            "item": c.rating.label,
            "community_code": c.community.code if c.community else None,
            "advisor": c.lawyer.name if c.lawyer else None,
            "due_on": c.due_on,
            "overdue": c.is_overdue(today),
            "outcome": c.outcome,
            "created_at": c.created_at,
        }
        for c in rows
    ]
