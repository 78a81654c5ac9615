from __future__ import annotations

from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guwen.core.audit import AuditEvent
from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.core.workcalendar import CHINA_TZ
from guwen.duty import selectors, services
from guwen.duty.models import Booking, BookingStatus, CoverageWarning, RotaSlot, ShiftStatus
from guwen.duty.rota import Gap, coverage_gaps, needed_periods, responder_at, subtract
from guwen.duty.tests.helpers import make_shift

pytestmark = pytest.mark.django_db


def book(shift, phone="13800138001", **extra):
    return services.booking_create(shift=shift, name="王女士", phone=phone, by=None, **extra)


def test_booking_stores_the_phone_encrypted_hashed_and_masked(world):
    shift = make_shift(world, starts_in=timedelta(days=1))
    booking = book(shift, phone="+86 138-0013-8001")
    assert booking.phone_masked == "138****8001"
    assert "13800138001" not in booking.phone_encrypted and len(booking.receipt_code) == 10
    event = AuditEvent.objects.get(action="booking.create")
    assert "13800138001" not in str(event.new)
    assert services.booking_read_phone(booking=booking, by=world.user("advisor_a")) == "13800138001"
    assert AuditEvent.objects.filter(action="booking.phone.read").count() == 1
    with pytest.raises(NotFound):
        services.booking_read_phone(booking=booking, by=world.user("bureau"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "2380013800"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"name": " "}, "name"),
        ({"name": "名" * 21}, "name"),
        ({"topic": "长" * 201}, "topic"),
        ({"client_key": "k" * 65}, "client_key"),  # matched whole, never cut to fit
        ({"client_key": "k\x00"}, "client_key"),
    ],
)
def test_rejects_bad_booking_input_and_saves_nothing(world, change, field):
    shift = make_shift(world, starts_in=timedelta(days=1))
    values = {"shift": shift, "name": "王女士", "phone": "13800138001", "by": None, **change}
    with pytest.raises(DomainError) as caught:
        services.booking_create(**values)
    assert caught.value.field == field
    assert not Booking.objects.exists()


def test_booking_a_full_shift_is_refused(world):
    shift = make_shift(world, starts_in=timedelta(days=1), capacity=2)
    book(shift, "13800138001")
    book(shift, "13800138002")
    with pytest.raises(Conflict) as caught:
        book(shift, "13800138003")
    assert caught.value.code == "full" and "已满" in str(caught.value)
    assert Booking.objects.count() == 2


def test_booking_a_cancelled_or_past_shift_is_refused(world):
    cancelled = make_shift(world, starts_in=timedelta(days=1), status=ShiftStatus.CANCELLED)
    past = make_shift(
        world, starts_in=timedelta(hours=-1), lawyer=world.lawyer_b, community=world.community_b
    )
    with pytest.raises(DomainError) as caught:
        book(cancelled)
    assert caught.value.code == "cancelled"
    with pytest.raises(DomainError) as caught:
        book(past)
    assert caught.value.code == "past"
    assert not Booking.objects.exists()


def test_same_phone_cannot_book_a_shift_twice_but_a_retry_returns_the_first_booking(world):
    shift = make_shift(world, starts_in=timedelta(days=1))
    first = book(shift, client_key="k-1")
    assert book(shift, client_key="k-1").pk == first.pk
    with pytest.raises(Conflict):
        book(shift)
    assert Booking.objects.count() == 1


def test_cancel_by_receipt_code_and_phone(world):
    shift = make_shift(world, starts_in=timedelta(days=1), capacity=1)
    booking = book(shift)
    with pytest.raises(NotFound):
        services.booking_cancel(receipt_code=booking.receipt_code, phone="13900000000", by=None)
    with pytest.raises(NotFound):
        services.booking_cancel(receipt_code="WRONGCODE1", phone="13800138001", by=None)
    services.booking_cancel(receipt_code=booking.receipt_code.lower(), phone="138 0013 8001", by=None)
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    with pytest.raises(Conflict):
        services.booking_cancel(receipt_code=booking.receipt_code, phone="13800138001", by=None)
    book(shift, "13800138009")  # the place is free again


