"""Check-in photos: accepted by content (JPEG, PNG or WebP), never by the name or type the phone sends,
and encoded again so that no location or other metadata is stored."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from guwen.core.errors import DomainError
from guwen.core.uploads import SNIFF_BYTES, reencode_image, sniff_image

MAX_PHOTO_BYTES = 8 * 1024 * 1024


def read_photo(upload) -> tuple[ContentFile, str]:
    """The uploaded photo as a file to store, with its sniffed type; DomainError on ``photo`` otherwise."""
    size = getattr(upload, "size", None) or 0
    if size > MAX_PHOTO_BYTES:
        raise DomainError(_("照片不能超过 8 MB"), field="photo")
    upload.seek(0)
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise DomainError(_("照片不能超过 8 MB"), field="photo")
    file_type = sniff_image(data[:SNIFF_BYTES])
    if file_type is None:
        raise DomainError(_("照片只能是 JPEG、PNG 或 WebP 格式"), field="photo")
    try:
        clean = reencode_image(data, file_type, label=getattr(upload, "name", "") or "")
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="photo") from exc
    return ContentFile(clean, name=f"photo{file_type.extension}"), file_type.subtype
