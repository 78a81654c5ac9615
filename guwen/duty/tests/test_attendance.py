from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from guwen.core.audit import AuditEvent
from guwen.core.errors import Conflict, DomainError
from guwen.core.workflow import TransitionNotAllowed
from guwen.duty import selectors, services
from guwen.duty.models import DutyChangeRequest, DutyCheck, DutyShift, ShiftStatus
from guwen.duty.tests.helpers import make_shift, photo_file
from guwen.regions import services as regions
from guwen.testing import make_lawyer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_check_in_and_out_use_the_server_clock_and_count_held_minutes(world):
    shift = make_shift(world, starts_in=timedelta(minutes=-5))
    advisor = world.user("advisor_a")
    before = timezone.now()
    services.duty_shift_check_in(shift=shift, by=advisor, photo=photo_file())
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.CHECKED_IN and before <= shift.checked_in_at <= timezone.now()
    assert not shift.is_late
    check = DutyCheck.objects.get(shift=shift, kind="in")
    assert check.photo_type == "png" and check.photo.name
    services.duty_shift_check_out(shift=shift, by=advisor, confirm=True)
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.COMPLETED and shift.is_short  # left 3 hours early
    assert 0 <= shift.held_minutes <= 1
    actions = set(AuditEvent.objects.filter(object_id=str(shift.pk)).values_list("action", flat=True))
    assert {"duty_shift.check_in", "duty_shift.check_out"} <= actions


def test_check_in_after_the_late_threshold_is_flagged_late(world):
    shift = make_shift(world, starts_in=timedelta(minutes=-20))
    services.duty_shift_check_in(shift=shift, by=world.user("advisor_a"))
    shift.refresh_from_db()
    assert shift.is_late


def test_refuses_check_in_for_someone_elses_shift(world):
    shift = make_shift(world)
    for role in ("advisor_b", "staff_a", "office"):
        with pytest.raises(DomainError) as caught:
            services.duty_shift_check_in(shift=shift, by=world.user(role))
        assert "本人" in str(caught.value)
    assert DutyShift.objects.get(pk=shift.pk).status == ShiftStatus.SCHEDULED


@pytest.mark.parametrize(
    ("starts_in", "code"), [(timedelta(hours=3), "too_early"), (timedelta(hours=-2, minutes=-5), "too_late")]
)
def test_refuses_check_in_outside_the_tolerance_window(world, starts_in, code):
    shift = make_shift(world, starts_in=starts_in)
    with pytest.raises(DomainError) as caught:
        services.duty_shift_check_in(shift=shift, by=world.user("advisor_a"))
    assert caught.value.code == code
    assert not DutyCheck.objects.exists()


def test_refuses_a_double_check_in(world):
    shift = make_shift(world)
    services.duty_shift_check_in(shift=shift, by=world.user("advisor_a"))
    with pytest.raises(Conflict) as caught:
        services.duty_shift_check_in(shift=DutyShift.objects.get(pk=shift.pk), by=world.user("advisor_a"))
    assert "重复签到" in str(caught.value)
    assert DutyCheck.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [b"GIF89a" + b"\x00" * 20, b"%PDF-1.7 not an image", b"<svg xmlns='http://www.w3.org/2000/svg'/>", b""],
)
def test_refuses_a_photo_that_is_not_jpeg_png_or_webp(world, data):
    shift = make_shift(world)
    with pytest.raises(DomainError) as caught:
        services.duty_shift_check_in(shift=shift, by=world.user("advisor_a"), photo=photo_file(data, "x.jpg"))
    assert caught.value.field == "photo"
    assert DutyShift.objects.get(pk=shift.pk).status == ShiftStatus.SCHEDULED


def test_check_out_before_check_in_is_refused(world):
    shift = make_shift(world)
    with pytest.raises(DomainError) as caught:
        services.duty_shift_check_out(shift=shift, by=world.user("advisor_a"))
    assert caught.value.code == "not_checked_in"


