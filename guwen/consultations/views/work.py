"""Work pages: the inbox, the street and district queues, the detail page and its actions, logging a
phone or walk-in question, and the advisor's away periods. Every fetch goes through
``consultations_visible_to``; anything outside it is a 404."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.accounts.narrowing import chips, lawyer_in_scope, period_chip
from guwen.accounts.narrowing import from_request as narrowing_from_request
from guwen.accounts.narrowing import refused as narrowing_refused
from guwen.consultations import conversions, selectors, services, workflow
from guwen.consultations.forms import (
    AskInfoForm,
    AwayForm,
    CloseForm,
    EscalateForm,
    FilterForm,
    LogForm,
    ReassignForm,
    ReplyForm,
)
from guwen.consultations.models import Rating
from guwen.consultations.workflow import CONSULTATION
from guwen.core.errors import DomainError, refusal_status
from guwen.core.formtools import add_domain_error, form_status, form_submit, paginate
from guwen.duty import selectors as duty_selectors
from guwen.regions.models import Region
from guwen.regions.selectors import communities_served

TAB_LABELS = {
    "new": _("待答复"),
    "mine": _("我的"),
    "pool": _("待认领"),
    "overdue": _("已超时"),
    "waiting": _("待居民补充"),
    "answered": _("已答复"),
    "closed": _("已办结"),
    "all": _("全部"),
}


def _period_chip(params, filters) -> list:
    """The dates in use, shown beside the advisor and region (the date fields sit folded away)."""
    if not (filters.date_from or filters.date_to):
        return []
    label = _("首次答复日期") if filters.date_by == "answered" else _("提问日期")
    names, text = period_chip(params, label=label)[0]
    return [((*names, "date_by"), text)]


def _list_page(request, queryset, *, title: str, queue: str):
    user = request.user
    narrowing, refused = narrowing_from_request(request)
    if refused:
        return refused
    try:
        # ``served_by``: the consultations of the communities an advisor served as primary in the
        # period (what the appraisal's escalation figure counts), however many there were.
        served = lawyer_in_scope(user, request.GET.get("served_by"), field="served_by")
    except DomainError as exc:
        return narrowing_refused(request, exc)
    communities = Region.objects.filter(pk__in=queryset.values("community_id")).order_by("code")
    form = FilterForm(request.GET or None, communities=communities)
    tab = request.GET.get("tab", "new")
    if tab not in selectors.TABS:
        tab = "new"
    filters = selectors.Filters()
    if form.is_bound and form.is_valid():
        filters = selectors.Filters(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    if narrowing.lawyer is not None:
        # A lawyer without an account has answered nothing: match no one rather than everyone.
        filters = replace(filters, owner_id=narrowing.lawyer.user_id or 0)
    if narrowing.region is not None:
        filters = replace(filters, region_path=narrowing.region.path)
    extra = _period_chip(request.GET, filters)
    if served is not None:
        served_in = communities_served(served, filters.date_from or date.min, filters.date_to)
        filters = replace(filters, community_ids=tuple(served_in.values_list("pk", flat=True)))
        extra.insert(0, (("served_by",), _("律师所驻社区：%(name)s") % {"name": served.name}))
    rows = selectors.inbox(queryset, user, tab=tab, filters=filters)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("tab", None)
    counts = selectors.inbox_counts(queryset, user)
    return render(
        request,
        "consultations/inbox.html",
        {
            "title": title,
            "queue": queue,
            "tab": tab,
            "tabs": [(key, TAB_LABELS[key], counts[key]) for key in selectors.TABS],
            "form": form,
            "page": paginate(request, rows, 20),
            "query": query.urlencode(),
            "chips": chips(request.GET, narrowing, extra=extra),
            "narrowing": narrowing,
            "can_log": selectors.advisor_communities(user).exists(),
        },
        status=form_status(form),
    )


@login_required
def inbox(request):
    if not selectors.can_handle_consultations(request.user):
        raise Http404
    return _list_page(
        request, selectors.consultations_visible_to(request.user), title=_("咨询收件箱"), queue="inbox"
    )


@login_required
def street_queue(request):
    if not selectors.can_see_street_queue(request.user):
        raise Http404
    return _list_page(request, selectors.street_queue(request.user), title=_("街道咨询池"), queue="street")


@login_required
def district_queue(request):
    if not selectors.can_see_district_queue(request.user):
        raise Http404
    return _list_page(
        request, selectors.district_queue(request.user), title=_("区级咨询池"), queue="district"
    )


def _get(request, pk: int):
    return get_object_or_404(
        selectors.consultations_visible_to(request.user).select_related(
            "community", "community__parent", "owner"
        ),
        pk=pk,
    )


def _render_detail(request, consultation, *, bound: dict | None = None, status: int = 200):
    user = request.user
    roles = workflow.roles_for(consultation, user)
    actions = CONSULTATION.allowed_actions(consultation, roles)
    handler = bool(roles & (workflow.HANDLERS | workflow.SUPERVISORS))
    forms = {
        "reply": ReplyForm(),
        "ask_info": AskInfoForm(),
        "escalate": EscalateForm(),
        "close": CloseForm(initial={"category": consultation.category or consultation.category_suggested}),
        "reassign": ReassignForm(owners=services.eligible_owners(consultation))
        if "reassign" in actions
        else None,
        **(bound or {}),
    }
    return render(
        request,
        "consultations/detail.html",
        {
            "c": consultation,
            "thread": selectors.consultation_thread(consultation),
            "events": selectors.consultation_events(consultation),
            "actions": actions,
            "forms": forms,
            "handler": handler,
            "targets": conversions.targets() if handler else [],
            "rating": Rating.objects.filter(consultation=consultation).first(),
            "can_escalate_further": consultation.level != "district",
            "knowledge_entry": selectors.knowledge_entry(consultation),
            "linked": conversions.linked_records(consultation=consultation, user=user),
        },
        status=status,
    )


@login_required
def detail(request, pk: int):
    consultation = _get(request, pk)
    services.consultation_record_read(consultation=consultation, by=request.user, request=request)
    return _render_detail(request, consultation)


def _act(request, pk: int, *, name: str, form, call, done: str):
    consultation = _get(request, pk)
    if form.is_valid():
        try:
            call(consultation, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, done)
            if selectors.consultations_visible_to(request.user).filter(pk=pk).exists():
                return redirect("consultations:detail", pk=pk)
            return redirect("consultations:inbox")
    status = form_status(form)
    return _render_detail(request, consultation, bound={name: form}, status=status)


@login_required
@require_POST
def reply(request, pk: int):
    return _act(
        request,
        pk,
        name="reply",
        form=ReplyForm(request.POST),
        call=lambda c, d: services.consultation_reply(consultation=c, body=d["body"], by=request.user),
        done=_("已答复，已通知居民"),
    )


@login_required
@require_POST
def ask_info(request, pk: int):
    return _act(
        request,
        pk,
        name="ask_info",
        form=AskInfoForm(request.POST),
        call=lambda c, d: services.consultation_ask_info(consultation=c, body=d["body"], by=request.user),
        done=_("已请居民补充信息，计时暂停"),
    )


@login_required
@require_POST
def escalate(request, pk: int):
    return _act(
        request,
        pk,
        name="escalate",
        form=EscalateForm(request.POST),
        call=lambda c, d: services.consultation_escalate(consultation=c, reason=d["reason"], by=request.user),
        done=_("已提交上级"),
    )


@login_required
@require_POST
def close(request, pk: int):
    return _act(
        request,
        pk,
        name="close",
        form=CloseForm(request.POST),
        call=lambda c, d: services.consultation_close(
            consultation=c, category=d["category"], by=request.user
        ),
        done=_("已办结"),
    )


class _Empty(ReplyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.clear()


@login_required
@require_POST
def claim(request, pk: int):
    return _act(
        request,
        pk,
        name="claim",
        form=_Empty(request.POST),
        call=lambda c, d: services.consultation_claim(consultation=c, by=request.user),
        done=_("已认领，请尽快答复"),
    )


@login_required
@require_POST
def reassign(request, pk: int):
    consultation = _get(request, pk)
    owners = services.eligible_owners(consultation)
    by_pk = {u.pk: u for u in owners}
    return _act(
        request,
        pk,
        name="reassign",
        form=ReassignForm(request.POST, owners=owners),
        call=lambda c, d: services.consultation_reassign(
            consultation=c, owner=by_pk.get(d["owner"]), reason=d["reason"], by=request.user
        ),
        done=_("已改派"),
    )


@login_required
@require_POST
def reusable(request, pk: int):
    flag = request.POST.get("reusable", "1") != "0"
    return _act(
        request,
        pk,
        name="reusable",
        form=_Empty(request.POST),
        call=lambda c, d: services.consultation_mark_reusable(consultation=c, reusable=flag, by=request.user),
        done=_("已加入知识库（已去除姓名、电话、证件号和地址）") if flag else _("已从知识库移除"),
    )


@login_required
@require_POST
def convert(request, pk: int, target: str):
    consultation = _get(request, pk)
    if conversions.get(target) is None:
        raise Http404
    try:
        url = services.consultation_convert(consultation=consultation, target=target, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_detail(request, consultation, status=refusal_status(exc))
    return redirect(url)


@login_required
@require_POST
def phone(request, pk: int):
    """Reveal the resident's full phone number to call back; the read is audited."""
    consultation = _get(request, pk)
    if not workflow.roles_for(consultation, request.user) & (workflow.HANDLERS | workflow.SUPERVISORS):
        raise Http404
    value = services.consultation_read_phone(consultation=consultation, by=request.user, request=request)
    return render(request, "consultations/_phone.html", {"value": value})


