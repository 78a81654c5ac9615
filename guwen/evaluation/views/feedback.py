"""Residents' ratings and the complaints low ratings open: the office resolves, the advisor replies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guwen.consultations import selectors as consultations
from guwen.consultations import services as consultation_services
from guwen.core.errors import DomainError
from guwen.core.formtools import add_domain_error, form_status, paginate
from guwen.evaluation.forms import OutcomeForm, ReplyForm
from guwen.evaluation.views.common import WORKERS, require_roles, year_of


@login_required
def ratings(request):
    require_roles(request.user, WORKERS)
    rows = consultations.ratings_visible_to(request.user).filter(created_at__year=year_of(request))
    lawyer = request.GET.get("lawyer", "")
    if lawyer.isdigit():
        rows = rows.filter(lawyer_id=int(lawyer))
    return render(
        request,
        "evaluation/ratings.html",
        {
            "page": paginate(request, rows),
            "year": year_of(request),
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


@login_required
def complaints(request):
    require_roles(request.user, WORKERS)
    rows = consultations.complaints_visible_to(request.user)
    status = request.GET.get("status", "open")
    if status in {"open", "resolved"}:
        rows = rows.filter(status=status)
    return render(
        request,
        "evaluation/complaints.html",
        {"page": paginate(request, rows), "status": status, "today": timezone.localdate()},
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
