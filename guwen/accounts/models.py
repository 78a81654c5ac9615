"""Users and their memberships: a role held in a region (or a law firm) for a period."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADVISOR = "advisor", _("顾问律师")
    COMMUNITY_STAFF = "community_staff", _("社区工作人员")
    OFFICE = "office", _("司法所")
    BUREAU = "bureau", _("区司法局")
    FIRM_ADMIN = "firm_admin", _("律所管理员")
    ASSOCIATION = "association", _("律师协会")
    SYSADMIN = "sysadmin", _("系统管理员")


# Which region level a role's membership is anchored to (None: anchored to a firm or to nothing).
ROLE_REGION_LEVEL = {
    Role.COMMUNITY_STAFF: "community",
    Role.OFFICE: "street",
    Role.BUREAU: "district",
}
# Roles whose accounts must pass TOTP (DESIGN §2: they approve money and see whole streets).
TOTP_REQUIRED_ROLES = frozenset({Role.OFFICE, Role.BUREAU, Role.SYSADMIN})


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=40, blank=True)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    is_demo = models.BooleanField(_("演示账号"), default=False)
    # Set when someone else chose the password (an account made or reset by an office, a bureau, a
    # firm admin or Django admin): the owner must replace it before doing anything else.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(models.Model):
    """A role a user holds. Office/bureau/staff memberships name a region; a firm admin names a
    firm; an advisor's communities come from their assignments, so the advisor row names neither."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    firm = models.ForeignKey(
        "regions.LawFirm",
        verbose_name=_("律所"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("开始日期"), default=timezone.localdate)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("角色成员")
        verbose_name_plural = _("角色成员")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["community_staff", "office", "bureau"]) | Q(region__isnull=False),
                name="membership_region_roles_have_region",
            ),
            models.CheckConstraint(
                condition=~Q(role="firm_admin") | Q(firm__isnull=False),
                name="membership_firm_admin_has_firm",
            ),
        ]

    def __str__(self) -> str:
        anchor = self.region or self.firm or ""
        return f"{self.user} · {self.get_role_display()} {anchor}".strip()

    def is_current(self, on=None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
