"""The scope selectors, role by role, against the world of guwen.testing:

District D (龙岗) ⊃ street S (南湾) ⊃ communities A, B; D ⊃ street S2 ⊃ community C;
district D2 (罗湖) ⊃ street S3 ⊃ community E. Lawyer A (firm A) serves A, lawyer B (firm B)
serves B, lawyer C (firm B) serves C, lawyer E (firm "other", registered in D2) serves E.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from guwen.accounts import services as accounts
from guwen.accounts.models import Membership, Role
from guwen.accounts.scope import (
    assignments_visible_to,
    communities_visible_to,
    firms_visible_to,
    forget_memberships,
    lawyers_visible_to,
    regions_visible_to,
)
from guwen.regions import services as regions
from guwen.regions.models import Assignment, AssignmentRole, LawFirm, Lawyer, Region
from guwen.testing import make_user

# Scope follows the dates of assignments and memberships ("ends yesterday", "starts tomorrow"): a
# test must not see today turn into tomorrow between setting a date and reading the scope.
pytestmark = pytest.mark.time_machine("2026-03-18T15:00:00+08:00")

ALL_REGIONS = {
    "city",
    "district",
    "street",
    "community_a",
    "community_b",
    "street2",
    "community_c",
    "district2",
    "street3",
    "community_e",
}

# Expected results per role, as names of the world's attributes ("assignment_b"/"assignment_e"
# name the assignments of lawyers B and E).
REGIONS = {
    "bureau": {"district", "street", "community_a", "community_b", "street2", "community_c"},
    "office": {"street", "community_a", "community_b"},
    "staff_a": {"community_a"},
    "advisor_a": {"community_a"},
    "advisor_b": {"community_b"},
    "firm_admin": {"community_a"},
    "association": set(),
    "outsider": set(),
    "resident": set(),
    "sysadmin": ALL_REGIONS,
}
LAWYERS = {
    "bureau": {"lawyer_a", "lawyer_b", "lawyer_c"},
    "office": {"lawyer_a", "lawyer_b"},
    "staff_a": {"lawyer_a"},
    "advisor_a": {"lawyer_a"},
    "advisor_b": {"lawyer_b"},
    "firm_admin": {"lawyer_a"},
    "association": set(),
    "outsider": set(),
    "resident": set(),
    "sysadmin": {"lawyer_a", "lawyer_b", "lawyer_c", "lawyer_e"},
}
FIRMS = {
    "bureau": {"firm_a", "firm_b"},
    "office": {"firm_a", "firm_b"},
    "staff_a": {"firm_a"},
    "advisor_a": {"firm_a"},
    "advisor_b": {"firm_b"},
    "firm_admin": {"firm_a"},
    "association": set(),
    "outsider": set(),
    "resident": set(),
    "sysadmin": {"firm_a", "firm_b", "firm_other"},
}
ASSIGNMENTS = {
    "bureau": {"assignment_a", "assignment_b", "assignment_c"},
    "office": {"assignment_a", "assignment_b"},
    "staff_a": {"assignment_a"},
    "advisor_a": {"assignment_a"},
    "advisor_b": {"assignment_b"},
    "firm_admin": {"assignment_a"},
    "association": set(),
    "outsider": set(),
    "resident": set(),
    "sysadmin": {"assignment_a", "assignment_b", "assignment_c", "assignment_e"},
}


def named(world, names: set[str]) -> set[int]:
    """Primary keys of the world's objects with these attribute names."""
    extra = {
        "city": lambda: world.district.parent,
        "assignment_b": lambda: Assignment.objects.get(lawyer=world.lawyer_b),
        "assignment_e": lambda: Assignment.objects.get(lawyer=world.lawyer_e),
    }
    return {(extra[n]() if n in extra else getattr(world, n)).pk for n in names}


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def user_of(world, role: str):
    return world.user(role) or AnonymousUser()


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


@pytest.mark.parametrize(("role", "expected"), REGIONS.items(), ids=list(REGIONS))
def test_regions_visible_to_each_role(world, role, expected):
    assert pks(regions_visible_to(user_of(world, role))) == named(world, expected)


@pytest.mark.parametrize(("role", "expected"), LAWYERS.items(), ids=list(LAWYERS))
def test_lawyers_visible_to_each_role(world, role, expected):
    assert pks(lawyers_visible_to(user_of(world, role))) == named(world, expected)


@pytest.mark.parametrize(("role", "expected"), FIRMS.items(), ids=list(FIRMS))
def test_firms_visible_to_each_role(world, role, expected):
    assert pks(firms_visible_to(user_of(world, role))) == named(world, expected)


@pytest.mark.parametrize(("role", "expected"), ASSIGNMENTS.items(), ids=list(ASSIGNMENTS))
def test_assignments_visible_to_each_role(world, role, expected):
    assert pks(assignments_visible_to(user_of(world, role))) == named(world, expected)


def test_sysadmin_sees_every_region_in_the_database(world):
    assert pks(regions_visible_to(world.user("sysadmin"))) == pks(Region.objects.all())
    assert pks(lawyers_visible_to(world.user("sysadmin"))) == pks(Lawyer.objects.all())
    assert pks(firms_visible_to(world.user("sysadmin"))) == pks(LawFirm.objects.all())


