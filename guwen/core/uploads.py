"""Checking uploaded files by their content, never by their name or the browser's claim.

Only JPEG, PNG, WebP and PDF are accepted, recognised by their leading bytes ("magic numbers");
anything else is refused, including SVG (it can carry script), HTML, archives and executables,
whatever the file is called. A name with an executable extension anywhere (``x.jpg.php``) is
refused too. Images are decoded and encoded again with Pillow, so what is stored carries no
metadata (a phone's GPS position among it) and nothing hidden after the picture. A PDF that can
run anything when opened (JavaScript, an open action, a launch, an embedded file) is refused,
whether the marker is in plain sight or in a compressed stream.
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

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
    """An accepted upload: ``content`` is what to store (an image as encoded again)."""

    file_type: FileType
    size: int
    sha256: str
    name: str
    content: bytes


EXECUTABLE_EXTENSIONS = frozenset(
    {
        "php",
        "php3",
        "php4",
        "php5",
        "php7",
        "phtml",
        "phar",
        "pht",
        "exe",
        "bat",
        "cmd",
        "sh",
        "bash",
        "js",
        "mjs",
        "jsp",
        "jspx",
        "asp",
        "aspx",
        "cgi",
        "pl",
        "py",
        "rb",
        "html",
        "htm",
        "xhtml",
        "shtml",
        "svg",
        "hta",
        "vbs",
        "vbe",
        "wsf",
        "scr",
        "msi",
        "jar",
        "dll",
        "ps1",
        "psm1",
        "lnk",
        "reg",
    }
)
# PDF names that make a reader act when the file is opened; ``#xx`` escapes in names are decoded
# first, so /J#61vaScript is /JavaScript.
PDF_ACTIVE = frozenset({"JS", "JavaScript", "OpenAction", "AA", "Launch", "EmbeddedFile", "EmbeddedFiles"})
PDF_NAME = re.compile(rb"/([A-Za-z0-9#]+)")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
PDF_INFLATED_MAX = 50 * 1024 * 1024  # what the streams of one file may inflate to, in all


def _executable_name(name: str) -> bool:
    parts = name.lower().split(".")[1:]
    return any(part.strip() in EXECUTABLE_EXTENSIONS for part in parts)


def _pdf_names(data: bytes) -> set[str]:
    names = set()
    for raw in PDF_NAME.findall(data):
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
        names.add(name.decode("latin-1"))
    return names


def pdf_is_active(data: bytes) -> bool:
    """Whether the PDF holds anything a reader runs or opens on its own."""
    if _pdf_names(data) & PDF_ACTIVE:
        return True
    budget = PDF_INFLATED_MAX
    for stream in PDF_STREAM.findall(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(stream, budget)
        except zlib.error:
            continue  # not a Flate stream (an image, say): nothing to read in it
        budget -= len(inflated)
        if _pdf_names(inflated) & PDF_ACTIVE:
            return True
        if budget <= 0:
            return True  # a file that inflates this far is refused rather than read further
    return False


def reencode_image(data: bytes, file_type: FileType, *, label: str = "") -> bytes:
    """The picture in ``data`` encoded again in its own format, upright, without metadata."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            picture = ImageOps.exif_transpose(image)
            if file_type == JPEG and picture.mode not in ("RGB", "L"):
                picture = picture.convert("RGB")
            out = io.BytesIO()
            picture.save(
                out, format=file_type.subtype.upper(), **({"quality": 90} if file_type == JPEG else {})
            )
    except Exception as exc:  # decoding untrusted bytes: Pillow raises many kinds (SyntaxError among them)
        raise ValidationError(
            _("图片“%(name)s”已损坏或无法识别") % {"name": label}, code="image_broken"
        ) from exc
    return out.getvalue()


def check_upload(upload: IO[bytes], *, name: str = "", max_bytes: int = MAX_BYTES) -> CheckedUpload:
    """Read ``upload`` (a Django UploadedFile or any binary file object) and return what it is and
    what to store, or raise ``ValidationError`` with a Chinese message naming the file. Leaves the
    file at its start."""
    label = (name or getattr(upload, "name", "") or "")[:120]
    if _executable_name(label):
        raise ValidationError(
            _("文件“%(name)s”的名称含有可执行文件的扩展名，不能上传") % {"name": label}, code="file_name"
        )
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(_too_big(label, max_bytes), code="file_too_big")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise ValidationError(_too_big(label, max_bytes), code="file_too_big")
    if not data:
        raise ValidationError(_("文件“%(name)s”是空文件") % {"name": label}, code="file_empty")
    file_type = sniff(data[:SNIFF_BYTES])
    if file_type is None:
        raise ValidationError(
            _("文件“%(name)s”不是可接受的类型：只能上传 JPG、PNG、WebP 图片或 PDF 文件") % {"name": label},
            code="file_type",
        )
    if file_type == PDF and pdf_is_active(data):
        raise ValidationError(
            _("PDF 文件“%(name)s”含有脚本、自动操作或嵌入文件，不能上传；请另存为普通 PDF 后再试")
            % {"name": label},
            code="pdf_active",
        )
    content = reencode_image(data, file_type, label=label) if file_type in IMAGES else data
    return CheckedUpload(
        file_type=file_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        name=label,
        content=content,
    )


def _too_big(label: str, max_bytes: int) -> str:
    return _("文件“%(name)s”超过 %(mb)d MB") % {"name": label, "mb": max_bytes // (1024 * 1024)}
