"""Activity photos as the activity page shows them: a small JPEG thumbnail made once per photo and
kept in the default storage beside the uploads, so a page of photos stays light in WeChat's
browser; the full photo is the re-encoded upload itself. Both are served only through the
activity's scope (``views.activities.activity_photo``)."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from guwen.outreach.models import ActivityPhoto

THUMB_SIDE = 320  # px, the longer side; two columns at 390 px wide, four at 1280
CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def thumbnail_name(photo: ActivityPhoto) -> str:
    return f"outreach/thumbs/{photo.pk}-{THUMB_SIDE}.jpg"


def photo_thumbnail(photo: ActivityPhoto) -> str:
    """The storage name of ``photo``'s thumbnail, made on first use."""
    name = thumbnail_name(photo)
    if default_storage.exists(name):
        return name
    with photo.photo.open("rb") as handle, Image.open(handle) as image:
        image.thumbnail((THUMB_SIDE, THUMB_SIDE))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
    saved = default_storage.save(name, ContentFile(out.getvalue()))
    if saved != name:  # another request made it first: keep one
        default_storage.delete(saved)
    return name


def content_type(photo: ActivityPhoto) -> str:
    return CONTENT_TYPES.get(photo.photo_type, "application/octet-stream")
