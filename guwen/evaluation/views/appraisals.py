"""Appraisal pages: the list for the office, the firm and the advisor, the district's ranking by
street, the appraisal with its evidence, the office's review and the advisor's response."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Avg, Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guwen.accounts.models import Role
from guwen.accounts.narrowing import chips, narrowing_from, refused
from guwen.consultations import selectors as consultations
from guwen.core import documents as core_documents
from guwen.core.errors import DomainError
from guwen.core.formtools import add_domain_error, form_status, form_submit
from guwen.evaluation import selectors, services
from guwen.evaluation.documents import KEY, form_context
from guwen.evaluation.forms import AdjustForm, OpenForm, RespondForm, ReviewForm
from guwen.evaluation.models import Appraisal, AppraisalStatus
from guwen.evaluation.rules import GRADES
from guwen.evaluation.views.common import USERS, WORKERS, choice_of, require_roles, year_of
from guwen.regions.models import Assignment

ASSOCIATION_MIN_GROUP = 5


APPRAISAL_STATUSES = {"": gettext_lazy("全部"), **dict(AppraisalStatus.choices)}


@login_required
def home(request):
    """The menu's 评价考核: the appraisals the user may see for a year, with what to do next;
    narrowed to the advisors who served a region (any level) in that year, to one advisor, and to
    the reviewed ones or the drafts (``status=``)."""
    roles = require_roles(request.user, USERS)
    year = year_of(request)
    try:
        narrowing = narrowing_from(request.GET, request.user)
        status = choice_of(
            request.GET, "status", APPRAISAL_STATUSES, _("考核状态筛选无效：请选择已审核或待审核")
        )
    except DomainError as exc:
        return refused(request, exc)
    rows = selectors.appraisals_visible_to(request.user).filter(year=year)
    if narrowing.region is not None:
        rows = rows.filter(lawyer_id__in=selectors.served_in_year(narrowing.region_q(), year))
    if narrowing.lawyer is not None:
        rows = rows.filter(lawyer=narrowing.lawyer)
    if status == AppraisalStatus.REVIEWED:
        # As the dashboard counts them: reviewed with one of the grades of the rules.
        rows = rows.filter(status=status, grade__in=GRADES)
    elif status:
        rows = rows.exclude(status=AppraisalStatus.REVIEWED, grade__in=GRADES)
    appraisals = list(rows.order_by("lawyer__name"))
    previews = {a.pk: services.appraisal_preview(a) for a in appraisals}
    complaints = consultations.complaints_visible_to(request.user).filter(narrowing.region_q())
    keep = request.GET.copy()
    keep.pop("year", None)
    shown = [(("status",), APPRAISAL_STATUSES[status])] if status else []
    context = {
        "year": year,
        "rows": [(a, previews[a.pk]) for a in appraisals],
        "chips": chips(request.GET, narrowing, extra=shown),
        "narrowing": narrowing,
        "keep": keep.urlencode(),
        "open_complaints": complaints.filter(status="open").count(),
        "is_office": bool(roles & selectors.OFFICE_ROLES),
        "is_bureau": bool(roles & {Role.BUREAU, Role.SYSADMIN}),
        "is_association": Role.ASSOCIATION in roles,
        "can_evaluate": selectors.evaluation_communities(request.user).exists(),
        "open_form": OpenForm(lawyers=selectors.lawyers_to_appraise(request.user), initial={"year": year})
        if roles & selectors.OFFICE_ROLES
        else None,
    }
    if context["is_bureau"]:
        context["ranking"] = _ranking([(a, previews[a.pk]) for a in appraisals], year)
    if context["is_association"]:
        context["aggregates"] = association_aggregates(year)
    return render(request, "evaluation/home.html", context)


def _ranking(rows, year: int) -> list[dict]:
    """The district's view: each street's advisors ranked by score."""
    streets: dict[str, list] = defaultdict(list)
    for appraisal, preview in rows:
        assignment = (
            Assignment.objects.filter(lawyer=appraisal.lawyer, starts_on__year__lte=year)
            .select_related("community__parent")
            .order_by("-starts_on")
            .first()
        )
        street = assignment.community.parent.name if assignment and assignment.community.parent else "—"
        streets[street].append((appraisal, preview))
    return [
        {"street": name, "rows": sorted(items, key=lambda r: -(r[1].score or 0))}
        for name, items in sorted(streets.items())
    ]


def association_aggregates(year: int) -> list[dict]:
    """The association's view: grades counted over reviewed appraisals, no names, and nothing shown
    for a group smaller than five."""
    rows = (
        Appraisal.objects.filter(year=year, status=AppraisalStatus.REVIEWED)
        .values("grade")
        .annotate(n=Count("pk"), mean=Avg("score"))
        .order_by("grade")
    )
    return [
        {"grade": r["grade"], "n": r["n"], "mean": round(r["mean"], 1)}
        for r in rows
        if r["n"] >= ASSOCIATION_MIN_GROUP
    ]


@login_required
@require_POST
def appraisal_open(request):
    require_roles(request.user, selectors.OFFICE_ROLES)
    form = OpenForm(request.POST, lawyers=selectors.lawyers_to_appraise(request.user))
    done, appraisal = form_submit(
        request,
        form,
        lambda d: services.appraisal_open(lawyer=d["lawyer"], year=d["year"], by=request.user),
    )
    if done:
        return redirect("evaluation:appraisal", pk=appraisal.pk)
    return render(
        request, "evaluation/form.html", {"form": form, "title": _("开始年度考核")}, status=form_status(form)
    )


def _page(request, appraisal, forms=None, status=200):
    roles = require_roles(request.user, WORKERS)
    office = bool(roles & selectors.OFFICE_ROLES)
    own = appraisal.lawyer.user_id == request.user.pk
    draft = appraisal.status == AppraisalStatus.DRAFT
    forms = forms or {}
    return render(
        request,
        "evaluation/appraisal.html",
        {
            "a": appraisal,
            "p": services.appraisal_preview(appraisal),
            "preview_minutes": max(1, services.preview_seconds() // 60),
            "adjustments": appraisal.adjustments.select_related("by"),
            "adjust_form": forms.get("adjust") or AdjustForm() if office and draft else None,
            "review_form": forms.get("review") or ReviewForm() if office and draft else None,
            "respond_form": forms.get("respond") or RespondForm()
            if own and not draft and not appraisal.responded_at
            else None,
        },
        status=status,
    )


def _appraisal(request, pk: int) -> Appraisal:
    return get_object_or_404(selectors.appraisals_visible_to(request.user), pk=pk)


@login_required
def appraisal_detail(request, pk: int):
    return _page(request, _appraisal(request, pk))


def _action(request, pk: int, name: str, form_class, run, done: str):
    appraisal = _appraisal(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(appraisal, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("evaluation:appraisal", pk=appraisal.pk)
    return _page(request, appraisal, {name: form}, status=form_status(form))


@login_required
@require_POST
def appraisal_adjust(request, pk: int):
    return _action(
        request,
        pk,
        "adjust",
        AdjustForm,
        lambda a, d: services.appraisal_adjust(
            appraisal=a, points=d["points"], reason=d["reason"], by=request.user
        ),
        _("已记录加减分"),
    )


@login_required
@require_POST
def appraisal_review(request, pk: int):
    return _action(
        request,
        pk,
        "review",
        ReviewForm,
        lambda a, d: services.appraisal_review(appraisal=a, comment=d["comment"], by=request.user),
        _("考核已审核，结果已反馈给律师"),
    )


@login_required
@require_POST
def appraisal_respond(request, pk: int):
    return _action(
        request,
        pk,
        "respond",
        RespondForm,
        lambda a, d: services.appraisal_respond(appraisal=a, text=d["text"], by=request.user),
        _("已提交反馈"),
    )


@login_required
def appraisal_export(request, pk: int, fmt: str):
    """The appraisal form with signature lines, as Word (rendered now, cached per version) or PDF
    (converted by the worker once per version; until then the page says so and refreshes)."""
    appraisal = _appraisal(request, pk)
    require_roles(request.user, WORKERS)
    if fmt not in {"docx", "pdf"}:
        raise Http404
    context = form_context(
        appraisal, services.appraisal_preview(appraisal), absolute=request.build_absolute_uri
    )
    filename = f"年度考核表-{appraisal.lawyer.name}-{appraisal.year}"
    if fmt == "docx":
        stored = core_documents.document_docx(kind=KEY, object_key=str(appraisal.pk), context=context)
        return FileResponse(
            default_storage.open(stored.docx_name, "rb"),
            as_attachment=True,
            filename=f"{filename}.docx",
            content_type=core_documents.DOCX_CONTENT_TYPE,
        )
    stored, ready = core_documents.request_pdf(kind=KEY, object_key=str(appraisal.pk), context=context)
    if ready:
        return FileResponse(
            default_storage.open(stored.pdf_name, "rb"),
            as_attachment=True,
            filename=f"{filename}.pdf",
            content_type=core_documents.PDF_CONTENT_TYPE,
        )
    return render(request, "evaluation/pdf_pending.html", {"a": appraisal})
