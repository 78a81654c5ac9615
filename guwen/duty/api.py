"""JSON API of duty (mounted under /api/v1/ by guwen/api.py): the same services and scope as the pages.

Check-in and check-out here record the server's time like the pages do; a photo is sent through the
page (multipart), not through JSON.
"""

import datetime as dt
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from guwen.accounts.scope import lawyers_visible_to, regions_visible_to
from guwen.core.apischema import PlainStr, refusals
from guwen.core.errors import DomainError, NotFound, refusal_status
from guwen.duty import selectors, services
from guwen.duty.forms import parse_month
from guwen.duty.models import DutyDispute, DutyRule, DutyShift
from guwen.duty.rota import coverage_gaps
from guwen.regions.models import Level

router = Router(tags=["duty"])

# A write answers these besides its result: no session, role or CSRF, out of scope, state, input.
ACTION_REFUSALS = refusals(401, 403, 404, 409, 422)


class ShiftOut(Schema):
    id: int
    community_code: str
    community_name: str
    lawyer_id: int
    lawyer_name: str
    original_lawyer_id: int | None
    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    stands_for: dt.date | None
    place: str
    status: str
    is_late: bool
    is_short: bool
    no_check_out: bool
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    held_minutes: int
    capacity: int
    confirm_due: dt.date

    @staticmethod
    def resolve_community_code(obj: DutyShift) -> str:
        return obj.community.code

    @staticmethod
    def resolve_community_name(obj: DutyShift) -> str:
        return obj.community.name

    @staticmethod
    def resolve_lawyer_name(obj: DutyShift) -> str:
        return obj.lawyer.name


class CheckIn(Schema):
    note: PlainStr = ""


class ConfirmIn(Schema):
    note: PlainStr = ""


class CheckOutIn(Schema):
    note: PlainStr = ""
    confirm: bool = False  # true on the second call, after a 409 confirm_check_out


class BulkConfirmIn(Schema):
    shift_ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(min_length=1, max_length=200)
    note: PlainStr = ""


class Refused(Schema):
    id: int
    detail: str


class BulkConfirmOut(Schema):
    confirmed: list[int]
    refused: list[Refused]


class DisputeIn(Schema):
    reason: PlainStr


class DisputeDecideIn(Schema):
    decision: PlainStr  # "accept" or "reject"
    note: PlainStr = ""


class DisputeOut(Schema):
    id: int
    shift_id: int
    shift_status: str
    status: str
    reason: PlainStr
    raised_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str

    @staticmethod
    def resolve_shift_status(obj) -> str:
        return obj.shift.status


class RuleOut(Schema):
    id: int
    community_code: str
    lawyer_id: int
    lawyer_name: str
    weekdays: list[int]
    # Local wall-clock times (Beijing time) as text: JSON Schema's "time" format would demand an
    # offset, which a weekly rule has none of.
    start_time: str = Field(pattern=r"^\d{2}:\d{2}:\d{2}$", description="开始时间（北京时间，HH:MM:SS）")
    end_time: str = Field(pattern=r"^\d{2}:\d{2}:\d{2}$", description="结束时间（北京时间，HH:MM:SS）")
    place: str
    service_content: str
    capacity: int
    valid_from: dt.date
    valid_to: dt.date | None
    warning: str = ""  # on creation: the rules plan fewer hours a month than the district requires

    @staticmethod
    def resolve_warning(obj: DutyRule) -> str:
        return getattr(obj, "warning", "")

    @staticmethod
    def resolve_start_time(obj: DutyRule) -> str:
        return obj.start_time.isoformat(timespec="seconds")

    @staticmethod
    def resolve_end_time(obj: DutyRule) -> str:
        return obj.end_time.isoformat(timespec="seconds")

    @staticmethod
    def resolve_community_code(obj: DutyRule) -> str:
        return obj.community.code

    @staticmethod
    def resolve_lawyer_name(obj: DutyRule) -> str:
        return obj.lawyer.name

    @staticmethod
    def resolve_weekdays(obj: DutyRule) -> list[int]:
        return obj.weekday_list


