"""The work log page: an advisor's own log, or (for those who may see the lawyer) a chosen
lawyer's log within their own communities; and a free entry for work no module records."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guwen.accounts.scope import lawyers_visible_to
from guwen.core.errors import DomainError
from guwen.core.formtools import form_submit
from guwen.outreach import services
from guwen.outreach.forms import WorkLogEntryForm
from guwen.outreach.views.common import form_page
from guwen.outreach.workflow import lawyer_of
from guwen.outreach.worklog import worklog
from guwen.regions.models import Region
from guwen.regions.selectors import current_assignments


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
        return render(request, "outreach/error.html", {"message": exc.message}, status=422)
    entries = worklog(lawyer=lawyer, date_from=date_from, date_to=date_to, viewer=request.user)
    return render(
        request,
        "outreach/worklog.html",
        {
            "lawyer": lawyer,
            "entries": entries,
            "date_from": date_from,
            "date_to": date_to,
            "own": lawyer.user_id == request.user.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def worklog_entry_create(request):
    lawyer = lawyer_of(request.user)
    if lawyer is None:
        raise Http404
    communities = Region.objects.filter(
        pk__in=current_assignments().filter(lawyer=lawyer).values("community_id")
    )
    form = WorkLogEntryForm(request.POST or None, communities=communities)
    done, _entry = form_submit(
        request, form, lambda data: services.worklog_entry_create(by=request.user, **data)
    )
    if done:
        messages.success(request, _("已记入工作日志"))
        return redirect("outreach:worklog")
    return form_page(request, form, _("记录工作日志"))
