"""The office decides each flag with a reason: cleared (the work is real) or rejected (the line is
cancelled by an adjustment line of the opposite amount). Nothing is dropped: a flag stays open, and
holds its settlement before district approval, until someone decides it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.subsidy.models import (
    CallbackResult,
    Flag,
    FlagKind,
    FlagStatus,
    LineKind,
    SettlementLine,
    SettlementStatus,
)
from guwen.subsidy.workflow import flag_roles

DECIDABLE = (
    SettlementStatus.DRAFT,
    SettlementStatus.RETURNED,
    SettlementStatus.SUBMITTED,
    SettlementStatus.CONFIRMED,
    SettlementStatus.REVIEWED,
)


def _require(flag: Flag, by) -> None:
    if not flag_roles(by, flag):
        raise DomainError(_("只有司法所可以处理异常提示"), code="forbidden_role")
    if flag.settlement.status not in DECIDABLE:
        raise DomainError(_("结算单已审批，不能再处理异常提示"), code="invalid_state")


def flag_decide(*, flag: Flag, by, decision: str, reason: str) -> Flag:
    """Clear or reject an open flag, with a reason."""
    from guwen.subsidy.services.chain import recap

    _require(flag, by)
    if decision not in ("clear", "reject"):
        raise DomainError(_("请选择处理结果"), field="decision")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写处理理由"), field="reason")
    if len(reason) > 300:
        raise DomainError(_("理由不能超过 300 字"), field="reason")
    with transaction.atomic():
        current = Flag.objects.select_for_update().select_related("settlement").get(pk=flag.pk)
        if current.status != FlagStatus.OPEN:
            raise Conflict(_("该异常提示已被他人处理，请刷新后查看"), code="changed")
        current.status = FlagStatus.CLEARED if decision == "clear" else FlagStatus.REJECTED
        current.reason, current.decided_by, current.decided_at = reason, by, timezone.now()
        current.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        settlement = current.settlement
        if decision == "reject" and current.line_id:
            line = SettlementLine.objects.get(pk=current.line_id)
            if line.amount:
                position = (
                    settlement.lines.order_by("-position").values_list("position", flat=True).first() or 0
                ) + 1
                SettlementLine.objects.create(
                    settlement=settlement,
                    lawyer_id=settlement.lawyer_id,
                    position=position,
                    kind=LineKind.ADJUSTMENT,
                    amount=-line.amount,
                    created_by=by,
                    record_label=line.record_label,
                    record_url=line.record_url,
                    note=_("核减（%(k)s）：%(r)s") % {"k": current.get_kind_display(), "r": reason},
                )
                recap(settlement)
        settlement.revision += 1
        type(settlement).objects.filter(pk=settlement.pk).update(revision=settlement.revision)
        audit.record(
            actor=by,
            action=f"subsidy.flag.{decision}",
            obj=current,
            new={"status": current.status},
            context={"reason": reason, "settlement": settlement.pk},
        )
    return current


def flag_callback_result(*, flag: Flag, by, result: str, note: str = "") -> Flag:
    """The outcome of a sampled callback: confirmed clears the flag; failed or unreachable keeps it
    open and holds the settlement until the office rejects the line or clears it with a reason."""
    _require(flag, by)
    if flag.kind != FlagKind.CALLBACK_SAMPLE:
        raise DomainError(_("只有抽查回访需要登记回访结果"), code="invalid_state")
    if result not in (CallbackResult.CONFIRMED, CallbackResult.FAILED, CallbackResult.UNREACHABLE):
        raise DomainError(_("请选择回访结果"), field="result")
    note = (note or "").strip()[:300]
    with transaction.atomic():
        current = Flag.objects.select_for_update().get(pk=flag.pk)
        if current.status != FlagStatus.OPEN:
            raise Conflict(_("该异常提示已被他人处理，请刷新后查看"), code="changed")
        current.callback_result = result
        if result == CallbackResult.CONFIRMED:
            current.status = FlagStatus.CLEARED
            current.reason = note or _("回访属实")
            current.decided_by, current.decided_at = by, timezone.now()
        else:
            current.reason = note
        current.save(update_fields=["callback_result", "status", "reason", "decided_by", "decided_at"])
        audit.record(actor=by, action="subsidy.flag.callback", obj=current, new={"result": result})
    return current
