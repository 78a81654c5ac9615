"""The printable notice board (公示牌), A4 or A3, drawn with reportlab and an embedded CJK font.

三公开: the advisor's name, photo, firm, licence number and phone; the duty time and place; the
service content and the work rules; and the QR code that opens the community's ask page.
"""

from __future__ import annotations

import io
from datetime import date

import segno
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from guwen.core.errors import DomainError
from guwen.duty.conf import cjk_font_path
from guwen.duty.selectors import PublicCard

FONT_NAME = "GuwenCJK"
SIZES = {"A4": A4, "A3": A3}
RED = (0.71, 0.14, 0.09)
INK = (0.12, 0.14, 0.16)
MUTED = (0.4, 0.43, 0.46)


class FontMissing(DomainError):
    default_message = _l(
        "未找到可嵌入的中文字体，无法生成公示牌。请安装 fonts-wqy-microhei（make system-deps），"
        "或设置 GUWEN_CJK_FONT 指向 TrueType 中文字体文件。"
    )


def register_font() -> str:
    """Register the TrueType CJK font once per process; FontMissing (a clear Chinese error) if absent."""
    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    path = cjk_font_path()
    if path is None:
        raise FontMissing(field="font")
    subfont = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
    try:
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), **subfont))
    except Exception as exc:  # a CFF-outline or broken file: say which and why in Chinese
        raise FontMissing(
            _("字体文件 %(path)s 无法嵌入（需要 TrueType 轮廓的中文字体）") % {"path": path}, field="font"
        ) from exc
    return FONT_NAME


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` at any character (Chinese has no spaces)."""
    lines: list[str] = []
    for paragraph in (text or "").splitlines() or [""]:
        line = ""
        for char in paragraph:
            if line and pdfmetrics.stringWidth(line + char, FONT_NAME, size) > width:
                lines.append(line)
                line = char.lstrip() if char.isspace() else char
            else:
                line += char
        lines.append(line)
    return lines


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=12, border=2)
    return buffer.getvalue()


def _photo(card: PublicCard) -> ImageReader | None:
    lawyer = card.lawyer
    if lawyer is None or not lawyer.photo:
        return None
    try:
        with lawyer.photo.open("rb") as handle:
            return ImageReader(io.BytesIO(handle.read()))
    except (OSError, ValueError):
        return None


def render_board(*, card: PublicCard, ask_url: str, size: str, generated_on: date) -> bytes:
    """The notice board as PDF bytes. Drawn on an A4 grid and scaled for A3, so both read the same."""
    if size not in SIZES:
        raise DomainError(_("纸张只能是 A4 或 A3"), field="size")
    font = register_font()
    page_w = SIZES[size][0]
    scale = page_w / A4[0]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=SIZES[size], pageCompression=1)
    pdf.setTitle(f"{card.community.name} 社区法律顾问公示牌")
    pdf.setAuthor("顾问 Guwen")
    pdf.scale(scale, scale)
    width, height = A4
    margin = 16 * mm

    def text(x, y, value, size_pt, color=INK, centre=False):
        pdf.setFillColorRGB(*color)
        pdf.setFont(font, size_pt)
        (pdf.drawCentredString if centre else pdf.drawString)(x, y, value)

    # Header band
    pdf.setFillColorRGB(*RED)
    pdf.rect(0, height - 42 * mm, width, 42 * mm, stroke=0, fill=1)
    text(width / 2, height - 22 * mm, _("社区法律顾问公示牌"), 30, (1, 1, 1), centre=True)
    street = card.community.parent.name if card.community.parent_id else ""
    text(width / 2, height - 34 * mm, f"{street} · {card.community.name}", 15, (1, 1, 1), centre=True)

    y = height - 56 * mm
    lawyer = card.lawyer
    if lawyer is None:
        text(margin, y - 10 * mm, _("本社区法律顾问正在配备中，请联系街道司法所。"), 16)
        y -= 24 * mm
    else:
        photo_w, photo_h = 34 * mm, 44 * mm
        photo = _photo(card)
        pdf.setStrokeColorRGB(*MUTED)
        if photo is not None:
            pdf.drawImage(photo, margin, y - photo_h, photo_w, photo_h, preserveAspectRatio=True, anchor="c")
        else:
            pdf.setFillColorRGB(0.95, 0.93, 0.92)
            pdf.rect(margin, y - photo_h, photo_w, photo_h, stroke=1, fill=1)
            text(margin + photo_w / 2, y - photo_h / 2 - 8, lawyer.name[-2:][:1] or "?", 30, RED, centre=True)
        x = margin + photo_w + 8 * mm
        text(x, y - 10 * mm, lawyer.name, 24)
        rows = [
            (_("所属律所"), lawyer.firm.name),
            (_("执业证号"), lawyer.licence_number),
            (_("联系电话"), lawyer.phone),
        ]
        for i, (label, value) in enumerate(rows):
            text(x, y - (20 + i * 8) * mm, f"{label}：{value}", 13)
        y -= photo_h + 10 * mm

    def section(title: str, lines: list[str], y: float, size_pt: float = 12.5) -> float:
        pdf.setFillColorRGB(*RED)
        pdf.rect(margin, y - 1.5 * mm, 2 * mm, 7 * mm, stroke=0, fill=1)
        text(margin + 4 * mm, y, title, 15)
        y -= 9 * mm
        for line in lines:
            text(margin + 4 * mm, y, line, size_pt)
            y -= size_pt * 1.55
        return y - 4 * mm

    body_w = width - 2 * margin - 8 * mm
    times = [
        f"{rule.weekday_text} {rule.start_time:%H:%M}—{rule.end_time:%H:%M} · {rule.place}"
        for rule in card.rules
    ] or [_("驻点时间待定，请关注社区通知")]
    duty_lines = [line for entry in times for line in wrap(entry, 12.5, body_w)]
    duty_lines.append(_("法定节假日不驻点，调休上班日按街道通知安排。"))
    y = section(_("驻点时间和地点"), duty_lines, y)
    contents = list(dict.fromkeys(rule.service_content for rule in card.rules)) or [
        _("法律咨询、法治宣传、矛盾纠纷调解、法律意见和合同审查")
    ]
    y = section(_("服务内容"), [line for entry in contents for line in wrap(entry, 12.5, body_w)], y)
    qr_size = 52 * mm
    rule_w = width - 2 * margin - qr_size - 10 * mm
    y = section(_("工作规范"), wrap(card.settings.work_rules, 11, rule_w), y, 11)

    # QR code at the bottom right, above the footer
    qr_y = 24 * mm
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(ask_url))), width - margin - qr_size, qr_y, qr_size, qr_size)
    text(width - margin - qr_size / 2, qr_y - 6 * mm, _("微信扫码 · 在线咨询"), 12, RED, centre=True)
    text(margin, qr_y + qr_size - 6 * mm, _("24小时线上咨询："), 13)
    for i, line in enumerate(wrap(ask_url, 9, rule_w)):
        text(margin, qr_y + qr_size - (13 + i * 5) * mm, line, 9, MUTED)
    text(margin, qr_y + 18 * mm, _("有法律问题，找社区法律顾问。服务免费。"), 13)

    pdf.setStrokeColorRGB(*RED)
    pdf.line(margin, 14 * mm, width - margin, 14 * mm)
    stamp = _("生成日期：%(y)d年%(m)d月%(d)d日") % {
        "y": generated_on.year,
        "m": generated_on.month,
        "d": generated_on.day,
    }
    text(margin, 9 * mm, stamp, 10, MUTED)
    oversight = _("三固定 · 三公开 · %(street)s司法所监督") % {"street": street}
    pdf.setFillColorRGB(*MUTED)
    pdf.setFont(font, 10)
    pdf.drawRightString(width - margin, 9 * mm, oversight)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
