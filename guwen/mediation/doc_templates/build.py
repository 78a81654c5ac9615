"""Builds the shipped Word templates of the people's mediation (人民调解) case file (卷宗).

Run from the repository root, after changing a layout or a variable:

    .venv/bin/python guwen/mediation/doc_templates/build.py

and commit the .docx files it writes beside itself. The layouts follow the Ministry of Justice's
2010 document formats (司法部《人民调解文书格式》): A4, a centred title in 宋体 style, forms as
bordered tables. The variables inside the Jinja tags are the ones ``guwen/mediation/documents.py``
offers for each kind; ``guwen/tests/test_mediation_documents.py`` renders every template with its
sample context, so a tag that names something not offered fails there.

The font is named "Noto Serif CJK SC" (a 宋体-style serif installed with fonts-noto-cjk), for both
Latin and East Asian text, so LibreOffice on the server finds the CJK glyphs when it converts to PDF;
Word and WPS on an office PC substitute their own 宋体 for it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from guwen.core.docbuild import (
    SERIF,
    TITLE_PT,
    Grid,
    head,
    label,
    para,
    save,
    set_fonts,
    value,
)
from guwen.core.docbuild import new_document as a4_document

HERE = Path(__file__).resolve().parent


def new_document() -> Document:
    """A form with the page footer placed (the committee's address and phone print there)."""
    return a4_document(header_cm=1.2)


# --- primitives of the mediation forms ------------------------------------------------------------


def title(document, text: str, *, number: bool = True) -> None:
    para(document, text, size=TITLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    if number:
        para(document, "{{ case.number }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=6)


def signature_block(container, lines: list[str], *, seal: bool = True, date: str = "") -> None:
    para(container, "", before=6)
    for line in lines:
        para(container, line, before=4)
    if seal:
        para(container, "（人民调解委员会印）", align=WD_ALIGN_PARAGRAPH.RIGHT, before=10)
    if date:
        para(container, date, align=WD_ALIGN_PARAGRAPH.RIGHT, before=4)


# The four columns of a party's basic facts, in every form that lists parties.
PARTY_WIDTHS = [1.6, 2.2, 1.2, 1.3, 1.2, 2.3, 2.6, 3.6]
PARTY_ROW = [
    label("{{ p.role }}"),
    value("{{ p.name }}"),
    label("{{ p.sex }}"),
    label("{{ p.ethnicity }}"),
    label("{{ p.age }}"),
    value("{{ p.occupation }}"),
    value("{{ p.phone }}"),
    value("{{ p.address }}"),
]
PARTY_HEAD = [
    label(text)
    for text in ("身份", "姓名或名称", "性别", "民族", "年龄", "职业或职务", "联系方式", "单位或住址")
]


def committee_contact(document) -> None:
    """The committee's address and phone in the page footer, so the parties know where to reach it
    without taking a line from a form that fills its page; an empty footer while it has neither."""
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(
        "{% if committee.address %}调委会地址：{{ committee.address }}{% endif %}"
        "{% if committee.phone %}　电话：{{ committee.phone }}{% endif %}"
    )
    run.font.size = Pt(9)
    set_fonts(run._element, SERIF)


def party_table(document, collection: str = "parties") -> None:
    grid = Grid(document, PARTY_WIDTHS, size=10.5)
    grid.row([head(text, span) for text, span, _o in PARTY_HEAD])
    grid.loop(f"{{%tr for p in {collection} %}}", PARTY_ROW)


# --- the twelve documents -----------------------------------------------------------------------


def application() -> Document:
    """人民调解申请书"""
    d = new_document()
    title(d, "人民调解申请书")
    widths = [2.6, 3.4, 2.6, 2.2, 1.8, 3.4]
    grid = Grid(d, widths)
    for group, role in (("applicants", "申请人"), ("respondents", "被申请人")):
        # three rows per party, repeated for each one between the two tag rows
        grid.row([(f"{{%tr for p in {group} %}}", len(widths))])
        grid.row(
            [
                label(role),
                value("{{ p.name }}"),
                label("性别"),
                value("{{ p.sex }}"),
                label("民族"),
                value("{{ p.ethnicity }}"),
            ]
        )
        grid.row([label("年龄"), value("{{ p.age }}"), label("职业或职务"), value("{{ p.occupation }}", 3)])
        grid.row(
            [label("联系方式"), value("{{ p.phone }}"), label("单位或住址"), value("{{ p.address }}", 3)]
        )
        grid.row([("{%tr endfor %}", len(widths))])
    grid.row([label("纠纷简要情况"), value("{{ case.summary }}", 5, top=True)], height=3.6)
    cell_row = grid.row([label("申请事项"), value("", 5, top=True)], height=2.4)
    cell = cell_row.cells[1]
    cell.paragraphs[0].add_run("{%p for r in application.requests %}")
    para(cell, "{{ loop.index }}．{{ r }}")
    para(cell, "{%p endfor %}")
    grid.row(
        [
            value(
                "人民调解委员会已将申请人民调解的相关规定告知我，现自愿申请人民调解委员会进行调解。\n\n"
                "申请人（签名、盖章或按指印）：\n\n"
                "→{{ application.applied_on }}",
                6,
            )
        ],
        height=2.8,
    )
    para(d, "{{ committee.name }}", align=WD_ALIGN_PARAGRAPH.RIGHT, before=8)
    committee_contact(d)
    return d


def registration() -> Document:
    """人民调解受理登记表"""
    d = new_document()
    title(d, "人民调解受理登记表")
    widths = [3.2, 4.8, 3.2, 4.8]
    grid = Grid(d, widths)
    grid.row(
        [label("登记日期"), value("{{ case.accepted_on }}"), label("纠纷类型"), value("{{ case.type }}")]
    )
    grid.row([label("案件来源"), value("{{ case.source }}", 3)])
    grid.row([value("经当事人同意，调解{{ case.parties_names }}之间的{{ case.type }}。", 4)], height=1.0)
    grid.row([label("纠纷简要情况"), value("{{ case.summary }}", 3, top=True)], height=4.0)
    grid.row([label("当事人签名"), value("", 3)], height=2.0)
    grid.row(
        [
            label("登记人签名"),
            value("{{ registration.registrar }}"),
            label("人民调解员"),
            value("{{ mediator.name }}"),
        ],
        height=1.4,
    )
    grid.row([value("→（人民调解委员会印）\n→{{ registration.registered_on }}", 4)], height=2.0)
    para(d, "当事人基本情况", bold=True, before=10, after=4)
    party_table(d)
    para(
        d,
        "注：当事人为法人或其他组织的，“姓名或名称”栏填写名称，“职业或职务”栏填写法定代表人或负责人。",
        size=10.5,
        before=4,
    )
    return d


RIGHTS = [
    "选择或者接受人民调解员；",
    "接受调解、拒绝调解或者要求终止调解；",
    "要求调解公开进行或者不公开进行；",
    "自主表达意愿、自愿达成调解协议。",
]
DUTIES = [
    "如实陈述纠纷事实；",
    "遵守调解现场秩序，尊重人民调解员；",
    "尊重对方当事人行使权利。",
]


def rights_notice() -> Document:
    """人民调解当事人权利义务告知书"""
    d = new_document()
    title(d, "人民调解当事人权利义务告知书")
    para(d, "{%p for p in parties %}")
    para(d, "{{ p.role }}：{{ p.name }}")
    para(d, "{%p endfor %}")
    para(
        d,
        "人民调解委员会是依法设立的调解民间纠纷的群众性组织。人民调解委员会调解民间纠纷，遵循当事人自愿、平等、"
        "不违背法律法规和国家政策、尊重当事人权利的原则，不收取任何费用。根据《中华人民共和国人民调解法》"
        "第二十三条、第二十四条的规定，在人民调解活动中，当事人享有下列权利，并应履行下列义务：",
        indent_chars=2,
        before=8,
    )
    para(d, "一、当事人享有的权利", bold=True, before=6)
    for index, text in enumerate(RIGHTS, 1):
        para(d, f"{index}．{text}", indent_chars=2)
    para(d, "二、当事人应当履行的义务", bold=True, before=6)
    for index, text in enumerate(DUTIES, 1):
        para(d, f"{index}．{text}", indent_chars=2)
    para(
        d,
        "三、调解不成或者调解协议履行中发生争议的，当事人可以依法通过仲裁、行政、司法等途径维护自己的权利。"
        "经人民调解委员会调解达成调解协议后，双方当事人可以自调解协议生效之日起三十日内共同向人民法院申请司法确认。",
        indent_chars=2,
        before=6,
    )
    para(d, "以上内容已告知，当事人已知悉。", indent_chars=2, before=10)
    signature_block(
        d,
        ["当事人（签名、盖章或按指印）：", "", "告知人（人民调解员）签名："],
        date="{{ notice.notified_on }}",
    )
    para(d, "{{ committee.name }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    committee_contact(d)
    return d


def _record_entries(cell, collection: str) -> None:
    cell.paragraphs[0].add_run("{%p for e in " + collection + " %}")
    para(cell, "{{ e.speaker }}：{{ e.text }}")
    para(cell, "{%p endfor %}")


def investigation() -> Document:
    """人民调解调查记录"""
    d = new_document()
    title(d, "人民调解调查记录")
    grid = Grid(d, [3.2, 4.8, 3.2, 4.8])
    grid.row([label("纠纷名称"), value("{{ case.title }}", 3)])
    grid.row(
        [
            label("调查时间"),
            value("{{ investigation.time }}"),
            label("调查地点"),
            value("{{ investigation.place }}"),
        ]
    )
    grid.row(
        [
            label("调查人"),
            value("{{ investigation.investigators }}"),
            label("记录人"),
            value("{{ investigation.recorder }}"),
        ]
    )
    grid.row([label("被调查人"), value("{{ investigation.interviewee }}", 3)])
    grid.row([label("在场人"), value("{{ investigation.present }}", 3)])
    row = grid.row([label("调查记录"), value("", 3, top=True)], height=11.0)
    _record_entries(row.cells[1], "investigation.entries")
    grid.row(
        [
            value(
                "被调查人（签名或按指印）：\n\n"
                "调查人（签名）：　　　　　　　　　　记录人（签名）：\n→{{ investigation.time }}",
                4,
            )
        ],
        height=2.6,
    )
    para(
        d,
        "注：记录经被调查人阅读（或向其宣读）无误后签名；有修改的，被调查人在修改处按指印。",
        size=10.5,
        before=4,
    )
    return d


def session() -> Document:
    """人民调解记录"""
    d = new_document()
    title(d, "人民调解记录")
    grid = Grid(d, [3.2, 4.8, 3.2, 4.8])
    grid.row([label("纠纷名称"), value("{{ case.title }}", 3)])
    grid.row(
        [label("调解时间"), value("{{ session.time }}"), label("调解地点"), value("{{ session.place }}")]
    )
    grid.row(
        [
            label("人民调解员"),
            value("{{ session.mediators }}"),
            label("记录人"),
            value("{{ session.recorder }}"),
        ]
    )
    grid.row([label("当事人"), value("{{ session.parties_present }}", 3)])
    grid.row([label("其他参加人"), value("{{ session.others_present }}", 3)])
    row = grid.row([label("调解记录"), value("", 3, top=True)], height=10.0)
    _record_entries(row.cells[1], "session.entries")
    grid.row([label("调解结果"), value("{{ session.result }}", 3, top=True)], height=2.0)
    grid.row(
        [
            value(
                "当事人（签名、盖章或按指印）：\n\n人民调解员（签名）：　　　　　　　　　　记录人（签名）：",
                4,
            )
        ],
        height=2.6,
    )
    return d


def agreement() -> Document:
    """人民调解协议书 (人民调解法 第二十九条)"""
    d = new_document()
    title(d, "人民调解协议书", number=False)
    para(d, "编号：{{ agreement.number }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=6)
    widths = [3.0, 13.0]
    grid = Grid(d, widths)
    grid.loop(
        "{%tr for p in parties %}",
        [
            label("{{ p.role }}"),
            value(
                "{{ p.name }}　性别：{{ p.sex }}　民族：{{ p.ethnicity }}　年龄：{{ p.age }}\n"
                "职业或职务：{{ p.occupation }}　联系方式：{{ p.phone }}\n"
                "身份证号码：{{ p.id_masked }}\n"
                "单位或住址：{{ p.address }}\n"
                "法定代表人或负责人：{{ p.representative }}　委托代理人：{{ p.agent }}"
            ),
        ],
    )
    grid.row(
        [
            label("纠纷主要事实\n争议事项"),
            value("{{ agreement.facts }}\n争议事项：{{ agreement.dispute_points }}", top=True),
        ],
        height=2.4,
    )
    grid.row([label("各方责任"), value("{{ agreement.responsibility }}", top=True)], height=1.6)
    row = grid.row(
        [label("协议内容"), value("经人民调解委员会调解，双方当事人自愿达成如下协议：", top=True)], height=2.6
    )
    cell = row.cells[1]
    para(cell, "{%p for t in agreement.terms %}")
    para(cell, "{{ loop.index }}．{{ t }}")
    para(cell, "{%p endfor %}")
    grid.row(
        [
            label("履行方式\n时限"),
            value(
                "履行方式：{{ agreement.performance_method }}\n"
                "履行地点：{{ agreement.performance_place }}\n"
                "履行期限：{{ agreement.performance_deadline }}",
                top=True,
            ),
        ],
        height=2.4,
    )
    grid.row(
        [
            value(
                "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
                "本协议一式{{ agreement.copies }}份，当事人各执一份，人民调解委员会留存一份。"
                "当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。",
                2,
            )
        ],
        height=1.6,
    )
    grid.row(
        [
            value(
                "当事人（签名、盖章或按指印）：\n\n\n当事人（签名、盖章或按指印）：\n\n\n"
                "人民调解员（签名）：　　　　　　　　　　　　记录人（签名）：\n"
                "（主持调解：{{ mediator.name }}；记录：{{ recorder.name }}）\n"
                "→（人民调解委员会印）\n→{{ agreement.signed_on }}",
                2,
            )
        ],
        height=5.0,
    )
    committee_contact(d)
    return d


def oral_agreement() -> Document:
    """人民调解口头协议登记表"""
    d = new_document()
    title(d, "人民调解口头协议登记表")
    grid = Grid(d, [3.2, 4.8, 3.2, 4.8])
    grid.row([label("纠纷名称"), value("{{ case.title }}"), label("纠纷类型"), value("{{ case.type }}")])
    grid.row(
        [label("调解日期"), value("{{ oral.reached_on }}"), label("调解地点"), value("{{ oral.place }}")]
    )
    grid.row(
        [label("人民调解员"), value("{{ mediator.name }}"), label("记录人"), value("{{ recorder.name }}")]
    )
    grid.row([label("当事人"), value("", 3)])
    grid.loop(
        "{%tr for p in parties %}",
        [
            label("{{ p.role }}"),
            value("{{ p.name }}　{{ p.sex }}　{{ p.age }}岁　{{ p.phone }}　{{ p.address }}", 3),
        ],
    )
    grid.row([label("纠纷简要情况"), value("{{ oral.facts }}", 3, top=True)], height=4.0)
    row = grid.row([label("口头协议内容"), value("", 3, top=True)], height=3.6)
    cell = row.cells[1]
    cell.paragraphs[0].add_run("{%p for t in oral.terms %}")
    para(cell, "{{ loop.index }}．{{ t }}")
    para(cell, "{%p endfor %}")
    grid.row(
        [label("履行方式、时限"), value("{{ oral.performance_method }}；{{ oral.performance_deadline }}", 3)],
        height=1.4,
    )
    grid.row(
        [
            value(
                "当事人（签名、盖章或按指印）：\n\n人民调解员（签名）：　　　　　　　　　　登记人（签名）：\n"
                "→（人民调解委员会印）\n→{{ oral.registered_on }}",
                4,
            )
        ],
        height=3.4,
    )
    return d


def termination() -> Document:
    """人民调解终止告知书"""
    d = new_document()
    title(d, "人民调解终止告知书")
    para(d, "{%p for p in parties %}")
    para(d, "{{ p.role }}：{{ p.name }}")
    para(d, "{%p endfor %}")
    para(
        d,
        "你（单位）与对方当事人之间的{{ case.title }}，本委员会于{{ case.accepted_on }}受理调解。"
        "因{{ termination.reason }}，根据《中华人民共和国人民调解法》第二十六条的规定，"
        "本委员会决定终止调解。",
        indent_chars=2,
        before=8,
    )
    para(d, "你（单位）可以通过下列途径依法维护自己的权利：", indent_chars=2, before=4)
    para(d, "{%p for r in termination.routes %}")
    para(d, "{{ loop.index }}．{{ r }}", indent_chars=2)
    para(d, "{%p endfor %}")
    para(d, "特此告知。", indent_chars=2, before=6)
    signature_block(
        d,
        ["人民调解员（签名）：{{ mediator.name }}", "", "当事人签收（签名或按指印）："],
        date="{{ termination.terminated_on }}",
    )
    para(d, "{{ committee.name }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    committee_contact(d)
    para(
        d,
        "本告知书一式{{ termination.copies }}份，当事人各执一份，人民调解委员会留存一份。",
        size=10.5,
        before=8,
    )
    return d


def callback() -> Document:
    """人民调解回访记录"""
    d = new_document()
    title(d, "人民调解回访记录")
    grid = Grid(d, [3.2, 4.8, 3.2, 4.8])
    grid.row(
        [
            label("被回访人"),
            value("{{ callback.interviewee }}"),
            label("调解协议编号"),
            value("{{ callback.agreement_number }}"),
        ]
    )
    grid.row([label("回访事由"), value("{{ callback.subject }}", 3)])
    grid.row(
        [
            label("回访时间"),
            value("{{ callback.visited_on }}"),
            label("回访方式"),
            value("{{ callback.method }}"),
        ]
    )
    grid.row([label("协议履行情况"), value("{{ callback.performance }}", 3, top=True)], height=2.2)
    grid.row([label("对调解结果\n是否满意"), value("{{ callback.satisfaction }}", 3, top=True)], height=1.6)
    grid.row([label("是否起诉及\n判决情况"), value("{{ callback.lawsuit }}", 3, top=True)], height=1.6)
    grid.row([label("有无激化或\n其他风险"), value("{{ callback.risk }}", 3, top=True)], height=2.0)
    grid.row([label("采取的措施"), value("{{ callback.measures }}", 3, top=True)], height=2.2)
    grid.row(
        [label("回访人签名"), value("{{ callback.visitor }}"), label("被回访人签名"), value("")], height=1.6
    )
    return d


def closing_report() -> Document:
    """人民调解结案报告表"""
    d = new_document()
    title(d, "人民调解结案报告表", number=False)
    grid = Grid(d, [3.2, 4.8, 3.2, 4.8])
    grid.row([label("卷号"), value("{{ case.number }}"), label("填表时间"), value("{{ closing.filled_on }}")])
    grid.row(
        [label("承办单位"), value("{{ committee.name }}"), label("承办人"), value("{{ closing.handler }}")]
    )
    grid.row(
        [label("受案时间"), value("{{ case.accepted_on }}"), label("结案时间"), value("{{ case.closed_on }}")]
    )
    grid.row([label("纠纷类型"), value("{{ case.type }}"), label("涉及金额"), value("{{ case.amount }}")])
    grid.row([label("案件来源"), value("{{ case.source }}", 3)])
    grid.row([label("当事人"), value("姓名或名称、住址、联系电话", 3)])
    grid.loop(
        "{%tr for p in parties %}",
        [label("{{ p.role }}"), value("{{ p.name }}　{{ p.address }}　{{ p.phone }}", 3)],
    )
    grid.row([label("纠纷简要事实"), value("{{ case.summary }}", 3, top=True)], height=4.0)
    grid.row([label("调解结果"), value("{{ closing.outcome }}", 3, top=True)], height=2.0)
    grid.row([label("履行情况"), value("{{ closing.performance }}", 3, top=True)], height=1.8)
    grid.row([label("司法所意见"), value("\n\n→（盖章）　　　年　　月　　日", 3)], height=2.2)
    return d


def cover() -> Document:
    """人民调解卷宗封面"""
    d = new_document()
    para(d, "{{ committee.name }}", size=16, align=WD_ALIGN_PARAGRAPH.CENTER, before=48)
    para(d, "人 民 调 解 卷 宗", size=26, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=36, after=48)
    grid = Grid(d, [4.0, 10.0])
    for text, variable in (
        ("卷　　名", "{{ case.title }}"),
        ("卷　　号", "{{ case.number }}"),
        ("人民调解员", "{{ file.mediators }}"),
        ("调解日期", "{{ file.mediated_from }} 至 {{ file.mediated_to }}"),
        ("立 卷 人", "{{ file.filed_by }}"),
        ("立卷日期", "{{ file.filed_on }}"),
        ("保管期限", "{{ file.retention }}"),
        ("备　　注", "{{ file.notes }}"),
    ):
        grid.row([head(text), value(variable)], height=1.3)
    return d


def back_cover() -> Document:
    """人民调解卷宗封底（卷内备考表）"""
    d = new_document()
    title(d, "卷 内 备 考 表", number=False)
    para(d, "卷号：{{ case.number }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=6)
    grid = Grid(d, [16.0])
    grid.row(
        [
            value(
                "本卷情况说明：\n\n"
                "　　本卷共有文件材料 {{ file.item_count }} 件，共 {{ file.page_count }} 页。\n"
                "　　{{ file.notes }}",
                1,
                top=True,
            )
        ],
        height=13.0,
    )
    grid.row(
        [
            value(
                "立卷人：{{ file.filed_by }}\n\n检查人：{{ file.checked_by }}\n\n"
                "立卷时间：{{ file.filed_on }}",
                1,
            )
        ],
        height=4.0,
    )
    return d


BUILDERS = {
    "application.docx": application,
    "registration.docx": registration,
    "rights_notice.docx": rights_notice,
    "investigation.docx": investigation,
    "session.docx": session,
    "agreement.docx": agreement,
    "oral_agreement.docx": oral_agreement,
    "termination.docx": termination,
    "callback.docx": callback,
    "closing_report.docx": closing_report,
    "cover.docx": cover,
    "back_cover.docx": back_cover,
}


def main() -> None:
    for name, builder in BUILDERS.items():
        path = HERE / name
        save(builder(), path, (builder.__doc__ or "").split(" ")[0])
        print(f"wrote {path.relative_to(HERE.parents[2])}", file=sys.stderr)


if __name__ == "__main__":
    main()
