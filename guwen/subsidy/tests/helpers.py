"""Verified work for the settlement tests: filed mediation cases in community A of the test world."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from guwen.mediation import services as mediation
from guwen.mediation.tests.helpers import accepted, agreed, file_required
from guwen.subsidy.defaults import ensure
from guwen.subsidy.models import Settlement
from guwen.subsidy.services import settle_district_month


def closed_case(world, *, grade: str = "simple", kind: str = "written", co_mediator: bool = False, **extra):
    """A case mediated by advisor A (and B when ``co_mediator``), agreed, called back, filed today."""
    office = world.user("office")
    if co_mediator:
        from datetime import date

        from guwen.regions import services as regions

        if not world.extras.get("b_backs_up_a"):
            regions.assignment_create(
                lawyer=world.lawyer_b,
                community=world.community_a,
                starts_on=date(2024, 1, 1),
                by=None,
                role="backup",
            )
            world.extras["b_backs_up_a"] = True
        case = accepted(world, **extra)
        mediation.mediators_assign(
            case=case,
            by=office,
            users=[world.user("advisor_a"), world.user("advisor_b")],
            primary=world.user("advisor_a"),
        )
        agree(case, world, kind)
    else:
        case = agreed(world, kind=kind, **extra)
    mediation.grade_confirm(case=case, by=office, grade=grade, reason="按涉及金额定级")
    mediation.callback_record(
        case=case,
        by=world.user("staff_a"),
        called_on=timezone.localdate(),
        method="phone",
        interviewee="王小明",
        performed="yes",
        satisfaction="satisfied",
    )
    file_required(case, world.user("staff_a"))
    mediation.case_close(case=case, by=office)
    return case


def settle(world) -> Settlement | None:
    ensure()
    settle_district_month(district=world.district, month=timezone.localdate())
    return Settlement.objects.filter(lawyer=world.lawyer_a, month=timezone.localdate().replace(day=1)).first()


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def agree(case, world, kind: str) -> None:
    today = timezone.localdate()
    mediation.session_record(
        case=case,
        by=world.user("advisor_a"),
        held_on=today - timedelta(days=2),
        place="社区调解室",
        mediators="甲律师、乙律师",
        attendees="双方当事人",
        record="双方同意协商解决。",
    )
    mediation.outcome_agree(
        case=case,
        by=world.user("advisor_a"),
        kind=kind,
        decided_on=today - timedelta(days=1),
        facts="漏水致损。",
        terms="赔偿维修费2000元。",
        performance_method="银行转账",
        performance_deadline=today + timedelta(days=10),
    )
