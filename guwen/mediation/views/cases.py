"""The case pages: the list (overdue flagged), intake, the case page with only the actions allowed
now, the audited reveal of a 身份证号, filed scans. Every fetch goes through the scoped selectors;
anything outside them is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from guwen.accounts.narrowing import chips, period_chip
from guwen.accounts.narrowing import from_request as narrowing_from_request
from guwen.accounts.scope import communities_visible_to
from guwen.consultations import services as consultation_services
from guwen.consultations.selectors import consultations_visible_to
from guwen.core import documents as core_documents
from guwen.core import links
from guwen.core.errors import DomainError, NotFound, refusal_status
from guwen.core.formtools import add_domain_error, form_status, form_submit, paginate
from guwen.mediation import doc_context, forms, ratings, selectors, services
from guwen.mediation.models import CaseStatus, ExtensionStatus, FileItemKind, Grade, MediationCase, Party
from guwen.mediation.views.common import form_page
from guwen.mediation.workflow import CASE, case_roles


def _case(request, pk: int) -> MediationCase:
    return get_object_or_404(
        selectors.cases_visible_to(request.user).select_related(
            "community", "community__parent", "dispute_type"
        ),
        pk=pk,
    )


def _kept(params, *names: str) -> str:
    """The query string without ``names`` and the page: what the tabs and pager carry along."""
    query = params.copy()
    for name in (*names, "page"):
        query.pop(name, None)
    return query.urlencode()


def _chips(request, narrowing) -> list[dict]:
    decided = request.GET.get("date_by") == "decided"
    extra = period_chip(request.GET, label=_("结果日期") if decided else _("受理日期"))
    if extra:
        extra[0] = ((*extra[0][0], "date_by"), extra[0][1])
    if request.GET.get("outcome") in selectors.OUTCOME_FILTERS:
        label = {"agreed": _("达成协议"), "terminated": _("调解终止")}[request.GET["outcome"]]
        extra.append((("outcome",), _("结果：%(o)s") % {"o": label}))
    if request.GET.get("status") in CaseStatus.values:
        extra.append((("status",), _("状态：%(s)s") % {"s": CaseStatus(request.GET["status"]).label}))
    if code := request.GET.get("community"):
        place = communities_visible_to(request.user).filter(code=code).first()
        extra.append((("community",), _("社区：%(c)s") % {"c": place.name if place else code}))
    return chips(request.GET, narrowing, extra=extra)


@login_required
def case_list(request):
    """Cases in the user's scope, newest first; overdue ones flagged, a tab to list only them."""
    narrowing, refused = narrowing_from_request(request)
    if refused:
        return refused
    visible = selectors.cases_visible_to(request.user)
    tab = request.GET.get("tab", "open")
    rows = {
        "open": selectors.open_cases(visible),
        "overdue": selectors.overdue_cases(visible),
        "closed": visible.filter(status__in=[CaseStatus.CLOSED, CaseStatus.REFUSED]),
        "all": visible,
    }.get(tab)
    if rows is None:
        tab, rows = "open", selectors.open_cases(visible)
    rows = selectors.narrowed(rows, request.GET, narrowing)
    # Running cases soonest due first; closed and all cases newest first.
    order = ("due_on", "-id") if tab in ("open", "overdue") else ("-intake_on", "-id")
    page = paginate(request, rows.select_related("community", "dispute_type").order_by(*order))
    completeness = selectors.completeness_map(page.object_list)
    today = timezone.localdate()
    items = [
        (case, selectors.is_overdue(case, today), completeness.get(case.pk)) for case in page.object_list
    ]
    return render(
        request,
        "mediation/case_list.html",
        {
            "page": page,
            "items": items,
            "tab": tab,
            "overdue_count": selectors.overdue_cases(visible).count(),
            "chips": _chips(request, narrowing),
            "keep": _kept(request.GET, "tab"),
            "can_create": selectors.communities_for_work(request.user).exists(),
        },
    )


