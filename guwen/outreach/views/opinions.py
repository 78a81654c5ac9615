"""Legal opinion pages: the list (overdue flagged for the office), a community's request, the
request's page where the advisor delivers and staff may withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.accounts.models import Role
from guwen.core import documents
from guwen.core.errors import DomainError, refusal_status
from guwen.core.formtools import add_domain_error, form_status, form_submit, paginate
from guwen.outreach import selectors, services
from guwen.outreach.documents import OPINION_KEY, OPINION_TITLE
from guwen.outreach.forms import OpinionDeliverForm, OpinionRequestForm
from guwen.outreach.models import LegalOpinion, OpinionStatus
from guwen.outreach.report import opinion_context, opinion_documents
from guwen.outreach.views.common import form_page, recording_communities
from guwen.outreach.workflow import OPINION, opinion_roles

REQUESTERS = {Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}


@login_required
def opinion_list(request):
    opinions = selectors.opinions_visible_to(request.user).select_related("community", "advisor")
    overdue = [o for o in opinions.filter(status=OpinionStatus.REQUESTED) if o.is_overdue]
    return render(
        request, "outreach/opinion_list.html", {"page": paginate(request, opinions), "overdue": overdue}
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion_create(request):
    form = OpinionRequestForm(
        request.POST or None,
        request.FILES or None,
        communities=recording_communities(request.user, REQUESTERS),
    )
    done, opinion = form_submit(
        request,
        form,
        lambda data: services.opinion_request(
            community=data["community"],
            kind=data["kind"],
            title=data["title"],
            question=data["question"],
            related_to=data["related_to"],
            due_on=data["due_on"],
            attachment=data["attachment"],
            by=request.user,
        ),
    )
    if done:
        messages.success(request, _("已提交，顾问律师会在答复期限内出具意见"))
        return redirect("outreach:opinion_detail", pk=opinion.pk)
    return form_page(request, form, _("申请法律意见或合同审查"), multipart=True)


def _opinion(request, pk: int) -> LegalOpinion:
    return get_object_or_404(
        selectors.opinions_visible_to(request.user).select_related("community", "advisor", "requested_by"),
        pk=pk,
    )


def _detail(request, opinion: LegalOpinion, *, form=None, error: str = "", status: int = 200):
    actions = OPINION.allowed_actions(opinion, opinion_roles(request.user, opinion))
    return render(
        request,
        "outreach/opinion_detail.html",
        {
            "opinion": opinion,
            "actions": actions,
            "form": form or OpinionDeliverForm(),
            "error": error,
            "documents": opinion_documents(opinion),
        },
        status=status,
    )


@login_required
def opinion_document(request, pk: int, fmt: str):
    """The delivered opinion as 法律意见书 (or 合同审查意见书): Word rendered now and cached per
    version, PDF converted by the worker once per version (a self-refreshing page until it is
    there). Nothing before delivery (404), like any record outside the user's scope."""
    opinion = _opinion(request, pk)
    if not opinion_documents(opinion) or fmt not in ("docx", "pdf"):
        raise Http404
    context = opinion_context(opinion)
    district = selectors.district_of(opinion.community)
    scope = {"district_code": district.code if district is not None else ""}
    filename = f"{context['opinion']['document_title']}-{opinion.title}-{opinion.delivered_on:%Y%m%d}"
    if fmt == "docx":
        stored = documents.document_docx(
            kind=OPINION_KEY, object_key=str(opinion.pk), context=context, **scope
        )
        return FileResponse(
            default_storage.open(stored.docx_name, "rb"),
            as_attachment=True,
            filename=f"{filename}.docx",
            content_type=documents.DOCX_CONTENT_TYPE,
        )
    stored, ready = documents.request_pdf(
        kind=OPINION_KEY, object_key=str(opinion.pk), context=context, **scope
    )
    if ready:
        return FileResponse(
            default_storage.open(stored.pdf_name, "rb"),
            as_attachment=True,
            filename=f"{filename}.pdf",
            content_type=documents.PDF_CONTENT_TYPE,
        )
    return render(
        request,
        "outreach/pdf_pending.html",
        {
            "what": OPINION_TITLE,
            "docx_url": reverse("outreach:opinion_document", args=[opinion.pk, "docx"]),
            "back_url": reverse("outreach:opinion_detail", args=[opinion.pk]),
            "back_label": _("返回法律意见"),
        },
        status=202,
    )


@login_required
def opinion_detail(request, pk: int):
    return _detail(request, _opinion(request, pk))


@login_required
@require_POST
def opinion_deliver(request, pk: int):
    opinion = _opinion(request, pk)
    form = OpinionDeliverForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.opinion_deliver(
                opinion=opinion,
                opinion_text=form.cleaned_data["opinion"],
                attachment=form.cleaned_data["opinion_file"],
                by=request.user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("法律意见已出具"))
            return redirect("outreach:opinion_detail", pk=opinion.pk)
    return _detail(request, opinion, form=form, status=form_status(form))


@login_required
@require_POST
def opinion_withdraw(request, pk: int):
    opinion = _opinion(request, pk)
    try:
        services.opinion_withdraw(opinion=opinion, by=request.user)
    except DomainError as exc:
        return _detail(request, opinion, error=exc.message, status=refusal_status(exc))
    messages.success(request, _("申请已撤回"))
    return redirect("outreach:opinion_detail", pk=opinion.pk)
