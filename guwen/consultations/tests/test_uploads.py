"""Files are judged by their bytes: guwen.core.uploads, as consultations use it."""

from __future__ import annotations

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from guwen.core.uploads import JPEG, PDF, PNG, WEBP, check_upload, sniff


def picture(fmt: str, **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(out, format=fmt, **save)
    return out.getvalue()


GOOD = {
    "jpeg": JPEG,
    "png": PNG,
    "webp": WEBP,
    "pdf": PDF,
}


def content_of(kind: str) -> bytes:
    return (
        b"%PDF-1.7\n%\xe2\xe3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF" if kind == "pdf" else picture(kind)
    )


BAD = {
    "an .exe renamed .jpg": (b"MZ\x90\x00\x03\x00\x00\x00", "photo.jpg"),
    "an SVG with script": (b'<svg onload="alert(1)"><script>alert(1)</script></svg>', "x.png"),
    "HTML": (b"<!doctype html><script>", "a.pdf"),
    "an ELF binary": (b"\x7fELF\x02\x01\x01", "a.webp"),
    "a ZIP (docx)": (b"PK\x03\x04\x14\x00", "合同.pdf"),
    "a GIF": (b"GIF89a\x01\x00", "a.gif"),
}


@pytest.mark.parametrize(("name", "kind"), GOOD.items())
def test_accepted_types_are_recognised_by_content(name, kind):
    assert check_upload(SimpleUploadedFile("whatever.bin", content_of(name))).file_type == kind


@pytest.mark.parametrize("name", BAD)
def test_disguised_and_dangerous_files_are_refused(name):
    content, filename = BAD[name]
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile(filename, content, content_type="image/jpeg"))
    assert exc.value.code == "file_type" and filename in exc.value.messages[0]


def test_a_file_over_the_cap_is_refused_even_when_its_size_is_not_declared():
    stream = io.BytesIO(b"%PDF-" + b"0" * 2048)
    with pytest.raises(ValidationError) as exc:
        check_upload(stream, name="big.pdf", max_bytes=1024)
    assert exc.value.code == "file_too_big" and "big.pdf" in exc.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("empty.png", b""))
    assert exc.value.code == "file_empty"


def test_the_file_is_rewound_and_hashed():
    data = content_of("pdf")
    upload = SimpleUploadedFile("a.pdf", data)
    checked = check_upload(upload)
    assert upload.tell() == 0 and checked.size == len(data) and len(checked.sha256) == 64
    assert checked.content == data


@pytest.mark.parametrize(
    "name",
    ["x.jpg.php", "x.php.jpg", "报告.PDF.exe", "a.html.png", "a.svg.png", "scan.jsp.pdf", "b.phtml.webp"],
)
def test_a_name_with_an_executable_extension_anywhere_is_refused(name):
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile(name, picture("png")))
    assert exc.value.code == "file_name" and name in exc.value.messages[0]


def test_ordinary_names_with_dots_are_taken():
    for name in ("2026.11.28 合同扫描.pdf", "v1.2.png", "a.b.c.jpg"):
        data = content_of("pdf") if name.endswith(".pdf") else picture("png")
        assert check_upload(SimpleUploadedFile(name, data)).name == name


ACTIVE_PDFS = {
    "JavaScript": b"%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n"
    b"2 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n%%EOF",
    "a name written with #-escapes": b"%PDF-1.7\n1 0 obj << /S /J#61vaScript /J#53 (x) >> endobj\n%%EOF",
    "a launch action": b"%PDF-1.4\n1 0 obj << /S /Launch /F (cmd.exe) >> endobj\n%%EOF",
    "an embedded file": b"%PDF-1.4\n1 0 obj << /Type /EmbeddedFile >> endobj\n%%EOF",
    "JavaScript inside a compressed object stream": b"%PDF-1.7\n1 0 obj << /Type /ObjStm"
    b" /Filter /FlateDecode >>\nstream\n"
    + zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    + b"\nendstream\nendobj\n%%EOF",
}


@pytest.mark.parametrize("kind", ACTIVE_PDFS)
def test_a_pdf_that_runs_anything_is_refused(kind):
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("合同.pdf", ACTIVE_PDFS[kind]))
    assert exc.value.code == "pdf_active" and "合同.pdf" in exc.value.messages[0]


def test_a_photo_is_stored_encoded_again_without_its_location():
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (22.0, 37.0, 0.0), 3: "E", 4: (114.0, 8.0, 0.0)}  # GPS
    exif[0x010F] = "PhoneMaker"
    data = picture("JPEG", exif=exif.tobytes()) + b"<?php system($_GET[1]); ?>"
    assert b"PhoneMaker" in data
    checked = check_upload(SimpleUploadedFile("photo.jpg", data))
    assert (
        checked.file_type == JPEG and b"PhoneMaker" not in checked.content and b"<?php" not in checked.content
    )
    with Image.open(io.BytesIO(checked.content)) as stored:
        assert stored.size == (8, 6) and not stored.getexif().get_ifd(0x8825)


def test_a_broken_picture_is_refused():
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"1" * 100))
    assert exc.value.code == "image_broken"


@given(st.binary(max_size=64))
def test_sniff_never_accepts_bytes_without_a_known_signature(data):
    kind = sniff(data)
    if kind is not None:
        assert data.startswith((b"\xff\xd8\xff", b"\x89PNG", b"RIFF", b"%PDF-"))
