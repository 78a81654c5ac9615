"""The advisor's appraisal form (社区法律顾问年度考核表) as an official document.

One kind, ``evaluation.appraisal_form``: the shipped template ``doc_templates/appraisal_form.docx``
(built by ``doc_templates/build.py``), the variables it offers and a sample context. Staff may
replace the template (``guwen.core.models.DocumentTemplate``) using exactly these variables; the PDF
is the same .docx converted by LibreOffice (``guwen.core.documents``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from guwen.core.documents import DocumentKind, Schema, register
from guwen.regions.models import Assignment

TEMPLATES = Path(__file__).resolve().parent / "doc_templates"
KEY = "evaluation.appraisal_form"
TITLE = "社区法律顾问年度考核表"

VARIABLES: Schema = {
    "advisor": {
        "name": "律师姓名",
        "licence": "执业证号",
        "firm": "律师事务所",
        "communities": "服务社区（多个以顿号分隔）",
    },
    "appraisal": {
        "year": "考核年度，如：2026",
        "scheme": "考核方案，如：2026 第1版",
        "score": "总分，如：86.50",
        "grade": "等次：优秀、合格、基本合格、不合格",
        "office_comment": "司法所意见",
        "advisor_response": "律师反馈（未反馈为空）",
        "printed_on": "打印日期，如：2026年12月4日",
    },
    "indicators": [
        {
            "number": "序号",
            "name": "指标名称",
            "weight": "权重",
            "detail": "完成情况，如：19 / 33 件",
            "points": "得分（无数据为“不计入”）",
            "records": "依据记录的链接",
        }
    ],
    "adjustments": [{"points": "加减分，如：-2.00", "reason": "理由"}],
}

SAMPLE: dict[str, Any] = {
    "advisor": {
        "name": "甲律师",
        "licence": "14403200911234567",
        "firm": "广东南湾律师事务所",
        "communities": "南龙社区",
    },
    "appraisal": {
        "year": "2026",
        "scheme": "2026 第1版",
        "score": "86.50",
        "grade": "合格",
        "office_comment": "全年驻点到岗率高，答复及时；法治讲座场次需补足。",
        "advisor_response": "感谢反馈，明年第一季度补足讲座。",
        "printed_on": "2026年12月4日",
    },
    "indicators": [
        {
            "number": "1",
            "name": "驻点时长（实际/应到）",
            "weight": "15",
            "detail": "150.0 / 160.0 小时",
            "points": "14.06",
            "records": "https://guwen.example/duty/attendance/?month=2026-12",
        },
        {
            "number": "2",
            "name": "居民评价（平均星级/5）",
            "weight": "10",
            "detail": "29 条，平均 4.59 星",
            "points": "9.18",
            "records": "https://guwen.example/evaluation/ratings/?lawyer=1&year=2026",
        },
    ],
    "adjustments": [{"points": "-2.00", "reason": "公示牌信息未及时更新"}],
}


def sample_context() -> dict[str, Any]:
    return SAMPLE


register(
    DocumentKind(
        key=KEY,
        title=TITLE,
        template=TEMPLATES / "appraisal_form.docx",
        variables=VARIABLES,
        sample=sample_context,
    )
)


def form_context(appraisal, preview, *, absolute) -> dict[str, Any]:
    """The variables of one appraisal: ``preview`` is services.appraisal_preview's result and
    ``absolute`` turns a path into a full address."""
    lawyer = appraisal.lawyer
    communities = (
        Assignment.objects.filter(lawyer=lawyer, starts_on__year__lte=appraisal.year)
        .exclude(ends_on__year__lt=appraisal.year)
        .select_related("community")
        .order_by("community__code")
    )
    scheme = preview.scheme
    return {
        "advisor": {
            "name": lawyer.name,
            "licence": lawyer.licence_number,
            "firm": lawyer.firm.name,
            "communities": "、".join(dict.fromkeys(a.community.name for a in communities)),
        },
        "appraisal": {
            "year": str(appraisal.year),
            "scheme": f"{scheme.year} 第{scheme.version}版" if scheme else "默认方案",
            "score": "" if preview.score is None else str(preview.score),
            "grade": preview.grade,
            "office_comment": appraisal.office_comment,
            "advisor_response": appraisal.advisor_response,
            "printed_on": f"{timezone.localdate():%Y年%-m月%-d日}",
        },
        "indicators": [
            {
                "number": str(n),
                "name": row.name,
                "weight": str(row.weight),
                "detail": row.detail,
                "points": "不计入" if row.points is None else str(row.points),
                "records": absolute(row.link),
            }
            for n, row in enumerate(preview.indicators, 1)
        ],
        "adjustments": [{"points": str(x.points), "reason": x.reason} for x in appraisal.adjustments.all()],
    }
