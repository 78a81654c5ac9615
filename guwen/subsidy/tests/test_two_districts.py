"""A lawyer appointed in two districts: each district settles its own work under its own rules."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from guwen.mediation.models import Callback, CaseMediator, DisputeType, FileItem, FileItemKind, MediationCase
from guwen.mediation.models import Outcome as CaseOutcome
from guwen.regions import services as regions
from guwen.subsidy import services
from guwen.subsidy.defaults import ensure
from guwen.subsidy.models import LineKind, RuleSet, Settlement, SettlementLine
from guwen.subsidy.tests.helpers import closed_case

pytestmark = pytest.mark.django_db


def filed_case_in(community, user, *, grade: str) -> MediationCase:
    """A case filed today in ``community`` with a written agreement, callback and complete file,
    mediated by ``user`` (written directly: the other district's staff are not in the test world)."""
    today = timezone.localdate()
    case = MediationCase.objects.create(
        community=community,
        year=today.year,
        serial=900,
        number=f"（{today.year}）{community.code}第0900号",
        source="application",
        dispute_type=DisputeType.objects.get(code="neighbour"),
        title="邻里纠纷",
        summary="噪音",
        status="closed",
        grade=grade,
        intake_on=today - timedelta(days=5),
        due_on=today + timedelta(days=25),
        closed_at=timezone.now(),
    )
    CaseMediator.objects.create(case=case, user=user, is_primary=True)
    CaseOutcome.objects.create(case=case, kind="written", decided_on=today - timedelta(days=1))
    Callback.objects.create(
        case=case,
        called_on=today,
        method="phone",
        interviewee="当事人",
        performed="yes",
        satisfaction="satisfied",
    )
    for kind in FileItemKind.objects.filter(required=True):
        FileItem.objects.create(
            case=case, kind=kind, file="x.png", content_type="image/png", size=1, sha256="0" * 64
        )
    return case


def test_each_district_settles_its_own_work_under_its_own_rules(world):
    ensure()
    admin = world.user("sysadmin")
    regions.assignment_create(
        lawyer=world.lawyer_a,
        community=world.community_e,
        starts_on=date(2024, 1, 1),
        by=None,
        role="backup",
    )
    own = services.rule_set_new_version(
        source=RuleSet.objects.get(district__isnull=True),
        district=world.district2,
        by=admin,
        effective_from=date(2023, 1, 1),
    )
    services.rule_set_update(rule_set=own, by=admin, amounts={"special": "5000"})
    services.rule_set_adopt(rule_set=own, by=admin)
    here = closed_case(world, grade="simple")
    there = filed_case_in(world.community_e, world.user("advisor_a"), grade="special")
    month = timezone.localdate().replace(day=1)

    for district in (world.district2, world.district, world.district2):  # either order, and again
        services.settle_district_month(district=district, month=month)

    first = Settlement.objects.get(lawyer=world.lawyer_a, month=month, district=world.district)
    second = Settlement.objects.get(lawyer=world.lawyer_a, month=month, district=world.district2)
    assert (first.community, second.community) == (world.community_a, world.community_e)
    assert [(line.record_pk, line.amount) for line in first.lines.filter(kind=LineKind.CASE)] == [
        (here.pk, Decimal("400.00"))
    ]
    case_line = second.lines.get(kind=LineKind.CASE)
    assert (case_line.record_pk, case_line.amount, case_line.rule_set) == (there.pk, Decimal("5000.00"), own)
    assert (first.total, second.total) == (Decimal("400.00"), Decimal("5000.00"))
    assert first.batch.street == world.street and second.batch.street == world.street3
    # Each record once, whichever district ran first or how often.
    assert SettlementLine.objects.filter(lawyer=world.lawyer_a, kind=LineKind.CASE).count() == 2


def test_yearly_cap_counts_only_the_districts_own_months(world):
    from guwen.subsidy.services.settle import _year_before

    ensure()
    regions.assignment_create(
        lawyer=world.lawyer_a,
        community=world.community_e,
        starts_on=date(2024, 1, 1),
        by=None,
        role="backup",
    )
    filed_case_in(world.community_e, world.user("advisor_a"), grade="special")
    month = timezone.localdate().replace(day=1)
    services.settle_district_month(district=world.district2, month=month)
    other_month = date(month.year, 1 if month.month != 1 else 2, 1)
    Settlement.objects.filter(lawyer=world.lawyer_a, district=world.district2).update(month=other_month)
    before = _year_before([world.lawyer_a.pk], month, world.district.pk)
    assert before.get(world.lawyer_a.pk, Decimal(0)) == Decimal(0)
    assert _year_before([world.lawyer_a.pk], month, world.district2.pk)[world.lawyer_a.pk] == Decimal(
        "4000.00"
    )