def test_attended_booking_is_marked_by_the_advisor_and_listed_for_consultations(world):
    shift = make_shift(world, starts_in=timedelta(minutes=5))
    booking = book(shift)
    with pytest.raises(DomainError):  # not started yet
        services.booking_mark_attended(booking=booking, by=world.user("advisor_a"))
    from guwen.duty.models import DutyShift

    DutyShift.objects.filter(pk=shift.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    booking.refresh_from_db()
    with pytest.raises(DomainError):
        services.booking_mark_attended(booking=booking, by=world.user("firm_admin"))
    services.booking_mark_attended(booking=booking, by=world.user("advisor_a"))
    assert list(selectors.attended_bookings(community=world.community_a)) == [Booking.objects.get()]
    with pytest.raises(Conflict):
        services.booking_mark_attended(booking=Booking.objects.get(), by=world.user("advisor_a"))


# --- online rota ------------------------------------------------------------------------------


def _slot(world, start: datetime, end: datetime, lawyer=None):
    return services.rota_slot_create(
        street=world.street, lawyer=lawyer or world.lawyer_a, starts_at=start, ends_at=end, by=None
    )


def test_responder_is_the_street_rota_lawyer_at_that_moment(world):
    start = timezone.now() + timedelta(hours=1)
    _slot(world, start, start + timedelta(hours=12), world.lawyer_b)
    assert responder_at(community=world.community_a, at=start + timedelta(hours=2)) == world.lawyer_b
    assert selectors.online_responder(community=world.community_a, at=start + timedelta(hours=13)) is None
    assert responder_at(community=world.community_c, at=start + timedelta(hours=2)) is None  # another street


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_in": -1}, "ends_at"),
        ({"ends_in": 24 * 8}, "ends_at"),
        ({"starts_in": -10, "ends_in": -5}, "ends_at"),
        ({"lawyer": "e"}, "lawyer"),
    ],
)
def test_rejects_bad_rota_slots(world, change, field):
    now = timezone.now()
    lawyer = world.lawyer_e if change.get("lawyer") == "e" else world.lawyer_a
    with pytest.raises(DomainError) as caught:
        services.rota_slot_create(
            street=world.street,
            lawyer=lawyer,
            starts_at=now + timedelta(hours=change.get("starts_in", 1)),
            ends_at=now + timedelta(hours=change.get("ends_in", 5)),
            by=None,
        )
    assert caught.value.field == field
    assert not RotaSlot.objects.exists()


def test_rota_refuses_overlapping_slots_for_one_lawyer(world):
    start = timezone.now() + timedelta(hours=1)
    _slot(world, start, start + timedelta(hours=5))
    with pytest.raises(Conflict):
        _slot(world, start + timedelta(hours=4), start + timedelta(hours=8))


def test_coverage_needs_evenings_on_workdays_and_whole_rest_days(world):
    # 2026-03-06 is a Friday, 03-07 a Saturday: Friday 00:00-09:00, then 18:00 Friday to Monday 09:00.
    periods = needed_periods(street=world.street, start=datetime(2026, 3, 6).date(), days=3)
    local = [
        (a.astimezone(CHINA_TZ).strftime("%d %H:%M"), b.astimezone(CHINA_TZ).strftime("%d %H:%M"))
        for a, b in periods
    ]
    assert local == [("06 00:00", "06 09:00"), ("06 18:00", "09 00:00")]


