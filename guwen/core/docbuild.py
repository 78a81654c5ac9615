"""The primitives the shipped Word templates are built with (each app's ``doc_templates/build.py``).

Every official document looks alike: A4, Noto Serif CJK in every script, 小四 body text, bordered
tables of fixed column widths that LibreOffice lays out the way Word does. A build script composes
its forms from these and writes them with :func:`save`, which fixes the zip timestamps and the core
properties so that rebuilding without a change leaves the committed file byte for byte as it was.

Only the build scripts import this module; rendering uses the committed .docx (``core.documents``).
"""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
BODY_PT = 12  # 小四
SMALL_PT = 10.5  # 五号
TITLE_PT = 18  # 小二
PAGE_WIDTH_CM = 21.0
LEFT_CM, RIGHT_CM = 2.6, 2.4
TEXT_WIDTH_CM = PAGE_WIDTH_CM - LEFT_CM - RIGHT_CM  # 16.0
RIGHT = "\u2192"  # a line of a cell that starts with → is set flush right (seal and date lines)


def set_fonts(element, name: str = SERIF) -> None:
    """Name ``name`` for every script of a run or style (East Asian text among them)."""
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def new_document(*, bottom_cm: float = 2.2, form: bool = True, header_cm: float | None = None) -> Document:
    """An A4 document with the shared margins. ``form`` sets the Normal style of the forms (serif
    小四, no space between paragraphs, lines 1.25 apart, Chinese as the East Asian language);
    ``header_cm`` places header and footer (for documents that print a footer)."""
    document = Document()
    section = document.sections[0]
    if header_cm is not None:
        section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(bottom_cm)
    section.left_margin, section.right_margin = Cm(LEFT_CM), Cm(RIGHT_CM)
    if header_cm is not None:
        section.header_distance = section.footer_distance = Cm(header_cm)
    if not form:
        return document
    normal = document.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element, SERIF)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.25
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    return document


def para(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    align=None,
    indent_chars: float = 0,
    before: float = 0,
    after: float = 0,
    font: str = SERIF,
    line_spacing: float | None = None,
):
    """A paragraph of one run; ``indent_chars`` indents its first line by that many characters."""
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    if indent_chars:
        paragraph.paragraph_format.first_line_indent = Pt(size * indent_chars)
    if line_spacing is not None:
        paragraph.paragraph_format.line_spacing = line_spacing
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        set_fonts(run._element, font)
    return paragraph


def heading(document, text: str) -> None:
    para(document, text, bold=True, before=10, after=4)


def _cell_text(cell, text: str, *, bold: bool = False, align=None, size: float = BODY_PT) -> None:
    first = cell.paragraphs[0]
    for index, line in enumerate(text.split("\n")):
        paragraph = first if index == 0 else cell.add_paragraph()
        if line.startswith(RIGHT):
            line = line[1:]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align is not None:
            paragraph.alignment = align
        if line:
            run = paragraph.add_run(line)
            run.bold = bold
            run.font.size = Pt(size)
            set_fonts(run._element, SERIF)


class Grid:
    """A bordered table of ``widths`` (cm) built row by row; a row is a list of
    ``(text, span)`` or ``(text, span, {"bold": True, "align": ..., "valign": ..., "size": ...})``."""

    def __init__(self, document, widths: list[float], *, size: float = BODY_PT, row_cm: float = 0.9):
        assert sum(widths) <= TEXT_WIDTH_CM + 0.01, (widths, sum(widths))  # never wider than the page
        self.widths, self.size, self.row_cm = widths, size, row_cm
        self.table = document.add_table(rows=0, cols=len(widths))
        self.table.style = document.styles["Table Grid"]
        self.table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.table.autofit = False
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        self.table._tbl.tblPr.append(layout)
        # LibreOffice lays a table out by its grid columns, not by the cells' own widths.
        for column, width in zip(self.table.columns, widths, strict=True):
            column.width = Cm(width)

    def row(self, cells: list[tuple], *, height: float | None = None, exact: bool = False):
        row = self.table.add_row()
        row.height = Cm(height or self.row_cm)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if height and exact else WD_ROW_HEIGHT_RULE.AT_LEAST
        for index, width in enumerate(self.widths):
            row.cells[index].width = Cm(width)
        column = 0
        for spec in cells:
            text, span = spec[0], spec[1]
            options = spec[2] if len(spec) > 2 else {}
            cell = row.cells[column]
            if span > 1:
                cell = cell.merge(row.cells[column + span - 1])
            cell.vertical_alignment = options.get("valign", WD_CELL_VERTICAL_ALIGNMENT.CENTER)
            _cell_text(
                cell,
                text,
                bold=options.get("bold", False),
                align=options.get("align"),
                size=options.get("size", self.size),
            )
            column += span
        assert column == len(self.widths), (cells, column)
        return row

    def loop(self, opening: str, cells: list[tuple], closing: str = "{%tr endfor %}") -> None:
        """A row repeated for each item: docxtpl replaces the tag rows by the loop."""
        self.row([(opening, len(self.widths))])
        self.row(cells)
        self.row([(closing, len(self.widths))])


def label(text: str, span: int = 1) -> tuple:
    """A centred cell."""
    return (text, span, {"align": WD_ALIGN_PARAGRAPH.CENTER})


def head(text: str, span: int = 1) -> tuple:
    """A centred bold cell: a column heading."""
    return (text, span, {"align": WD_ALIGN_PARAGRAPH.CENTER, "bold": True})


def value(text: str, span: int = 1, *, top: bool = False) -> tuple:
    """A cell for filled-in text, at the top of the cell when ``top``."""
    options = {"valign": WD_CELL_VERTICAL_ALIGNMENT.TOP} if top else {}
    return (text, span, options)


def save(document, path: Path, title: str) -> None:
    """Write ``document`` with fixed core properties and zip timestamps (a rebuild without a change
    leaves the committed file as it was)."""
    properties = document.core_properties
    properties.author = properties.last_modified_by = "顾问 Guwen"
    properties.title = title
    properties.created = properties.modified = datetime.datetime(2026, 1, 1)
    properties.revision = 1
    document.save(path)
    with zipfile.ZipFile(path) as archive:
        data = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(data):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data[name])
