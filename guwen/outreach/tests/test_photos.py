"""Activity photos on the activity page: thumbnails made once, the full photo, both served only
through the activity's scope."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guwen.core.errors import DomainError
from guwen.outreach import photos, services
from guwen.outreach.models import ActivityPhoto
from guwen.outreach.tests.helpers import lecture

pytestmark = pytest.mark.django_db


def _jpeg(width: int, height: int) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 40)).save(out, "JPEG")
    return SimpleUploadedFile("现场.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _held_with_photos(world, count: int = 2):
    activity = lecture(world, held=False)
    return services.activity_mark_held(
        activity=activity,
        audience_count=30,
        by=world.user("advisor_a"),
        photos=[_jpeg(1200, 900) for _ in range(count)],
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_page_shows_thumbnails_that_link_to_the_full_photo(world, client_for):
    activity = _held_with_photos(world)
    staff = client_for("staff_a")
    page = staff.get(f"/outreach/activities/{activity.pk}/").content.decode()
    shown = list(activity.photos.order_by("pk"))
    assert "活动照片" in page and "照片 2 张" in page
    for photo in shown:
        base = f"/outreach/activities/{activity.pk}/photos/{photo.pk}/"
        assert f'src="{base}thumb/"' in page and f'href="{base}full/"' in page
    thumb = staff.get(f"/outreach/activities/{activity.pk}/photos/{shown[0].pk}/thumb/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert "private" in thumb["Cache-Control"]
    with Image.open(io.BytesIO(_body(thumb))) as image:
        assert max(image.size) == photos.THUMB_SIDE and image.size == (320, 240)
    full = staff.get(f"/outreach/activities/{activity.pk}/photos/{shown[0].pk}/full/")
    assert full.status_code == 200 and full["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(_body(full))) as image:
        assert image.size == (1200, 900) and not image.getexif()  # the re-encoded upload, no metadata


def test_a_thumbnail_is_made_once(world):
    activity = _held_with_photos(world, count=1)
    photo = activity.photos.get()
    name = photos.photo_thumbnail(photo)
    made = default_storage.get_modified_time(name)
    assert photos.photo_thumbnail(photo) == name and default_storage.get_modified_time(name) == made


def test_out_of_scope_or_unknown_photos_are_404(world, client_for):
    activity = _held_with_photos(world, count=1)
    photo = activity.photos.get()
    other = lecture(world, community=world.community_b, lawyer=world.lawyer_b, by=world.user("advisor_b"))
    base = f"/outreach/activities/{activity.pk}/photos/{photo.pk}"
    assert client_for("outsider").get(f"{base}/thumb/").status_code == 404
    staff = client_for("staff_a")
    assert staff.get(f"{base}/huge/").status_code == 404
    assert (
        staff.get(f"/outreach/activities/{other.pk}/photos/{photo.pk}/full/").status_code == 404
    )  # not its photo
    assert client_for("resident").get(f"{base}/full/").status_code == 302  # sign in first


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_saved(world):
    activity = lecture(world, held=False)
    fake = SimpleUploadedFile("照片.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(DomainError) as refused:
        services.activity_mark_held(
            activity=activity, audience_count=30, by=world.user("advisor_a"), photos=[fake]
        )
    assert refused.value.field == "photos"
    assert not ActivityPhoto.objects.exists()


def test_material_and_sign_in_sheet_download_in_scope_and_the_sheet_read_is_audited(world, client_for):
    from django.core.files.base import ContentFile

    from guwen.core.models import AuditEvent

    activity = lecture(world)
    staff = client_for("staff_a")
    page = staff.get(f"/outreach/activities/{activity.pk}/").content.decode()
    assert "下载签到表" not in page  # nothing stored, no link
    assert staff.get(f"/outreach/activities/{activity.pk}/files/sign-in-sheet/").status_code == 404
    activity.materials.save("m.pdf", ContentFile(b"%PDF-1.4 material"), save=False)
    activity.sign_in_sheet.save("s.pdf", ContentFile(b"%PDF-1.4 sheet"), save=True)
    page = staff.get(f"/outreach/activities/{activity.pk}/").content.decode()
    base = f"/outreach/activities/{activity.pk}/files"
    assert f'href="{base}/materials/"' in page and f'href="{base}/sign-in-sheet/"' in page

    material = staff.get(f"{base}/materials/")
    assert material.status_code == 200 and _body(material) == b"%PDF-1.4 material"
    assert material["Content-Type"] == "application/pdf" and "attachment" in material["Content-Disposition"]
    assert not AuditEvent.objects.filter(action="outreach_activity.read_sign_in_sheet").exists()
    sheet = staff.get(f"{base}/sign-in-sheet/")
    assert sheet.status_code == 200 and _body(sheet) == b"%PDF-1.4 sheet"
    assert "sandbox" in sheet["Content-Security-Policy"] and "no-store" in sheet["Cache-Control"]
    event = AuditEvent.objects.get(action="outreach_activity.read_sign_in_sheet")
    assert event.actor == world.user("staff_a") and event.object_id == str(activity.pk)

    assert staff.get(f"{base}/photos/").status_code == 404  # not a file an activity has
    assert client_for("outsider").get(f"{base}/sign-in-sheet/").status_code == 404
    assert AuditEvent.objects.filter(action="outreach_activity.read_sign_in_sheet").count() == 1
