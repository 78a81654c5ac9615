"""TOTP for staff (django-otp): who must use it and whether this session has passed it."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from guwen.accounts.models import TOTP_REQUIRED_ROLES
from guwen.accounts.scope import roles_of


def totp_required(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if settings.GUWEN_WAIVE_STAFF_TOTP:
        return False
    return bool(roles_of(user) & TOTP_REQUIRED_ROLES)


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
