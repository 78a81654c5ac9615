"""Screening pages: the list of leads, a new lead, a lead's page with its edit form, and a lead
becoming a case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guwen.core.formtools import form_submit, paginate
from guwen.mediation import forms, selectors, services
from guwen.mediation.models import DisputeLead, LeadStatus
from guwen.mediation.views.common import form_page
from guwen.mediation.workflow import lead_roles


def _lead(request, pk: int) -> DisputeLead:
    return get_object_or_404(
        selectors.leads_visible_to(request.user).select_related("community", "dispute_type", "owner"), pk=pk
    )


@login_required
def lead_list(request):
    visible = selectors.leads_visible_to(request.user)
    status = request.GET.get("status", "")
    rows = visible.filter(status=status) if status in LeadStatus.values else visible
    page = paginate(request, rows.select_related("community", "dispute_type").order_by("-found_on", "-id"))
    return render(
        request,
        "mediation/lead_list.html",
        {
            "page": page,
            "status": status,
            "statuses": LeadStatus.choices,
            "can_create": selectors.communities_for_work(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_create(request):
    communities = selectors.communities_for_work(request.user)
    if not communities.exists():
        raise PermissionDenied
    form = forms.LeadForm(
        request.POST or None,
        communities=communities,
        initial={"found_on": timezone.localdate(), "people_affected": 2, "risk_level": "blue"},
    )
    done, lead = form_submit(
        request, form, lambda data: services.dispute_lead_create(by=request.user, **data)
    )
    if done:
        if lead.warned_at:
            messages.warning(request, _("已登记，并已向司法所发出预警"))
        else:
            messages.success(request, _("已登记"))
        return redirect("mediation:lead_detail", pk=lead.pk)
    return form_page(request, form, _("登记矛盾纠纷"), back="mediation:lead_list")


@login_required
def lead_detail(request, pk: int):
    lead = _lead(request, pk)
    return render(
        request,
        "mediation/lead_detail.html",
        {
            "lead": lead,
            "cases": lead.cases.all(),
            "can_edit": bool(lead_roles(request.user, lead) - {"bureau"}),
            "reasons": services.warning_reasons(lead),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_edit(request, pk: int):
    lead = _lead(request, pk)
    if not lead_roles(request.user, lead) - {"bureau"}:
        raise PermissionDenied
    initial = {
        name: getattr(lead, name)
        for name in (
            "dispute_type",
            "place",
            "parties",
            "summary",
            "people_affected",
            "amount",
            "risk_level",
            "notes",
            "status",
            "handed_to",
        )
    }
    form = forms.LeadEditForm(request.POST or None, initial=initial)
    done, _lead_saved = form_submit(
        request, form, lambda data: services.dispute_lead_update(lead=lead, by=request.user, **data)
    )
    if done:
        messages.success(request, _("已保存"))
        return redirect("mediation:lead_detail", pk=lead.pk)
    return form_page(request, form, _("修改线索"), back="mediation:lead_list")


@login_required
@require_http_methods(["GET", "POST"])
def lead_escalate(request, pk: int):
    """The lead becomes a mediation case (受理登记, source 排查发现)."""
    lead = _lead(request, pk)
    if not lead_roles(request.user, lead) - {"bureau"}:
        raise PermissionDenied
    form = forms.CaseForm(
        request.POST or None,
        from_lead=True,
        initial={
            "dispute_type": lead.dispute_type,
            "title": f"{lead.dispute_type.name}（{lead.place}）"[:100],
            "summary": lead.summary,
            "amount": lead.amount,
            "people_affected": lead.people_affected,
            "intake_on": timezone.localdate(),
        },
    )
    done, case = form_submit(
        request, form, lambda data: services.dispute_lead_escalate(lead=lead, by=request.user, **data)
    )
    if done:
        messages.success(request, _("已转为调解案件：%(n)s") % {"n": case.number})
        return redirect("mediation:case_detail", pk=case.pk)
    return form_page(request, form, _("转为调解案件"), back="mediation:lead_list")
