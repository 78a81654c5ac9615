"""Scope, overdue cases, the ledgers and the counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guwen.mediation import selectors, services
from guwen.mediation.tests import helpers

pytestmark = pytest.mark.django_db


def _visible(world, role):
    return set(selectors.cases_visible_to(world.user(role)).values_list("pk", flat=True))


def test_scope_follows_community_street_and_district(world):
    a = helpers.accepted(world)
    b = helpers.intake(world, community=world.community_b, by=world.user("advisor_b"))
    e = helpers.intake(world, community=world.community_e, by=world.user("sysadmin"))
    assert _visible(world, "advisor_a") == {a.pk}
    assert _visible(world, "advisor_b") == {b.pk}
    assert _visible(world, "staff_a") == {a.pk}
    assert _visible(world, "office") == {a.pk, b.pk}
    assert _visible(world, "bureau") == {a.pk, b.pk}
    assert _visible(world, "sysadmin") == {a.pk, b.pk, e.pk}
    for role in ("firm_admin", "association", "outsider"):
        assert _visible(world, role) == set()
    assert selectors.cases_visible_to(None).count() == 0


def test_a_mediator_from_elsewhere_sees_the_case(world):
    case = helpers.intake(world)
    # Staff of community A add themselves and advisor A; advisor B is not theirs to assign.
    services.mediators_assign(
        case=case, by=world.user("staff_a"), users=[world.user("staff_a")], primary=world.user("staff_a")
    )
    assert case.pk in _visible(world, "staff_a")


def test_overdue_lists_running_cases_past_their_limit(world):
    late = helpers.accepted(world, days_ago=40)
    fresh = helpers.accepted(world, days_ago=3)
    done = helpers.agreed(world, days_ago=40)
    overdue = set(
        selectors.overdue_cases(selectors.cases_visible_to(world.user("office"))).values_list("pk", flat=True)
    )
    assert late.pk in overdue and fresh.pk not in overdue and done.pk not in overdue
    assert selectors.is_overdue(late) and not selectors.is_overdue(done)


def test_register_and_ledger(world, django_capture_on_commit_callbacks):
    cases = [helpers.intake(world) for _n in range(3)]
    year = cases[0].year
    register = list(
        selectors.case_register(
            selectors.cases_visible_to(world.user("office")), community=world.community_a, year=year
        )
    )
    assert [c.serial for c in register] == [1, 2, 3]
    today = timezone.localdate()
    services.dispute_lead_create(
        community=world.community_a,
        by=world.user("staff_a"),
        dispute_type=helpers.dispute_type(),
        place="某处",
        parties="甲乙",
        summary="纠纷",
        people_affected=2,
    )
    ledger = selectors.screening_ledger(
        selectors.leads_visible_to(world.user("staff_a")),
        community=world.community_a,
        year=today.year,
        month=today.month,
    )
    assert ledger.count() == 1
    assert selectors.leads_visible_to(world.user("advisor_b")).count() == 0


def test_counts_and_success_rate(world):
    helpers.agreed(world)
    helpers.agreed(world, "oral")
    ended = helpers.mediated(world)
    services.outcome_terminate(
        case=ended,
        by=world.user("advisor_a"),
        decided_on=timezone.localdate(),
        reason="调解不成",
        routes_told="诉讼",
    )
    helpers.intake(world)
    visible = selectors.cases_visible_to(world.user("office"))
    by_type = selectors.counts_by_type(visible)
    assert (
        len(by_type) == 1 and by_type[0].total == 4 and by_type[0].agreed == 2 and by_type[0].terminated == 1
    )
    assert by_type[0].success_rate == round(2 / 3, 3)
    assert selectors.counts_by_outcome(visible) == {"written": 1, "oral": 1, "terminated": 1, "none": 1}
    by_advisor = selectors.counts_by_advisor(visible)
    assert [t.total for t in by_advisor] == [3]
    assert selectors.counts_by_community(visible)[0].label == "南龙社区"
    assert selectors.counts_by_ministry_category(visible)[0].label == "邻里"


def test_completeness_map_counts_required_items(world):
    case = helpers.intake(world)
    helpers.file_required(case, world.user("staff_a"))
    other = helpers.intake(world)
    assert selectors.completeness_map([case, other]) == {case.pk: (6, 6), other.pk: (0, 6)}
    assert case.due_on > timezone.localdate() - timedelta(days=5)


@pytest.mark.django_db
def test_payable_cases_lists_filed_cases_with_mediators_and_completeness(world):
    from django.utils import timezone

    from guwen.mediation import services
    from guwen.mediation.selectors import cases_with_parties, payable_cases
    from guwen.mediation.tests.helpers import agreed, file_required

    case = agreed(world)
    services.callback_record(
        case=case,
        by=world.user("staff_a"),
        called_on=timezone.localdate(),
        method="phone",
        interviewee="王小明",
        performed="yes",
        satisfaction="satisfied",
    )
    file_required(case, world.user("staff_a"))
    today = timezone.localdate()
    assert payable_cases(region_path=world.district.path, start=today, end=today) == []  # not filed yet
    services.case_close(case=case, by=world.user("office"))
    [row] = payable_cases(region_path=world.district.path, start=today, end=today)
    assert (row.pk, row.completed_on, row.outcome) == (case.pk, today, "written")
    assert row.mediators == ((world.user("advisor_a").pk, True),)
    assert row.file_complete and row.callback_done and row.performed and len(row.party_hashes) == 1
    assert (
        payable_cases(
            region_path=world.district.path, start=today, end=today, user_ids=[world.user("advisor_b").pk]
        )
        == []
    )
    assert cases_with_parties(list(row.party_hashes), since=row.intake_on, until=today)[0][1] == case.pk
