"""Navigation by role for the work layout."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.accounts.scope import roles_of


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    context = {
        "site_name": settings.GUWEN_SITE_NAME,
        "totp_waived": settings.GUWEN_WAIVE_STAFF_TOTP,
        "lockout_minutes": round(settings.AXES_COOLOFF_TIME * 60),
        "nav_items": [],
        "role_labels": [],
    }
    if user is None or not user.is_authenticated:
        return context
    roles = roles_of(user)
    items = [(_("工作台"), reverse("home"))]
    if roles & {Role.ADVISOR, Role.OFFICE, Role.BUREAU, Role.SYSADMIN}:
        items.append((_("法律咨询"), reverse("consultations:inbox")))
    if roles & {Role.BUREAU, Role.SYSADMIN}:
        items.append((_("咨询设置"), reverse("consultations:settings")))
    if roles - {Role.ASSOCIATION}:
        items.append((_("驻点值班"), reverse("duty:home")))
    if roles - {Role.ASSOCIATION}:
        items.append((_("区域与社区"), reverse("regions:region_list")))
        items.append((_("律师"), reverse("regions:lawyer_list")))
        items.append((_("律师事务所"), reverse("regions:firm_list")))
    if Role.SYSADMIN in roles or user.is_staff:
        items.append((_("系统管理"), reverse("admin:index")))
    items.append((_("我的账号"), reverse("accounts:profile")))
    context["nav_items"] = items
    context["role_labels"] = [Role(r).label for r in sorted(roles)]
    return context
