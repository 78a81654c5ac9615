"""JSON API of mediation (mounted under /api/v1/ by guwen/api.py): reads for integration and
checks, scoped like the pages. Writes go through the pages.

``documents`` lists the 卷宗 forms the case has in its present state (``doc_context``), each with
the links of its .docx and PDF pages (scoped and audited like the case page's downloads).
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from guwen.core.apischema import PlainStr, refusals
from guwen.mediation import doc_context, selectors
from guwen.mediation.models import DisputeLead, FileItemKind, MediationCase

router = Router(tags=["mediation"])


def _required_count() -> int:
    return FileItemKind.objects.filter(required=True).count()


class CaseOut(Schema):
    id: int
    number: str
    status: str
    grade: str
    grade_suggested: str
    outcome: str | None
    community_code: str
    dispute_type: str
    source: str
    intake_on: dt.date
    due_on: dt.date
    overdue: bool
    file_present: int
    file_required: int

    @staticmethod
    def resolve_outcome(obj: MediationCase) -> str | None:
        outcome = getattr(obj, "outcome", None) if hasattr(obj, "outcome") else None
        return outcome.kind if outcome else None

    @staticmethod
    def resolve_community_code(obj: MediationCase) -> str:
        return obj.community.code

    @staticmethod
    def resolve_dispute_type(obj: MediationCase) -> str:
        return obj.dispute_type.code

    @staticmethod
    def resolve_overdue(obj: MediationCase) -> bool:
        return selectors.is_overdue(obj)

    @staticmethod
    def resolve_file_present(obj: MediationCase) -> int:
        present = getattr(obj, "required_present", None)
        return present if present is not None else selectors.file_completeness(obj).present

    @staticmethod
    def resolve_file_required(obj: MediationCase) -> int:
        return _required_count()


class PartyOut(Schema):
    role: str
    kind: str
    name: str
    id_number_masked: str
    phone_masked: str
    credit_code: str


class SessionOut(Schema):
    held_on: dt.date
    place: str
    mediators: str
    attendees: str


class FileItemOut(Schema):
    number: int
    name: str
    required: bool
    files: int


class DocumentOut(Schema):
    kind: str  # the registered kind: mediation.agreement
    name: str  # the document's name in its links: agreement, session-2
    title: str
    docx_url: str
    pdf_url: str


class CaseDetailOut(CaseOut):
    title: str
    amount: Decimal | None
    grade_reason: str
    confirmation_deadline: dt.date | None
    missing_items: list[str]
    parties: list[PartyOut]
    sessions: list[SessionOut]
    file_items: list[FileItemOut]
    documents: list[DocumentOut]

    @staticmethod
    def resolve_confirmation_deadline(obj: MediationCase) -> dt.date | None:
        outcome = getattr(obj, "outcome", None) if hasattr(obj, "outcome") else None
        return outcome.confirmation_deadline if outcome else None

    @staticmethod
    def resolve_missing_items(obj: MediationCase) -> list[str]:
        return selectors.file_completeness(obj).missing

    @staticmethod
    def resolve_file_items(obj: MediationCase) -> list[dict]:
        counts = dict(obj.file_items.values("kind_id").annotate(n=Count("pk")).values_list("kind_id", "n"))
        return [
            {"number": k.number, "name": k.name, "required": k.required, "files": counts.get(k.pk, 0)}
            for k in FileItemKind.objects.order_by("number")
        ]

    @staticmethod
    def resolve_documents(obj: MediationCase) -> list[dict]:
        return [
            {
                "kind": doc.key,
                "name": doc.name,
                "title": doc.title,
                "docx_url": reverse("mediation:case_document_docx", args=[obj.pk, doc.name]),
                "pdf_url": reverse("mediation:case_document_pdf", args=[obj.pk, doc.name]),
            }
            for doc in doc_context.documents_available(obj)
        ]


class LeadOut(Schema):
    id: int
    community_code: str
    dispute_type: str
    found_on: dt.date
    place: str
    people_affected: int
    amount: Decimal | None
    risk_level: str
    status: str
    handed_to: str
    warned: bool

    @staticmethod
    def resolve_community_code(obj: DisputeLead) -> str:
        return obj.community.code

    @staticmethod
    def resolve_dispute_type(obj: DisputeLead) -> str:
        return obj.dispute_type.code

    @staticmethod
    def resolve_warned(obj: DisputeLead) -> bool:
        return obj.warned_at is not None


@router.get(
    "/mediation/cases",
    response={200: list[CaseOut], **refusals(401, 422)},
    summary="我可见的调解案件",
    description=(
        "`status`、`community`（区划代码）、`overdue=true` 筛选；卷宗完整度为必须材料已上传数/应上传数。"
    ),
)
@paginate
def list_mediation_cases(
    request, status: PlainStr | None = None, community: PlainStr | None = None, overdue: bool = False
):
    rows = selectors.cases_visible_to(request.user)
    if overdue:
        rows = selectors.overdue_cases(rows)
    if status:
        rows = rows.filter(status=status)
    if community:
        rows = rows.filter(community__code=community)
    return (
        rows.select_related("community", "dispute_type", "outcome")
        .annotate(
            required_present=Count(
                "file_items__kind", filter=Q(file_items__kind__required=True), distinct=True
            )
        )
        .order_by("-intake_on", "-id")
    )


@router.get(
    "/mediation/cases/{case_id}",
    response={200: CaseDetailOut, **refusals(401, 404, 422)},
    summary="调解案件详情（当事人信息已脱敏）",
)
def get_mediation_case(request, case_id: int):
    case = get_object_or_404(
        selectors.cases_visible_to(request.user).select_related("community", "dispute_type"), pk=case_id
    )
    return case


@router.get(
    "/mediation/leads",
    response={200: list[LeadOut], **refusals(401, 422)},
    summary="我可见的矛盾纠纷排查线索",
)
@paginate
def list_mediation_leads(request, status: PlainStr | None = None, community: PlainStr | None = None):
    rows = selectors.leads_visible_to(request.user)
    if status:
        rows = rows.filter(status=status)
    if community:
        rows = rows.filter(community__code=community)
    return rows.select_related("community", "dispute_type").order_by("-found_on", "-id")