@login_required
def attachment(request, pk: int, attachment_id: int):
    consultation = _get(request, pk)
    item = get_object_or_404(consultation.attachments.all(), pk=attachment_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{consultation.receipt_code}-{item.pk}{item.file.name[item.file.name.rfind('.') :]}",
        content_type=item.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def log_new(request):
    """Log a question taken by phone or at the desk; the advisor who took it owns it."""
    communities = list(selectors.advisor_communities(request.user))
    if not communities:
        raise Http404
    form = LogForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        community = next(c for c in communities if c.code == data["community"])
        try:
            with transaction.atomic():  # answered on the spot: both or neither
                result = services.consultation_submit(
                    community=community,
                    channel=data["channel"],
                    text=data["text"],
                    phone=data["phone"],
                    resident_name=data["resident_name"],
                    owner=request.user,
                    by=request.user,
                )
                if data["answer"].strip():
                    services.consultation_reply(
                        consultation=result.consultation, body=data["answer"], by=request.user
                    )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("已登记，回执码 %(code)s") % {"code": result.consultation.receipt_code}
            )
            return redirect("consultations:detail", pk=result.consultation.pk)
    bookings = (
        duty_selectors.bookings_visible_to(request.user)
        .filter(shift__starts_at__date=timezone.localdate(), status__in=["booked", "attended"])
        .select_related("shift", "shift__community")
        .order_by("shift__starts_at", "id")
    )
    return render(
        request, "consultations/log_form.html", {"form": form, "bookings": bookings}, status=form_status(form)
    )