def _consultation(request, data):
    number = data.pop("consultation", None)
    if not number:
        return None
    found = consultations_visible_to(request.user).filter(pk=number).first()
    if found is None:
        raise DomainError(_("未找到该法律咨询，或不在您的范围内"), field="consultation")
    return found


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    """受理登记 directly (an application, the committee's own initiative, a referral)."""
    communities = selectors.communities_for_work(request.user)
    if not communities.exists():
        raise PermissionDenied
    form = forms.CaseForm(
        request.POST or None,
        communities=communities,
        initial={"intake_on": timezone.localdate(), "source": "application", "people_affected": 2},
    )

    def create(data):
        data = dict(data)
        consultation = _consultation(request, data)
        return services.case_intake(by=request.user, consultation=consultation, **data)

    done, case = form_submit(request, form, create)
    if done:
        messages.success(request, _("已登记：%(n)s") % {"n": case.number})
        return redirect("mediation:case_detail", pk=case.pk)
    return form_page(request, form, _("受理登记"), back="mediation:case_list")


@dataclass(frozen=True)
class Action:
    form: type
    run: Any
    done: str
    title: str
    multipart: bool = False


ACTIONS: dict[str, Action] = {
    "accept": Action(forms.NoteForm, services.case_accept, _l("已受理"), _l("受理")),
    "refuse": Action(
        forms.RefuseForm, services.case_refuse, _l("已登记当事人拒绝调解，案件不予受理"), _l("不予受理")
    ),
    "add_party": Action(forms.PartyForm, services.party_add, _l("已添加当事人"), _l("添加当事人")),
    "assign": Action(forms.AssignForm, services.mediators_assign, _l("已指派调解员"), _l("指派调解员")),
    "record_investigation": Action(
        forms.InvestigationForm, services.investigation_record, _l("已登记调查记录"), _l("调查记录")
    ),
    "record_session": Action(
        forms.SessionForm, services.session_record, _l("已登记调解记录"), _l("调解记录")
    ),
    "agree": Action(forms.AgreeForm, services.outcome_agree, _l("已登记调解协议"), _l("调解协议")),
    "terminate": Action(forms.TerminateForm, services.outcome_terminate, _l("调解已终止"), _l("终止调解")),
    "record_performance": Action(
        forms.PerformanceForm, services.performance_record, _l("已登记履行情况"), _l("履行情况")
    ),
    "callback": Action(forms.CallbackForm, services.callback_record, _l("已登记回访"), _l("回访")),
    "record_confirmation": Action(
        forms.ConfirmationForm, services.confirmation_record, _l("已登记司法确认申请"), _l("司法确认")
    ),
    "request_extension": Action(
        forms.ExtensionForm, services.extension_request, _l("延期申请已提交司法所"), _l("申请延期")
    ),
    "upload": Action(
        forms.UploadForm,
        lambda *, case, by, kind, upload: services.file_item_upload(
            case=case, by=by, kind=kind, upload=upload
        ),
        _l("已上传"),
        _l("上传卷宗材料"),
        multipart=True,
    ),
    "confirm_grade": Action(
        forms.GradeForm, services.grade_confirm, _l("已确认案件等级"), _l("确认案件等级")
    ),
    "close": Action(forms.CloseForm, services.case_close, _l("已结案归档"), _l("结案归档")),
}
# The table's actions shown through another action's form.
ALIASES = {"investigate": "record_investigation"}


def _allowed(case, user) -> list[str]:
    actions = []
    for action in CASE.allowed_actions(case, case_roles(user, case)):
        name = ALIASES.get(action, action)
        if name in ACTIONS and name not in actions:
            actions.append(name)
    return actions


def _initial(case: MediationCase, action: str, user) -> dict:
    today = timezone.localdate()
    names = "、".join(str(m.user) for m in case.mediators.all()) or str(user)
    parties = "、".join(p.name for p in case.parties.all())
    return {
        "record_investigation": {"held_on": today},
        "record_session": {"held_on": today, "mediators": names, "attendees": parties},
        "agree": {"decided_on": today},
        "terminate": {"decided_on": today},
        "record_performance": {"checked_on": today},
        "callback": {"called_on": today},
        "record_confirmation": {"applied_on": today},
        "confirm_grade": {"grade": case.grade or case.grade_suggested},
    }.get(action, {})


