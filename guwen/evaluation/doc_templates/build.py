"""Builds the shipped Word template of the advisor's appraisal form (社区法律顾问年度考核表).

Run from the repository root, after changing the layout or a variable:

    .venv/bin/python guwen/evaluation/doc_templates/build.py

and commit the .docx it writes beside itself. A4, the advisor's particulars, the indicators as a
table whose rows loop, the office's adjustments, score and grade, the comments, and signature lines
for the advisor, the law firm and the judicial office. The variables are those
``guwen/evaluation/documents.py`` offers; ``test_documents.py`` renders the template with the
sample context, so a tag naming something not offered fails there.

The primitives are ``guwen/core/docbuild.py`` (the same fonts and table grid as the other official
documents).
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from guwen.core.docbuild import SMALL_PT, TITLE_PT, head, heading, label, new_document, save
from guwen.core.docbuild import Grid as _Grid
from guwen.core.docbuild import para as _para

HERE = Path(__file__).resolve().parent


def para(container, text: str = "", *, indent: bool = False, **options):
    """A paragraph; ``indent`` sets the first line in by two characters."""
    return _para(container, text, indent_chars=2 if indent else 0, **options)


Grid = partial(_Grid, row_cm=0.8)  # rows a little lower than the mediation forms'


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


def main() -> int:
    target = HERE / "appraisal_form.docx"
    save(form(), target, "社区法律顾问年度考核表")
    print(f"wrote {target.relative_to(HERE.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
