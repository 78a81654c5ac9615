"""Builds the shipped Word template of the advisor's appraisal form (社区法律顾问年度考核表).

Run from the repository root, after changing the layout or a variable:

    .venv/bin/python guwen/evaluation/doc_templates/build.py

and commit the .docx it writes beside itself. A4, the advisor's particulars, the indicators as a
table whose rows loop, the office's adjustments, score and grade, the comments, and signature lines
for the advisor, the law firm and the judicial office. The variables are those
``guwen/evaluation/documents.py`` offers; ``test_documents.py`` renders the template with the
sample context, so a tag naming something not offered fails there.

The primitives mirror ``guwen/outreach/doc_templates/build.py`` (the same fonts and table grid, so
the documents look alike); both are scripts.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
SERIF = "Noto Serif CJK SC"
BODY_PT = 12
SMALL_PT = 10.5
TITLE_PT = 18
LEFT_CM, RIGHT_CM = 2.6, 2.4
TEXT_WIDTH_CM = 21.0 - LEFT_CM - RIGHT_CM


def _fonts(element, name: str) -> None:
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def new_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.left_margin, section.right_margin = Cm(LEFT_CM), Cm(RIGHT_CM)
    normal = document.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element, SERIF)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.25
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    return document


def para(container, text: str = "", *, size=BODY_PT, bold=False, align=None, before=0, after=0, indent=False):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        _fonts(run._element, SERIF)
    return paragraph


def heading(document, text: str) -> None:
    para(document, text, bold=True, before=10, after=4)


class Grid:
    """A bordered table of fixed column widths (cm), built row by row from ``(text, span, options)``."""

    def __init__(self, document, widths: list[float], *, size: float = BODY_PT):
        assert sum(widths) <= TEXT_WIDTH_CM + 0.01, (widths, sum(widths))
        self.widths, self.size = widths, size
        self.table = document.add_table(rows=0, cols=len(widths))
        self.table.style = document.styles["Table Grid"]
        self.table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.table.autofit = False
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        self.table._tbl.tblPr.append(layout)
        for column, width in zip(self.table.columns, widths, strict=True):
            column.width = Cm(width)

    def row(self, cells: list[tuple]):
        row = self.table.add_row()
        row.height = Cm(0.8)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for index, width in enumerate(self.widths):
            row.cells[index].width = Cm(width)
        column = 0
        for text, span, *rest in cells:
            options = rest[0] if rest else {}
            cell = row.cells[column]
            if span > 1:
                cell = cell.merge(row.cells[column + span - 1])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            if options.get("center"):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold = options.get("bold", False)
            run.font.size = Pt(options.get("size", self.size))
            _fonts(run._element, SERIF)
            column += span
        assert column == len(self.widths), (cells, column)
        return row


def label(text: str, span: int = 1) -> tuple:
    return (text, span, {"center": True})


def head(text: str) -> tuple:
    return (text, 1, {"center": True, "bold": True})


def form() -> Document:
    d = new_document()
    para(d, "社区法律顾问年度考核表", size=TITLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    para(d, "（{{ appraisal.year }} 年度）", align=WD_ALIGN_PARAGRAPH.CENTER, after=8)

    heading(d, "一、基本情况")
    grid = Grid(d, [3.0, 5.0, 3.0, 5.0])
    grid.row([label("姓名"), ("{{ advisor.name }}", 1), label("执业证号"), ("{{ advisor.licence }}", 1)])
    grid.row([label("律师事务所"), ("{{ advisor.firm }}", 3)])
    grid.row([label("服务社区"), ("{{ advisor.communities }}", 3)])
    grid.row([label("考核方案"), ("{{ appraisal.scheme }}", 3)])

    heading(d, "二、考核指标")
    widths = [1.2, 5.4, 1.6, 6.0, 1.8]
    grid = Grid(d, widths, size=SMALL_PT)
    grid.row([head(t) for t in ("序号", "指标", "权重", "完成情况", "得分")])
    grid.row([("{%tr for i in indicators %}", len(widths))])
    grid.row(
        [
            label("{{ i.number }}"),
            ("{{ i.name }}", 1),
            label("{{ i.weight }}"),
            ("{{ i.detail }}", 1),
            label("{{ i.points }}"),
        ]
    )
    grid.row([("{%tr endfor %}", len(widths))])
    para(
        d,
        "注：无数据的指标不计入，其余指标按权重折算为百分制；各项指标所依据的记录见系统中的考核页面。",
        size=SMALL_PT,
        before=2,
    )

    heading(d, "三、加减分")
    grid = Grid(d, [3.0, 13.0])
    grid.row([head("加减分"), head("理由")])
    grid.row([("{%tr for x in adjustments %}", 2)])
    grid.row([label("{{ x.points }}"), ("{{ x.reason }}", 1)])
    grid.row([("{%tr endfor %}", 2)])

    heading(d, "四、考核结果")
    grid = Grid(d, [3.0, 5.0, 3.0, 5.0])
    grid.row([label("总分"), ("{{ appraisal.score }}", 1), label("等次"), ("{{ appraisal.grade }}", 1)])
    grid.row([label("司法所意见"), ("{{ appraisal.office_comment }}", 3)])
    grid.row([label("律师反馈"), ("{{ appraisal.advisor_response }}", 3)])

    para(d, "", before=12)
    para(d, "被考核律师（签名）：                    日期：", before=8)
    para(d, "律师事务所（盖章）：                    日期：", before=8)
    para(d, "司法所负责人（签名）：                  日期：", before=8)
    para(d, "{{ appraisal.printed_on }}", align=WD_ALIGN_PARAGRAPH.RIGHT, before=10)
    return d


def _freeze(path: Path) -> None:
    """Fixed zip timestamps, so a rebuild without changes leaves the committed file as it was."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        data = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(data):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data[name])


def main() -> int:
    import datetime

    target = HERE / "appraisal_form.docx"
    document = form()
    properties = document.core_properties
    properties.author = properties.last_modified_by = "顾问 Guwen"
    properties.title = "社区法律顾问年度考核表"
    properties.created = properties.modified = datetime.datetime(2026, 1, 1)
    properties.revision = 1
    document.save(target)
    _freeze(target)
    print(f"wrote {target.relative_to(HERE.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
