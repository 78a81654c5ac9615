"""Builds the shipped Word template of the quarterly work summary (业务综述).

Run from the repository root, after changing the layout or a variable:

    .venv/bin/python guwen/reports/doc_templates/build.py

and commit the .docx it writes beside itself. A4, the fonts of the other official documents
(guwen/core/docbuild.py), the report's five parts, the charts as pictures
(``{{ images.name }}``): three under the work, two (subsidised cases by grade, appraisal grades)
under the results. The variables are those ``guwen/reports/documents.py`` offers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from guwen.core.docbuild import new_document, save
from guwen.core.docbuild import para as _para

HERE = Path(__file__).resolve().parent


def para(document, text: str = "", *, size=12, bold=False, center=False, indent=True, after=4):
    """Body text of a report: lines 1.4 apart, the first line in by two characters."""
    align = WD_ALIGN_PARAGRAPH.CENTER if center else None
    indent_chars = 2 if indent and not center else 0
    return _para(
        document,
        text,
        size=size,
        bold=bold,
        align=align,
        indent_chars=indent_chars,
        after=after,
        line_spacing=1.4,
    )


def heading(document, text: str) -> None:
    para(document, text, size=14, bold=True, indent=False, after=6)


def summary() -> Document:
    document = new_document(bottom_cm=2.5, form=False)
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
    for name in ("subsidy", "evaluation"):
        para(document, "{{ images." + name + " }}", center=True)
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
    save(summary(), HERE / "quarterly_summary.docx", "业务综述")
    print(f"wrote {HERE / 'quarterly_summary.docx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
