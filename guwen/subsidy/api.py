"""JSON API of the subsidy module (mounted under /api/v1/ by guwen/api.py): reads through the same
scoped selectors as the pages. Money is a decimal string, never a float."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from guwen.core.apischema import PlainStr, refusals
from guwen.core.errors import DomainError
from guwen.subsidy import selectors

router = Router(tags=["subsidy"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SettlementOut(Schema):
    id: int
    period: str
    advisor: str
    community: str
    status: str
    status_label: str
    total: str
    line_count: int
    flag_count: int
    open_flag_count: int


class LineOut(Schema):
    kind: str
    record_type: str
    record_id: int | None
    record: str
    record_link: str
    completed_on: dt.date | None
    rule_version: int | None
    grade: str
    amount: str
    note: str


class FlagOut(Schema):
    id: int
    kind: str
    status: str
    evidence: str
    record: str
    record_link: str
    reason: str


class SettlementDetailOut(SettlementOut):
    paid_on: dt.date | None
    finance_reference: str
    lines: list[LineOut]
    flags: list[FlagOut]


def _out(s) -> dict:
    return {
        "id": s.pk,
        "period": f"{s.month:%Y-%m}",
        "advisor": s.lawyer.name,
        "community": s.community.name,
        "status": s.status,
        "status_label": s.get_status_display(),
        "total": f"{s.total:.2f}",
        "line_count": s.line_count,
        "flag_count": s.flag_count,
        "open_flag_count": s.open_flags,
    }


@router.get("/subsidy/settlements", response={200: list[SettlementOut], **refusals(401, 422)})
@paginate
def subsidy_list_settlements(request, period: PlainStr | None = None):
    """Settlements in scope; ``period`` (``2026-11``) for one month, every month when omitted."""
    rows = selectors.settlements_visible_to(request.user)
    if period:
        month = selectors.parse_month(period)
        if month is None:
            raise DomainError(_("请按 YYYY-MM 填写月份"), field="period")
        rows = rows.filter(month=month)
    return [_out(s) for s in selectors.with_counts(rows).order_by("-month", "lawyer__name", "pk")]


@router.get(
    "/subsidy/settlements/{settlement_id}", response={200: SettlementDetailOut, **refusals(401, 404, 422)}
)
def subsidy_get_settlement(request, settlement_id: int):
    settlement = get_object_or_404(
        selectors.with_counts(selectors.settlements_visible_to(request.user)), pk=settlement_id
    )
    lines = [
        {
            "kind": line.kind,
            "record_type": line.record_type,
            "record_id": line.record_pk,
            "record": line.record_label,
            "record_link": line.record_url,
            "completed_on": line.completed_on,
            "rule_version": line.rule_set.version if line.rule_set_id else None,
            "grade": line.grade,
            "amount": f"{line.amount:.2f}",
            "note": line.note,
        }
        for line in selectors.lines_of(settlement)
    ]
    flags = [
        {
            "id": f.pk,
            "kind": f.kind,
            "status": f.status,
            "evidence": f.evidence,
            "record": f.record_label,
            "record_link": f.record_url,
            "reason": f.reason,
        }
        for f in settlement.flags.order_by("pk")
    ]
    return {
        **_out(settlement),
        "paid_on": settlement.paid_on,
        "finance_reference": settlement.finance_reference,
        "lines": lines,
        "flags": flags,
    }


@router.get(
    "/subsidy/settlements/{settlement_id}/finance.xlsx",
    response={200: None, **refusals(401, 403, 404, 422)},
    openapi_extra={
        "responses": {
            200: {
                "description": "财务结算表（Excel）",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def subsidy_finance_xlsx(request, settlement_id: int):
    """The finance sheet of the settlement's batch (office, bureau)."""
    from guwen.subsidy.views.exports import finance_response

    settlement = get_object_or_404(
        selectors.settlements_visible_to(request.user).select_related("batch__street", "lawyer", "community"),
        pk=settlement_id,
    )
    try:
        return finance_response(request.user, settlement)
    except PermissionDenied:
        raise DomainError(_("只有司法所和区司法局可以导出财务结算表"), code="forbidden") from None
