"""An on-site booking that took place becomes a logged consultation (DESIGN §3: the module higher
up owns the action; duty only records that the resident came)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations.models import Channel
from guwen.consultations.selectors import lawyer_of
from guwen.consultations.services.intake import IntakeResult, consultation_submit
from guwen.duty import services as duty_services
from guwen.duty.models import BookingStatus

TEXT_MIN = 10


def consultation_from_booking(*, booking, by, text: str = "") -> IntakeResult:
    """Mark the booking attended and log it as a walk-in question owned by the advisor who saw the
    resident. Converting the same booking again returns the first consultation."""
    shift = booking.shift
    topic = (text or "").strip() or booking.topic.strip()
    day = timezone.localtime(shift.starts_at).strftime("%Y-%m-%d %H:%M")
    body = _("驻点预约咨询（%(day)s）：%(topic)s") % {"day": day, "topic": topic or _("现场咨询，详见答复")}
    if len(body) < TEXT_MIN:
        body = body.ljust(TEXT_MIN, "。")
    with transaction.atomic():
        if booking.status == BookingStatus.BOOKED:
            duty_services.booking_mark_attended(booking=booking, by=by)
        phone = duty_services.booking_read_phone(booking=booking, by=by)
        return consultation_submit(
            community=shift.community,
            channel=Channel.WALK_IN,
            text=body,
            phone=phone,
            resident_name=booking.name,
            idempotency_key=f"booking:{booking.pk}",
            source={"booking": booking.receipt_code},
            # The advisor who saw the resident owns it; staff or the office log it for the usual routing.
            owner=by if lawyer_of(by) is not None else None,
            by=by,
        )
