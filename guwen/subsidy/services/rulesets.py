"""Rule sets: a new version is a copy of another, edited while a draft, then adopted. A rule set a
line has used is frozen: the change is a new version with its own effective date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.accounts.scope import current_memberships, is_sysadmin
from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.regions.models import Region
from guwen.subsidy.models import Item, RuleAmount, RuleSet, RuleStatus

NUMBER_FIELDS = (
    "oral_percent",
    "terminated_percent",
    "primary_percent",
    "cap_advisor_month",
    "cap_advisor_year",
    "cap_community_month",
    "sample_percent",
)
PERCENT_FIELDS = ("oral_percent", "terminated_percent", "primary_percent", "sample_percent")


def may_edit_rules(user, district: Region | None) -> bool:
    if is_sysadmin(user):
        return True
    if district is None:
        return False
    return any(
        m.role == Role.BUREAU and m.region is not None and district.path.startswith(m.region.path)
        for m in current_memberships(user)
    )


def is_frozen(rule_set: RuleSet) -> bool:
    return rule_set.status == RuleStatus.ADOPTED or rule_set.lines.exists()


def rule_set_new_version(
    *, source: RuleSet, district: Region, by, effective_from: date, name: str = ""
) -> RuleSet:
    """A draft copy of ``source`` for ``district`` with a new version number."""
    if not may_edit_rules(by, district):
        raise DomainError(_("只有区司法局可以修改补贴规则"), code="forbidden_role")
    if effective_from is None:
        raise DomainError(_("请填写生效日期"), field="effective_from")
    with transaction.atomic():
        top = RuleSet.objects.filter(district=district).aggregate(v=Max("version"))["v"] or 0
        copy = RuleSet.objects.get(pk=source.pk)
        amounts = list(source.amounts.all())
        copy.pk = None
        copy.district = district
        copy.version = top + 1
        copy.name = (name or "").strip()[:60] or _("%(d)s 补贴标准") % {"d": district.name}
        copy.effective_from = effective_from
        copy.status = RuleStatus.DRAFT
        copy.created_by, copy.created_at, copy.adopted_at = by, timezone.now(), None
        copy.save()
        RuleAmount.objects.bulk_create(
            RuleAmount(rule_set=copy, item=a.item, amount=a.amount, is_assumption=a.is_assumption)
            for a in amounts
        )
        audit.record(actor=by, action="subsidy.rules.new_version", obj=copy, context={"from": source.pk})
    return copy


def _decimal(value, field: str, *, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise DomainError(_("请填写此项"), field=field)
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("请填写正确的数字"), field=field) from None
    if number < 0 or number > Decimal("9999999"):
        raise DomainError(_("数值超出范围"), field=field)
    return number


def rule_set_update(*, rule_set: RuleSet, by, amounts: dict[str, object], **values) -> RuleSet:
    """Edit a draft rule set's amounts and settings."""
    if not may_edit_rules(by, rule_set.district):
        raise DomainError(_("只有区司法局可以修改补贴规则"), code="forbidden_role")
    if is_frozen(rule_set):
        raise DomainError(_("已启用或已用于结算的规则不能修改，请新建版本"), code="invalid_state")
    cleaned: dict[str, object] = {}
    for field in NUMBER_FIELDS:
        if field in values:
            number = _decimal(
                values[field],
                field,
                required=field
                not in ("primary_percent", "cap_advisor_month", "cap_advisor_year", "cap_community_month"),
            )
            if field in PERCENT_FIELDS and number is not None and number > 100:
                raise DomainError(_("比例不能超过 100"), field=field)
            cleaned[field] = number
    for field in ("require_complete_file", "require_callback", "require_performed"):
        if field in values:
            cleaned[field] = bool(values[field])
    for field in ("terminated_min_grade", "batch_period", "name", "note"):
        if field in values:
            cleaned[field] = values[field]
    if "effective_from" in values:
        if values["effective_from"] is None:
            raise DomainError(_("请填写生效日期"), field="effective_from")
        cleaned["effective_from"] = values["effective_from"]
    parsed = {
        item: _decimal(amounts.get(item), f"amount_{item}", required=True)
        for item in Item.values
        if item in amounts
    }
    with transaction.atomic():
        for key, value in cleaned.items():
            setattr(rule_set, key, value)
        rule_set.save()
        for item, value in parsed.items():
            RuleAmount.objects.update_or_create(
                rule_set=rule_set, item=item, defaults={"amount": value, "is_assumption": False}
            )
        audit.record(
            actor=by, action="subsidy.rules.update", obj=rule_set, new={k: str(v) for k, v in cleaned.items()}
        )
    return rule_set


def rule_set_adopt(*, rule_set: RuleSet, by) -> RuleSet:
    if not may_edit_rules(by, rule_set.district):
        raise DomainError(_("只有区司法局可以启用补贴规则"), code="forbidden_role")
    if rule_set.status != RuleStatus.DRAFT:
        raise DomainError(_("该版本已启用"), code="invalid_state")
    with transaction.atomic():
        updated = RuleSet.objects.filter(pk=rule_set.pk, status=RuleStatus.DRAFT).update(
            status=RuleStatus.ADOPTED, adopted_at=timezone.now()
        )
        if updated != 1:
            raise DomainError(_("该版本已启用"), code="invalid_state")
        rule_set.refresh_from_db()
        audit.record(actor=by, action="subsidy.rules.adopt", obj=rule_set)
    return rule_set
