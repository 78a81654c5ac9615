"""Pages of the reports app: the dashboard of a region (统计报表) and the advisor's work log."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.scope import lawyers_visible_to
from guwen.consultations.selectors import lawyer_of
from guwen.core.errors import DomainError, refusal_status
from guwen.reports import sections
from guwen.reports.scope import parse_period, scope_for, scopes_for
from guwen.reports.worklog import worklog


def _refusal(request, exc: DomainError):
    return render(request, "reports/error.html", {"message": exc.message}, status=refusal_status(exc))


@login_required
def dashboard(request):
    """A region's figures over a period, every figure linked to its records."""
    region = scope_for(request.user, request.GET.get("region"))
    try:
        period = parse_period(request.GET.get("date_from"), request.GET.get("date_to"))
    except DomainError as exc:
        return _refusal(request, exc)
    built = sections.build_all(region, period)
    return render(
        request,
        "reports/dashboard.html",
        {
            "region": region,
            "period": period,
            "scopes": scopes_for(request.user)[:200],
            "built": built,
            "charts": {"charts": [c.as_json() for b in built for c in b.data.charts]},
        },
    )


def log_request(user, lawyer_id, date_from: date | None, date_to: date | None):
    """The lawyer and the period a request names: the user's own lawyer by default, another only
    among ``lawyers_visible_to``; the last 31 days by default, at most a year."""
    if lawyer_id:
        lawyer = lawyers_visible_to(user).filter(pk=lawyer_id).first()
        if lawyer is None:
            raise Http404
    else:
        lawyer = lawyer_of(user)
        if lawyer is None:
            raise DomainError(_("请指定律师（lawyer_id）"), field="lawyer_id")
    date_to = date_to or timezone.localdate()
    date_from = date_from or date_to - timedelta(days=30)
    if date_from > date_to:
        raise DomainError(_("开始日期不能晚于结束日期"), field="date_from")
    if (date_to - date_from).days > 366:
        raise DomainError(_("一次最多查询一年的工作日志"), field="date_from")
    return lawyer, date_from, date_to


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(_("日期格式应为 2026-11-30"), field="date") from None


@login_required
def worklog_page(request):
    """An advisor's own log, or (for those who may see the lawyer) a chosen lawyer's log within
    their own communities."""
    try:
        lawyer_id = request.GET.get("lawyer_id", "")
        if lawyer_id and not lawyer_id.isdigit():
            raise Http404
        lawyer, date_from, date_to = log_request(
            request.user,
            int(lawyer_id) if lawyer_id else None,
            _date(request.GET.get("date_from")),
            _date(request.GET.get("date_to")),
        )
    except DomainError as exc:
        return _refusal(request, exc)
    entries = worklog(lawyer=lawyer, date_from=date_from, date_to=date_to, viewer=request.user)
    return render(
        request,
        "reports/worklog.html",
        {
            "lawyer": lawyer,
            "entries": entries,
            "date_from": date_from,
            "date_to": date_to,
            "own": lawyer.user_id == request.user.pk,
        },
    )
