"""Checking uploaded files by their content, never by their name or the browser's claim.

Only JPEG, PNG, WebP and PDF are accepted, recognised by their leading bytes ("magic numbers");
anything else is refused, including SVG (it can carry script), HTML, archives and executables,
whatever the file is called.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 16


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str

    @property
    def subtype(self) -> str:
        """``jpeg``, ``png``, ``webp``, ``pdf``: the part of the content type after the slash."""
        return self.content_type.partition("/")[2]


JPEG = FileType("image/jpeg", ".jpg")
PNG = FileType("image/png", ".png")
WEBP = FileType("image/webp", ".webp")
PDF = FileType("application/pdf", ".pdf")
IMAGES = frozenset({JPEG, PNG, WEBP})


def sniff(head: bytes) -> FileType | None:
    """The type of a file from its first bytes, or None for anything not accepted."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def sniff_image(head: bytes) -> FileType | None:
    """The type of an image (JPEG, PNG or WebP) from its first bytes, or None for anything else."""
    file_type = sniff(head)
    return file_type if file_type in IMAGES else None


def image_type(subtype: str) -> FileType | None:
    """The accepted image type stored as ``jpeg``, ``png`` or ``webp``, or None for anything else."""
    return next((file_type for file_type in IMAGES if file_type.subtype == subtype), None)


@dataclass(frozen=True)
class CheckedUpload:
    file_type: FileType
    size: int
    sha256: str
    name: str


def check_upload(upload: IO[bytes], *, name: str = "", max_bytes: int = MAX_BYTES) -> CheckedUpload:
    """Read ``upload`` (a Django UploadedFile or any binary file object) and return what it is, or
    raise ``ValidationError`` with a Chinese message naming the file. Leaves the file at its start."""
    label = (name or getattr(upload, "name", "") or "")[:120]
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(_too_big(label, max_bytes), code="file_too_big")
    digest = hashlib.sha256()
    total = 0
    head = b""
    upload.seek(0)
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(64 * 1024), b"")
    for chunk in chunks:
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        total += len(chunk)
        if total > max_bytes:
            upload.seek(0)
            raise ValidationError(_too_big(label, max_bytes), code="file_too_big")
        digest.update(chunk)
    upload.seek(0)
    if total == 0:
        raise ValidationError(_("文件“%(name)s”是空文件") % {"name": label}, code="file_empty")
    file_type = sniff(head)
    if file_type is None:
        raise ValidationError(
            _("文件“%(name)s”不是可接受的类型：只能上传 JPG、PNG、WebP 图片或 PDF 文件") % {"name": label},
            code="file_type",
        )
    return CheckedUpload(file_type=file_type, size=total, sha256=digest.hexdigest(), name=label)


def _too_big(label: str, max_bytes: int) -> str:
    return _("文件“%(name)s”超过 %(mb)d MB") % {"name": label, "mb": max_bytes // (1024 * 1024)}
