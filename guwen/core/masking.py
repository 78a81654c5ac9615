"""Masking of personal data for lists, exports and logs.

Every function accepts ``None``, empty and too-short values and never raises:
a value too short to keep any part of it comes back as stars only.
"""

from __future__ import annotations

STAR = "*"


def _mask(value: str | None, *, keep_start: int, keep_end: int) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if len(text) <= keep_start + keep_end:
        return STAR * len(text)
    hidden = len(text) - keep_start - keep_end
    return text[:keep_start] + STAR * hidden + text[len(text) - keep_end :]


def mask_phone(value: str | None) -> str:
    """``13812345678`` → ``138****5678``."""
    return _mask(value, keep_start=3, keep_end=4)


def mask_id_number(value: str | None) -> str:
    """``440307199001011234`` → ``440307********1234`` (keeps the region and the last four)."""
    return _mask(value, keep_start=6, keep_end=4)


def mask_name(value: str | None) -> str:
    """``张三丰`` → ``张**``, ``张三`` → ``张*``; a one-character name becomes ``*``."""
    text = "" if value is None else str(value).strip()
    if len(text) <= 1:
        return STAR * len(text)
    return text[0] + STAR * (len(text) - 1)
