"""Building cases for the tests: a case in community A of the test world, moved along the path."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from guwen.mediation import services
from guwen.mediation.models import DisputeType, FileItemKind, MediationCase
from guwen.testing import tiny_image, valid_id_number


def dispute_type(code: str = "neighbour") -> DisputeType:
    return DisputeType.objects.get(code=code)


def intake(world, *, by=None, community=None, days_ago: int = 5, **extra) -> MediationCase:
    data = {
        "source": "application",
        "dispute_type": dispute_type(),
        "title": "楼上漏水纠纷",
        "summary": "楼上住户卫生间漏水，楼下天花板受损，双方就维修费用协商不成。",
        "amount": Decimal("3000"),
    }
    data.update(extra)
    return services.case_intake(
        community=community or world.community_a,
        by=by or world.user("staff_a"),
        intake_on=timezone.localdate() - timedelta(days=days_ago),
        **data,
    )


def add_parties(case, by):
    services.party_add(
        case=case,
        by=by,
        role="applicant",
        kind="person",
        name="王小明",
        sex="male",
        age=40,
        id_number=valid_id_number(),
        phone="13800138001",
    )
    services.party_add(case=case, by=by, role="respondent", kind="person", name="李大华", sex="male", age=52)


def accepted(world, **extra) -> MediationCase:
    case = intake(world, **extra)
    staff = world.user("staff_a")
    add_parties(case, staff)
    services.case_accept(case=case, by=staff)
    services.mediators_assign(
        case=case, by=staff, users=[world.user("advisor_a")], primary=world.user("advisor_a")
    )
    return case


def mediated(world, **extra) -> MediationCase:
    case = accepted(world, **extra)
    services.session_record(
        case=case,
        by=world.user("advisor_a"),
        held_on=timezone.localdate() - timedelta(days=2),
        place="社区党群服务中心调解室",
        mediators="甲律师",
        attendees="王小明、李大华",
        record="双方陈述了各自意见，经调解员释法说理，双方同意协商解决。",
    )
    return case


def agreed(world, kind: str = "written", **extra) -> MediationCase:
    case = mediated(world, **extra)
    today = timezone.localdate()
    services.outcome_agree(
        case=case,
        by=world.user("advisor_a"),
        kind=kind,
        decided_on=today - timedelta(days=1),
        facts="楼上漏水致楼下受损，楼上住户负主要责任。",
        terms="李大华赔偿王小明维修费2000元。",
        performance_method="银行转账",
        performance_deadline=today + timedelta(days=10),
    )
    return case


def scan(name: str = "scan.png"):
    data = io.BytesIO(tiny_image("PNG"))
    data.name = name
    return data


def file_required(case, by) -> None:
    for kind in FileItemKind.objects.filter(required=True):
        services.file_item_upload(case=case, by=by, kind=kind, upload=scan())