def test_bureau_does_not_see_the_other_district(world):
    visible = regions_visible_to(world.user("bureau"))

    assert not visible.filter(pk__in=[world.district2.pk, world.street3.pk, world.community_e.pk]).exists()
    assert not lawyers_visible_to(world.user("bureau")).filter(pk=world.lawyer_e.pk).exists()


def test_office_does_not_see_the_other_street_of_its_district(world):
    visible = regions_visible_to(world.user("office"))

    assert not visible.filter(pk__in=[world.street2.pk, world.community_c.pk, world.district.pk]).exists()


def test_communities_visible_to_is_regions_at_community_level(world):
    assert pks(communities_visible_to(world.user("office"))) == named(world, {"community_a", "community_b"})
    assert pks(communities_visible_to(world.user("bureau"))) == named(
        world, {"community_a", "community_b", "community_c"}
    )


# --- scope follows time: assignments and memberships that end or have not begun ----------------------


def test_advisor_loses_the_community_when_the_assignment_ends(world):
    advisor = world.user("advisor_a")

    regions.assignment_end(assignment=world.assignment_a, ends_on=yesterday(), by=world.user("office"))

    assert not regions_visible_to(advisor).exists()
    # The advisor's own assignment stays readable as history, and so does their lawyer record.
    assert pks(assignments_visible_to(advisor)) == {world.assignment_a.pk}
    assert pks(lawyers_visible_to(advisor)) == {world.lawyer_a.pk}


def test_advisor_keeps_the_community_on_the_last_day_of_the_assignment(world):
    regions.assignment_end(assignment=world.assignment_a, ends_on=timezone.localdate(), by=None)

    assert pks(regions_visible_to(world.user("advisor_a"))) == {world.community_a.pk}


def test_advisor_does_not_see_a_community_before_the_assignment_starts(world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    regions.assignment_create(
        lawyer=world.lawyer_a,
        community=world.community_b,
        starts_on=tomorrow,
        role=AssignmentRole.BACKUP,
        by=None,
    )

    assert pks(regions_visible_to(world.user("advisor_a"))) == {world.community_a.pk}


def test_firm_admin_follows_where_the_firm_serves_today(world):
    firm_admin = world.user("firm_admin")
    regions.assignment_create(
        lawyer=world.lawyer_a,
        community=world.community_c,
        starts_on=date(2024, 6, 1),
        role=AssignmentRole.BACKUP,
        by=None,
    )
    assert pks(regions_visible_to(firm_admin)) == {world.community_a.pk, world.community_c.pk}

    regions.assignment_end(assignment=world.assignment_a, ends_on=yesterday(), by=None)

    assert pks(regions_visible_to(firm_admin)) == {world.community_c.pk}
    # Their own firm's lawyers and assignments stay visible whatever the date.
    assert world.assignment_a.pk in pks(assignments_visible_to(firm_admin))
    assert world.lawyer_a.pk in pks(lawyers_visible_to(firm_admin))


def test_a_firm_admin_sees_its_own_lawyers_not_the_other_firms_serving_the_same_communities(world):
    """Lawyer A's firm serves community C beside lawyer C of firm B: the firm admin follows community
    C, yet lawyer C's record (with the full mobile number) stays out of reach."""
    from guwen.testing import verified_client

    firm_admin = world.user("firm_admin")
    regions.assignment_create(
        lawyer=world.lawyer_a,
        community=world.community_c,
        starts_on=date(2024, 6, 1),
        role=AssignmentRole.BACKUP,
        by=None,
    )
    assert world.community_c.pk in pks(regions_visible_to(firm_admin))
    assert pks(lawyers_visible_to(firm_admin)) == {world.lawyer_a.pk}
    client = verified_client(firm_admin)
    assert client.get(f"/lawyers/{world.lawyer_c.pk}/").status_code == 404
    assert client.get(f"/api/v1/lawyers/{world.lawyer_c.pk}").status_code == 404
    listed = client.get("/api/v1/lawyers").json()["items"]
    assert [row["id"] for row in listed] == [world.lawyer_a.pk]


def test_ended_membership_gives_no_scope(world):
    office = world.user("office")
    Membership.objects.filter(user=office).update(ends_on=yesterday())
    forget_memberships(office)

    assert not regions_visible_to(office).exists()
    assert not assignments_visible_to(office).exists()


def test_membership_starting_tomorrow_gives_no_scope_yet(world):
    newcomer = make_user("new_office")
    accounts.membership_grant(
        user=newcomer,
        role=Role.OFFICE,
        region=world.street,
        by=None,
        starts_on=timezone.localdate() + timedelta(days=1),
    )

    assert not regions_visible_to(newcomer).exists()


def test_deactivated_user_sees_nothing(world):
    bureau = world.user("bureau")
    bureau.is_active = False

    assert not regions_visible_to(bureau).exists()
    assert not lawyers_visible_to(bureau).exists()
    assert not firms_visible_to(bureau).exists()
    assert not assignments_visible_to(bureau).exists()


def test_two_memberships_see_the_union(world):
    staff = world.user("staff_a")
    accounts.membership_grant(user=staff, role=Role.COMMUNITY_STAFF, region=world.community_c, by=None)

    assert pks(regions_visible_to(staff)) == {world.community_a.pk, world.community_c.pk}
