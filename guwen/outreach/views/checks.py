"""Enterprise and health-check pages: enterprises, a new check, the check's page with findings,
status actions and the report (Word now, PDF from the worker's cached conversion)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.accounts.narrowing import from_request as narrowing_from_request
from guwen.core import documents
from guwen.core.errors import DomainError, refusal_status
from guwen.core.formtools import add_domain_error, form_status, form_submit, paginate
from guwen.outreach import selectors, services
from guwen.outreach.documents import KEY
from guwen.outreach.forms import CloseForm, EnterpriseForm, FindingForm, FollowUpForm, HealthCheckForm
from guwen.outreach.models import CheckStatus, Finding, HealthCheck, RiskLevel
from guwen.outreach.report import check_documents, report_context
from guwen.outreach.views.common import (
    CHECKERS,
    filter_chips,
    form_page,
    narrowed,
    recording_communities,
    serving_lawyers,
)
from guwen.outreach.workflow import HEALTH_CHECK, record_roles


@login_required
def enterprise_list(request):
    narrowing, refused = narrowing_from_request(request)
    if refused:
        return refused
    enterprises = (
        selectors.enterprises_visible_to(request.user)
        .filter(narrowing.region_q())
        .select_related("community")
        .annotate(check_count=Count("checks"))
        .order_by("name")
    )
    checks = narrowed(selectors.checks_visible_to(request.user), request.GET, narrowing)
    if request.GET.get("risk") in RiskLevel.values:
        checks = checks.filter(findings__risk_level=request.GET["risk"]).distinct()
    checks = checks.select_related("enterprise", "community").order_by("-date", "-id")
    return render(
        request,
        "outreach/enterprise_list.html",
        {
            "page": paginate(request, enterprises),
            "checks": checks[:20],
            "checks_total": checks.count(),
            "chips": filter_chips(request, narrowing),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    form = EnterpriseForm(request.POST or None, communities=recording_communities(request.user))
    done, _enterprise = form_submit(
        request, form, lambda data: services.enterprise_create(by=request.user, **data)
    )
    if done:
        messages.success(request, _("企业已登记"))
        return redirect("outreach:enterprise_list")
    return form_page(request, form, _("登记企业"))


@login_required
@require_http_methods(["GET", "POST"])
def check_create(request):
    communities = recording_communities(request.user, CHECKERS)
    enterprises = selectors.enterprises_visible_to(request.user).filter(community__in=communities)
    initial = {}
    if request.GET.get("enterprise", "").isdigit():
        initial["enterprise"] = request.GET["enterprise"]
    form = HealthCheckForm(
        request.POST or None, initial=initial, enterprises=enterprises, lawyers=serving_lawyers(communities)
    )
    done, check = form_submit(
        request, form, lambda data: services.health_check_create(by=request.user, **data)
    )
    if done:
        messages.success(request, _("体检已登记，请逐项添加发现的问题"))
        return redirect("outreach:check_detail", pk=check.pk)
    return form_page(request, form, _("登记企业法治体检"))


def _check(request, pk: int) -> HealthCheck:
    return get_object_or_404(
        selectors.checks_visible_to(request.user).select_related(
            "enterprise", "community", "community__parent"
        ),
        pk=pk,
    )


def _detail(
    request,
    check: HealthCheck,
    *,
    finding_form=None,
    follow_up_form=None,
    close_form=None,
    error: str = "",
    status: int = 200,
):
    roles = record_roles(request.user, check)
    actions = HEALTH_CHECK.allowed_actions(check, roles)
    writer = bool(roles & CHECKERS)
    findings = list(selectors.findings_of(check))
    areas = selectors.checklist_for(check.community)
    counts = {level: sum(1 for f in findings if f.risk_level == level) for level in RiskLevel.values}
    return render(
        request,
        "outreach/check_detail.html",
        {
            "check": check,
            "advisors": check.advisors.select_related("firm"),
            "findings": findings,
            "counts": counts,
            "actions": actions,
            "action_labels": {a: HEALTH_CHECK.action_label(a) for a in actions},
            "can_add": writer and check.status in (CheckStatus.CHECKING, CheckStatus.REPORTED),
            "can_fix": writer and check.status in (CheckStatus.FIXING, CheckStatus.FOLLOW_UP),
            "finding_form": finding_form or FindingForm(areas=areas),
            "follow_up_form": follow_up_form or FollowUpForm(),
            "close_form": close_form or CloseForm(),
            "documents": check_documents(check),
            "error": error,
        },
        status=status,
    )


@login_required
def check_detail(request, pk: int):
    return _detail(request, _check(request, pk))


@login_required
@require_POST
def finding_add(request, pk: int):
    check = _check(request, pk)
    form = FindingForm(request.POST, areas=selectors.checklist_for(check.community))
    if form.is_valid():
        try:
            services.finding_add(health_check=check, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已添加体检发现"))
            return redirect("outreach:check_detail", pk=check.pk)
    return _detail(request, check, finding_form=form, status=form_status(form))


@login_required
@require_POST
def finding_fixed(request, pk: int):
    finding = get_object_or_404(
        Finding.objects.filter(health_check__in=selectors.checks_visible_to(request.user)), pk=pk
    )
    try:
        services.finding_mark_fixed(finding=finding, by=request.user)
    except DomainError as exc:
        return _detail(request, finding.health_check, error=exc.message, status=refusal_status(exc))
    messages.success(request, _("已登记整改完成"))
    return redirect("outreach:check_detail", pk=finding.health_check_id)


@login_required
@require_POST
def check_action(request, pk: int, action: str):
    check = _check(request, pk)
    if action == "schedule_follow_up":
        form = FollowUpForm(request.POST)
        run = lambda data: services.health_check_schedule_follow_up(  # noqa: E731
            health_check=check, follow_up_on=data["follow_up_on"], by=request.user
        )
        page = {"follow_up_form": form}
    elif action == "close":
        form = CloseForm(request.POST)
        run = lambda data: services.health_check_close(  # noqa: E731
            health_check=check, follow_up_result=data["follow_up_result"], by=request.user
        )
        page = {"close_form": form}
    elif action in ("report", "start_fixing"):
        service = {"report": services.health_check_report, "start_fixing": services.health_check_start_fixing}
        try:
            service[action](health_check=check, by=request.user)
        except DomainError as exc:
            return _detail(request, check, error=exc.message, status=refusal_status(exc))
        messages.success(request, HEALTH_CHECK.action_label(action))
        return redirect("outreach:check_detail", pk=check.pk)
    else:
        raise Http404
    done, _result = form_submit(request, form, run)
    if done:
        messages.success(request, HEALTH_CHECK.action_label(action))
        return redirect("outreach:check_detail", pk=check.pk)
    return _detail(request, check, status=form_status(form), **page)


@login_required
def check_report(request, pk: int, fmt: str):
    """The report as Word (rendered now, cached per version) or PDF (converted by the worker once
    per version; until it is there the page says it is being made and refreshes itself)."""
    check = _check(request, pk)
    context = report_context(check)
    district = selectors.district_of(check.community)
    scope = {"district_code": district.code if district is not None else ""}
    filename = f"企业法治体检报告-{check.enterprise.name}-{check.date:%Y%m%d}"
    if fmt == "docx":
        stored = documents.document_docx(kind=KEY, object_key=str(check.pk), context=context, **scope)
        return FileResponse(
            default_storage.open(stored.docx_name, "rb"),
            as_attachment=True,
            filename=f"{filename}.docx",
            content_type=documents.DOCX_CONTENT_TYPE,
        )
    if fmt != "pdf":
        raise Http404
    stored, ready = documents.request_pdf(kind=KEY, object_key=str(check.pk), context=context, **scope)
    if ready:
        return FileResponse(
            default_storage.open(stored.pdf_name, "rb"),
            as_attachment=True,
            filename=f"{filename}.pdf",
            content_type=documents.PDF_CONTENT_TYPE,
        )
    return render(request, "outreach/pdf_pending.html", {"check": check})
