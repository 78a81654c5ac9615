"""The health-check report's context from the records, and the documents a check offers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from guwen.core.documents import get_kind
from guwen.outreach.documents import KEY, OPINION_KEY
from guwen.outreach.models import HealthCheck, LegalOpinion, OpinionKind, RiskLevel
from guwen.outreach.selectors import findings_of

RISK_LABELS = dict(RiskLevel.choices)


def chinese_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def report_number(check: HealthCheck) -> str:
    street = check.community.parent.name.removesuffix("街道") if check.community.parent_id else ""
    return f"{street}法检〔{check.date.year}〕第{check.pk:04d}号"


def report_context(check: HealthCheck) -> dict[str, Any]:
    """Plain data for ``outreach.health_check_report`` (the variables ``documents.py`` offers)."""
    enterprise = check.enterprise
    community = check.community
    lawyers = list(check.advisors.select_related("firm").order_by("name"))
    findings = list(findings_of(check))
    areas: list[dict[str, Any]] = []
    for number, finding in enumerate(findings, start=1):
        if not areas or areas[-1]["name"] != finding.area.name:
            areas.append({"name": finding.area.name, "findings": []})
        areas[-1]["findings"].append(
            {
                "number": str(number),
                "item": finding.item.text if finding.item_id else "",
                "issue": finding.issue,
                "legal_basis": finding.legal_basis,
                "risk": str(RISK_LABELS.get(finding.risk_level, "")),
                "recommendation": finding.recommendation,
                "owner": finding.owner,
                "deadline": chinese_date(finding.deadline),
                "status": "已整改" if finding.is_fixed else "未整改",
            }
        )
    count = {level: sum(1 for f in findings if f.risk_level == level) for level in RiskLevel.values}
    contact = " ".join(part for part in (enterprise.contact_name, enterprise.contact_phone) if part)
    street = community.parent.name if community.parent_id else ""
    return {
        "report": {
            "number": report_number(check),
            "issued_on": chinese_date(check.reported_on or check.date),
        },
        "enterprise": {
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "industry": enterprise.industry,
            "staff_count": f"{enterprise.staff_count}人" if enterprise.staff_count is not None else "",
            "contact": contact,
            "address": enterprise.address,
            "community": f"{street}{community.name}",
        },
        "check": {
            "date": chinese_date(check.date),
            "scope": check.scope,
            "method": check.method,
            "lawyers": "、".join(lawyer.name for lawyer in lawyers),
            "firms": "、".join(dict.fromkeys(lawyer.firm.name for lawyer in lawyers)),
        },
        "areas": areas,
        "counts": {
            "risk_points": str(len(findings)),
            "high": str(count["high"]),
            "medium": str(count["medium"]),
            "low": str(count["low"]),
            "recommendations": str(sum(1 for f in findings if f.recommendation)),
            "areas": str(len(areas)),
        },
        "follow_up": {
            "date": chinese_date(check.follow_up_on),
            "result": check.follow_up_result,
            "fixed": str(sum(1 for f in findings if f.is_fixed)),
        },
    }


def check_documents(check: HealthCheck) -> list[dict[str, str]]:
    """The documents of a check as ``{kind, title, docx_url, pdf_url}``."""
    return [
        {
            "kind": KEY,
            "title": get_kind(KEY).title,
            "docx_url": reverse("outreach:check_report", args=[check.pk, "docx"]),
            "pdf_url": reverse("outreach:check_report", args=[check.pk, "pdf"]),
        }
    ]


# --- the legal opinion (法律意见书) ----------------------------------------------------------------


def opinion_number(opinion: LegalOpinion) -> str:
    community = opinion.community
    street = community.parent.name.removesuffix("街道") if community.parent_id else ""
    return f"{street}法意〔{opinion.requested_on.year}〕第{opinion.pk:04d}号"


def opinion_context(opinion: LegalOpinion) -> dict[str, Any]:
    """Plain data for ``outreach.legal_opinion``: one paragraph per non-empty line of the opinion
    the advisor delivered."""
    community = opinion.community
    street = community.parent.name if community.parent_id else ""
    paragraphs = [line.strip() for line in opinion.opinion.splitlines() if line.strip()]
    review = opinion.kind == OpinionKind.CONTRACT_REVIEW
    return {
        "opinion": {
            "document_title": "合同审查意见书" if review else "法律意见书",
            "number": opinion_number(opinion),
            "title": opinion.title,
            "kind": str(opinion.get_kind_display()),
            "related_to": opinion.related_to or "—",
            "question": opinion.question,
            "requested_on": chinese_date(opinion.requested_on),
            "delivered_on": chinese_date(opinion.delivered_on),
            "working_days": "" if opinion.working_days_taken is None else str(opinion.working_days_taken),
            "paragraphs": paragraphs or [""],
        },
        "community": {"name": community.name, "committee": f"{street}{community.name}居民委员会"},
        "advisor": {"name": opinion.advisor.name, "firm": opinion.advisor.firm.name},
    }


def opinion_documents(opinion: LegalOpinion) -> list[dict[str, str]]:
    """The opinion's document once delivered, as ``{kind, title, docx_url, pdf_url}``."""
    if opinion.delivered_on is None or opinion.status != "delivered":
        return []
    return [
        {
            "kind": OPINION_KEY,
            "title": "合同审查意见书"
            if opinion.kind == OpinionKind.CONTRACT_REVIEW
            else get_kind(OPINION_KEY).title,
            "docx_url": reverse("outreach:opinion_document", args=[opinion.pk, "docx"]),
            "pdf_url": reverse("outreach:opinion_document", args=[opinion.pk, "pdf"]),
        }
    ]
