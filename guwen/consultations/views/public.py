"""The resident's pages (no account): ask by QR code, check status with phone + receipt code,
add information or a follow-up, rate through a signed one-time link."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.consultations import receipt, selectors, services
from guwen.consultations.forms import AskForm, LookupForm, RatingForm, ResidentMessageForm
from guwen.consultations.models import Channel, Rating, Status
from guwen.core.errors import DomainError, NotFound
from guwen.core.formtools import add_domain_error, form_status
from guwen.core.ratelimit import retry_after, too_many

GRANTS = "guwen_consult_grants"
MAX_GRANTS = 20


def _community(code: str):
    try:
        return services.community_by_code(code)
    except NotFound:
        raise Http404 from None


def _grant(request, consultation_id: int) -> None:
    grants = [pk for pk in request.session.get(GRANTS, []) if pk != consultation_id]
    request.session[GRANTS] = [consultation_id, *grants][:MAX_GRANTS]


@require_http_methods(["GET", "POST"])
def ask(request, code: str):
    community = _community(code)
    if request.method == "POST":
        if wait := retry_after(request, "intake"):
            return too_many(request, wait)
        form = AskForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.consultation_submit(
                    community=community,
                    channel=Channel.WEB,
                    text=data["text"],
                    phone=data["phone"],
                    resident_name=data["resident_name"],
                    files=data["attachments"],
                    consent=data["consent"],
                    idempotency_key=data["key"] or None,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                _grant(request, result.consultation.pk)
                messages.success(
                    request,
                    _("提交成功。您的回执码是 %(code)s，请记下，凭手机号和回执码查询答复。")
                    % {"code": result.consultation.receipt_code},
                )
                return redirect("consultations:public_status", code=community.code)
    else:
        form = AskForm(initial={"key": uuid.uuid4().hex})
    return render(
        request,
        "consultations/public_ask.html",
        {"community": community, "form": form},
        status=form_status(form),
    )


def _status_page(request, community, *, lookup=None, message_forms=None, status=200):
    grants = request.session.get(GRANTS, [])
    rows = selectors.resident_view(grants, community) if grants else []
    rated = set(Rating.objects.filter(consultation__in=rows).values_list("consultation_id", flat=True))
    now = timezone.now()
    items = []
    for consultation in rows:
        items.append(
            {
                "c": consultation,
                "due": receipt.due_in_words(consultation, now),
                "thread": list(consultation.messages.all()),
                "form": (message_forms or {}).get(consultation.pk) or ResidentMessageForm(),
                "can_write": consultation.status != Status.NEW and consultation.status != Status.FOLLOWUP,
                "rating_path": services.rating_path(consultation)
                if consultation.first_response_at and consultation.pk not in rated
                else "",
                "rated": consultation.pk in rated,
            }
        )
    # An urgent question still open: the emergency numbers come before anything else on the page.
    urgent = any(c.is_urgent and c.status != Status.CLOSED for c in rows)
    return render(
        request,
        "consultations/public_status.html",
        {
            "community": community,
            "lookup": lookup or LookupForm(),
            "items": items,
            "emergency": selectors.emergency_numbers_for(community).lines if urgent else [],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def status(request, code: str):
    community = _community(code)
    if request.method == "GET":
        return _status_page(request, community)
    if wait := retry_after(request, "status"):
        return too_many(request, wait)
    form = LookupForm(request.POST)
    if form.is_valid():
        try:
            consultation = services.consultation_lookup(
                community=community,
                phone=form.cleaned_data["phone"],
                receipt_code=form.cleaned_data["receipt_code"],
            )
        except NotFound as exc:
            form.add_error(None, exc.message)
        else:
            _grant(request, consultation.pk)
            return redirect("consultations:public_status", code=community.code)
    return _status_page(request, community, lookup=form, status=form_status(form))


@require_http_methods(["GET", "POST"])
def lookup(request):
    """The status look-up without the community's page (from ``/``): the receipt code is unique
    everywhere, so phone + code find the question in any community; the resident then reads it
    on that community's status page."""
    form = LookupForm(request.POST or None)
    if request.method == "POST":
        if wait := retry_after(request, "status"):
            return too_many(request, wait)
        if form.is_valid():
            phone, code = form.cleaned_data["phone"], form.cleaned_data["receipt_code"]
            try:
                consultation = services.consultation_lookup(phone=phone, receipt_code=code)
            except NotFound as exc:
                # An on-site booking's code finds its rating page once the resident has been seen.
                try:
                    return redirect(services.booking_rating_path(phone=phone, receipt_code=code))
                except NotFound:
                    form.add_error(None, exc.message)
                except DomainError as not_yet:
                    form.add_error(None, not_yet.message)
            else:
                _grant(request, consultation.pk)
                return redirect("consultations:public_status", code=consultation.community.code)
    return render(request, "consultations/public_lookup.html", {"lookup": form}, status=form_status(form))


@require_POST
def resident_message(request, code: str, pk: int):
    community = _community(code)
    if pk not in request.session.get(GRANTS, []):
        raise Http404
    consultation = selectors.resident_view([pk], community)
    if not consultation:
        raise Http404
    consultation = consultation[0]
    form = ResidentMessageForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_resident_message(consultation=consultation, text=form.cleaned_data["text"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已发送，顾问律师会尽快回复。"))
            return redirect("consultations:public_status", code=community.code)
    return _status_page(request, community, message_forms={consultation.pk: form}, status=form_status(form))


@require_http_methods(["GET", "POST"])
def rate(request, token: str):
    """The one rating page for every kind of item (consultation, booking, mediation case)."""
    try:
        target = services.target_from_token(token)
    except NotFound:
        raise Http404 from None
    done = services.existing_rating(target)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and done is None and form.is_valid():
        try:
            services.rating_submit(
                target=target,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return render(request, "consultations/public_rated.html", {"target": target})
    status_code = form_status(form)
    if request.method == "POST" and done is not None:
        status_code = 409
    return render(
        request,
        "consultations/public_rate.html",
        {"target": target, "form": form, "done": done, "answered": not target.not_ready},
        status=status_code,
    )
