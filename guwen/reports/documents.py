"""The quarterly work summary (业务综述) as an official document: one kind,
``reports.quarterly_summary``, its shipped template ``doc_templates/quarterly_summary.docx`` (built
by ``doc_templates/build.py``), the variables it offers and a sample context. Staff may replace
the template like any other (``guwen.core.models.DocumentTemplate``); the PDF is the same .docx
converted by LibreOffice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guwen.core.documents import DocumentKind, Schema, register

TEMPLATES = Path(__file__).resolve().parent / "doc_templates"
KEY = "reports.quarterly_summary"
TITLE = "社区法律顾问工作业务综述（季度）"

VARIABLES: Schema = {
    "summary": {
        "title": "标题，如：南湾街道2026年第4季度社区法律顾问工作业务综述",
        "region": "街道或区，如：南湾街道",
        "quarter": "季度，如：2026年第4季度",
        "period": "统计期间，如：2026年10月01日至2026年12月31日",
        "issued_on": "成文日期",
    },
    "overall": "总体情况（社区、主顾问配备、顾问律师和律所数）",
    "work": [{"name": "工作类别，如：法律咨询", "text": "该项工作的数字与说明"}],
    "results": ["工作成效，一条一句（含以案定补结算与发放、群众评价与投诉、满意度问卷、年度考核等次）"],
    "shortcomings": [
        "数据显示的不足，一条一句（讲座未达标社区、逾期咨询、缺勤、未配备顾问、补贴未发放或异常待核查、"
        "投诉逾期、评价偏低的社区、问卷未达样本量、考核基本合格或不合格）"
    ],
    "images": {
        "consultations": "图：咨询按类别（图片）",
        "outreach": "图：普法活动按类型（图片）",
        "mediation": "图：调解受理与成功按月（图片）",
        "subsidy": "图：以案定补计补案件按等级（图片）",
        "evaluation": "图：年度考核等次分布（图片）",
    },
}


def sample() -> dict[str, Any]:
    from guwen.reports.pictures import bar_chart

    return {
        "summary": {
            "title": "南湾街道2026年第4季度社区法律顾问工作业务综述",
            "region": "南湾街道",
            "quarter": "2026年第4季度",
            "period": "2026年10月01日至2026年12月31日",
            "issued_on": "2027年01月05日",
        },
        "overall": "南湾街道共有社区 14 个，已配备主顾问 14 个；在岗顾问律师 17 名，来自 8 家律师事务所。",
        "work": [{"name": "法律咨询", "text": "共受理群众法律咨询 343 件，已答复 319 件。"}],
        "results": [
            "群众咨询“件件有回应”。",
            "以案定补：本季度各月结算补贴 86,400.00 元，已发放 52,800.00 元；按案件等级计补调解案件 "
            "41 件（简易 30 件、普通 9 件、重大 2 件），计补 38,600.00 元。",
        ],
        "shortcomings": [
            "本季度法治讲座未达标的社区：南岭村社区。",
            "满意度问卷未达到最低样本量的社区：樟树布社区（12/20）。",
        ],
        "images": {
            "consultations": bar_chart("按类别", ["劳动争议", "婚姻家庭"], [12, 8]),
            "outreach": bar_chart("活动（按类型）", ["法治讲座", "普法宣传"], [14, 20]),
            "mediation": bar_chart("受理与成功（按月）", ["2026-10", "2026-11", "2026-12"], [4, 6, 5]),
            "subsidy": bar_chart(
                "以案定补计补案件（按等级，件）", ["简易", "普通", "重大", "特别重大"], [30, 9, 2, 0]
            ),
            "evaluation": bar_chart(
                "2026年度考核等次（已审核，名）", ["优秀", "合格", "基本合格", "不合格"], [5, 10, 2, 0]
            ),
        },
    }


register(
    DocumentKind(
        key=KEY,
        title=TITLE,
        template=TEMPLATES / "quarterly_summary.docx",
        variables=VARIABLES,
        sample=sample,
    )
)
