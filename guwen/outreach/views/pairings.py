"""Party-building pairing pages: agreements, recording one, and what was done under each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guwen.accounts.scope import firms_visible_to
from guwen.core.formtools import form_submit
from guwen.outreach import selectors, services
from guwen.outreach.forms import PairingForm
from guwen.outreach.services.pairings import MANAGERS
from guwen.outreach.views.common import form_page, recording_communities


@login_required
def pairing_list(request):
    pairings = selectors.pairings_visible_to(request.user).select_related("firm", "community")
    return render(request, "outreach/pairing_list.html", {"pairings": pairings})


@login_required
@require_http_methods(["GET", "POST"])
def pairing_create(request):
    form = PairingForm(
        request.POST or None,
        firms=firms_visible_to(request.user).order_by("name"),
        communities=recording_communities(request.user, MANAGERS),
    )
    done, pairing = form_submit(request, form, lambda data: services.pairing_create(by=request.user, **data))
    if done:
        messages.success(request, _("结对共建协议已登记"))
        return redirect("outreach:pairing_detail", pk=pairing.pk)
    return form_page(request, form, _("登记结对共建协议"))


@login_required
def pairing_detail(request, pk: int):
    pairing = get_object_or_404(
        selectors.pairings_visible_to(request.user).select_related("firm", "community"), pk=pk
    )
    activities = pairing.activities.order_by("date")
    return render(request, "outreach/pairing_detail.html", {"pairing": pairing, "activities": activities})
