"""Screening (矛盾纠纷排查): dispute leads, their early warning to the judicial office, and a lead
becoming a mediation case."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Membership, Role
from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.duty.workflow import region_roles
from guwen.mediation.models import DisputeLead, DisputeType, LeadStatus, RiskLevel
from guwen.mediation.services.common import clean_text
from guwen.mediation.workflow import LEAD_ROLES, lead_roles, serves_community
from guwen.notifications.services import notify
from guwen.regions.models import Region
from guwen.regions.selectors import in_force_on

DEFAULT_GROUP_PEOPLE = 5
DEFAULT_WAGE_WORKERS = 10
MAX_AMOUNT = Decimal("100000000000")


def warning_thresholds() -> tuple[int, int]:
    """(people for a group dispute, workers for a group wage dispute): settings
    GUWEN_MEDIATION_GROUP_PEOPLE and GUWEN_MEDIATION_WAGE_WORKERS, else 5 and 10."""
    return (
        int(getattr(settings, "GUWEN_MEDIATION_GROUP_PEOPLE", DEFAULT_GROUP_PEOPLE)),
        int(getattr(settings, "GUWEN_MEDIATION_WAGE_WORKERS", DEFAULT_WAGE_WORKERS)),
    )


def warning_reasons(lead: DisputeLead) -> list[str]:
    """Why the lead alerts the judicial office at once (empty: it does not)."""
    people, workers = warning_thresholds()
    reasons = []
    if lead.risk_level == RiskLevel.RED:
        reasons.append(_("红色风险"))
    if lead.dispute_type.is_wage:
        if lead.people_affected >= workers:
            reasons.append(_("群体性欠薪纠纷（%(n)d 名劳动者）") % {"n": lead.people_affected})
    elif lead.people_affected >= people:
        reasons.append(_("群体性纠纷（%(n)d 人）") % {"n": lead.people_affected})
    return reasons


def _may_screen(by, community: Region) -> bool:
    if by is None:
        return True
    roles = region_roles(by, community) & LEAD_ROLES
    return bool(roles) or serves_community(by, community)


def _clean(data: dict) -> dict:
    dispute_type = data.get("dispute_type")
    if not isinstance(dispute_type, DisputeType) or not dispute_type.is_active:
        raise DomainError(_("请选择纠纷类型"), field="dispute_type")
    people = data.get("people_affected")
    if not isinstance(people, int) or people < 1 or people > 100000:
        raise DomainError(_("涉及人数应为1至100000之间的整数"), field="people_affected")
    amount = data.get("amount")
    if amount is not None and (amount < 0 or amount >= MAX_AMOUNT):
        raise DomainError(_("涉及金额不正确"), field="amount")
    risk = data.get("risk_level") or RiskLevel.BLUE
    if risk not in RiskLevel.values:
        raise DomainError(_("请选择风险等级"), field="risk_level")
    return {
        "dispute_type": dispute_type,
        "place": clean_text(data.get("place"), field="place", label=_("地点"), limit=100),
        "parties": clean_text(data.get("parties"), field="parties", label=_("当事人情况"), limit=500),
        "summary": clean_text(data.get("summary"), field="summary", label=_("纠纷简要情况"), limit=2000),
        "people_affected": people,
        "amount": amount,
        "risk_level": risk,
        "notes": clean_text(data.get("notes"), field="notes", label=_("备注"), limit=1000, required=False),
    }


def office_users(community: Region) -> list:
    street = community.parent
    if street is None:
        return []
    today = timezone.localdate()
    return [
        m.user
        for m in Membership.objects.filter(
            in_force_on(today), role=Role.OFFICE, region=street
        ).select_related("user")
        if m.user.is_active
    ]


def _warn(lead: DisputeLead, *, by) -> None:
    """Alert the street's judicial office once, after commit, when the lead is a group dispute or red."""
    reasons = warning_reasons(lead)
    if not reasons or lead.warned_at is not None:
        return
    now = timezone.now()
    if DisputeLead.objects.filter(pk=lead.pk, warned_at__isnull=True).update(warned_at=now) != 1:
        return  # alerted already by another request
    lead.warned_at = now
    audit.record(actor=by, action="dispute_lead.warn", obj=lead, context={"reasons": reasons})
    recipients = office_users(lead.community)
    title = _("矛盾纠纷预警：%(community)s %(type)s") % {
        "community": lead.community.name,
        "type": lead.dispute_type.name,
    }
    body = _("%(reasons)s。地点：%(place)s；涉及 %(n)d 人。请及时关注处置。") % {
        "reasons": "、".join(reasons),
        "place": lead.place,
        "n": lead.people_affected,
    }
    url = f"/mediation/leads/{lead.pk}/"
    community = lead.community
    transaction.on_commit(
        lambda: notify(
            recipients=recipients,
            event="mediation.lead_warning",
            title=title[:60],
            body=body,
            url=url,
            context={"lead": lead.pk, "reasons": reasons},
            region=community,
        ),
        robust=True,
    )


