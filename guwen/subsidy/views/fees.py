"""Fee income (顾问费收入): the office's and the bureau's list of retainers and other fees paid to
advisors or their firms, with the form to enter one and a way to remove a mistaken entry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.core.formtools import form_status, form_submit, paginate
from guwen.regions.models import Assignment, LawFirm, Lawyer
from guwen.subsidy import forms, selectors
from guwen.subsidy.services import fees as fee_services


def _form(request, communities, data=None):
    posted = Assignment.objects.filter(community__in=communities)
    lawyers = Lawyer.objects.filter(pk__in=posted.values("lawyer_id")).select_related("firm").order_by("name")
    firms = LawFirm.objects.filter(Q(pk__in=posted.values("firm_id")) | Q(pk__in=lawyers.values("firm_id")))
    return forms.FeeForm(
        data,
        communities=communities.order_by("path"),
        lawyers=lawyers,
        firms=firms.order_by("name"),
        initial={"period_start": timezone.localdate().replace(month=1, day=1), "kind": "retainer"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def fee_list(request):
    communities = selectors.fee_communities_for(request.user)
    if not communities.exists():
        raise PermissionDenied
    form = _form(request, communities, request.POST if request.method == "POST" else None)
    done, fee = form_submit(request, form, lambda data: fee_services.fee_record(by=request.user, **data))
    if done:
        messages.success(request, _("已登记 %(a)s 元") % {"a": fee.amount})
        return redirect("subsidy:fee_list")
    rows = selectors.fees_visible_to(request.user).select_related("lawyer", "firm", "community")
    page = paginate(request, rows)
    return render(
        request,
        "subsidy/fee_list.html",
        {"page": page, "form": form, "delete_form": forms.FeeDeleteForm()},
        status=form_status(form),
    )


@login_required
@require_POST
def fee_delete(request, pk: int):
    if not selectors.fee_communities_for(request.user).exists():
        raise PermissionDenied
    fee = get_object_or_404(selectors.fees_visible_to(request.user), pk=pk)
    form = forms.FeeDeleteForm(request.POST)
    done, _result = form_submit(
        request, form, lambda data: fee_services.fee_delete(fee=fee, by=request.user, reason=data["reason"])
    )
    if done:
        messages.success(request, _("已删除"))
        return redirect("subsidy:fee_list")
    return render(
        request,
        "subsidy/form.html",
        {"form": form, "title": _("删除顾问费记录")},
        status=form_status(form),
    )