def test_sweep_marks_missed_and_closes_unfinished_shifts_once(world):
    missed = make_shift(world, starts_in=timedelta(hours=-2, minutes=-10))
    unfinished = make_shift(
        world, starts_in=timedelta(hours=-6), hours=3, lawyer=world.lawyer_b, community=world.community_b
    )
    DutyShift.objects.filter(pk=unfinished.pk).update(
        status=ShiftStatus.CHECKED_IN, checked_in_at=unfinished.starts_at + timedelta(minutes=30)
    )
    upcoming = make_shift(
        world, starts_in=timedelta(hours=1), lawyer=world.lawyer_c, community=world.community_c
    )
    assert services.shifts_close_past() == 2
    assert services.shifts_close_past() == 0  # compare-and-set: a second worker changes nothing
    statuses = dict(DutyShift.objects.values_list("pk", "status"))
    assert statuses[missed.pk] == ShiftStatus.MISSED
    assert statuses[upcoming.pk] == ShiftStatus.SCHEDULED
    closed = DutyShift.objects.get(pk=unfinished.pk)
    assert closed.status == ShiftStatus.COMPLETED and closed.no_check_out and closed.held_minutes == 150
    assert AuditEvent.objects.filter(action="duty_shift.mark_missed").count() == 1


def test_staff_confirm_a_completed_shift_but_not_their_own_advisor(world):
    shift = make_shift(world, starts_in=timedelta(days=-1), status=ShiftStatus.COMPLETED)
    with pytest.raises(TransitionNotAllowed):
        services.duty_shift_confirm(shift=shift, by=world.user("advisor_a"))
    with pytest.raises(TransitionNotAllowed):
        services.duty_shift_confirm(shift=shift, by=world.user("bureau"))
    services.duty_shift_confirm(shift=shift, by=world.user("staff_a"))
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.CONFIRMED and shift.confirmed_by == world.user("staff_a")
    with pytest.raises(Conflict):
        services.duty_shift_confirm(shift=shift, by=world.user("office"))


def test_confirming_an_unfinished_shift_is_refused(world):
    shift = make_shift(world, starts_in=timedelta(hours=2))
    with pytest.raises(DomainError) as caught:
        services.duty_shift_confirm(shift=shift, by=world.user("staff_a"))
    assert caught.value.code == "not_finished"


# --- substitution and swap -----------------------------------------------------------------


def test_substitution_by_the_backup_advisor_is_approved_by_the_community(world):
    backup = make_lawyer(world.firm_a, "备岗律师")
    regions.assignment_create(
        lawyer=backup, community=world.community_a, starts_on=date(2024, 1, 1), role="backup", by=None
    )
    shift = make_shift(world, starts_in=timedelta(days=2))
    request = services.duty_change_request_create(
        shift=shift, kind="substitute", substitute=backup, reason="开庭", by=world.user("advisor_a")
    )
    with pytest.raises(TransitionNotAllowed):
        services.duty_change_request_approve(request=request, by=world.user("advisor_a"))
    services.duty_change_request_approve(request=request, by=world.user("staff_a"))
    shift.refresh_from_db()
    assert (shift.lawyer, shift.original_lawyer) == (backup, world.lawyer_a)
    assert AuditEvent.objects.filter(action="duty_change_request.approve").count() == 1


def test_substitute_must_serve_the_community(world):
    shift = make_shift(world, starts_in=timedelta(days=2))
    with pytest.raises(DomainError) as caught:
        services.duty_change_request_create(
            shift=shift,
            kind="substitute",
            substitute=world.lawyer_e,
            reason="开庭",
            by=world.user("advisor_a"),
        )
    assert caught.value.field == "substitute"
    assert not DutyChangeRequest.objects.exists()


def test_swap_exchanges_the_advisors_of_two_shifts_in_the_street(world):
    mine = make_shift(world, starts_in=timedelta(days=2))
    theirs = make_shift(
        world, starts_in=timedelta(days=3), lawyer=world.lawyer_b, community=world.community_b
    )
    request = services.duty_change_request_create(
        shift=mine, kind="swap", other_shift=theirs, reason="家中有事", by=world.user("advisor_a")
    )
    with pytest.raises(Conflict):  # one pending request per shift
        services.duty_change_request_create(
            shift=theirs, kind="swap", other_shift=mine, reason="再换", by=world.user("advisor_b")
        )
    services.duty_change_request_approve(request=request, by=world.user("office"))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.lawyer, theirs.lawyer) == (world.lawyer_b, world.lawyer_a)