def dispute_lead_create(
    *, community: Region, by, owner=None, found_on=None, is_demo: bool = False, **data
) -> DisputeLead:
    """Record a dispute found while screening; a group dispute or a red lead alerts the office."""
    if community.level != "community":
        raise DomainError(_("请选择社区"), field="community")
    if not _may_screen(by, community):
        raise DomainError(_("您无权在该社区登记矛盾纠纷"), field="community", code="forbidden")
    fields = _clean(data)
    with transaction.atomic():
        lead = DisputeLead.objects.create(
            community=community,
            owner=owner if owner is not None else by,
            created_by=by,
            found_on=found_on or timezone.localdate(),
            is_demo=is_demo,
            **fields,
        )
        audit.record(actor=by, action="dispute_lead.create", obj=lead, new={"risk_level": lead.risk_level})
        _warn(lead, by=by)
    return lead


def dispute_lead_update(
    *, lead: DisputeLead, by, status: str | None = None, handed_to: str = "", **data
) -> DisputeLead:
    """Change what is known of a lead (risk, people, status). A lead that becomes a group dispute or
    red alerts the office then; one handed over names the body it went to."""
    if not lead_roles(by, lead) & LEAD_ROLES:  # the bureau reads leads, it does not edit them
        raise DomainError(_("您无权修改该线索"), code="forbidden")
    fields = _clean(data)
    status = status or lead.status
    if status not in LeadStatus.values:
        raise DomainError(_("请选择状态"), field="status")
    handed_to = clean_text(handed_to, field="handed_to", label=_("移交单位"), limit=60, required=False)
    if status == LeadStatus.HANDED_OVER and not handed_to:
        raise DomainError(_("移交他处时请写明接收单位"), field="handed_to")
    if status != LeadStatus.HANDED_OVER:
        handed_to = ""
    before = {"status": lead.status, "risk_level": lead.risk_level, "people_affected": lead.people_affected}
    with transaction.atomic():
        updated = DisputeLead.objects.filter(pk=lead.pk, updated_at=lead.updated_at).update(
            status=status, handed_to=handed_to, updated_at=timezone.now(), **fields
        )
        if updated != 1:
            raise Conflict()
        lead.refresh_from_db()
        after = {
            "status": lead.status,
            "risk_level": lead.risk_level,
            "people_affected": lead.people_affected,
        }
        old, new = audit.changes(before, after)
        audit.record(actor=by, action="dispute_lead.update", obj=lead, old=old, new=new)
        _warn(lead, by=by)
    return lead


def dispute_lead_escalate(*, lead: DisputeLead, by, **case_data):
    """The lead becomes a mediation case (source: 排查发现) and is marked as being mediated."""
    from guwen.mediation.services.cases import case_intake

    if lead.status in (LeadStatus.RESOLVED, LeadStatus.HANDED_OVER):
        raise Conflict(_("该线索已化解或已移交，不能转为调解案件"), field="lead")
    if lead.cases.exists():
        raise Conflict(_("该线索已转为调解案件"), field="lead")
    with transaction.atomic():
        case_data.setdefault("dispute_type", lead.dispute_type)
        case_data.setdefault("amount", lead.amount)
        case_data.setdefault("people_affected", lead.people_affected)
        case_data.setdefault("summary", lead.summary)
        case = case_intake(community=lead.community, source="lead", lead=lead, by=by, **case_data)
        DisputeLead.objects.filter(pk=lead.pk).update(status=LeadStatus.MEDIATING, updated_at=timezone.now())
        lead.refresh_from_db()
        audit.record(actor=by, action="dispute_lead.escalate", obj=lead, context={"case": case.pk})
    return case