def test_coverage_check_lists_gaps_and_warns_the_office_once_a_day(world, django_capture_on_commit_callbacks):
    now = timezone.now()
    with mock.patch("guwen.duty.services.rota.notify") as notify:
        with django_capture_on_commit_callbacks(execute=True):
            warning = services.coverage_warn(street=world.street, now=now)
        with django_capture_on_commit_callbacks(execute=True):
            again = services.coverage_warn(street=world.street, now=now)
    assert warning is not None and again is None
    assert CoverageWarning.objects.count() == 1
    notify.assert_called_once()
    kwargs = notify.call_args.kwargs
    assert kwargs["recipients"] == [world.user("office")] and kwargs["event"] == "duty.coverage_gap"
    assert "空档" in kwargs["title"]


def test_full_coverage_means_no_gap_and_no_warning(world):
    now = timezone.now()
    cursor = now - timedelta(hours=1)
    lawyers = [world.lawyer_a, world.lawyer_b]
    i = 0
    while cursor < now + timedelta(days=31):
        _slot(world, cursor, cursor + timedelta(days=7), lawyers[i % 2])
        cursor += timedelta(days=7)
        i += 1
    assert coverage_gaps(street=world.street, now=now) == []
    with mock.patch("guwen.duty.services.rota.notify") as notify:
        assert services.coverage_warn(street=world.street, now=now) is None
    notify.assert_not_called()


def test_missed_shift_appears_on_the_offices_duty_page(world, client_for):
    make_shift(world, starts_in=timedelta(hours=-3))
    services.shifts_close_past()
    page = client_for("office").get("/duty/").content.decode()
    assert "缺勤" in page and "南龙社区" in page


T0 = datetime(2026, 3, 1, tzinfo=CHINA_TZ)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    covers=st.lists(st.tuples(st.integers(0, 96), st.integers(1, 30)), max_size=6),
)
def test_gaps_and_covers_partition_the_needed_time(covers):
    periods = [(T0, T0 + timedelta(hours=24)), (T0 + timedelta(hours=40), T0 + timedelta(hours=72))]
    intervals = [(T0 + timedelta(hours=s), T0 + timedelta(hours=s + n)) for s, n in covers]
    gaps = subtract(periods, intervals)
    for gap in gaps:
        assert isinstance(gap, Gap) and gap.starts_at < gap.ends_at
        assert any(lo <= gap.starts_at and gap.ends_at <= hi for lo, hi in periods)
        assert not any(c_lo < gap.ends_at and gap.starts_at < c_hi for c_lo, c_hi in intervals)
    # every needed hour is either in a gap or covered
    for lo, hi in periods:
        hour = lo
        while hour < hi:
            in_gap = any(g.starts_at <= hour < g.ends_at for g in gaps)
            covered = any(c_lo <= hour < c_hi for c_lo, c_hi in intervals)
            assert in_gap != covered
            hour += timedelta(hours=1)


def test_rule_times_are_local_china_time(world):
    from guwen.duty.tests.helpers import make_rule

    make_rule(world, weekdays="1", start=time(14), end=time(17))
    services.duty_shifts_generate(
        community=world.community_a,
        start=datetime(2026, 3, 3).date(),
        end=datetime(2026, 3, 3).date(),
        by=None,
    )
    shift = world.community_a.duty_shifts.get()
    assert timezone.localtime(shift.starts_at, CHINA_TZ).hour == 14


def test_a_booking_is_found_by_id_and_by_code_with_the_matching_phone_only(world):
    from datetime import timedelta

    from guwen.core.crypto import keyed_hash
    from guwen.duty import selectors
    from guwen.duty.services import booking_create
    from guwen.duty.tests.helpers import make_shift

    booking = booking_create(
        shift=make_shift(world, starts_in=timedelta(days=1)), name="李先生", phone="13900003333", by=None
    )
    assert selectors.booking_by_id(booking.pk).shift.lawyer == world.lawyer_a
    found = selectors.booking_by_receipt(
        receipt_code=booking.receipt_code, phone_hash=keyed_hash("13900003333")
    )
    assert found == booking
    assert (
        selectors.booking_by_receipt(receipt_code=booking.receipt_code, phone_hash=keyed_hash("13900004444"))
        is None
    )
