"""Identical photos: a lecture photo is compared with the lecture photos of the last twelve months
anywhere in the city (through the indexed prints), and the flag names the other lectures."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from guwen.outreach.models import Activity, ActivityPhoto
from guwen.subsidy.defaults import ensure
from guwen.subsidy.models import Flag, FlagKind, PhotoPrint
from guwen.subsidy.services import settle_district_month
from guwen.subsidy.services.settle import photo_window

pytestmark = pytest.mark.django_db


def _lecture(community, lawyer, day: date, photo: bytes) -> Activity:
    activity = Activity.objects.create(
        community=community,
        kind="lecture",
        status="confirmed",
        date=day,
        topic="《民法典》讲座",
        audience_count=30,
    )
    activity.advisors.add(lawyer)
    picture = ActivityPhoto(activity=activity, photo_type="png")
    picture.photo.save("p.png", ContentFile(photo), save=True)
    return activity


def _picture(seed: int) -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("L", (90, 80), 230)
    draw = ImageDraw.Draw(image)
    for k in range(6):
        x = (seed * 37 + k * 53) % 80
        draw.rectangle((x, k * 12, x + 10 + seed % 7, k * 12 + 9), fill=(seed * 41 + k * 29) % 200)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_same_photo_found_across_districts_and_months_but_not_older_than_a_year(world):
    ensure()
    today = timezone.localdate()
    month = today.replace(day=1)
    same, other = _picture(3), _picture(11)
    mine = _lecture(world.community_a, world.lawyer_a, today, same)
    first, _last = photo_window(month)
    earlier = _lecture(world.community_e, world.lawyer_e, first + timedelta(days=3), same)  # another district
    _lecture(world.community_e, world.lawyer_e, first - timedelta(days=1), same)  # older than a year
    _lecture(world.community_c, world.lawyer_c, today, other)  # a different picture
    settle_district_month(district=world.district, month=month)
    flag = Flag.objects.get(kind=FlagKind.SAME_PHOTO, settlement__lawyer=world.lawyer_a)
    assert flag.key == f"lecture:{mine.pk}"
    assert f"#{earlier.pk}（{earlier.date.isoformat()}，松园社区）" in flag.evidence
    assert flag.evidence.count("#") == 1  # neither the year-old lecture nor the different picture
    assert not Flag.objects.filter(kind=FlagKind.SAME_PHOTO, settlement__lawyer=world.lawyer_c).exists()
    # Every photo in the window hashed once; recomputing reads no file again and finds the flag again.
    assert PhotoPrint.objects.exclude(value="").count() == 3
    settle_district_month(district=world.district, month=month)
    assert Flag.objects.filter(kind=FlagKind.SAME_PHOTO).count() == 1


def test_a_deleted_photo_is_no_longer_evidence(world):
    ensure()
    today = timezone.localdate()
    same = _picture(5)
    _lecture(world.community_a, world.lawyer_a, today, same)
    twin = _lecture(world.community_b, world.lawyer_b, today, same)
    settle_district_month(district=world.district, month=today.replace(day=1))
    assert Flag.objects.filter(kind=FlagKind.SAME_PHOTO).count() == 2  # both lecturers
    ActivityPhoto.objects.filter(activity=twin).delete()
    Flag.objects.all().delete()
    settle_district_month(district=world.district, month=today.replace(day=1))
    assert not Flag.objects.filter(kind=FlagKind.SAME_PHOTO).exists()


def test_a_lecture_moved_to_another_day_is_followed(world):
    ensure()
    today = timezone.localdate()
    month = today.replace(day=1)
    first, _last = photo_window(month)
    same = _picture(7)
    _lecture(world.community_a, world.lawyer_a, today, same)
    old = _lecture(world.community_e, world.lawyer_e, first - timedelta(days=5), same)  # too old
    settle_district_month(district=world.district, month=month)
    assert not Flag.objects.filter(kind=FlagKind.SAME_PHOTO).exists()
    # Its date was entered wrongly: it was held inside the window.
    Activity.objects.filter(pk=old.pk).update(date=first + timedelta(days=5))
    settle_district_month(district=world.district, month=month)
    flag = Flag.objects.get(kind=FlagKind.SAME_PHOTO)
    assert f"#{old.pk}（{(first + timedelta(days=5)).isoformat()}，松园社区）" in flag.evidence


def test_prints_follow_a_lecture_out_of_the_window_and_back(world):
    ensure()
    today = timezone.localdate()
    month = today.replace(day=1)
    first, _last = photo_window(month)
    _lecture(world.community_a, world.lawyer_a, today, _picture(2))  # the month has a lecture to check
    lecture = _lecture(world.community_e, world.lawyer_e, first + timedelta(days=1), _picture(9))
    settle_district_month(district=world.district, month=month)
    print_row = PhotoPrint.objects.get(activity_pk=lecture.pk)
    for day, expected in (
        (first - timedelta(days=3), first + timedelta(days=1)),  # outside: left as it was
        (first + timedelta(days=20), first + timedelta(days=20)),  # back inside: followed
    ):
        Activity.objects.filter(pk=lecture.pk).update(date=day)
        settle_district_month(district=world.district, month=month)
        print_row.refresh_from_db()
        assert print_row.taken_on == expected
    assert PhotoPrint.objects.count() == 2
