"""A perceptual hash of a photo (dHash): near-identical pictures (re-encoded, resized, slightly
recoloured) get hashes a few bits apart, so one photo filed for two activities can be found."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

HASH_SIZE = 8  # 64 bits


def dhash(data: bytes) -> str | None:
    """A 16-hex-digit difference hash of the image in ``data``; None if it is not an image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            small = image.convert("L").resize((HASH_SIZE + 1, HASH_SIZE), Image.Resampling.LANCZOS)
            pixels = small.tobytes()  # one byte per pixel in mode "L"
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    bits = 0
    for row in range(HASH_SIZE):
        for col in range(HASH_SIZE):
            left = pixels[row * (HASH_SIZE + 1) + col]
            right = pixels[row * (HASH_SIZE + 1) + col + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"


def distance(a: str, b: str) -> int:
    """The number of bits two hashes differ in."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
