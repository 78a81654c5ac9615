"""The enterprise legal health-check report (企业法治体检报告) and the legal opinion (法律意见书) as
official documents.

One kind, ``outreach.health_check_report``: the shipped template ``doc_templates/health_check_report.docx``
(built by ``doc_templates/build.py``), the variables it offers and a sample context. Staff may
replace the template (``guwen.core.models.DocumentTemplate``) using exactly these variables; the PDF
is the same .docx converted by LibreOffice (``guwen.core.documents``).

The layout follows the report form distilled in DOMAIN §4 (如东 and 安庆 practice): enterprise
profile → scope and method → findings by area (issue, legal basis, risk level, recommendation,
owner, deadline) → counts of risk points and recommendations → signatures → 回访 (follow-up).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guwen.core.documents import DocumentKind, Schema, get_kind, register

TEMPLATES = Path(__file__).resolve().parent / "doc_templates"
KEY = "outreach.health_check_report"
TITLE = "企业法治体检报告"

FINDING: Schema = {
    "number": "序号，如：1",
    "item": "检查事项（无则为空）",
    "issue": "存在问题",
    "legal_basis": "法律依据，如：《中华人民共和国劳动合同法》第八十二条",
    "risk": "风险等级：高（红）、中（橙）、低（黄）",
    "recommendation": "整改建议",
    "owner": "整改责任人",
    "deadline": "整改期限，如：2026年12月31日；无则为空",
    "status": "整改情况：已整改、未整改",
}

VARIABLES: Schema = {
    "report": {
        "number": "报告编号，如：南湾法检〔2026〕第0012号",
        "issued_on": "报告日期，如：2026年11月20日",
    },
    "enterprise": {
        "name": "企业名称",
        "credit_code": "统一社会信用代码",
        "industry": "所属行业",
        "staff_count": "员工人数，如：86人",
        "contact": "联系人及电话",
        "address": "地址",
        "community": "所在社区，如：南湾街道南龙社区",
    },
    "check": {
        "date": "体检日期",
        "scope": "体检范围",
        "method": "体检方式",
        "lawyers": "体检律师（多人以顿号分隔）",
        "firms": "律师事务所（多家以顿号分隔）",
    },
    "areas": [{"name": "体检领域，如：劳动用工与社会保险", "findings": [FINDING]}],
    "counts": {
        "risk_points": "风险点总数",
        "high": "高风险数",
        "medium": "中风险数",
        "low": "低风险数",
        "recommendations": "整改建议数",
        "areas": "发现问题的领域数",
    },
    "follow_up": {
        "date": "回访日期（未安排为空）",
        "result": "回访结果（未回访为空）",
        "fixed": "已整改问题数",
    },
}

SAMPLE: dict[str, Any] = {
    "report": {"number": "南湾法检〔2026〕第0012号", "issued_on": "2026年11月20日"},
    "enterprise": {
        "name": "深圳市南湾精密五金有限公司",
        "credit_code": "91440300MA5F00012X",
        "industry": "金属制品制造",
        "staff_count": "86人",
        "contact": "陈经理 0755-2870 0000",
        "address": "深圳市龙岗区南湾街道南龙社区工业路8号",
        "community": "南湾街道南龙社区",
    },
    "check": {
        "date": "2026年11月10日",
        "scope": "主体资格与证照、劳动用工与社会保险、合同管理、消防安全",
        "method": "企业自查问卷、负责人及人事财务人员访谈、查阅营业执照、劳动合同、采购合同和消防台账",
        "lawyers": "甲律师、乙律师",
        "firms": "广东南湾律师事务所",
    },
    "areas": [
        {
            "name": "合同管理",
            "findings": [
                {
                    "number": "1",
                    "item": "重要条款是否完整",
                    "issue": "采购合同未约定违约责任和争议解决方式",
                    "legal_basis": "《中华人民共和国民法典》第四百七十条",
                    "risk": "中（橙）",
                    "recommendation": "使用经审查的采购合同范本，补充违约责任和管辖条款",
                    "owner": "采购部",
                    "deadline": "2026年12月31日",
                    "status": "未整改",
                }
            ],
        },
        {
            "name": "劳动用工与社会保险",
            "findings": [
                {
                    "number": "2",
                    "item": "是否按时订立书面劳动合同",
                    "issue": "5名员工入职超过一个月未签订书面劳动合同",
                    "legal_basis": "《中华人民共和国劳动合同法》第八十二条",
                    "risk": "高（红）",
                    "recommendation": "立即补签劳动合同，核查是否需支付二倍工资",
                    "owner": "人事行政部",
                    "deadline": "2026年12月10日",
                    "status": "已整改",
                }
            ],
        },
    ],
    "counts": {
        "risk_points": "2",
        "high": "1",
        "medium": "1",
        "low": "0",
        "recommendations": "2",
        "areas": "2",
    },
    "follow_up": {"date": "2026年12月20日", "result": "已补签劳动合同；采购合同范本正在修订", "fixed": "1"},
}


def sample_context() -> dict[str, Any]:
    return SAMPLE


register(
    DocumentKind(
        key=KEY,
        title=TITLE,
        template=TEMPLATES / "health_check_report.docx",
        variables=VARIABLES,
        sample=sample_context,
    )
)


def kind() -> DocumentKind:
    return get_kind(KEY)


# --- the legal opinion (法律意见书) ----------------------------------------------------------------

OPINION_KEY = "outreach.legal_opinion"
OPINION_TITLE = "法律意见书"

OPINION_VARIABLES: Schema = {
    "opinion": {
        "document_title": "文书标题：合同审查意见书或法律意见书",
        "number": "编号，如：南湾法意〔2026〕第0007号",
        "title": "事项，如：民生大盘菜项目采购合同",
        "kind": "类型：合同审查、重大决策法律意见、项目法律意见、居规民约审查、其他法律意见",
        "related_to": "服务的决定或合同（无则为“—”）",
        "question": "需求说明",
        "requested_on": "提出日期，如：2026年11月2日",
        "delivered_on": "出具日期，如：2026年11月6日",
        "working_days": "办理用时（工作日），如：4",
        "paragraphs": ["法律意见的一段"],
    },
    "community": {"name": "社区，如：南龙社区", "committee": "抬头，如：南湾街道南龙社区居民委员会"},
    "advisor": {"name": "顾问律师", "firm": "律师事务所"},
}

OPINION_SAMPLE: dict[str, Any] = {
    "opinion": {
        "document_title": "合同审查意见书",
        "number": "南湾法意〔2026〕第0007号",
        "title": "民生大盘菜项目食材采购合同",
        "kind": "合同审查",
        "related_to": "2026年度民生大盘菜项目（长者饭堂食材采购）",
        "question": "请审查与供应商拟签订的食材采购合同，重点关注食品安全责任和付款条件。",
        "requested_on": "2026年11月2日",
        "delivered_on": "2026年11月6日",
        "working_days": "4",
        "paragraphs": [
            "一、合同主体：供应商营业执照和食品经营许可证在有效期内，具备履约资格。",
            "二、食品安全：建议增加供应商对每批食材提供检验检疫证明的义务，并约定出现食品安全事故时的赔偿责任。",
            "三、付款条件：预付款比例30%偏高，建议改为验收合格后按月结算。",
        ],
    },
    "community": {"name": "南龙社区", "committee": "南湾街道南龙社区居民委员会"},
    "advisor": {"name": "甲律师", "firm": "广东南湾律师事务所"},
}


def opinion_sample() -> dict[str, Any]:
    return OPINION_SAMPLE


register(
    DocumentKind(
        key=OPINION_KEY,
        title=OPINION_TITLE,
        template=TEMPLATES / "legal_opinion.docx",
        variables=OPINION_VARIABLES,
        sample=opinion_sample,
    )
)
