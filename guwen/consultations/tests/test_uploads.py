"""Files are judged by their bytes: guwen.core.uploads, as consultations use it."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from guwen.core.uploads import JPEG, PDF, PNG, WEBP, check_upload, sniff

GOOD = {
    b"\xff\xd8\xff\xe0\x00\x10JFIF": JPEG,
    b"\x89PNG\r\n\x1a\n\x00\x00": PNG,
    b"RIFF\x24\x00\x00\x00WEBPVP8 ": WEBP,
    b"%PDF-1.7\n%\xe2\xe3": PDF,
}
BAD = {
    "an .exe renamed .jpg": (b"MZ\x90\x00\x03\x00\x00\x00", "photo.jpg"),
    "an SVG with script": (b'<svg onload="alert(1)"><script>alert(1)</script></svg>', "x.png"),
    "HTML": (b"<!doctype html><script>", "a.pdf"),
    "an ELF binary": (b"\x7fELF\x02\x01\x01", "a.webp"),
    "a ZIP (docx)": (b"PK\x03\x04\x14\x00", "合同.pdf"),
    "a GIF": (b"GIF89a\x01\x00", "a.gif"),
}


@pytest.mark.parametrize(("head", "kind"), GOOD.items())
def test_accepted_types_are_recognised_by_content(head, kind):
    assert check_upload(SimpleUploadedFile("whatever.bin", head + b"\x00" * 32)).file_type == kind


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
    upload = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"1" * 100)
    checked = check_upload(upload)
    assert upload.tell() == 0 and checked.size == 108 and len(checked.sha256) == 64


@given(st.binary(max_size=64))
def test_sniff_never_accepts_bytes_without_a_known_signature(data):
    kind = sniff(data)
    if kind is not None:
        assert data.startswith((b"\xff\xd8\xff", b"\x89PNG", b"RIFF", b"%PDF-"))