@login_required
@require_POST
def from_booking(request, booking_id: int):
    """The resident who booked an on-site slot came: log it as a walk-in question."""
    booking = get_object_or_404(duty_selectors.bookings_visible_to(request.user), pk=booking_id)
    try:
        result = services.consultation_from_booking(
            booking=booking, by=request.user, text=request.POST.get("text", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("consultations:log_new")
    messages.success(
        request, _("已登记到场并转为咨询，回执码 %(code)s") % {"code": result.consultation.receipt_code}
    )
    return redirect("consultations:detail", pk=result.consultation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def away(request):
    """The advisor's own away periods: while away, new questions go to the backup advisor."""
    lawyer = selectors.lawyer_of(request.user)
    if lawyer is None:
        raise Http404
    form = AwayForm(request.POST or None)
    done, _away = form_submit(
        request, form, lambda data: services.advisor_away_create(lawyer=lawyer, by=request.user, **data)
    )
    if done:
        messages.success(request, _("已登记外出，期间新的咨询将转给备岗顾问"))
        return redirect("consultations:away")
    return render(
        request,
        "consultations/away.html",
        {"form": form, "periods": selectors.away_periods(lawyer)},
        status=form_status(form),
    )


@login_required
@require_POST
def away_end(request, away_id: int):
    lawyer = selectors.lawyer_of(request.user)
    if lawyer is None:
        raise Http404
    period = get_object_or_404(selectors.away_periods(lawyer), pk=away_id)
    try:
        services.advisor_away_end(away=period, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已结束外出"))
    return redirect("consultations:away")