def _case_page(request, case: MediationCase, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    user = request.user
    actions = _allowed(case, user)
    action_forms = [
        (
            name,
            ACTIONS[name],
            bound.get(name) or ACTIONS[name].form(case=case, action=name, initial=_initial(case, name, user)),
        )
        for name in actions
    ]
    kinds = list(FileItemKind.objects.order_by("number"))
    filed: dict[int, list] = {}
    for item in case.file_items.select_related("kind"):
        filed.setdefault(item.kind_id, []).append(item)
    outcome = getattr(case, "outcome", None) if hasattr(case, "outcome") else None
    roles = case_roles(user, case)
    suggested, notes = services.grade_suggest(case)
    return render(
        request,
        "mediation/case_detail.html",
        {
            "case": case,
            "overdue": selectors.is_overdue(case),
            "parties": [(p, list(selectors.same_person_cases(p, user)[:5])) for p in case.parties.all()],
            "mediators": case.mediators.select_related("user"),
            "investigations": case.investigations.all(),
            "sessions": case.sessions.all(),
            "outcome": outcome,
            "performances": case.performances.all(),
            "callbacks": case.callbacks.select_related("caller"),
            "extensions": case.extensions.select_related("requested_by", "decided_by"),
            "can_decide_extension": "decide_extension" in CASE.allowed_actions(case, roles),
            "can_edit_party": "edit_party" in CASE.allowed_actions(case, roles),
            "committee": doc_context.committee_of(case),
            "can_edit_committee": bool(roles & {"community_staff", "office", "sysadmin"}),
            # The source consultation is linked only for users who may open it.
            "consultation_visible": bool(case.consultation_id)
            and consultations_visible_to(user).filter(pk=case.consultation_id).exists(),
            "file_rows": [(kind, filed.get(kind.pk, [])) for kind in kinds],
            "completeness": selectors.file_completeness(case),
            "action_forms": action_forms,
            "open_action": next(iter(bound), ""),
            # A refused action's messages at the top too: its form may no longer be shown (state).
            "refusals": [str(e) for form in bound.values() for errs in form.errors.values() for e in errs],
            "grade_notes": notes,
            "grade_now": Grade(suggested).label,
            "today": timezone.localdate(),
            "documents": doc_context.documents_available(case),
            # Records other apps keep about the case (a legal-aid referral), each in its own scope.
            "linked": links.linked("mediation.case", case, user),
            "can_refer": case.status != "refused" and bool(roles & {"advisor", "office", "sysadmin"}),
            "rating": _rating(case),
        },
        status=status,
    )


def _rating(case) -> dict:
    """The party's rating of the case, or the link to hand them (at the callback) once it ended."""
    target = ratings.case_target(case)
    done = consultation_services.existing_rating(target)
    link = "" if done or target.not_ready else consultation_services.rating_link(target)
    return {"done": done, "link": link}


@login_required
def case_detail(request, pk: int):
    return _case_page(request, _case(request, pk))


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    """One action from the case page; a refusal shows the page again with the form's errors and the
    refusal's status (422 input, 403 role, 409 state)."""
    case = _case(request, pk)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    form = spec.form(request.POST, request.FILES, case=case, action=action)
    if form.is_valid():
        try:
            spec.run(case=case, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, spec.done)
            return redirect("mediation:case_detail", pk=case.pk)
    case = _case(request, pk)
    return _case_page(request, case, bound={action: form}, status=form_status(form))


@login_required
@require_POST
def extension_decide(request, pk: int, extension_pk: int):
    case = _case(request, pk)
    extension = get_object_or_404(case.extensions.filter(status=ExtensionStatus.PENDING), pk=extension_pk)
    form = forms.ExtensionDecideForm(request.POST)
    if form.is_valid():
        try:
            services.extension_decide(
                extension=extension, by=request.user, approve=form.cleaned_data["decision"] == "approve"
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已审批延期申请"))
            return redirect("mediation:case_detail", pk=case.pk)
    messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return _case_page(request, case, status=form_status(form))


@login_required
@require_POST
def party_id_number(request, pk: int):
    """Reveal a party's full 身份证号 to someone in the case's scope who works on it (audited)."""
    party = get_object_or_404(
        Party.objects.filter(case__in=selectors.cases_visible_to(request.user)).select_related("case"), pk=pk
    )
    if not case_roles(request.user, party.case) - {"bureau"}:
        raise PermissionDenied
    value = services.party_read_id_number(party=party, by=request.user, request=request)
    return HttpResponse(value or "—", content_type="text/plain; charset=utf-8")


PARTY_FIELDS = (
    "role",
    "kind",
    "name",
    "sex",
    "ethnicity",
    "age",
    "occupation",
    "address",
    "representative",
    "agent_name",
    "agent_authorisation",
)


@login_required
@require_http_methods(["GET", "POST"])
def party_edit(request, pk: int, party_pk: int):
    """Correct a party after intake (same rules as adding one). The form is offered only while the
    table allows it: a closed case answers 409, a role that may not 403, before anything is shown."""
    case = _case(request, pk)
    party = get_object_or_404(case.parties, pk=party_pk)
    try:
        CASE.require(case, "edit_party", case_roles(request.user, case))
    except DomainError as exc:
        if refusal_status(exc) == 403:
            raise PermissionDenied from exc
        messages.error(request, str(exc))
        return _case_page(request, case, status=refusal_status(exc))
    form = forms.PartyEditForm(
        request.POST or None,
        case=case,
        party=party,
        initial={name: getattr(party, name) for name in PARTY_FIELDS},
    )
    done, _saved = form_submit(
        request, form, lambda data: services.party_update(party=party, by=request.user, **data)
    )
    if done:
        messages.success(request, _("已保存当事人信息"))
        return redirect("mediation:case_detail", pk=case.pk)
    return form_page(
        request,
        form,
        _("修改当事人：%(name)s") % {"name": party.name},
        back_url=reverse("mediation:case_detail", args=[case.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def committee_edit(request, community_pk: int):
    """The committee's address and phone, printed on its documents: kept by the community's staff
    and the street's office (404 outside the user's communities, 403 for an advisor)."""
    from guwen.mediation.models import Committee
    from guwen.mediation.services.committee import committee_may_edit

    community = get_object_or_404(selectors.communities_for_work(request.user), pk=community_pk)
    if not committee_may_edit(request.user, community):
        raise PermissionDenied
    row = Committee.objects.filter(community=community).first()
    form = forms.CommitteeForm(
        request.POST or None,
        initial={"address": row.address if row else "", "phone": row.phone if row else ""},
    )
    done, _saved = form_submit(
        request, form, lambda data: services.committee_update(community=community, by=request.user, **data)
    )
    if done:
        messages.success(request, _("已保存调委会信息"))
        back = request.GET.get("case", "")
        if back.isdigit() and selectors.cases_visible_to(request.user).filter(pk=back).exists():
            return redirect("mediation:case_detail", pk=int(back))
        return redirect("mediation:case_list")
    return form_page(
        request, form, _("%(name)s人民调解委员会") % {"name": community.name}, back="mediation:case_list"
    )


@login_required
def file_download(request, pk: int, item_pk: int):
    """A filed scan, served only through the scope and as an attachment."""
    case = _case(request, pk)
    item = get_object_or_404(case.file_items, pk=item_pk)
    try:
        handle = item.file.open("rb")
    except OSError:
        raise Http404 from None
    extension = item.file.name[item.file.name.rfind(".") :]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{case.pk}-{item.kind_id}-{item.pk}{extension}",
        content_type=item.content_type,
    )


def _document_filename(case: MediationCase, doc, extension: str) -> str:
    # （2026）南湾人调字第0001号人民调解协议书.docx: FileResponse writes it as RFC 5987 filename*.
    return f"{case.number}{doc.title}{extension}"


@login_required
def document_docx(request, pk: int, name: str):
    """One of the case's 卷宗 forms as .docx, scoped like the case page; a document the case does
    not have now is a 404. Each download is audited."""
    case = _case(request, pk)
    try:
        doc, stored = services.case_document_docx(case=case, name=name, by=request.user, request=request)
    except NotFound:
        raise Http404 from None
    return FileResponse(
        default_storage.open(stored.docx_name, "rb"),
        as_attachment=True,
        filename=_document_filename(case, doc, ".docx"),
        content_type=core_documents.DOCX_CONTENT_TYPE,
    )


@login_required
def document_pdf(request, pk: int, name: str):
    """The same form as PDF, converted from the .docx by the worker and cached per version: served
    when it exists, otherwise the conversion is queued and a short page (202) asks to refresh."""
    case = _case(request, pk)
    try:
        doc, stored, ready = services.case_document_pdf(
            case=case, name=name, by=request.user, request=request
        )
    except NotFound:
        raise Http404 from None
    if not ready:
        return render(
            request,
            "mediation/document_pending.html",
            {"case": case, "doc": doc},
            status=202,
        )
    return FileResponse(
        default_storage.open(stored.pdf_name, "rb"),
        as_attachment=True,
        filename=_document_filename(case, doc, ".pdf"),
        content_type=core_documents.PDF_CONTENT_TYPE,
    )