class RuleIn(Schema):
    community_code: PlainStr
    lawyer_id: int
    weekdays: list[int]
    start_time: dt.time
    end_time: dt.time
    place: PlainStr
    service_content: PlainStr
    valid_from: dt.date
    valid_to: dt.date | None = None
    capacity: int | None = None


class GenerateIn(Schema):
    community_code: PlainStr
    start: dt.date
    end: dt.date


class GenerateOut(Schema):
    created: int
    existing: int
    holidays: int
    carried: int
    clashes: list[str]


class AttendanceOut(Schema):
    label: str
    community_code: str | None
    lawyer_id: int | None
    shifts_due: int
    shifts_held: int
    shifts_missed: int
    shifts_late: int
    shifts_short: int
    scheduled_minutes: int
    held_minutes: int
    required_minutes: int
    rate: float | None


class GapOut(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    minutes: int


def _shifts(request):
    return selectors.shifts_visible_to(request.user).select_related("community", "lawyer")


@router.get("/duty/shifts", response={200: list[ShiftOut], **refusals(401, 422)})
@paginate
def duty_list_shifts(
    request,
    community_code: PlainStr | None = None,
    status: PlainStr | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    mine: bool = False,
):
    rows = _shifts(request)
    if community_code:
        rows = rows.filter(community__code=community_code)
    if status:
        rows = rows.filter(status=status)
    if date_from:
        rows = rows.filter(date__gte=date_from)
    if date_to:
        rows = rows.filter(date__lte=date_to)
    if mine:
        rows = rows.filter(lawyer__user=request.user)
    return rows.order_by("starts_at", "id")


@router.get("/duty/shifts/{shift_id}", response={200: ShiftOut, **refusals(401, 404, 422)})
def duty_get_shift(request, shift_id: int):
    return get_object_or_404(_shifts(request), pk=shift_id)


@router.post("/duty/shifts/{shift_id}/check-in", response={200: ShiftOut, **ACTION_REFUSALS})
def duty_shift_check_in(request, shift_id: int, payload: CheckIn):
    shift = get_object_or_404(_shifts(request), pk=shift_id)
    return services.duty_shift_check_in(shift=shift, by=request.user, note=payload.note)


@router.post("/duty/shifts/{shift_id}/check-out", response={200: ShiftOut, **ACTION_REFUSALS})
def duty_shift_check_out(request, shift_id: int, payload: CheckOutIn):
    """Within the district's window after the check-in the answer is a 409 with
    ``code="confirm_check_out"`` and the question to ask; send again with ``confirm: true``."""
    shift = get_object_or_404(_shifts(request), pk=shift_id)
    return services.duty_shift_check_out(
        shift=shift, by=request.user, note=payload.note, confirm=payload.confirm
    )


@router.post("/duty/shift-confirmations", response={200: BulkConfirmOut, **ACTION_REFUSALS})
def duty_shifts_confirm(request, payload: BulkConfirmIn):
    """Confirm many shifts in one transaction; the ones that cannot be are listed with the reason."""
    ids = set(payload.shift_ids)
    shifts = list(_shifts(request).filter(pk__in=ids).order_by("starts_at"))
    if len(shifts) != len(ids):
        raise NotFound(_("所选班次不存在或不在您的查看范围"), field="shift_ids")
    result = services.duty_shifts_confirm(shifts=shifts, by=request.user, note=payload.note)
    if not result.confirmed:  # nothing done: the first refusal's meaning (role 403, state 409)
        _first, exc = result.refused[0]
        detail = "；".join(f"{s}：{e.message}" for s, e in result.refused[:10])
        return Status(refusal_status(exc), {"detail": detail, "field": "shift_ids", "code": exc.code})
    return {
        "confirmed": [s.pk for s in result.confirmed],
        "refused": [{"id": s.pk, "detail": str(exc.message)} for s, exc in result.refused],
    }


@router.post("/duty/shifts/{shift_id}/dispute", response={201: DisputeOut, **ACTION_REFUSALS})
def duty_shift_dispute(request, shift_id: int, payload: DisputeIn):
    shift = get_object_or_404(_shifts(request), pk=shift_id)
    dispute = services.duty_shift_dispute(shift=shift, reason=payload.reason, by=request.user)
    return Status(201, dispute)


@router.post("/duty/shifts/{shift_id}/dispute/decide", response={200: DisputeOut, **ACTION_REFUSALS})
def duty_dispute_decide(request, shift_id: int, payload: DisputeDecideIn):
    shift = get_object_or_404(_shifts(request), pk=shift_id)
    dispute = get_object_or_404(DutyDispute.objects.select_related("shift"), shift=shift)
    if payload.decision not in ("accept", "reject"):
        raise DomainError(_("请选择异议成立（accept）或不成立（reject）"), field="decision")
    return services.duty_dispute_decide(
        dispute=dispute, accept=payload.decision == "accept", note=payload.note, by=request.user
    )


@router.post("/duty/shifts/{shift_id}/confirm", response={200: ShiftOut, **ACTION_REFUSALS})
def duty_shift_confirm(request, shift_id: int, payload: ConfirmIn):
    shift = get_object_or_404(_shifts(request), pk=shift_id)
    return services.duty_shift_confirm(shift=shift, by=request.user, note=payload.note)


@router.get("/duty/rules", response={200: list[RuleOut], **refusals(401, 422)})
@paginate
def duty_list_rules(request, community_code: PlainStr | None = None):
    rows = selectors.rules_visible_to(request.user).select_related("community", "lawyer")
    if community_code:
        rows = rows.filter(community__code=community_code)
    return rows.order_by("community__code", "weekdays", "start_time", "id")


@router.post("/duty/rules", response={201: RuleOut, **ACTION_REFUSALS})
def duty_create_rule(request, payload: RuleIn):
    community = selectors.manageable_communities(request.user).filter(code=payload.community_code).first()
    if community is None:
        raise NotFound(_("社区不存在或不在您的管理范围"), field="community_code")
    lawyer = lawyers_visible_to(request.user).filter(pk=payload.lawyer_id).first()
    if lawyer is None:
        raise DomainError(_("律师不存在"), field="lawyer_id")
    rule = services.duty_rule_create(
        community=community,
        lawyer=lawyer,
        weekdays=payload.weekdays,
        start_time=payload.start_time,
        end_time=payload.end_time,
        place=payload.place,
        service_content=payload.service_content,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        capacity=payload.capacity,
        by=request.user,
    )
    return Status(201, rule)


@router.post("/duty/generate", response={200: GenerateOut, **ACTION_REFUSALS})
def duty_generate_shifts(request, payload: GenerateIn):
    community = selectors.manageable_communities(request.user).filter(code=payload.community_code).first()
    if community is None:
        raise NotFound(_("社区不存在或不在您的管理范围"), field="community_code")
    result = services.duty_shifts_generate(
        community=community, start=payload.start, end=payload.end, by=request.user
    )
    return result.__dict__


@router.get("/duty/attendance", response={200: list[AttendanceOut], **refusals(401, 404, 422)})
def duty_attendance(request, month: PlainStr | None = None, community_code: PlainStr | None = None):
    """Attendance per advisor and community for a month (YYYY-MM, default this month)."""
    try:
        first = parse_month(month, timezone.localdate())
    except ValueError as exc:
        raise DomainError(str(exc), field="month") from None
    start, end = selectors.month_bounds(first)
    communities = regions_visible_to(request.user).filter(level=Level.COMMUNITY)
    if community_code:
        communities = communities.filter(code=community_code)
        if not communities.exists():
            raise NotFound(_("社区不存在或不在您的查看范围"), field="community_code")
    rows = selectors.attendance_by_advisor(communities=communities, start=start, end=end)
    return [
        {
            **{k: getattr(row, k) for k in AttendanceOut.model_fields if hasattr(row, k) and k != "rate"},
            "community_code": row.community.code if row.community else None,
            "lawyer_id": row.lawyer.pk if row.lawyer else None,
            "rate": float(row.rate) if row.rate is not None else None,
        }
        for row in rows
    ]


@router.get("/duty/rota/{street_code}/gaps", response={200: list[GapOut], **refusals(401, 404, 422)})
def duty_rota_gaps(request, street_code: PlainStr):
    street = get_object_or_404(selectors.streets_visible_to(request.user), code=street_code)
    return [
        {"starts_at": g.starts_at, "ends_at": g.ends_at, "minutes": g.minutes}
        for g in coverage_gaps(street=street)
    ]
