"""The community's side: quarterly evaluation of the advisor by community staff, and the residents'
satisfaction survey filled from a QR code, with the sample-size progress per community."""

from __future__ import annotations

import uuid

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guwen.accounts.narrowing import chips, narrowing_from, refused
from guwen.core.errors import DomainError
from guwen.core.formtools import add_domain_error, form_status, paginate
from guwen.core.ratelimit import retry_after, too_many
from guwen.duty import selectors as duty
from guwen.evaluation import selectors, services
from guwen.evaluation.forms import CommunityEvaluationForm, SurveyForm
from guwen.evaluation.views.common import WORKERS, require_roles, year_of
from guwen.outreach.selectors import parse_quarter, quarter_of
from guwen.regions.models import Lawyer


@login_required
def evaluations(request):
    require_roles(request.user, WORKERS)
    rows = selectors.evaluations_visible_to(request.user).filter(year=year_of(request))
    lawyer = request.GET.get("lawyer", "")
    if lawyer.isdigit():
        rows = rows.filter(lawyer_id=int(lawyer))
    quarter = quarter_of(timezone.localdate())
    return render(
        request,
        "evaluation/evaluations.html",
        {
            "page": paginate(request, rows),
            "year": year_of(request),
            "can_evaluate": selectors.evaluation_communities(request.user).exists(),
            "quarter": quarter,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request):
    communities = selectors.evaluation_communities(request.user)
    if not communities.exists():
        raise Http404
    today = timezone.localdate()
    form_version = selectors.form_for(communities.first(), today.year)
    if form_version is None:
        services.default_tables_ensure()
        form_version = selectors.form_for(communities.first(), today.year)
    lawyers = Lawyer.objects.filter(
        pk__in=selectors.current_assignments_of_communities(communities).values("lawyer_id")
    ).order_by("name")
    form = CommunityEvaluationForm(
        request.POST or None,
        communities=communities,
        lawyers=lawyers,
        items=form_version.items,
        initial={"quarter": quarter_of(today).key, "community": communities.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            quarter = parse_quarter(data["quarter"])
            services.community_evaluate(
                community=data["community"],
                lawyer=data["lawyer"],
                quarter=quarter,
                scores={key: data[key] for key in form.item_keys},
                comment=data["comment"],
                by=request.user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("评价已提交，谢谢"))
            return redirect("evaluation:evaluations")
    return render(
        request,
        "evaluation/form.html",
        {
            "form": form,
            "title": _("社区季度评价"),
            "subject": _("请对本社区法律顾问本季度的工作逐项评分（1–5 分）"),
        },
        status=form_status(form),
    )


@login_required
def surveys(request):
    """Survey progress per community for a quarter (the sample size needed, default 20), narrowed
    to a region of any level; the responses counted as the dashboard's figure counts them."""
    require_roles(request.user, WORKERS)
    try:
        narrowing = narrowing_from(request.GET, request.user)
        quarter = parse_quarter(request.GET.get("quarter"))
    except DomainError as exc:
        return refused(request, exc)
    communities = selectors.survey_list_communities(request.user, quarter).filter(narrowing.region_q(""))
    rows = selectors.survey_figures(communities, quarter)
    keep = request.GET.copy()
    keep.pop("quarter", None)
    return render(
        request,
        "evaluation/surveys.html",
        {
            "quarter": quarter,
            "rows": rows,
            "responses": sum(r.responses for r in rows),
            "chips": chips(request.GET, narrowing),
            "keep": keep.urlencode(),
            "previous": quarter.previous(),
            "next": quarter.next() if quarter.next().first_day <= timezone.localdate() else None,
        },
    )


@require_http_methods(["GET", "POST"])
def survey_public(request, code: str):
    """The resident's questionnaire, reached by the community's QR code; no account."""
    community = duty.public_community(code)
    if community is None:
        raise Http404
    questionnaire = selectors.questionnaire_for(community, timezone.localdate().year)
    if questionnaire is None:
        services.default_tables_ensure()
        questionnaire = selectors.questionnaire_for(community, timezone.localdate().year)
    if request.method == "POST":
        if wait := retry_after(request, "survey"):
            return too_many(request, wait)
        form = SurveyForm(request.POST, questionnaire=questionnaire)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.survey_submit(
                    community=community,
                    answers={key: data[key] for key in form.question_keys},
                    comment=data["comment"],
                    client_key=data["key"] or None,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return render(request, "evaluation/survey_done.html", {"community": community})
    else:
        form = SurveyForm(questionnaire=questionnaire, initial={"key": uuid.uuid4().hex})
    return render(
        request,
        "evaluation/survey_public.html",
        {"community": community, "questionnaire": questionnaire, "form": form},
        status=form_status(form),
    )


@require_http_methods(["GET"])
def survey_qr(request, code: str):
    """The survey's QR code to print and post in the community (public, like the link itself)."""
    community = duty.public_community(code)
    if community is None:
        raise Http404
    url = request.build_absolute_uri(reverse("evaluation:survey_public", args=[community.code]))
    response = HttpResponse(segno.make(url, error="m").svg_inline(scale=8), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="survey-{community.code}.svg"'
    return response
