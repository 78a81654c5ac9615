"""Every write to users, memberships and second factors."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from guwen.accounts.models import ROLE_REGION_LEVEL, Membership, Role, User
from guwen.accounts.scope import forget_memberships
from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.regions.models import LawFirm, Region


def user_create(
    *,
    username: str,
    password: str | None,
    by,
    display_name: str = "",
    phone: str = "",
    is_demo: bool = False,
    is_staff: bool = False,
    is_superuser: bool = False,
    must_change_password: bool | None = None,
) -> User:
    """A new account. When someone else chooses its password (``by`` is a person), the owner must
    replace it at first login; accounts made by the system (``by=None``: the demo, tests, commands)
    keep theirs unless told otherwise."""
    username = username.strip()
    if not username:
        raise DomainError(_("请填写用户名"), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("用户名已存在"), field="username")
    with transaction.atomic():
        user = User(
            username=username,
            display_name=display_name,
            phone=phone,
            is_demo=is_demo,
            is_staff=is_staff or is_superuser,
            is_superuser=is_superuser,
            must_change_password=(
                bool(password) and by is not None if must_change_password is None else must_change_password
            ),
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:  # created by someone else between the check and the insert
            raise Conflict(_("用户名已存在"), field="username") from exc
        audit.record(actor=by, action="user.create", obj=user, new={"username": username})
    return user


def membership_grant(
    *,
    user: User,
    role: str,
    by,
    region: Region | None = None,
    firm: LawFirm | None = None,
    starts_on: date | None = None,
) -> Membership:
    """Give a user a role, anchored where the role needs it (an office to a street, …)."""
    if role not in Role.values:
        raise DomainError(_("未知角色"), field="role")
    level = ROLE_REGION_LEVEL.get(Role(role))
    if level is not None and (region is None or region.level != level):
        raise DomainError(
            _("该角色必须关联一个%(level)s级区域") % {"level": _level_label(level)}, field="region"
        )
    if role == Role.FIRM_ADMIN and firm is None:
        raise DomainError(_("律所管理员必须关联律师事务所"), field="firm")
    with transaction.atomic():
        membership = Membership.objects.create(
            user=user,
            role=role,
            region=region if level else None,
            firm=firm if role == Role.FIRM_ADMIN else None,
            **({"starts_on": starts_on} if starts_on else {}),
        )
        audit.record(
            actor=by,
            action="membership.grant",
            obj=membership,
            new={
                "user": user.pk,
                "role": role,
                "region": region.code if region else None,
                "firm": firm.pk if firm else None,
            },
        )
    forget_memberships(user)
    return membership


def _level_label(level: str) -> str:
    return {"community": _("社区"), "street": _("街道"), "district": _("区")}[level]


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device to enrol; an earlier unconfirmed one is replaced."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=_("手机动态口令"), confirmed=False)


def totp_device_confirm(*, user: User, token: str) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        raise DomainError(_("请先扫描二维码开始绑定"), field="token")
    token = (token or "").strip()
    if not token.isdigit() or len(token) != 6:
        raise DomainError(_("动态口令是 6 位数字"), field="token")
    if not device.verify_token(token):
        raise DomainError(_("动态口令不正确或已过期，请重试"), field="token")
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        audit.record(actor=user, action="user.totp.enrol", obj=user)
    return device
