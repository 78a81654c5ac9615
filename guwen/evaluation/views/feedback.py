"""Residents' ratings and the complaints low ratings open: the office resolves, the advisor replies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guwen.accounts.narrowing import chips, narrowing_from, period_chip, refused
from guwen.consultations import selectors as consultations
from guwen.consultations import services as consultation_services
from guwen.consultations.models import ComplaintStatus
from guwen.consultations.services.ratings import LOW_SCORE
from guwen.core.errors import DomainError
from guwen.core.formtools import add_domain_error, form_status, paginate
from guwen.evaluation.forms import OutcomeForm, ReplyForm
from guwen.evaluation.views.common import WORKERS, choice_of, period_of, require_roles, within, year_of

STARS = {"": gettext_lazy("全部"), "low": gettext_lazy("差评（2 星及以下）")}


def _kept(params, *names: str) -> str:
    """The query string without ``names`` and the page: what a tab or pager link adds its own to."""
    query = params.copy()
    for name in (*names, "page"):
        query.pop(name, None)
    return query.urlencode()


@login_required
def ratings(request):
    """The ratings of a year, or of the days ``date_from``–``date_to`` (a dashboard figure's period),
    narrowed to a region of any level, an advisor and the low ones (``stars=low``)."""
    require_roles(request.user, WORKERS)
    try:
        narrowing = narrowing_from(request.GET, request.user)
        first, last = period_of(request.GET)
        stars = choice_of(request.GET, "stars", STARS, _("星级筛选无效：请选择全部或差评"))
    except DomainError as exc:
        return refused(request, exc)
    rows = consultations.ratings_visible_to(request.user).filter(narrowing.region_q())
    year = None if first or last else year_of(request)
    rows = within(rows, "created_at", first, last) if year is None else rows.filter(created_at__year=year)
    if narrowing.lawyer is not None:
        rows = rows.filter(lawyer=narrowing.lawyer)
    if stars == "low":
        rows = rows.filter(score__lte=LOW_SCORE)
    extra = period_chip(request.GET, label=_("评价日期"))
    if stars:
        extra.append((("stars",), STARS[stars]))
    return render(
        request,
        "evaluation/ratings.html",
        {
            "page": paginate(request, rows),
            "year": year,
            "mean": rows.aggregate(mean=Avg("score"))["mean"],
            "chips": chips(request.GET, narrowing, extra=extra),
            "pager_keep": _kept(request.GET),
            "me": consultations.lawyer_of(request.user),
        },
    )


@login_required
@require_POST
def rating_reply(request, pk: int):
    require_roles(request.user, WORKERS)
    rating = get_object_or_404(consultations.ratings_visible_to(request.user), pk=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            consultation_services.rating_reply(rating=rating, by=request.user, text=form.cleaned_data["text"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已回复"))
            return redirect("evaluation:ratings")
    return render(
        request,
        "evaluation/form.html",
        {"form": form, "title": _("回复居民评价"), "subject": rating.label},
        status=form_status(form),
    )


COMPLAINT_TABS = {
    "open": gettext_lazy("待处理"),
    "overdue": gettext_lazy("逾期未处理"),
    "resolved": gettext_lazy("已处理"),
    "all": gettext_lazy("全部"),
}
DATE_BASES = {"": gettext_lazy("投诉日期"), "resolved": gettext_lazy("处理日期")}


@login_required
def complaints(request):
    """Complaints by status (``overdue``: open past their deadline today), narrowed to a region of
    any level and to the days they were opened, or resolved with ``date_by=resolved``."""
    require_roles(request.user, WORKERS)
    try:
        narrowing = narrowing_from(request.GET, request.user)
        first, last = period_of(request.GET)
        status = choice_of(
            request.GET, "status", COMPLAINT_TABS, _("投诉状态筛选无效：请选择列表中的选项"), "open"
        )
        basis = choice_of(request.GET, "date_by", DATE_BASES, _("日期依据无效：请选择投诉日期或处理日期"))
    except DomainError as exc:
        return refused(request, exc)
    today = timezone.localdate()
    rows = consultations.complaints_visible_to(request.user).filter(narrowing.region_q())
    if narrowing.lawyer is not None:
        rows = rows.filter(lawyer=narrowing.lawyer)
    if status in {"open", "resolved"}:
        rows = rows.filter(status=status)
    elif status == "overdue":
        rows = rows.filter(status=ComplaintStatus.OPEN, due_on__lt=today)
    rows = within(rows, "resolved_at" if basis else "created_at", first, last)
    extra = period_chip(request.GET, label=DATE_BASES[basis])
    if extra:
        extra = [((*extra[0][0], "date_by"), extra[0][1])]
    return render(
        request,
        "evaluation/complaints.html",
        {
            "page": paginate(request, rows),
            "status": status,
            "tabs": COMPLAINT_TABS.items(),
            "keep": _kept(request.GET, "status"),
            "pager_keep": _kept(request.GET),
            "chips": chips(request.GET, narrowing, extra=extra),
            "today": today,
        },
    )


def _complaint_page(request, complaint, form=None, status=200):
    return render(
        request,
        "evaluation/complaint.html",
        {"c": complaint, "form": form or OutcomeForm(), "today": timezone.localdate()},
        status=status,
    )


@login_required
def complaint_detail(request, pk: int):
    require_roles(request.user, WORKERS)
    return _complaint_page(
        request, get_object_or_404(consultations.complaints_visible_to(request.user), pk=pk)
    )


@login_required
@require_POST
def complaint_resolve(request, pk: int):
    require_roles(request.user, WORKERS)
    complaint = get_object_or_404(consultations.complaints_visible_to(request.user), pk=pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            consultation_services.complaint_resolve(
                complaint=complaint, by=request.user, outcome=form.cleaned_data["outcome"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("投诉已处理"))
            return redirect("evaluation:complaint", pk=complaint.pk)
    return _complaint_page(request, complaint, form, form_status(form))
