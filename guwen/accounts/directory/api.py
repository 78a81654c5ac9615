"""JSON API for regions, firms, lawyers and assignments: the same services and scope as the pages."""

# No `from __future__ import annotations` here: ninja's @paginate resolves a paginated view's
# annotations in its own module, where PlainStr as a string would be unknown.

from datetime import date

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from guwen.accounts import scope
from guwen.core.apischema import PlainStr, refusals
from guwen.core.errors import DomainError, NotFound
from guwen.regions import services
from guwen.regions.models import Assignment, LawFirm, Lawyer, Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    is_village_converted: bool

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent_id else None


class FirmOut(Schema):
    id: int
    name: str
    credit_code: str
    address: str
    phone: str


class FirmIn(Schema):
    name: PlainStr
    credit_code: PlainStr
    address: PlainStr = ""
    phone: PlainStr = ""
    district_code: PlainStr | None = None


class LawyerOut(Schema):
    id: int
    name: str
    licence_number: str
    firm_id: int
    phone_masked: str
    id_number_masked: str
    specialties: list[str]
    is_active: bool

    @staticmethod
    def resolve_phone_masked(obj: Lawyer) -> str:
        from guwen.core.masking import mask_phone

        return mask_phone(obj.phone)

    @staticmethod
    def resolve_specialties(obj: Lawyer) -> list[str]:
        return obj.specialty_list


class LawyerIn(Schema):
    name: PlainStr
    licence_number: PlainStr
    firm_id: int
    phone: PlainStr
    id_number: PlainStr | None = None
    specialties: PlainStr = ""


class AssignmentOut(Schema):
    id: int
    lawyer_id: int
    lawyer_name: str
    community_code: str
    firm_id: int
    role: str
    starts_on: date
    ends_on: date | None

    @staticmethod
    def resolve_lawyer_name(obj: Assignment) -> str:
        return obj.lawyer.name

    @staticmethod
    def resolve_community_code(obj: Assignment) -> str:
        return obj.community.code


class AssignmentIn(Schema):
    lawyer_id: int
    community_code: PlainStr
    role: PlainStr = "primary"
    starts_on: date
    ends_on: date | None = None
    note: PlainStr = ""


@router.get("/regions", response={200: list[RegionOut], **refusals(401, 422)})
@paginate
def list_regions(request, level: PlainStr | None = None, q: PlainStr | None = None):
    regions = scope.regions_visible_to(request.user).select_related("parent").order_by("code")
    if level:
        regions = regions.filter(level=level)
    if q:
        regions = regions.filter(Q(name__contains=q) | Q(code__startswith=q))
    return regions


@router.get("/regions/{code}", response={200: RegionOut, **refusals(401, 404, 422)})
def get_region(request, code: PlainStr):
    return get_object_or_404(scope.regions_visible_to(request.user).select_related("parent"), code=code)


@router.get("/firms", response={200: list[FirmOut], **refusals(401, 422)})
@paginate
def list_firms(request):
    return scope.firms_visible_to(request.user).order_by("name")


@router.get("/firms/{firm_id}", response={200: FirmOut, **refusals(401, 404, 422)})
def get_firm(request, firm_id: int):
    return get_object_or_404(scope.firms_visible_to(request.user), pk=firm_id)


@router.post("/firms", response={201: FirmOut, **refusals(401, 403, 409, 422)})
def create_firm(request, payload: FirmIn):
    if not scope.can_register_firms(request.user):
        raise HttpError(403, _("您的角色无权登记律师事务所"))
    district = None
    if payload.district_code:
        district = (
            scope.regions_visible_to(request.user)
            .filter(code=payload.district_code, level="district")
            .first()
        )
        if district is None:
            raise DomainError(_("区划代码不存在或不在您的管辖范围"), field="district_code")
    firm = services.lawfirm_create(
        name=payload.name,
        credit_code=payload.credit_code,
        address=payload.address,
        phone=payload.phone,
        district=district,
        by=request.user,
    )
    return Status(201, firm)


@router.get("/lawyers", response={200: list[LawyerOut], **refusals(401, 422)})
@paginate
def list_lawyers(request):
    return scope.lawyers_visible_to(request.user).order_by("name", "id")


@router.get("/lawyers/{lawyer_id}", response={200: LawyerOut, **refusals(401, 404, 422)})
def get_lawyer(request, lawyer_id: int):
    return get_object_or_404(scope.lawyers_visible_to(request.user), pk=lawyer_id)


@router.post("/lawyers", response={201: LawyerOut, **refusals(401, 403, 404, 409, 422)})
def create_lawyer(request, payload: LawyerIn):
    firm = scope.manageable_firms(request.user).filter(pk=payload.firm_id).first()
    if firm is None:
        raise NotFound(_("律师事务所不存在或不在您的管理范围"), field="firm_id")
    lawyer = services.lawyer_create(
        name=payload.name,
        licence_number=payload.licence_number,
        firm=firm,
        phone=payload.phone,
        id_number=payload.id_number,
        specialties=payload.specialties,
        by=request.user,
    )
    return Status(201, lawyer)


@router.get("/assignments", response={200: list[AssignmentOut], **refusals(401, 422)})
@paginate
def list_assignments(request, community_code: PlainStr | None = None, current: bool = False):
    rows = scope.assignments_visible_to(request.user).select_related("lawyer", "community")
    if community_code:
        rows = rows.filter(community__code=community_code)
    if current:
        from guwen.regions.selectors import current_assignments

        rows = rows.filter(pk__in=current_assignments().values("pk"))
    return rows.order_by("community__code", "-starts_on", "id")


@router.post("/assignments", response={201: AssignmentOut, **refusals(401, 403, 404, 409, 422)})
def create_assignment(request, payload: AssignmentIn):
    community = scope.manageable_regions(request.user).filter(code=payload.community_code).first()
    if community is None:
        raise NotFound(_("社区不存在或不在您的管理范围"), field="community_code")
    lawyer = scope.lawyers_appointable_by(request.user).filter(pk=payload.lawyer_id).first()
    if lawyer is None:
        raise DomainError(_("律师不存在"), field="lawyer_id")
    assignment = services.assignment_create(
        lawyer=lawyer,
        community=community,
        role=payload.role,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        note=payload.note,
        by=request.user,
    )
    return Status(201, assignment)


__all__ = ["LawFirm", "router"]