@pytest.mark.parametrize(
    ("kind", "field"),
    [("nonsense", "kind"), ("substitute", "substitute"), ("swap", "other_shift")],
)
def test_bad_change_requests_are_refused(world, kind, field):
    shift = make_shift(world, starts_in=timedelta(days=2))
    with pytest.raises(DomainError) as caught:
        services.duty_change_request_create(shift=shift, kind=kind, reason="原因", by=world.user("advisor_a"))
    assert caught.value.field == field


def test_swap_across_streets_and_past_shifts_are_refused(world):
    mine = make_shift(world, starts_in=timedelta(days=2))
    other_street = make_shift(
        world, starts_in=timedelta(days=2), lawyer=world.lawyer_c, community=world.community_c
    )
    with pytest.raises(DomainError):
        services.duty_change_request_create(
            shift=mine, kind="swap", other_shift=other_street, reason="x", by=world.user("advisor_a")
        )
    past = make_shift(world, starts_in=timedelta(days=-2), lawyer=world.lawyer_a)
    with pytest.raises(DomainError):
        services.duty_change_request_create(
            shift=past, kind="swap", other_shift=mine, reason="x", by=world.user("advisor_a")
        )


# --- attendance figures ----------------------------------------------------------------------


def _done(world, *, days_ago: int, minutes: int, status=ShiftStatus.CONFIRMED, **extra):
    shift = make_shift(world, starts_in=timedelta(days=-days_ago), hours=4, **extra)
    DutyShift.objects.filter(pk=shift.pk).update(status=status, held_minutes=minutes)
    return shift


@pytest.mark.time_machine("2026-03-25T15:00:00+08:00")  # three past shifts fit in this month
def test_attendance_rate_and_hours_per_advisor_and_community(world):
    first, last = selectors.month_bounds(timezone.localdate())
    _done(world, days_ago=1, minutes=240)
    _done(world, days_ago=2, minutes=180, status=ShiftStatus.COMPLETED, is_late=True)
    _done(world, days_ago=3, minutes=0, status=ShiftStatus.MISSED)
    figures = selectors.attendance(start=first, end=last, lawyer=world.lawyer_a, community=world.community_a)
    assert (figures.shifts_due, figures.shifts_held, figures.shifts_missed, figures.shifts_late) == (
        3,
        2,
        1,
        1,
    )
    assert figures.held_minutes == 420 and figures.held_hours == Decimal("7.0")
    assert figures.rate == Decimal("0.6667")
    assert figures.required_minutes == 16 * 60  # primary advisor all month, default 16 h
    assert not figures.meets_requirement
    rows = selectors.attendance_by_advisor(
        communities=world.community_a.__class__.objects.all(), start=first, end=last
    )
    assert [r.label for r in rows] == ["甲律师 · 南龙社区"]


def test_required_hours_are_pro_rata_for_part_of_a_month(world):
    minutes = selectors.required_minutes(
        community=world.community_a, start=date(2026, 4, 1), end=date(2026, 4, 15)
    )
    assert minutes == 480  # half of April's 16 hours


def test_attendance_with_nothing_due_has_no_rate(world):
    figures = selectors.attendance(start=date(2026, 1, 1), end=date(2026, 1, 31), community=world.community_b)
    assert figures.rate is None and figures.shifts_due == 0


@pytest.mark.django_db
def test_shifts_held_lists_only_confirmed_shifts_of_the_region(world):
    held = make_shift(world, starts_in=timedelta(hours=-4), status=ShiftStatus.CONFIRMED)
    # Scheduled, not held (another lawyer: one lawyer's shifts may not overlap on PostgreSQL).
    make_shift(world, starts_in=timedelta(hours=-2), community=world.community_b, lawyer=world.lawyer_b)
    make_shift(
        world,
        starts_in=timedelta(hours=-3),
        status=ShiftStatus.CONFIRMED,
        community=world.community_e,
        lawyer=world.lawyer_e,
    )
    day = timezone.localdate(held.starts_at)
    rows = selectors.shifts_held(
        region_path=world.district.path, start=day - timedelta(days=1), end=day + timedelta(days=1)
    )
    assert [(r.pk, r.lawyer_id) for r in rows] == [(held.pk, world.lawyer_a.pk)]
    assert (
        selectors.shifts_held(
            region_path=world.district.path, start=day, end=day, lawyer_ids=[world.lawyer_b.pk]
        )
        == []
    )
