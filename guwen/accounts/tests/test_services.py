"""Writes to users, memberships and TOTP devices: what each refuses, and the audit event each leaves."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from guwen.accounts import services
from guwen.accounts.models import Membership, Role, User
from guwen.accounts.scope import roles_of
from guwen.core.errors import DomainError
from guwen.core.models import AuditEvent


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def newcomer(db):
    return User.objects.create_user(username="newcomer", password="correct horse battery")


def assert_refused(call, *, field: str, message: str) -> None:
    """The service raises a DomainError on ``field`` and writes neither a membership nor an event."""
    memberships, events = Membership.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.field == field
    assert message in str(caught.value.message)
    assert Membership.objects.count() == memberships
    assert AuditEvent.objects.count() == events


# --- membership_grant ---------------------------------------------------------------------------


def test_office_membership_without_region_is_refused(world, newcomer):
    assert_refused(
        lambda: services.membership_grant(user=newcomer, role=Role.OFFICE, by=world.user("sysadmin")),
        field="region",
        message="该角色必须关联一个街道级区域",
    )


def test_office_membership_anchored_to_a_community_is_refused(world, newcomer):
    assert_refused(
        lambda: services.membership_grant(
            user=newcomer, role=Role.OFFICE, region=world.community_a, by=world.user("sysadmin")
        ),
        field="region",
        message="街道",
    )


def test_community_staff_membership_anchored_to_a_street_is_refused(world, newcomer):
    assert_refused(
        lambda: services.membership_grant(
            user=newcomer, role=Role.COMMUNITY_STAFF, region=world.street, by=world.user("sysadmin")
        ),
        field="region",
        message="该角色必须关联一个社区级区域",
    )


def test_bureau_membership_anchored_to_a_street_is_refused(world, newcomer):
    assert_refused(
        lambda: services.membership_grant(
            user=newcomer, role=Role.BUREAU, region=world.street, by=world.user("sysadmin")
        ),
        field="region",
        message="该角色必须关联一个区级区域",
    )


def test_firm_admin_membership_without_firm_is_refused(world, newcomer):
    assert_refused(
        lambda: services.membership_grant(user=newcomer, role=Role.FIRM_ADMIN, by=world.user("sysadmin")),
        field="firm",
        message="律所管理员必须关联律师事务所",
    )


def test_unknown_role_is_refused(world, newcomer):
    assert_refused(
        lambda: services.membership_grant(user=newcomer, role="mayor", by=world.user("sysadmin")),
        field="role",
        message="未知角色",
    )


def test_office_membership_on_a_street_is_saved_and_audited(world, newcomer):
    admin = world.user("sysadmin")

    membership = services.membership_grant(
        user=newcomer, role=Role.OFFICE, region=world.street, by=admin, starts_on=date(2025, 3, 1)
    )

    membership.refresh_from_db()
    assert (membership.user, membership.role, membership.region, membership.firm) == (
        newcomer,
        Role.OFFICE,
        world.street,
        None,
    )
    assert membership.starts_on == date(2025, 3, 1)
    event = AuditEvent.objects.get(action="membership.grant", object_id=str(membership.pk))
    assert event.object_type == "accounts.membership"
    assert event.actor == admin
    assert event.actor_label == "sysadmin"
    assert event.new == {"user": newcomer.pk, "role": "office", "region": world.street.code, "firm": None}


def test_firm_admin_membership_keeps_the_firm_and_drops_a_region(world, newcomer):
    membership = services.membership_grant(
        user=newcomer, role=Role.FIRM_ADMIN, firm=world.firm_a, region=world.street, by=None
    )

    membership.refresh_from_db()
    assert membership.firm == world.firm_a
    assert membership.region is None
    event = AuditEvent.objects.get(action="membership.grant", object_id=str(membership.pk))
    assert event.actor is None
    assert event.actor_label == "system"


def test_advisor_membership_names_neither_region_nor_firm(world, newcomer):
    membership = services.membership_grant(
        user=newcomer, role=Role.ADVISOR, region=world.community_a, firm=world.firm_a, by=None
    )

    membership.refresh_from_db()
    assert membership.region is None
    assert membership.firm is None
    assert AuditEvent.objects.filter(action="membership.grant", object_id=str(membership.pk)).exists()


def test_grant_is_seen_at_once_by_the_same_user_object(world, newcomer):
    assert roles_of(newcomer) == set()  # fills the per-request membership cache

    services.membership_grant(user=newcomer, role=Role.OFFICE, region=world.street, by=None)

    assert roles_of(newcomer) == {Role.OFFICE}


# --- user_create ----------------------------------------------------------------------------------


def test_user_create_saves_user_and_audits(world):
    admin = world.user("sysadmin")

    user = services.user_create(
        username="  new_office  ",
        password="a long enough password",
        by=admin,
        display_name="王所长",
        phone="13800138000",
    )

    user.refresh_from_db()
    assert user.username == "new_office"
    assert user.display_name == "王所长"
    assert user.check_password("a long enough password")
    assert not user.is_staff
    assert not user.is_superuser
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.object_type == "accounts.user"
    assert event.actor == admin
    assert event.new == {"username": "new_office"}


def test_user_create_refuses_duplicate_username(world):
    users, events = User.objects.count(), AuditEvent.objects.count()

    with pytest.raises(DomainError) as caught:
        services.user_create(username="advisor_a", password="whatever password", by=None)

    assert caught.value.field == "username"
    assert "用户名已存在" in str(caught.value.message)
    assert User.objects.count() == users
    assert AuditEvent.objects.count() == events


def test_user_create_refuses_blank_username(db):
    with pytest.raises(DomainError) as caught:
        services.user_create(username="   ", password="whatever password", by=None)

    assert caught.value.field == "username"
    assert "请填写用户名" in str(caught.value.message)
    assert not User.objects.exists()


def test_user_created_without_password_cannot_log_in_by_password(db):
    user = services.user_create(username="no_password", password=None, by=None)

    assert not user.has_usable_password()


def test_superuser_is_also_staff(db):
    user = services.user_create(
        username="root", password="a long enough password", by=None, is_superuser=True
    )

    assert user.is_superuser
    assert user.is_staff


# --- TOTP devices -----------------------------------------------------------------------------------


def test_totp_device_start_replaces_an_earlier_unconfirmed_device(newcomer):
    first = services.totp_device_start(user=newcomer)

    second = services.totp_device_start(user=newcomer)

    assert not TOTPDevice.objects.filter(pk=first.pk).exists()
    assert list(TOTPDevice.objects.filter(user=newcomer)) == [second]
    assert not second.confirmed


def test_totp_device_start_keeps_a_confirmed_device(newcomer):
    confirmed = TOTPDevice.objects.create(user=newcomer, name="old phone", confirmed=True)

    services.totp_device_start(user=newcomer)

    assert TOTPDevice.objects.filter(pk=confirmed.pk, confirmed=True).exists()


def test_totp_device_confirm_without_pending_device_is_refused(newcomer):
    with pytest.raises(DomainError) as caught:
        services.totp_device_confirm(user=newcomer, token="123456")

    assert caught.value.field == "token"
    assert "请先扫描二维码" in str(caught.value.message)


@pytest.mark.parametrize("token", ["12345", "abcdef", "1234567", ""])
def test_totp_device_confirm_refuses_malformed_token(newcomer, token):
    services.totp_device_start(user=newcomer)

    with pytest.raises(DomainError) as caught:
        services.totp_device_confirm(user=newcomer, token=token)

    assert caught.value.field == "token"
    assert "动态口令是 6 位数字" in str(caught.value.message)


def test_totp_device_confirm_refuses_wrong_code(newcomer):
    device = services.totp_device_start(user=newcomer)
    near = set()
    for offset in range(-3, 4):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time() + offset * device.step
        near.add(f"{totp.token():06d}")
    wrong = next(c for c in ("000000", "111111", "222222", "333333") if c not in near)

    with pytest.raises(DomainError) as caught:
        services.totp_device_confirm(user=newcomer, token=wrong)

    assert "动态口令不正确或已过期" in str(caught.value.message)
    device.refresh_from_db()
    assert not device.confirmed
    assert not AuditEvent.objects.filter(action="user.totp.enrol").exists()


def test_totp_device_confirm_with_right_code_confirms_and_audits(newcomer):
    device = services.totp_device_start(user=newcomer)

    confirmed = services.totp_device_confirm(user=newcomer, token=current_code(device))

    assert confirmed.pk == device.pk
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.get(action="user.totp.enrol")
    assert event.actor == newcomer
    assert event.object_id == str(newcomer.pk)
