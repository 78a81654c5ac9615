"""Check-in photos: accepted by content (JPEG, PNG or WebP), never by the name or type the phone sends."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from guwen.core.errors import DomainError

MAX_PHOTO_BYTES = 8 * 1024 * 1024


def sniff_image(head: bytes) -> str | None:
    """``"jpeg"``, ``"png"`` or ``"webp"`` from the file's first bytes; None for anything else."""
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def read_photo(upload) -> tuple[ContentFile, str]:
    """The uploaded photo as a file to store, with its sniffed type; DomainError on ``photo`` otherwise."""
    size = getattr(upload, "size", None) or 0
    if size > MAX_PHOTO_BYTES:
        raise DomainError(_("照片不能超过 8 MB"), field="photo")
    upload.seek(0)
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise DomainError(_("照片不能超过 8 MB"), field="photo")
    kind = sniff_image(data[:16])
    if kind is None:
        raise DomainError(_("照片只能是 JPEG、PNG 或 WebP 格式"), field="photo")
    extension = "jpg" if kind == "jpeg" else kind
    return ContentFile(data, name=f"photo.{extension}"), kind
