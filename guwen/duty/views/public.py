"""Public pages (no account, read in WeChat's browser from a QR code): the community's advisor card
(三公开), booking an on-site consultation, and looking up or cancelling a booking."""

from __future__ import annotations

import secrets

import segno
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from guwen.core.crypto import keyed_hash
from guwen.core.errors import DomainError, NotFound
from guwen.core.formtools import add_domain_error, form_status
from guwen.core.ratelimit import retry_after, too_many
from guwen.core.uploads import SNIFF_BYTES, sniff_image
from guwen.core.validators import mobile_or_empty
from guwen.duty import selectors, services
from guwen.duty.conf import public_base_url
from guwen.duty.forms import BookingForm, BookingLookupForm
from guwen.duty.models import BookingStatus


def _phone_limited(request) -> int | None:
    """The wait for the phone number in the form, counted across every address."""
    number = mobile_or_empty(request.POST.get("phone"))
    return retry_after(request, "booking_phone", key=keyed_hash(f"booking:{number}")) if number else None


def _not_found(request, code: str):
    return render(request, "duty/public_not_found.html", {"code": code[:40]}, status=404)


def ask_url(request, community) -> str:
    """The absolute address of the community's ask page, which its QR codes encode."""
    return f"{public_base_url(request)}/c/{community.code}/ask"


@require_GET
def card(request, code: str):
    community = selectors.public_community(code)
    if community is None:
        return _not_found(request, code)
    info = selectors.public_card(community)
    url = ask_url(request, community)
    return render(
        request,
        "duty/public_card.html",
        {
            "card": info,
            "community": community,
            "ask_url": url,
            "qr_svg": segno.make(url, error="m").svg_inline(scale=4, title=_("扫码在线咨询")),
            "today": timezone.localdate(),
        },
    )


@require_GET
def qr_svg(request, code: str):
    community = selectors.public_community(code)
    if community is None:
        return _not_found(request, code)
    buffer = segno.make(ask_url(request, community), error="m")
    response = HttpResponse(buffer.svg_inline(scale=8), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="ask-{community.code}.svg"'
    return response


@require_GET
def photo(request, code: str):
    """The current advisor's photo: public, as the card is (三公开)."""
    community = selectors.public_community(code)
    if community is None:
        return _not_found(request, code)
    lawyer = selectors.public_card(community).lawyer
    if lawyer is None or not lawyer.photo:
        return _not_found(request, code)
    try:
        with lawyer.photo.open("rb") as handle:
            data = handle.read(5 * 1024 * 1024)
    except OSError:
        return _not_found(request, code)
    file_type = sniff_image(data[:SNIFF_BYTES])
    if file_type is None:
        return _not_found(request, code)
    response = HttpResponse(data, content_type=file_type.content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def book(request, code: str):
    community = selectors.public_community(code)
    if community is None:
        return _not_found(request, code)
    if request.method == "POST" and (wait := retry_after(request, "booking") or _phone_limited(request)):
        return too_many(request, wait)
    open_shifts = selectors.bookable_shifts(community)
    form = BookingForm(
        request.POST or None,
        shifts=selectors.bookable_shift_choices(open_shifts),
        initial={"client_key": secrets.token_urlsafe(16)},
    )
    if request.method == "POST" and not form.is_valid() and "shift" in form.errors:
        # A shift that was open when the page loaded may be full, cancelled or past now: say which.
        chosen = selectors.community_shift(community, _int(request.POST.get("shift")))
        refusal = services.booking_refusal(chosen) if chosen is not None else None
        if refusal is not None:
            form.errors["shift"] = form.error_class([refusal.message])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_create(
                shift=data["shift"],
                name=data["name"],
                phone=data["phone"],
                topic=data["topic"],
                client_key=data["client_key"],
                by=request.user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return render(request, "duty/public_booked.html", {"community": community, "booking": booking})
    return render(
        request,
        "duty/public_book.html",
        {"community": community, "form": form, "has_open": bool(open_shifts)},
        status=form_status(form),
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def booking(request, code: str):
    """Look up a booking by receipt code and phone, and cancel it before the shift starts."""
    community = selectors.public_community(code)
    if community is None:
        return _not_found(request, code)
    if request.method == "POST" and (wait := retry_after(request, "booking_lookup")):
        return too_many(request, wait)
    form = BookingLookupForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "cancel":
                found = services.booking_cancel(
                    receipt_code=data["receipt_code"], phone=data["phone"], by=request.user
                )
            else:
                found = services.booking_find(receipt_code=data["receipt_code"], phone=data["phone"])
        except NotFound as exc:
            # A look-up that matches nothing is refused like a mistyped code (422), the same whether
            # the code, the phone or the community is wrong, as on the consultation status page.
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if found.shift.community_id != community.pk:
                found = None
                form.add_error("receipt_code", _("预约码或手机号不正确"))
    return render(
        request,
        "duty/public_booking.html",
        {
            "community": community,
            "form": form,
            "booking": found,
            "cancellable": found is not None
            and found.status == BookingStatus.BOOKED
            and found.shift.starts_at > timezone.now(),
        },
        status=form_status(form),
    )
