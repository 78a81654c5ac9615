"""Accounts the office manages: every write an office, a bureau, a firm admin or a system admin
makes to another person's login, and a user's change of their own password.

Each service checks that the account is in the actor's scope (``scope.users_manageable_by``; a
``NotFound`` otherwise, which views answer with 404), changes it in one transaction and writes one
audit event. Passwords and temporary passwords never reach the audit trail or the logs.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts import scope
from guwen.accounts.models import ROLE_REGION_LEVEL, Membership, Role, User
from guwen.accounts.services import membership_grant, user_create
from guwen.core import audit
from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.core.masking import mask_phone
from guwen.core.validators import clean_mobile, plain_text
from guwen.regions.models import Lawyer, Region

# No 0/O, 1/l/I: a temporary password is read aloud or copied from a screen by hand.
_TEMP_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
USERNAME_MAX = 40


def temporary_password() -> str:
    """Twelve random characters in three groups (``k7mq-x2pe-9tvd``): about 60 bits, easy to type."""
    groups = ["".join(secrets.choice(_TEMP_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def _require_in_scope(*, user: User, by) -> None:
    if not scope.users_manageable_by(by).filter(pk=user.pk).exists():
        raise NotFound(_("未找到该账号"))


def clean_username(value: str) -> str:
    """Letters, digits and ``. _ -`` (what people type into a login box on any phone), 3-40 long."""
    username = (value or "").strip()
    if not username:
        raise DomainError(_("请填写用户名"), field="username")
    if not 3 <= len(username) <= USERNAME_MAX:
        raise DomainError(_("用户名长度应为 3 到 40 个字符"), field="username")
    if not all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in username):
        raise DomainError(_("用户名只能使用英文字母、数字和 . _ -"), field="username")
    return username


def _clean_profile(*, display_name: str, phone: str) -> tuple[str, str]:
    name = " ".join(plain_text(display_name, field="display_name").split())
    if not name:
        raise DomainError(_("请填写姓名"), field="display_name")
    if len(name) > 40:
        raise DomainError(_("姓名最多 40 个字"), field="display_name")
    mobile = clean_mobile(phone, field="phone") if (phone or "").strip() else ""
    return name, mobile


# --- creating accounts -----------------------------------------------------------------------


def account_create(
    *,
    by,
    username: str,
    display_name: str,
    phone: str = "",
    role: str,
    region: Region | None = None,
    lawyer: Lawyer | None = None,
) -> tuple[User, str]:
    """A new account with a temporary password, which is returned once and stored only hashed.
    Community staff and offices are anchored to a region the actor looks after; an advisor's
    account is the login of a lawyer record without one."""
    if role not in scope.account_roles_managed_by(by):
        raise DomainError(_("您不能创建该角色的账号"), field="role")
    username = clean_username(username)
    name, mobile = _clean_profile(display_name=display_name, phone=phone)
    if role == Role.ADVISOR:
        if lawyer is None or not scope.lawyers_for_accounts(by).filter(pk=lawyer.pk).exists():
            raise DomainError(_("请选择您负责的律师"), field="lawyer")
        if lawyer.user_id is not None:
            raise Conflict(_("该律师已有登录账号"), field="lawyer")
    elif ROLE_REGION_LEVEL.get(Role(role)) is not None:
        if region is None or not scope.regions_for_accounts(by, role).filter(pk=region.pk).exists():
            raise DomainError(_("请选择您负责的区域"), field="region")
    else:
        raise DomainError(_("该角色的账号请在系统管理中创建"), field="role")
    password = temporary_password()
    with transaction.atomic():
        user = user_create(
            username=username,
            password=password,
            by=by,
            display_name=name,
            phone=mobile,
            must_change_password=True,
        )
        if role == Role.ADVISOR:
            # Compare-and-set: two admins linking the same lawyer at once, only one wins.
            if Lawyer.objects.filter(pk=lawyer.pk, user__isnull=True).update(user=user) != 1:
                raise Conflict(_("该律师已有登录账号"), field="lawyer")
            membership_grant(user=user, role=Role.ADVISOR, by=by)
        else:
            membership_grant(user=user, role=role, region=region, by=by)
        audit.record(
            actor=by,
            action="account.create",
            obj=user,
            new={
                "username": username,
                "role": role,
                "region": region.code if region else None,
                "lawyer": lawyer.pk if lawyer else None,
                "phone": mask_phone(mobile),
            },
        )
    return user, password


# --- changing accounts -----------------------------------------------------------------------


def account_update(*, user: User, by, display_name: str, phone: str = "") -> User:
    _require_in_scope(user=user, by=by)
    name, mobile = _clean_profile(display_name=display_name, phone=phone)
    with transaction.atomic():
        old, new = audit.changes({"display_name": user.display_name}, {"display_name": name})
        if mobile != user.phone:
            old["phone"], new["phone"] = mask_phone(user.phone), mask_phone(mobile)
        User.objects.filter(pk=user.pk).update(display_name=name, phone=mobile)
        user.display_name, user.phone = name, mobile
        audit.record(actor=by, action="account.update", obj=user, old=old, new=new)
    return user


def account_set_active(*, user: User, by, active: bool) -> User:
    """Deactivate (the person can no longer sign in; their records and history stay) or reactivate."""
    _require_in_scope(user=user, by=by)
    if user.is_active == active:
        raise Conflict(_("该账号已启用") if active else _("该账号已停用"))
    with transaction.atomic():
        if User.objects.filter(pk=user.pk, is_active=not active).update(is_active=active) != 1:
            raise Conflict()
        user.is_active = active
        audit.record(
            actor=by,
            action="account.reactivate" if active else "account.deactivate",
            obj=user,
            old={"is_active": not active},
            new={"is_active": active},
        )
    return user


def account_reset_password(*, user: User, by) -> str:
    """A new temporary password, returned once: the owner must change it at the next sign-in."""
    _require_in_scope(user=user, by=by)
    password = temporary_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit.record(actor=by, action="account.password.reset", obj=user)
    return password


def password_change(*, user: User, new_password: str) -> User:
    """The owner sets their own password (already checked against the password validators by the
    form); the duty to change it is lifted."""
    validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit.record(actor=user, action="user.password.change", obj=user)
    return user


# --- lockout (django-axes) -------------------------------------------------------------------


def lockout_until(username: str):
    """When a locked-out username may sign in again, or None when it is not locked out."""
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    since = timezone.now() - cool_off
    last = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=since, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).aggregate(last=Max("attempt_time"))["last"]
    return None if last is None else last + cool_off


def account_unlock(*, user: User, by) -> int:
    """Lift a lockout early: every counted failure of the username goes (axes' own reset)."""
    _require_in_scope(user=user, by=by)
    if lockout_until(user.username) is None:
        raise Conflict(_("该账号当前没有被锁定"))
    with transaction.atomic():
        removed = axes_reset(username=user.username)
        audit.record(actor=by, action="account.unlock", obj=user, context={"attempts_removed": removed})
    return removed


# --- role memberships ------------------------------------------------------------------------


def account_membership_add(*, user: User, by, role: str, region: Region) -> Membership:
    """Another region-anchored role for an account in scope (a staff member of a second community)."""
    _require_in_scope(user=user, by=by)
    if role == Role.ADVISOR or role not in scope.account_roles_managed_by(by):
        raise DomainError(_("您不能授予该角色"), field="role")
    if region is None or not scope.regions_for_accounts(by, role).filter(pk=region.pk).exists():
        raise DomainError(_("请选择您负责的区域"), field="region")
    today = timezone.localdate()
    running = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    if Membership.objects.filter(running, user=user, role=role, region=region).exists():
        raise Conflict(_("该账号已有这个角色"), field="region")
    return membership_grant(user=user, role=role, region=region, by=by, starts_on=today)


def memberships_manageable_by(by, user: User):
    """The account's memberships the actor may end: region roles in the actor's regions."""
    managed = scope.account_roles_managed_by(by)
    rows = []
    for membership in user.memberships.select_related("region").order_by("-starts_on", "pk"):
        if (
            membership.role in managed
            and membership.role != Role.ADVISOR
            and membership.region_id
            and scope.regions_for_accounts(by, membership.role).filter(pk=membership.region_id).exists()
        ):
            rows.append(membership)
    return rows


def account_membership_end(*, membership: Membership, by) -> Membership:
    """End a role at once: it is recorded as ended yesterday, so it is not in force today (a role
    that began today is recorded as a one-day role ending yesterday; the history stays)."""
    _require_in_scope(user=membership.user, by=by)
    if membership not in memberships_manageable_by(by, membership.user):
        raise NotFound(_("未找到该角色"))
    today = timezone.localdate()
    if membership.ends_on is not None and membership.ends_on < today:
        raise Conflict(_("该角色已经结束"))
    with transaction.atomic():
        ended = today - timedelta(days=1)
        old = {"ends_on": membership.ends_on}
        if membership.starts_on > ended:
            membership.starts_on = ended
        membership.ends_on = ended
        membership.save(update_fields=["starts_on", "ends_on"])
        audit.record(actor=by, action="membership.end", obj=membership, old=old, new={"ends_on": ended})
    scope.forget_memberships(membership.user)
    return membership
