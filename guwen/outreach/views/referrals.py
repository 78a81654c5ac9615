"""Legal-aid referral pages: the list, referring (from a consultation when ``?consultation=`` names
one the user may see, or from a mediation case with ``?case=``), and the referral's page where the
centre's answer is recorded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.consultations.selectors import consultations_visible_to
from guwen.core import links
from guwen.core.errors import DomainError, refusal_status
from guwen.core.formtools import form_submit
from guwen.outreach import selectors, services
from guwen.outreach.forms import ReferralForm, ReferralNoteForm
from guwen.outreach.models import Referral
from guwen.outreach.views.common import CHECKERS, form_page, recording_communities
from guwen.outreach.workflow import REFERRAL, community_roles


@login_required
def referral_list(request):
    referrals = selectors.referrals_visible_to(request.user).select_related("community", "centre")
    return render(request, "outreach/referral_list.html", {"referrals": referrals})


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request):
    communities = recording_communities(request.user, CHECKERS)
    consultation = None
    if request.GET.get("consultation", "").isdigit():
        consultation = consultations_visible_to(request.user).filter(pk=request.GET["consultation"]).first()
        if consultation is None:
            raise Http404
    case = None
    if request.GET.get("case", "").isdigit():
        # A mediation case in the user's scope, found through the registry (no mediation import).
        case = links.lookup("mediation.case", request.user, int(request.GET["case"]))
        if case is None:
            raise Http404
    initial = {}
    if consultation is not None:
        initial = {"community": consultation.community_id, "applicant": consultation.resident_name}
    elif case is not None:
        applicant = next((p.name for p in case.parties.all() if p.role == "applicant"), "")
        initial = {"community": case.community_id, "applicant": applicant}
    form = ReferralForm(request.POST or None, request.FILES or None, initial=initial, communities=communities)
    done, referral = form_submit(
        request,
        form,
        lambda data: services.referral_create(
            consultation=consultation, mediation_case=case, by=request.user, **data
        ),
    )
    if done:
        messages.success(request, _("已转介至法律援助中心"))
        return redirect("outreach:referral_detail", pk=referral.pk)
    return form_page(request, form, _("转介法律援助"), multipart=True)


def _referral(request, pk: int) -> Referral:
    return get_object_or_404(
        selectors.referrals_visible_to(request.user).select_related("community", "centre"), pk=pk
    )


def _detail(request, referral: Referral, *, error: str = "", status: int = 200):
    actions = REFERRAL.allowed_actions(referral, community_roles(request.user, referral.community))
    return render(
        request,
        "outreach/referral_detail.html",
        {
            "referral": referral,
            "case": links.lookup("mediation.case", request.user, referral.mediation_case_id)
            if referral.mediation_case_id
            else None,
            "actions": [(a, REFERRAL.action_label(a)) for a in actions],
            "form": ReferralNoteForm(),
            "error": error,
        },
        status=status,
    )


@login_required
def referral_detail(request, pk: int):
    return _detail(request, _referral(request, pk))


@login_required
@require_POST
def referral_action(request, pk: int, action: str):
    referral = _referral(request, pk)
    if action not in ("accept", "refuse", "close"):
        raise Http404
    form = ReferralNoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.referral_move(referral=referral, action=action, note=note, by=request.user)
    except DomainError as exc:
        return _detail(request, referral, error=exc.message, status=refusal_status(exc))
    messages.success(request, REFERRAL.action_label(action))
    return redirect("outreach:referral_detail", pk=referral.pk)
