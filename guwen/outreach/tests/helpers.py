"""Records the outreach tests share."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from guwen.outreach import services
from guwen.outreach.models import ChecklistArea
from guwen.testing import valid_credit_code


def past(days: int = 3) -> date:
    return timezone.localdate() - timedelta(days=days)


def lecture(world, *, held: bool = True, day: date | None = None, community=None, lawyer=None, by=None):
    community = community or world.community_a
    return services.activity_create(
        community=community,
        kind="lecture",
        date=day or past(),
        topic="《民法典》婚姻家庭编讲座",
        advisors=[lawyer or world.lawyer_a],
        audience_count=35 if held else None,
        by=by or world.user("advisor_a"),
    )


def enterprise(world, *, community=None, by=None):
    return services.enterprise_create(
        community=community or world.community_a,
        name="深圳市南湾精密五金有限公司",
        credit_code=valid_credit_code(),
        industry="制造业",
        staff_count=86,
        contact_name="陈经理",
        by=by or world.user("advisor_a"),
    )


def ensure_checklist() -> None:
    """The default checklist, loaded again where a transactional test flushed the migration's rows."""
    from guwen.outreach.checklist import DEFAULT_CHECKLIST
    from guwen.outreach.models import ChecklistItem

    if ChecklistArea.objects.filter(district=None).exists():
        return
    for order, (code, name, items) in enumerate(DEFAULT_CHECKLIST, start=1):
        area = ChecklistArea.objects.create(code=code, name=name, order=order * 10)
        ChecklistItem.objects.bulk_create(
            [ChecklistItem(area=area, text=text, order=i) for i, text in enumerate(items)]
        )


def health_check(world, *, findings: int = 2):
    ensure_checklist()
    check = services.health_check_create(
        enterprise=enterprise(world),
        date=past(10),
        advisors=[world.lawyer_a],
        scope="劳动用工、合同管理、消防安全",
        method="自查问卷、负责人访谈、查阅合同和台账",
        by=world.user("advisor_a"),
    )
    areas = list(ChecklistArea.objects.filter(district=None).order_by("order"))
    samples = [
        (areas[3], "部分员工入职超过一个月未签订书面劳动合同", "high", "《劳动合同法》第八十二条"),
        (areas[2], "采购合同未约定违约责任和争议解决方式", "medium", "《民法典》第四百七十条"),
        (areas[7], "二楼疏散通道堆放货物", "low", "《消防法》第二十八条"),
    ]
    for area, issue, risk, basis in samples[:findings]:
        services.finding_add(
            health_check=check,
            area=area,
            issue=issue,
            risk_level=risk,
            legal_basis=basis,
            recommendation="限期整改并留存书面记录",
            owner="人事行政部",
            deadline=past(-30),
            by=world.user("advisor_a"),
        )
    return check
