"""Enterprise legal health checks (法治体检): the enterprise, the visit, findings by checklist area,
and the check → report → fixing → follow-up → closed loop."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.core.validators import normalize_credit_code, validate_credit_code
from guwen.knowledge.selectors import find_citations
from guwen.outreach.models import (
    ChecklistArea,
    ChecklistItem,
    CheckStatus,
    Enterprise,
    Finding,
    HealthCheck,
    RiskLevel,
)
from guwen.outreach.selectors import checklist_for
from guwen.outreach.services.common import advisors_for, text
from guwen.outreach.workflow import CHECK_WRITERS, HEALTH_CHECK, WRITERS, community_roles, record_roles
from guwen.regions.models import Lawyer, Level, Region

MAX_STAFF = 10_000_000


def enterprise_create(
    *,
    community: Region,
    name: str,
    credit_code: str,
    by,
    industry: str = "",
    staff_count: int | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
) -> Enterprise:
    if community.level != Level.COMMUNITY:
        raise DomainError(_("请选择社区"), field="community")
    if not community_roles(by, community) & WRITERS:
        raise DomainError(_("只有本社区的顾问律师、社区工作人员或司法所可以登记企业"), code="forbidden")
    name = text(name, field="name", label=_("企业名称"), limit=120)
    code = normalize_credit_code(credit_code or "")
    if not code:
        raise DomainError(_("请填写统一社会信用代码"), field="credit_code")
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="credit_code") from exc
    if staff_count is not None and staff_count != "":
        try:
            staff_count = int(staff_count)
        except (TypeError, ValueError):
            raise DomainError(_("员工人数应为整数"), field="staff_count") from None
        if staff_count < 0 or staff_count > MAX_STAFF:
            raise DomainError(_("员工人数不能为负数"), field="staff_count")
    else:
        staff_count = None
    fields = {
        "industry": text(industry, field="industry", label=_("所属行业"), limit=60, required=False),
        "contact_name": text(contact_name, field="contact_name", label=_("联系人"), limit=40, required=False),
        "contact_phone": text(
            contact_phone, field="contact_phone", label=_("联系电话"), limit=20, required=False
        ),
        "address": text(address, field="address", label=_("地址"), limit=200, required=False),
    }
    if Enterprise.objects.filter(credit_code=code).exists():
        raise Conflict(_("该统一社会信用代码的企业已登记"), field="credit_code", code="duplicate")
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(
                community=community,
                name=name,
                credit_code=code,
                staff_count=staff_count,
                created_by=by,
                **fields,
            )
            audit.record(actor=by, action="outreach_enterprise.create", obj=enterprise, new={"name": name})
    except IntegrityError:
        raise Conflict(_("该统一社会信用代码的企业已登记"), field="credit_code", code="duplicate") from None
    return enterprise


def health_check_create(
    *, enterprise: Enterprise, date: date, advisors: Iterable[Lawyer], scope: str, method: str, by
) -> HealthCheck:
    community = enterprise.community
    if not community_roles(by, community) & CHECK_WRITERS:
        raise DomainError(_("只有本社区的顾问律师或司法所可以登记法治体检"), code="forbidden")
    if date > timezone.localdate():
        raise DomainError(_("体检日期不能晚于今天"), field="date")
    scope = text(scope, field="scope", label=_("体检范围"), limit=2000)
    method = text(method, field="method", label=_("体检方式"), limit=1000)
    lawyers = advisors_for(advisors, community=community)
    with transaction.atomic():
        check = HealthCheck.objects.create(
            enterprise=enterprise, community=community, date=date, scope=scope, method=method, created_by=by
        )
        check.advisors.set(lawyers)
        audit.record(
            actor=by,
            action="outreach_health_check.create",
            obj=check,
            new={"enterprise": enterprise.pk, "date": date},
        )
    return check


def _require_writer(check: HealthCheck, by) -> None:
    if not record_roles(by, check) & CHECK_WRITERS:
        raise DomainError(_("只有体检律师或司法所可以修改体检记录"), code="forbidden")


def finding_add(
    *,
    health_check: HealthCheck,
    area: ChecklistArea | None,
    issue: str,
    risk_level: str,
    recommendation: str,
    by,
    item: ChecklistItem | None = None,
    legal_basis: str = "",
    owner: str = "",
    deadline: date | None = None,
) -> Finding:
    """A risk point found: the issue, its legal basis (a statute citation, linked to the article in
    the knowledge base when it names one there), risk level, recommendation, owner and deadline.
    Findings are added while checking and until the report is out."""
    _require_writer(health_check, by)
    if health_check.status not in (CheckStatus.CHECKING, CheckStatus.REPORTED):
        raise DomainError(_("报告已进入整改阶段，不能再添加体检发现"), code="invalid_state")
    areas = {a.pk: a for a in checklist_for(health_check.community)}
    if area is None or area.pk not in areas:
        raise DomainError(_("请选择体检领域"), field="area")
    if item is not None and item.area_id != area.pk:
        raise DomainError(_("检查事项不属于所选领域"), field="item")
    if not risk_level:
        raise DomainError(_("请选择风险等级（高、中、低）"), field="risk_level")
    if risk_level not in RiskLevel.values:
        raise DomainError(_("风险等级只能是高、中、低"), field="risk_level")
    issue = text(issue, field="issue", label=_("存在问题"), limit=2000)
    recommendation = text(recommendation, field="recommendation", label=_("整改建议"), limit=2000)
    legal_basis = text(legal_basis, field="legal_basis", label=_("法律依据"), limit=200, required=False)
    owner = text(owner, field="owner", label=_("整改责任人"), limit=40, required=False)
    if deadline is not None and deadline < health_check.date:
        raise DomainError(_("整改期限不能早于体检日期"), field="deadline")
    refs = find_citations(legal_basis)
    with transaction.atomic():
        finding = Finding.objects.create(
            health_check=health_check,
            area=area,
            item=item,
            issue=issue,
            risk_level=risk_level,
            recommendation=recommendation,
            legal_basis=legal_basis,
            article_id=refs[0].article_id if refs else None,
            owner=owner,
            deadline=deadline,
        )
        audit.record(
            actor=by,
            action="outreach_finding.add",
            obj=health_check,
            context={"finding": finding.pk, "risk_level": risk_level, "area": area.code},
        )
    return finding


def finding_mark_fixed(*, finding: Finding, by, fixed_on: date | None = None) -> Finding:
    check = finding.health_check
    _require_writer(check, by)
    if check.status not in (CheckStatus.FIXING, CheckStatus.FOLLOW_UP):
        raise DomainError(_("只有整改中或待回访的体检可以登记整改完成"), code="invalid_state")
    day = fixed_on or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError(_("整改完成日期不能晚于今天"), field="fixed_on")
    with transaction.atomic():
        if Finding.objects.filter(pk=finding.pk, is_fixed=False).update(is_fixed=True, fixed_on=day) != 1:
            raise Conflict(_("该问题已登记为整改完成"), field="finding")
        finding.refresh_from_db()
        audit.record(actor=by, action="outreach_finding.fixed", obj=check, context={"finding": finding.pk})
    return finding


def _move(check: HealthCheck, action: str, by, **changes) -> HealthCheck:
    target = HEALTH_CHECK.require(check, action, record_roles(by, check))
    old = check.status
    with transaction.atomic():
        if HealthCheck.objects.filter(pk=check.pk, status=old).update(status=target, **changes) != 1:
            raise Conflict(_("该体检记录已被他人更新，请刷新后重试"), field="health_check")
        check.refresh_from_db()
        audit.record(
            actor=by,
            action=f"outreach_health_check.{action}",
            obj=check,
            old={"status": old},
            new={"status": target, **changes},
        )
    return check


def health_check_report(*, health_check: HealthCheck, by) -> HealthCheck:
    """The report is issued to the enterprise (its Word/PDF is the ``outreach.health_check_report``
    document of this check)."""
    return _move(health_check, "report", by, reported_on=timezone.localdate())


def health_check_start_fixing(*, health_check: HealthCheck, by) -> HealthCheck:
    return _move(health_check, "start_fixing", by)


def health_check_schedule_follow_up(
    *, health_check: HealthCheck, follow_up_on: date | None, by
) -> HealthCheck:
    if follow_up_on is None:
        raise DomainError(_("请填写回访日期"), field="follow_up_on")
    if follow_up_on < health_check.date:
        raise DomainError(_("回访日期不能早于体检日期"), field="follow_up_on")
    HEALTH_CHECK.require(health_check, "schedule_follow_up", record_roles(by, health_check))
    return _move(health_check, "schedule_follow_up", by, follow_up_on=follow_up_on)


def health_check_close(*, health_check: HealthCheck, follow_up_result: str, by) -> HealthCheck:
    """Close after the follow-up visit, with what the visit found (整改情况)."""
    HEALTH_CHECK.require(health_check, "close", record_roles(by, health_check))
    result = text(follow_up_result, field="follow_up_result", label=_("回访结果"), limit=2000)
    if health_check.follow_up_on and health_check.follow_up_on > timezone.localdate():
        raise DomainError(_("回访日期尚未到，不能办结"), field="follow_up_result", code="too_early")
    return _move(health_check, "close", by, follow_up_result=result, closed_at=timezone.now())
