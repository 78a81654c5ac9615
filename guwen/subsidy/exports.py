"""The finance sheet of a batch (openpyxl) and the advisor's statement (PDF drawn with reportlab and
the embedded CJK font the notice board uses). Both list the stored lines: what was approved is
exactly what is printed, and every total is the sum of the lines above it."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from guwen.duty.board import register_font, wrap
from guwen.subsidy.models import Batch, Settlement
from guwen.subsidy.money import ZERO

MONEY_FORMAT = "#,##0.00"
HEADERS = [
    "顾问律师",
    "社区",
    "月份",
    "状态",
    "类型",
    "记录",
    "完成日期",
    "等级",
    "规则版本",
    "金额（元）",
    "说明",
]


def finance_xlsx(batch: Batch, settlements: list[Settlement]) -> bytes:
    """One sheet per batch: each advisor's lines, then the advisor's total; the batch total last.
    Amounts are written as numbers with two decimals (Decimal → float only at the cell, after the
    sums were taken in Decimal), so finance's own SUM agrees to the cent."""
    book = Workbook()
    sheet = book.active
    sheet.title = "结算明细"
    sheet.append(
        [f"{batch.street.name} 以案定补结算（{batch.starts_on:%Y-%m-%d} 至 {batch.ends_on:%Y-%m-%d}）"]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    grand = ZERO
    for settlement in settlements:
        subtotal = ZERO
        for line in settlement.lines.select_related("rule_set").order_by("position", "pk"):
            sheet.append(
                [
                    settlement.lawyer.name,
                    settlement.community.name,
                    f"{settlement.month:%Y-%m}",
                    settlement.get_status_display(),
                    line.get_kind_display(),
                    line.record_label,
                    line.completed_on.isoformat() if line.completed_on else "",
                    GRADE_NAMES.get(line.grade, ""),
                    line.rule_set.version if line.rule_set else "",
                    line.amount,
                    line.note,
                ]
            )
            sheet.cell(row=sheet.max_row, column=10).number_format = MONEY_FORMAT
            subtotal += line.amount
        sheet.append(
            [
                settlement.lawyer.name,
                "",
                f"{settlement.month:%Y-%m}",
                "",
                "小计",
                "",
                "",
                "",
                "",
                subtotal,
                "",
            ]
        )
        sheet.cell(row=sheet.max_row, column=10).number_format = MONEY_FORMAT
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        grand += subtotal
    sheet.append(["合计", "", "", "", "", "", "", "", "", grand, f"{len(settlements)} 名顾问律师"])
    sheet.cell(row=sheet.max_row, column=10).number_format = MONEY_FORMAT
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJK", (10, 12, 9, 10, 12, 28, 11, 8, 8, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GRADE_NAMES = {"simple": "简易", "ordinary": "普通", "major": "重大", "special": "特别重大"}
SIGNERS = ("顾问律师", "社区确认", "司法所审核", "区司法局审批")


def statement_pdf(settlement: Settlement) -> bytes:
    """The advisor's statement for a month: every line, the total, the status in the chain."""
    font = register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    left, right = 18 * mm, width - 18 * mm
    y = height - 22 * mm

    def heading() -> float:
        pdf.setFont(font, 16)
        pdf.drawCentredString(width / 2, height - 22 * mm, "以案定补结算单")
        pdf.setFont(font, 10)
        info = (
            f"顾问律师：{settlement.lawyer.name}    社区：{settlement.community.name}    "
            f"月份：{settlement.month:%Y年%m月}    状态：{settlement.get_status_display()}"
        )
        pdf.drawString(left, height - 32 * mm, info)
        pdf.setFont(font, 9)
        top = height - 42 * mm
        for x, label in (
            (left, "日期"),
            (left + 22 * mm, "类型"),
            (left + 46 * mm, "记录 / 说明"),
            (right - 22 * mm, "金额（元）"),
        ):
            pdf.drawString(x, top, label)
        pdf.line(left, top - 2 * mm, right, top - 2 * mm)
        return top - 7 * mm

    y = heading()
    total = ZERO
    for line in settlement.lines.order_by("position", "pk"):
        text = line.record_label + (f"｜{GRADE_NAMES[line.grade]}" if line.grade in GRADE_NAMES else "")
        if line.note:
            text += f"｜{line.note}"
        rows = wrap(text, 9, right - 24 * mm - (left + 46 * mm))
        if y - 5 * mm * len(rows) < 30 * mm:
            pdf.showPage()
            y = heading()
        pdf.setFont(font, 9)
        pdf.drawString(left, y, line.completed_on.isoformat() if line.completed_on else "")
        pdf.drawString(left + 22 * mm, y, line.get_kind_display())
        pdf.drawRightString(right, y, f"{line.amount:,.2f}")
        for row in rows:
            pdf.drawString(left + 46 * mm, y, row)
            y -= 5 * mm
        total += line.amount
    pdf.line(left, y + 2 * mm, right, y + 2 * mm)
    pdf.setFont(font, 11)
    pdf.drawString(left, y - 4 * mm, "合计")
    pdf.drawRightString(right, y - 4 * mm, f"{total:,.2f}")
    if settlement.paid_on:
        pdf.setFont(font, 9)
        pdf.drawString(
            left,
            y - 12 * mm,
            f"发放日期：{settlement.paid_on:%Y-%m-%d}    财务凭证号：{settlement.finance_reference}",
        )
    # The approval chain signs the paper copy kept in the file: advisor, community, office, district.
    y -= 24 * mm
    if y < 40 * mm:
        pdf.showPage()
        y = height - 30 * mm
    pdf.setFont(font, 10)
    for row, signer in enumerate(SIGNERS):
        x = left if row % 2 == 0 else left + (right - left) / 2
        line_y = y - (row // 2) * 16 * mm
        pdf.drawString(x, line_y, f"{signer}：")
        pdf.line(x + 30 * mm, line_y - 1 * mm, x + 78 * mm, line_y - 1 * mm)
        pdf.setFont(font, 8)
        pdf.drawString(x + 30 * mm, line_y - 5 * mm, "（签名）        年    月    日")
        pdf.setFont(font, 10)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def decimal_sum(values) -> Decimal:
    return sum((Decimal(str(v)) for v in values), ZERO)
