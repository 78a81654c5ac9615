"""The statement PDF and the finance sheet, fetched through the scoped selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.subsidy import selectors
from guwen.subsidy.exports import finance_xlsx, statement_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def statement(request, pk: int):
    settlement = get_object_or_404(
        selectors.settlements_visible_to(request.user).select_related("lawyer", "community"), pk=pk
    )
    try:
        data = statement_pdf(settlement)
    except DomainError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{settlement.month:%Y-%m}-{settlement.pk}.pdf"'
    )
    return response


def finance_response(user, settlement) -> HttpResponse:
    """The finance sheet of the settlement's batch, with the batch's settlements the user may see;
    for the office, the bureau and system admins (finance works for them)."""
    from guwen.subsidy.workflow import settlement_roles

    if not settlement_roles(user, settlement) & {"office", "bureau", "sysadmin"}:
        raise PermissionDenied
    batch = settlement.batch
    rows = list(
        selectors.settlements_visible_to(user)
        .filter(batch=batch)
        .select_related("lawyer", "community")
        .order_by("lawyer__name", "month", "pk")
    )
    data = finance_xlsx(batch, rows)
    audit.record(actor=user, action="subsidy.batch.export", obj=batch, context={"settlements": len(rows)})
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="subsidy-{batch.street.code}-{batch.starts_on:%Y-%m}.xlsx"'
    )
    return response


@login_required
def finance(request, pk: int):
    settlement = get_object_or_404(
        selectors.settlements_visible_to(request.user).select_related("batch__street", "lawyer", "community"),
        pk=pk,
    )
    return finance_response(request.user, settlement)
