"""Builds the shipped Word templates of outreach: the enterprise legal health-check report
(企业法治体检报告) and the legal opinion (法律意见书).

Run from the repository root, after changing the layout or a variable:

    .venv/bin/python guwen/outreach/doc_templates/build.py

and commit the .docx it writes beside itself. A4, a centred title, the profile and the findings as
bordered tables; the findings repeat per area (a paragraph loop around a table whose rows loop).
The variables are those ``guwen/outreach/documents.py`` offers; ``test_documents.py`` renders the
template with the sample context, so a tag naming something not offered fails there.

The primitives are ``guwen/core/docbuild.py``, shared with the other apps' templates, so every
official document has the same fonts and table grid.
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


def report() -> Document:
    d = new_document()
    para(d, "企业法治体检报告", size=TITLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    para(d, "{{ report.number }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=8)

    heading(d, "一、企业基本情况")
    grid = Grid(d, [4.0, 5.2, 2.4, 4.4])
    grid.row([label("企业名称"), ("{{ enterprise.name }}", 3)])
    grid.row(
        [
            label("统一社会信用代码"),
            ("{{ enterprise.credit_code }}", 1),
            label("所属行业"),
            ("{{ enterprise.industry }}", 1),
        ]
    )
    grid.row(
        [
            label("员工人数"),
            ("{{ enterprise.staff_count }}", 1),
            label("联系人"),
            ("{{ enterprise.contact }}", 1),
        ]
    )
    grid.row([label("地址"), ("{{ enterprise.address }}", 3)])
    grid.row([label("所在社区"), ("{{ enterprise.community }}", 3)])

    heading(d, "二、体检范围和方式")
    grid = Grid(d, [3.0, 13.0])
    grid.row([label("体检日期"), ("{{ check.date }}", 1)])
    grid.row([label("体检范围"), ("{{ check.scope }}", 1)])
    grid.row([label("体检方式"), ("{{ check.method }}", 1)])
    grid.row([label("体检律师"), ("{{ check.lawyers }}（{{ check.firms }}）", 1)])

    heading(d, "三、发现的问题和整改建议")
    para(d, "{%p for area in areas %}")
    para(d, "（{{ loop.index }}）{{ area.name }}", bold=True, before=4, after=2)
    widths = [1.2, 3.0, 2.8, 1.6, 3.4, 1.9, 2.1]
    grid = Grid(d, widths, size=SMALL_PT)
    grid.row(
        [head(t) for t in ("序号", "存在问题", "法律依据", "风险等级", "整改建议", "责任人", "整改期限")]
    )
    grid.row([("{%tr for f in area.findings %}", len(widths))])
    grid.row(
        [
            label("{{ f.number }}"),
            ("{{ f.issue }}", 1),
            ("{{ f.legal_basis }}", 1),
            label("{{ f.risk }}"),
            ("{{ f.recommendation }}", 1),
            label("{{ f.owner }}"),
            label("{{ f.deadline }}"),
        ]
    )
    grid.row([("{%tr endfor %}", len(widths))])
    para(d, "{%p endfor %}")
    para(d, "{%p if not areas %}")
    para(d, "本次体检未发现需要整改的法律风险。", indent=True)
    para(d, "{%p endif %}")

    heading(d, "四、体检结论")
    para(
        d,
        "本次体检共发现法律风险点 {{ counts.risk_points }} 个（涉及 {{ counts.areas }} 个领域），其中高风险 "
        "{{ counts.high }} 个、中风险 {{ counts.medium }} 个、低风险 {{ counts.low }} 个；提出整改建议 "
        "{{ counts.recommendations }} 条。高风险事项建议企业立即整改，中、低风险事项请在整改期限内完成。",
        indent=True,
    )
    para(
        d,
        "本报告仅依据企业提供的资料和访谈情况作出，供企业完善内部管理参考，不构成对任何具体纠纷的法律意见。",
        indent=True,
    )

    heading(d, "五、回访")
    grid = Grid(d, [3.0, 5.0, 3.0, 5.0])
    grid.row(
        [label("回访日期"), ("{{ follow_up.date }}", 1), label("已整改问题"), ("{{ follow_up.fixed }} 个", 1)]
    )
    grid.row([label("回访结果"), ("{{ follow_up.result }}", 3)])

    para(d, "", before=12)
    para(d, "体检律师（签名）：{{ check.lawyers }}", before=6)
    para(d, "律师事务所（盖章）：{{ check.firms }}", before=6)
    para(d, "企业负责人（签收）：", before=6)
    para(d, "{{ report.issued_on }}", align=WD_ALIGN_PARAGRAPH.RIGHT, before=10)
    return d


def legal_opinion() -> Document:
    """法律意见书 (a contract review or an opinion on a community decision, project or rules): the
    request, the documents reviewed, the opinion paragraph by paragraph, the advisor's signature."""
    d = new_document()
    para(
        d, "{{ opinion.document_title }}", size=TITLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=4
    )
    para(d, "{{ opinion.number }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=8)
    para(d, "{{ community.committee }}：")
    para(
        d,
        "贵单位于{{ opinion.requested_on }}提出的“{{ opinion.title }}”{{ opinion.kind }}申请收悉。"
        "本所律师作为贵社区的法律顾问，依据国家现行法律、法规，就有关事项出具本法律意见。",
        indent=True,
        before=4,
    )
    heading(d, "一、事项和材料")
    grid = Grid(d, [4.0, 12.0])
    grid.row([label("事项"), ("{{ opinion.title }}", 1)])
    grid.row([label("类型"), ("{{ opinion.kind }}", 1)])
    grid.row([label("服务的决定或合同"), ("{{ opinion.related_to }}", 1)])
    grid.row([label("需求说明"), ("{{ opinion.question }}", 1)])
    heading(d, "二、法律意见")
    para(d, "{%p for p in opinion.paragraphs %}")
    para(d, "{{ p }}", indent=True)
    para(d, "{%p endfor %}")
    heading(d, "三、声明")
    para(
        d,
        "本法律意见仅依据贵单位提供的材料和说明作出，供贵单位决策参考；材料或情况发生变化的，请及时告知，"
        "本意见不作他用。",
        indent=True,
    )
    para(d, "", before=12)
    para(d, "顾问律师（签名）：{{ advisor.name }}", before=6)
    para(d, "律师事务所（盖章）：{{ advisor.firm }}", before=6)
    para(d, "{{ opinion.delivered_on }}", align=WD_ALIGN_PARAGRAPH.RIGHT, before=10)
    para(d, "（办理用时 {{ opinion.working_days }} 个工作日）", size=SMALL_PT, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return d


def main() -> int:
    for name, build, title in (
        ("health_check_report.docx", report, "企业法治体检报告"),
        ("legal_opinion.docx", legal_opinion, "法律意见书"),
    ):
        target = HERE / name
        save(build(), target, title)
        print(f"wrote {target.relative_to(HERE.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
