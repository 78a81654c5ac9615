"""What a resident can rate, and how to find it from a signed link. Consultations and bookings are
found here; a module higher up (mediation) registers its own finder when it starts, so the one
rating mechanism serves every kind without this module importing the ones above it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from guwen.consultations.models import Consultation, RatingKind
from guwen.duty import selectors as duty_selectors
from guwen.duty.models import BookingStatus
from guwen.regions.models import Lawyer, Region


@dataclass(frozen=True)
class RatingTarget:
    """One rateable item. ``check`` binds a link to the record (its receipt code or case number),
    so a link still names the same item if ids are ever reused; ``not_ready`` says why it cannot be
    rated yet (no answer, not attended, not closed), empty when it can."""

    kind: str
    pk: int
    check: str
    label: str
    community: Region | None
    lawyer: Lawyer | None
    not_ready: str = ""
    consultation: Consultation | None = None


Finder = Callable[[int], RatingTarget | None]
_FINDERS: dict[str, Finder] = {}


def register(kind: str, finder: Finder) -> None:
    _FINDERS[kind] = finder


def find(kind: str, pk: int) -> RatingTarget | None:
    finder = _FINDERS.get(kind)
    return finder(pk) if finder and isinstance(pk, int) else None


def consultation_target(consultation: Consultation) -> RatingTarget:
    owner_lawyer = (
        Lawyer.objects.filter(user_id=consultation.owner_id).first() if consultation.owner_id else None
    )
    return RatingTarget(
        kind=RatingKind.CONSULTATION,
        pk=consultation.pk,
        check=consultation.receipt_code,
        label=_("法律咨询 %(code)s") % {"code": consultation.receipt_code},
        community=consultation.community,
        lawyer=owner_lawyer,
        not_ready="" if consultation.first_response_at else _("律师答复后才能评价。"),
        consultation=consultation,
    )


def _consultation(pk: int) -> RatingTarget | None:
    found = Consultation.objects.filter(pk=pk).select_related("community").first()
    return consultation_target(found) if found else None


def booking_target(booking) -> RatingTarget:
    shift = booking.shift
    return RatingTarget(
        kind=RatingKind.BOOKING,
        pk=booking.pk,
        check=booking.receipt_code,
        label=_("驻点咨询 %(day)s %(code)s") % {"day": shift.date.isoformat(), "code": booking.receipt_code},
        community=shift.community,
        lawyer=shift.lawyer,
        not_ready="" if booking.status == BookingStatus.ATTENDED else _("到场咨询之后才能评价。"),
    )


def _booking(pk: int) -> RatingTarget | None:
    found = duty_selectors.booking_by_id(pk)
    return booking_target(found) if found else None


register(RatingKind.CONSULTATION, _consultation)
register(RatingKind.BOOKING, _booking)
