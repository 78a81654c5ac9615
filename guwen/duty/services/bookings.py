"""Residents' bookings of an on-site consultation in a shift (no account: a phone and a receipt code)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.core import audit
from guwen.core.codes import new_code, normalize_code
from guwen.core.crypto import decrypt_text, keyed_hash, seal
from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.core.masking import mask_phone
from guwen.core.validators import clean_mobile
from guwen.duty.models import Booking, BookingStatus, DutyShift, ShiftStatus
from guwen.duty.workflow import shift_roles

RECEIPT_LENGTH = 10


def booking_refusal(shift: DutyShift) -> DomainError | None:
    """Why the shift cannot take a booking now (cancelled, started or past, full), or None."""
    if shift.status == ShiftStatus.CANCELLED:
        return DomainError(_("该班次已取消，请选择其他时间"), field="shift", code="cancelled")
    if shift.status != ShiftStatus.SCHEDULED or shift.starts_at <= timezone.now():
        return DomainError(_("该班次已开始或已结束，请选择其他时间"), field="shift", code="past")
    if Booking.objects.filter(shift=shift, status=BookingStatus.BOOKED).count() >= shift.capacity:
        return Conflict(_("该班次预约已满，请选择其他时间"), field="shift", code="full")
    return None


def booking_create(
    *, shift: DutyShift, name: str, phone: str, by, topic: str = "", client_key: str | None = None
) -> Booking:
    """Book a place in a future scheduled shift with room left. A retry with the same client key
    returns the first booking (nothing acknowledged is lost, nothing is booked twice)."""
    client_key = (client_key or "").strip() or None
    if client_key is not None and (len(client_key) > 64 or not client_key.isprintable()):
        # An identifier is matched whole, never cut to fit.
        raise DomainError(_("提交标识不正确，请刷新页面后重试"), field="client_key")
    if client_key:
        earlier = Booking.objects.filter(client_key=client_key).first()
        if earlier is not None:
            if earlier.shift_id != shift.pk:
                raise Conflict(_("提交标识已被使用，请刷新页面后重试"), field="client_key")
            return earlier
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写称呼"), field="name")
    if len(name) > 20:
        raise DomainError(_("称呼不能超过20个字"), field="name")
    number = clean_mobile(phone)
    topic = (topic or "").strip()
    if len(topic) > 200:
        raise DomainError(_("咨询事项不能超过200字"), field="topic")
    with transaction.atomic():
        # Lock the shift so two residents taking the last place queue instead of both getting it.
        locked = DutyShift.objects.select_for_update().get(pk=shift.pk)
        refusal = booking_refusal(locked)
        if refusal is not None:
            raise refusal
        booked = Booking.objects.filter(shift=locked, status=BookingStatus.BOOKED)
        sealed = seal(number, mask=mask_phone)
        if booked.filter(phone_hash=sealed.hash).exists():
            raise Conflict(_("该手机号已预约本班次"), field="phone", code="duplicate")
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    shift=locked,
                    name=name,
                    phone_encrypted=sealed.encrypted,
                    phone_hash=sealed.hash,
                    phone_masked=sealed.masked,
                    topic=topic,
                    receipt_code=new_code(RECEIPT_LENGTH),
                    client_key=client_key,
                )
        except IntegrityError:
            earlier = Booking.objects.filter(client_key=client_key).first() if client_key else None
            if earlier is not None:
                return earlier
            raise Conflict(field="shift") from None
        audit.record(
            actor=by,
            action="booking.create",
            obj=booking,
            new={"shift": locked.pk, "phone": booking.phone_masked},
        )
    return booking


def booking_find(*, receipt_code: str, phone: str) -> Booking:
    """A booking by its receipt code and the phone it was made with (both, so a guessed code alone
    reveals nothing); NotFound on ``receipt_code`` otherwise."""
    code = normalize_code(receipt_code, length=RECEIPT_LENGTH)
    try:
        number = clean_mobile(phone)
    except DomainError:
        number = ""
    booking = (
        Booking.objects.filter(receipt_code=code)
        .select_related("shift", "shift__community", "shift__lawyer")
        .first()
        if code
        else None
    )
    if booking is None or not number or booking.phone_hash != keyed_hash(number):
        raise NotFound(_("预约码或手机号不正确"), field="receipt_code")
    return booking


def booking_cancel(*, receipt_code: str, phone: str, by) -> Booking:
    """The resident cancels with the receipt code and phone, before the shift starts."""
    booking = booking_find(receipt_code=receipt_code, phone=phone)
    if booking.status == BookingStatus.CANCELLED:
        raise Conflict(_("该预约已取消"), field="receipt_code")
    if booking.status != BookingStatus.BOOKED or booking.shift.starts_at <= timezone.now():
        raise DomainError(_("班次已开始，不能取消预约"), field="receipt_code")
    with transaction.atomic():
        now = timezone.now()
        if not Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CANCELLED, cancelled_at=now
        ):
            raise Conflict(_("该预约已取消"), field="receipt_code")
        booking.refresh_from_db()
        audit.record(
            actor=by,
            action="booking.cancel",
            obj=booking,
            old={"status": "booked"},
            new={"status": "cancelled"},
        )
    return booking


def booking_mark_attended(*, booking: Booking, by) -> Booking:
    """The resident came: marked by the advisor on duty or the community's staff once the shift
    has started. The consultations module turns an attended booking into a logged consultation."""
    shift = booking.shift
    roles = shift_roles(by, shift)
    if not roles & {Role.ADVISOR, Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}:
        raise DomainError(_("只有值班律师或社区可以登记到场"), field="booking", code="forbidden")
    if booking.status == BookingStatus.ATTENDED:
        raise Conflict(_("该预约已登记到场"), field="booking")
    if booking.status != BookingStatus.BOOKED:
        raise DomainError(_("该预约已取消"), field="booking")
    if shift.status in (ShiftStatus.CANCELLED, ShiftStatus.MISSED) or shift.starts_at > timezone.now():
        raise DomainError(_("班次尚未开始，不能登记到场"), field="booking")
    with transaction.atomic():
        now = timezone.now()
        if not Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
            status=BookingStatus.ATTENDED, attended_at=now
        ):
            raise Conflict(field="booking")
        booking.refresh_from_db()
        audit.record(
            actor=by,
            action="booking.attended",
            obj=booking,
            old={"status": "booked"},
            new={"status": "attended"},
        )
    return booking


def booking_read_phone(*, booking: Booking, by, request=None) -> str:
    """The resident's full phone for the advisor or community calling back; every read is audited."""
    roles = shift_roles(by, booking.shift)
    if not roles & {Role.ADVISOR, Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}:
        raise NotFound()
    value = decrypt_text(booking.phone_encrypted)
    audit.record(actor=by, action="booking.phone.read", obj=booking, request=request)
    return value
