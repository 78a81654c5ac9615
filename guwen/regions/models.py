"""The region tree (district ⊃ street ⊃ community), law firms, lawyers and who serves where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guwen.core.validators import (
    validate_credit_code,
    validate_licence_number,
    validate_mobile,
    validate_region_code,
)


class Level(models.TextChoices):
    CITY = "city", _("市")
    DISTRICT = "district", _("区")
    STREET = "street", _("街道")
    COMMUNITY = "community", _("社区")


LEVEL_DEPTH = {Level.CITY: 0, Level.DISTRICT: 1, Level.STREET: 2, Level.COMMUNITY: 3}
CHILD_LEVEL = {Level.CITY: Level.DISTRICT, Level.DISTRICT: Level.STREET, Level.STREET: Level.COMMUNITY}


class Region(models.Model):
    """One node of the administrative tree, keyed by its 12-digit statistical code (统计用区划代码).

    ``path`` holds the codes from the root down to this node ("440300000000/440307000000/"), so
    "this region and everything under it" is one indexed prefix filter on both databases.
    """

    code = models.CharField(_("区划代码"), max_length=12, unique=True, validators=[validate_region_code])
    name = models.CharField(_("名称"), max_length=60)
    full_name = models.CharField(_("统计名称"), max_length=80, blank=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=200, db_index=True, editable=False)
    is_village_converted = models.BooleanField(_("村改居"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[Level(self.level)]


class LawFirm(models.Model):
    name = models.CharField(_("律师事务所"), max_length=100, unique=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    district = models.ForeignKey(
        Region,
        verbose_name=_("登记所在区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_firms",
        limit_choices_to={"level": Level.DISTRICT},
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("律师事务所")
        verbose_name_plural = _("律师事务所")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Lawyer(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lawyer",
    )
    name = models.CharField(_("姓名"), max_length=40)
    licence_number = models.CharField(
        _("执业证号"), max_length=17, unique=True, validators=[validate_licence_number]
    )
    firm = models.ForeignKey(
        LawFirm, verbose_name=_("所属律所"), on_delete=models.PROTECT, related_name="lawyers"
    )
    phone = models.CharField(_("手机号"), max_length=11, validators=[validate_mobile])
    # 身份证号: encrypted, with a keyed hash for matching (DESIGN §5); read in full only via a service
    # that writes an audit event.
    id_number_encrypted = models.TextField(_("身份证号（加密）"), blank=True, editable=False)
    id_number_hash = models.CharField(
        _("身份证号指纹"), max_length=64, blank=True, db_index=True, editable=False
    )
    id_number_masked = models.CharField(_("身份证号（脱敏）"), max_length=18, blank=True, editable=False)
    photo = models.ImageField(_("照片"), upload_to="lawyers/photos/", blank=True)
    specialties = models.CharField(_("擅长领域"), max_length=200, blank=True, help_text=_("以顿号或逗号分隔"))
    is_active = models.BooleanField(_("在职"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("律师")
        verbose_name_plural = _("律师")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def specialty_list(self) -> list[str]:
        raw = self.specialties.replace("，", ",").replace("、", ",")
        return [item.strip() for item in raw.split(",") if item.strip()]


class AssignmentRole(models.TextChoices):
    PRIMARY = "primary", _("主顾问")
    BACKUP = "backup", _("备岗顾问")


class Assignment(models.Model):
    """A lawyer serving a community for a period. Rows are never overwritten: a change of advisor
    ends one row (``ends_on``) and starts another, so who served when stays answerable."""

    lawyer = models.ForeignKey(
        Lawyer, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="assignments"
    )
    community = models.ForeignKey(
        Region,
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="assignments",
        limit_choices_to={"level": Level.COMMUNITY},
    )
    firm = models.ForeignKey(
        LawFirm, verbose_name=_("派出律所"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(
        _("角色"), max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.PRIMARY
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("留空表示至今"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("顾问派驻")
        verbose_name_plural = _("顾问派驻")
        ordering = ["community__code", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_ends_after_start",
            ),
            # The database keeps at most one open-ended primary per community; overlapping dated
            # periods are refused by the service (and by an exclusion constraint on PostgreSQL).
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(role="primary", ends_on__isnull=True),
                name="one_open_primary_per_community",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer} → {self.community}（{self.get_role_display()}）"

    def is_current(self, on=None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
