"""Charts as pictures for Word documents, drawn with Pillow (matplotlib is not installed): a bar
chart of one series, as a PNG data URI for ``guwen.core.documents`` (the context's ``images``)."""

from __future__ import annotations

import base64
import io

from PIL import Image, ImageDraw, ImageFont

from guwen.duty.conf import cjk_font_path

WIDTH, HEIGHT = 1500, 640
BAR = (62, 100, 200)
INK = (40, 44, 52)
GRID = (220, 224, 230)


def _font(size: int):
    path = cjk_font_path()
    if path is None:
        return ImageFont.load_default()
    return ImageFont.truetype(str(path), size)


def bar_chart(title: str, labels: list[str], values: list[float | int | None]) -> str:
    """A titled bar chart with the value over each bar, as ``data:image/png;base64,…``."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    title_font, label_font = _font(40), _font(26)
    draw.text((40, 20), title, fill=INK, font=title_font)
    left, right, top, bottom = 80, WIDTH - 40, 110, HEIGHT - 90
    numbers = [float(v or 0) for v in values]
    peak = max(numbers, default=0) or 1
    for step in range(5):
        y = bottom - (bottom - top) * step / 4
        draw.line((left, y, right, y), fill=GRID, width=2)
    slot = (right - left) / max(len(labels), 1)
    for i, (label, value) in enumerate(zip(labels, numbers, strict=True)):
        x0 = left + slot * i + slot * 0.2
        x1 = left + slot * (i + 1) - slot * 0.2
        y = bottom - (bottom - top) * value / peak
        draw.rectangle((x0, y, x1, bottom), fill=BAR)
        text = f"{value:g}"
        draw.text(((x0 + x1) / 2, y - 8), text, fill=INK, font=label_font, anchor="ms")
        for row, line in enumerate(_fit(label, label_font, slot * 0.94)):
            draw.text(((x0 + x1) / 2, bottom + 12 + row * 34), line, fill=INK, font=label_font, anchor="mt")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _fit(label: str, font, width: float, lines: int = 2) -> list[str]:
    """``label`` broken into at most ``lines`` lines no wider than ``width`` (the bar's slot), the
    last one cut with … when the label is longer still: labels never run into their neighbours."""
    rows: list[str] = []
    rest = label
    while rest and len(rows) < lines:
        size = len(rest)
        while size > 1 and font.getlength(rest[:size]) > width:
            size -= 1
        rows.append(rest[:size])
        rest = rest[size:]
    if rest:
        last = rows[-1]
        while len(last) > 1 and font.getlength(last + "…") > width:
            last = last[:-1]
        rows[-1] = last + "…"
    return rows
