"""A resident who booked an on-site slot and came becomes a logged walk-in consultation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guwen.consultations.models import Channel, Consultation
from guwen.consultations.services import consultation_from_booking
from guwen.core.errors import DomainError
from guwen.duty.models import Booking, DutyShift
from guwen.duty.services import booking_create
from guwen.duty.tests.helpers import make_shift

# A weekday afternoon: the booked shift and the resident's arrival fall on one day whatever the
# real clock says (at 00:05 the shift that "began ten minutes ago" would belong to yesterday).
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-18T15:00:00+08:00")]


@pytest.fixture
def booking(world):
    shift = make_shift(world, starts_in=timedelta(hours=2))
    made = booking_create(
        shift=shift, name="王女士", phone="13900002222", topic="租房押金不退怎么办", by=None
    )
    # The shift has begun by the time the resident arrives.
    DutyShift.objects.filter(pk=shift.pk).update(starts_at=timezone.now() - timedelta(minutes=10))
    return Booking.objects.select_related("shift", "shift__community").get(pk=made.pk)


def test_attended_booking_becomes_a_walk_in_consultation_owned_by_the_advisor(world, booking, sent):
    advisor = world.user("advisor_a")
    result = consultation_from_booking(booking=booking, by=advisor)
    consultation = result.consultation
    assert result.created
    assert consultation.channel == Channel.WALK_IN
    assert consultation.owner == advisor
    assert consultation.community == world.community_a
    assert "租房押金不退怎么办" in consultation.text
    assert consultation.phone_masked == "139****2222"
    booking.refresh_from_db()
    assert booking.status == "attended"


def test_converting_twice_returns_the_first_consultation(world, booking, sent):
    advisor = world.user("advisor_a")
    first = consultation_from_booking(booking=booking, by=advisor).consultation
    booking.refresh_from_db()
    again = consultation_from_booking(booking=booking, by=advisor)
    assert not again.created and again.consultation.pk == first.pk
    assert Consultation.objects.count() == 1


def test_someone_without_the_shift_cannot_convert_and_nothing_is_saved(world, booking, sent):
    with pytest.raises(DomainError):
        consultation_from_booking(booking=booking, by=world.user("advisor_b"))
    booking.refresh_from_db()
    assert booking.status == "booked"
    assert not Consultation.objects.exists()


def test_log_page_lists_todays_bookings_and_converts(world, booking, sent, client_for):
    client = client_for("advisor_a")
    page = client.get("/consultations/new/").content.decode()
    assert "今日驻点预约" in page and "王女士" in page
    response = client.post(f"/consultations/from-booking/{booking.pk}/")
    assert response.status_code == 302
    assert Consultation.objects.get().channel == Channel.WALK_IN


def test_another_communitys_booking_is_404(world, booking, sent, client_for):
    assert client_for("advisor_b").post(f"/consultations/from-booking/{booking.pk}/").status_code == 404
    assert not Consultation.objects.exists()


def test_a_residents_booking_and_consultation_share_one_phone_hash(world, booking, sent):
    """Every module seals phones the same way, so one resident's records can be found together."""
    consultation = consultation_from_booking(booking=booking, by=world.user("advisor_a")).consultation
    assert consultation.phone_hash == booking.phone_hash
