"""Builds the shipped Word template of the quarterly work summary (业务综述).

Run from the repository root, after changing the layout or a variable:

    .venv/bin/python guwen/reports/doc_templates/build.py

and commit the .docx it writes beside itself. A4, the fonts of the other official documents
(guwen/mediation/doc_templates/build.py), the report's five parts, the charts as pictures
(``{{ images.name }}``). The variables are those ``guwen/reports/documents.py`` offers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
SERIF = "Noto Serif CJK SC"


def _fonts(run, name: str = SERIF) -> None:
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def para(document, text: str = "", *, size=12, bold=False, center=False, indent=True, after=4):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(size), bold
    _fonts(run)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.line_spacing = 1.4
    return paragraph


def heading(document, text: str) -> None:
    para(document, text, size=14, bold=True, indent=False, after=6)


def summary() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    para(document, "{{ summary.title }}", size=18, bold=True, center=True, after=6)
    para(document, "（{{ summary.period }}）", size=12, center=True, after=12)
    heading(document, "一、总体情况")
    para(document, "{{ overall }}")
    heading(document, "二、各项工作开展情况")
    para(document, "{%p for w in work %}", indent=False)
    para(document, "（{{ loop.index }}）{{ w.name }}。{{ w.text }}")
    para(document, "{%p endfor %}", indent=False)
    for name in ("consultations", "outreach", "mediation"):
        para(document, "{{ images." + name + " }}", center=True)
    heading(document, "三、工作成效")
    para(document, "{%p for r in results %}", indent=False)
    para(document, "{{ loop.index }}. {{ r }}")
    para(document, "{%p endfor %}", indent=False)
    heading(document, "四、存在的不足")
    para(document, "{%p for s in shortcomings %}", indent=False)
    para(document, "{{ loop.index }}. {{ s }}")
    para(document, "{%p endfor %}", indent=False)
    heading(document, "五、意见建议")
    para(document, "（由司法所填写）", indent=False)
    for _line in range(4):
        para(document, "＿" * 34, indent=False)
    para(document, "{{ summary.region }}司法所", indent=False, after=0).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(document, "{{ summary.issued_on }}", indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document


def main() -> int:
    summary().save(HERE / "quarterly_summary.docx")
    print(f"wrote {HERE / 'quarterly_summary.docx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
