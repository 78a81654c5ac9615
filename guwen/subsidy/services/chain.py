"""The approval chain: advisor submits → community confirms → office reviews each case file →
district approves → paid. Any step can return it with a reason. Every step locks the row and
checks the revision the user saw, so of two approvers acting at once one wins and the other is
told, in Chinese, who was first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.mediation.selectors import case_file_missing
from guwen.subsidy.models import FlagStatus, LineKind, Settlement, SettlementLine, SettlementStatus
from guwen.subsidy.money import cents
from guwen.subsidy.rules import RuleBook
from guwen.subsidy.services.settle import apply_caps, refresh_total
from guwen.subsidy.workflow import SETTLEMENT, settlement_roles


def _locked(settlement: Settlement, revision: int | None) -> Settlement:
    current = (
        Settlement.objects.select_for_update().select_related("lawyer", "community").get(pk=settlement.pk)
    )
    if current.status != settlement.status or (revision is not None and current.revision != revision):
        raise Conflict(
            _("该结算单已被他人处理（当前状态：%(s)s），请刷新后查看") % {"s": current.get_status_display()},
            code="changed",
        )
    return current


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise DomainError(_("请填写理由"), field="reason")
    if len(reason) > 300:
        raise DomainError(_("理由不能超过 300 字"), field="reason")
    return reason


def settlement_act(
    *,
    settlement: Settlement,
    action: str,
    by,
    revision: int | None = None,
    reason: str = "",
    finance_reference: str = "",
    paid_on: date | None = None,
) -> Settlement:
    """One step of the chain (``submit``, ``confirm``, ``review``, ``approve``, ``pay``, ``return``)."""
    if action not in ("submit", "confirm", "review", "approve", "pay", "return"):
        raise DomainError(_("未知操作"), code="invalid_state")
    target = SETTLEMENT.require(settlement, action, settlement_roles(by, settlement))
    reason = _reason(reason, required=action == "return")
    changes: dict = {}
    if action == "pay":
        finance_reference = (finance_reference or "").strip()
        if not finance_reference:
            raise DomainError(_("请填写财务凭证号"), field="finance_reference")
        if len(finance_reference) > 60:
            raise DomainError(_("财务凭证号不能超过 60 字"), field="finance_reference")
        if paid_on is None:
            raise DomainError(_("请填写发放日期"), field="paid_on")
        if paid_on > timezone.localdate():
            raise DomainError(_("发放日期不能晚于今天"), field="paid_on")
        changes = {"finance_reference": finance_reference, "paid_on": paid_on}
    with transaction.atomic():
        current = _locked(settlement, revision)
        if action == "review":
            missing = []
            for line in current.lines.filter(kind=LineKind.CASE, amount__gt=0):
                gaps = case_file_missing(line.record_pk)
                if gaps:
                    missing.append(f"{line.record_label}（缺{'、'.join(gaps)}）")
            if missing:
                raise DomainError(
                    _("卷宗不齐全，不能审核通过：%(m)s") % {"m": "；".join(missing)}, code="invalid_state"
                )
        if action == "approve" and current.flags.filter(status=FlagStatus.OPEN).exists():
            raise DomainError(_("还有待核查的异常提示（含抽查回访），处理后才能审批"), code="invalid_state")
        if action == "return":
            changes["return_reason"] = reason
        old = current.status
        current.status = target
        current.revision += 1
        for key, value in changes.items():
            setattr(current, key, value)
        current.save(update_fields=["status", "revision", *changes])
        audit.record(
            actor=by,
            action=f"subsidy.settlement.{action}",
            obj=current,
            old={"status": old},
            new={"status": target, "total": current.total},
            context={
                "reason": reason,
                **({"finance_reference": finance_reference} if action == "pay" else {}),
            },
        )
    return current


def adjustment_add(
    *, settlement: Settlement, by, amount, reason: str, revision: int | None = None
) -> SettlementLine:
    """An adjustment is its own line with a reason; caps are applied again after it."""
    SETTLEMENT.require(settlement, "adjust", settlement_roles(by, settlement))
    try:
        value = cents(Decimal(str(amount)))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("请填写正确的金额"), field="amount") from None
    if value == 0 or abs(value) > Decimal("100000"):
        raise DomainError(_("调整金额须为非零且绝对值不超过 100000 元"), field="amount")
    reason = _reason(reason, required=True)
    with transaction.atomic():
        current = _locked(settlement, revision)
        position = (current.lines.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        line = SettlementLine.objects.create(
            settlement=current,
            lawyer_id=current.lawyer_id,
            position=position,
            kind=LineKind.ADJUSTMENT,
            amount=value,
            note=reason,
            created_by=by,
            record_label=_("调整"),
        )
        _recap(current)
        current.revision += 1
        Settlement.objects.filter(pk=current.pk).update(revision=current.revision)
        audit.record(
            actor=by,
            action="subsidy.settlement.adjust",
            obj=current,
            new={"amount": value},
            context={"reason": reason},
        )
    return line


def _recap(settlement: Settlement) -> None:
    from guwen.subsidy.services.settle import month_end

    rules = RuleBook(settlement.district).for_date(month_end(settlement.month))
    apply_caps(settlement, rules.rule_set if rules else None)
    refresh_total(settlement)


def recap(settlement: Settlement) -> None:
    _recap(settlement)


__all__ = ["SettlementStatus", "adjustment_add", "recap", "settlement_act"]
