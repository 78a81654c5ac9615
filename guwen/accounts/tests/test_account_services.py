"""Accounts the office manages: scope, creation with a temporary password, edits, deactivation,
resets, unlocking and role memberships, each audited; and a user's own password change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from guwen.accounts import account_services as services
from guwen.accounts.models import Membership, Role, User
from guwen.accounts.scope import forget_memberships, roles_of, users_manageable_by
from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.core.models import AuditEvent
from guwen.testing import make_lawyer, make_user, valid_phone


def staff_account(world, by_role="office", community=None, username="new_staff"):
    return services.account_create(
        by=world.user(by_role),
        username=username,
        display_name="王小明",
        phone=valid_phone(),
        role=Role.COMMUNITY_STAFF,
        region=community or world.community_a,
    )


def lock(username: str) -> None:
    AccessAttempt.objects.create(
        username=username,
        ip_address="198.51.100.7",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )


# --- scope -----------------------------------------------------------------------------------


def test_office_manages_its_streets_staff_and_advisors_not_others(world):
    other_staff = make_user("staff_c", Role.COMMUNITY_STAFF, region=world.community_c)
    visible = set(users_manageable_by(world.user("office")))

    assert world.user("staff_a") in visible
    assert world.user("advisor_a") in visible  # serves community A, in the office's street
    assert other_staff not in visible  # another street
    for role in ("office", "bureau", "sysadmin", "firm_admin", "association", "outsider"):
        assert world.user(role) not in visible, role


def test_bureau_manages_offices_and_staff_of_its_district_only(world):
    visible = set(users_manageable_by(world.user("bureau")))
    far_staff = make_user("staff_e", Role.COMMUNITY_STAFF, region=world.community_e)

    assert {world.user("staff_a"), world.user("office"), world.user("advisor_a")} <= visible
    assert far_staff not in set(users_manageable_by(world.user("bureau")))
    assert world.user("bureau") not in visible and world.user("sysadmin") not in visible


def test_firm_admin_manages_only_its_own_firms_lawyers(world):
    visible = set(users_manageable_by(world.user("firm_admin")))

    assert visible == {world.user("advisor_a")}


def test_roles_that_manage_nothing_see_no_accounts(world):
    for role in ("advisor_a", "staff_a", "association", "outsider"):
        assert not users_manageable_by(world.user(role)).exists(), role


def test_a_staff_member_who_is_also_an_office_is_out_of_an_offices_reach(world):
    staff = world.user("staff_a")
    Membership.objects.create(user=staff, role=Role.OFFICE, region=world.street2)

    assert staff not in set(users_manageable_by(world.user("office")))
    assert staff in set(users_manageable_by(world.user("bureau")))


# --- create ----------------------------------------------------------------------------------


def test_office_creates_a_staff_account_with_a_temporary_password_shown_once(world):
    user, password = staff_account(world)

    assert user.must_change_password and user.is_active
    assert check_password(password, user.password)
    assert password not in user.password  # only the hash is stored
    assert roles_of(user) == {Role.COMMUNITY_STAFF}
    event = AuditEvent.objects.get(action="account.create", object_id=str(user.pk))
    assert event.actor == world.user("office")
    assert password not in str(event.new) and user.phone not in str(event.new)


def test_temporary_passwords_pass_the_password_validators_and_differ():
    from django.contrib.auth.password_validation import validate_password

    passwords = {services.temporary_password() for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        validate_password(password)


def test_office_cannot_create_staff_for_a_community_of_another_street(world):
    with pytest.raises(DomainError) as caught:
        staff_account(world, community=world.community_c)
    assert caught.value.field == "region"
    assert not User.objects.filter(username="new_staff").exists()


def test_office_cannot_create_an_office_account(world):
    with pytest.raises(DomainError) as caught:
        services.account_create(
            by=world.user("office"),
            username="x_office",
            display_name="张三",
            role=Role.OFFICE,
            region=world.street,
        )
    assert caught.value.field == "role"


def test_bureau_creates_an_office_account_for_its_street(world):
    user, _password = services.account_create(
        by=world.user("bureau"),
        username="office2",
        display_name="李四",
        role=Role.OFFICE,
        region=world.street2,
    )
    forget_memberships(user)
    assert roles_of(user) == {Role.OFFICE}


def test_firm_admin_opens_an_account_for_its_lawyer(world):
    lawyer = make_lawyer(world.firm_a, "新律师")

    user, _password = services.account_create(
        by=world.user("firm_admin"),
        username="lawyer_new",
        display_name="新律师",
        role=Role.ADVISOR,
        lawyer=lawyer,
    )

    lawyer.refresh_from_db()
    assert lawyer.user == user
    assert Role.ADVISOR in roles_of(user)


def test_firm_admin_cannot_open_an_account_for_another_firms_lawyer(world):
    with pytest.raises(DomainError) as caught:
        services.account_create(
            by=world.user("firm_admin"),
            username="x_lawyer",
            display_name="丁",
            role=Role.ADVISOR,
            lawyer=world.lawyer_e,
        )
    assert caught.value.field == "lawyer"


def test_a_lawyer_with_an_account_gets_no_second_one(world):
    with pytest.raises(Conflict):
        services.account_create(
            by=world.user("firm_admin"),
            username="second",
            display_name="甲",
            role=Role.ADVISOR,
            lawyer=world.lawyer_a,
        )
    assert not User.objects.filter(username="second").exists()


def test_a_taken_username_is_a_conflict_whatever_its_case(world):
    with pytest.raises(Conflict):
        staff_account(world, username="STAFF_A")


@hsettings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(username=st.text(max_size=50))
def test_usernames_are_letters_digits_and_dot_dash_underscore_3_to_40(username):
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    expected_ok = 3 <= len(username.strip()) <= 40 and set(username.strip()) <= allowed
    try:
        cleaned = services.clean_username(username)
    except DomainError as exc:
        assert not expected_ok
        assert exc.field == "username"
    else:
        assert expected_ok and cleaned == username.strip()


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("display_name", {"display_name": "  "}),
        ("display_name", {"display_name": "名" * 41}),
        ("display_name", {"display_name": "王\x00五"}),
        ("phone", {"phone": "12345"}),
        ("username", {"username": "王五"}),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(world, field, values):
    args = {"username": "bad_one", "display_name": "王五", "phone": "", **values}
    with pytest.raises(DomainError) as caught:
        services.account_create(
            by=world.user("office"), role=Role.COMMUNITY_STAFF, region=world.community_a, **args
        )
    assert caught.value.field == field
    assert User.objects.count() == 9
    assert not AuditEvent.objects.filter(action="account.create").exists()


def test_a_full_width_phone_is_stored_plain(world):
    user, _password = services.account_create(
        by=world.user("office"),
        username="fw_phone",
        display_name="赵六",
        phone="+86 １３８-００１３-８０００",
        role=Role.COMMUNITY_STAFF,
        region=world.community_a,
    )
    assert user.phone == "13800138000"


# --- edit, deactivate, reset -----------------------------------------------------------------


def test_update_changes_name_and_phone_and_audits_masked(world):
    staff = world.user("staff_a")
    services.account_update(user=staff, by=world.user("office"), display_name="新名字", phone="13912345678")

    staff.refresh_from_db()
    assert (staff.display_name, staff.phone) == ("新名字", "13912345678")
    event = AuditEvent.objects.get(action="account.update")
    assert event.new["phone"] == "139****5678"


def test_nothing_outside_scope_can_be_changed(world):
    far = make_user("staff_e", Role.COMMUNITY_STAFF, region=world.community_e)
    office = world.user("office")
    for call in (
        lambda: services.account_update(user=far, by=office, display_name="x"),
        lambda: services.account_set_active(user=far, by=office, active=False),
        lambda: services.account_reset_password(user=far, by=office),
        lambda: services.account_unlock(user=far, by=office),
        lambda: services.account_membership_add(
            user=far, by=office, role=Role.COMMUNITY_STAFF, region=world.community_a
        ),
    ):
        with pytest.raises(NotFound):
            call()
    far.refresh_from_db()
    assert far.is_active and far.display_name == ""
    assert not AuditEvent.objects.filter(object_id=str(far.pk), action__startswith="account.").exists()


def test_deactivate_then_reactivate_and_the_same_twice_is_a_conflict(world):
    staff, office = world.user("staff_a"), world.user("office")

    services.account_set_active(user=staff, by=office, active=False)
    staff.refresh_from_db()
    assert not staff.is_active
    with pytest.raises(Conflict):
        services.account_set_active(user=staff, by=office, active=False)
    # Still findable once deactivated, so it can be switched back on.
    assert staff in set(users_manageable_by(office))
    services.account_set_active(user=staff, by=office, active=True)
    staff.refresh_from_db()
    assert staff.is_active
    assert list(
        AuditEvent.objects.filter(object_id=str(staff.pk)).values_list("action", flat=True).order_by("id")
    )[-2:] == ["account.deactivate", "account.reactivate"]


def test_reset_sets_a_new_temporary_password_and_the_duty_to_change_it(world):
    staff = world.user("staff_a")
    assert not staff.must_change_password

    password = services.account_reset_password(user=staff, by=world.user("office"))

    staff.refresh_from_db()
    assert staff.must_change_password and staff.check_password(password)
    assert not staff.check_password("correct horse battery")
    assert AuditEvent.objects.filter(action="account.password.reset", object_id=str(staff.pk)).exists()


def test_own_password_change_clears_the_duty_and_is_audited(world):
    user, _password = staff_account(world)

    services.password_change(user=user, new_password="a much better secret 42")

    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("a much better secret 42")
    assert AuditEvent.objects.filter(action="user.password.change", actor=user).exists()


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=st.one_of(st.text(max_size=9), st.from_regex(r"[0-9]{10,20}", fullmatch=True)))
def test_short_or_numeric_passwords_are_refused(world, password):
    user = world.user("staff_a")
    with pytest.raises(ValidationError):
        services.password_change(user=user, new_password=password)
    user.refresh_from_db()
    assert user.check_password("correct horse battery")


# --- lockout ---------------------------------------------------------------------------------


def test_unlock_lifts_a_lockout_and_is_audited(world):
    lock("staff_a")
    until = services.lockout_until("staff_a")
    assert until is not None and until > timezone.now()

    services.account_unlock(user=world.user("staff_a"), by=world.user("office"))

    assert services.lockout_until("staff_a") is None
    assert not AccessAttempt.objects.filter(username="staff_a").exists()
    assert AuditEvent.objects.filter(action="account.unlock", actor=world.user("office")).exists()


def test_unlocking_an_account_that_is_not_locked_is_a_conflict(world):
    with pytest.raises(Conflict):
        services.account_unlock(user=world.user("staff_a"), by=world.user("office"))


def test_an_old_lockout_has_expired(world):
    lock("staff_a")
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    )
    assert services.lockout_until("staff_a") is None


# --- memberships -----------------------------------------------------------------------------


def test_office_adds_and_ends_a_staff_role_in_its_street(world):
    staff, office = world.user("staff_a"), world.user("office")

    membership = services.account_membership_add(
        user=staff, by=office, role=Role.COMMUNITY_STAFF, region=world.community_b
    )
    with pytest.raises(Conflict):
        services.account_membership_add(
            user=staff, by=office, role=Role.COMMUNITY_STAFF, region=world.community_b
        )
    forget_memberships(staff)
    from guwen.accounts.scope import communities_visible_to

    assert world.community_b in set(communities_visible_to(staff))

    services.account_membership_end(membership=membership, by=office)
    forget_memberships(staff)
    assert world.community_b not in set(communities_visible_to(staff))
    assert AuditEvent.objects.filter(action="membership.end").exists()
    with pytest.raises(Conflict):
        services.account_membership_end(membership=membership, by=office)


def test_office_cannot_grant_a_role_outside_its_street(world):
    with pytest.raises(DomainError) as caught:
        services.account_membership_add(
            user=world.user("staff_a"),
            by=world.user("office"),
            role=Role.COMMUNITY_STAFF,
            region=world.community_c,
        )
    assert caught.value.field == "region"
