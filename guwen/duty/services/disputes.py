"""Confirming many shifts at once, and the community's dispute of a shift on record as held that
was not held in fact (签到在案、实际未到岗), which the judicial office decides."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.duty.models import DisputeStatus, DutyDispute, DutyShift, ShiftStatus
from guwen.duty.services.attendance import duty_shift_confirm
from guwen.duty.workflow import SHIFT, shift_roles

MAX_BULK = 200
REASON_MAX = 500


@dataclass
class BulkConfirmResult:
    confirmed: list[DutyShift] = field(default_factory=list)
    refused: list[tuple[DutyShift, DomainError]] = field(default_factory=list)


def duty_shifts_confirm(*, shifts: list[DutyShift], by, note: str = "") -> BulkConfirmResult:
    """Confirm many shifts in one transaction. A shift that cannot be confirmed (already confirmed,
    not yet checked out, outside the user's roles) is reported with its reason and the others go
    through; each confirmation is audited like a single one."""
    if not shifts:
        raise DomainError(_("请至少选择一个班次"), field="shifts")
    if len(shifts) > MAX_BULK:
        raise DomainError(_("一次最多确认 %(n)d 个班次") % {"n": MAX_BULK}, field="shifts")
    result = BulkConfirmResult()
    with transaction.atomic():
        for shift in shifts:
            try:
                result.confirmed.append(duty_shift_confirm(shift=shift, by=by, note=note))
            except DomainError as exc:
                result.refused.append((shift, exc))
    return result


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明异议理由，例如：当天社区未见律师到岗"), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("异议理由不能超过 %(n)d 字") % {"n": REASON_MAX}, field="reason")
    return reason


def duty_shift_dispute(*, shift: DutyShift, reason: str, by) -> DutyDispute:
    """Community staff say the advisor was not there although the record says so. The shift waits
    on the judicial office's decision; one dispute per shift."""
    reason = _clean_reason(reason)
    roles = shift_roles(by, shift) - {Role.ADVISOR}
    if not roles & {Role.COMMUNITY_STAFF, Role.SYSADMIN}:
        raise DomainError(_("只有社区工作人员可以对考勤提出异议"), field="shift", code="forbidden")
    if DutyDispute.objects.filter(shift=shift).exists():
        raise Conflict(_("该班次已有异议记录，司法所的决定为最终结果"), field="shift")
    target = SHIFT.require(shift, "dispute", roles)
    with transaction.atomic():
        updated = DutyShift.objects.filter(pk=shift.pk, status=shift.status).update(status=target)
        if updated != 1:
            raise Conflict()
        dispute = DutyDispute.objects.create(
            shift=shift, previous_status=shift.status, reason=reason, raised_by=by
        )
        old = shift.status
        shift.refresh_from_db()
        audit.record(
            actor=by,
            action="duty_shift.dispute",
            obj=shift,
            old={"status": old},
            new={"status": target},
            context={"reason": reason, "dispute": dispute.pk},
        )
    return dispute


def duty_dispute_decide(*, dispute: DutyDispute, accept: bool, by, note: str = "") -> DutyDispute:
    """The judicial office decides a dispute: accepted, the shift counts as missed (its minutes no
    longer count); rejected, the shift stays confirmed as held."""
    shift = dispute.shift
    action = "accept_dispute" if accept else "reject_dispute"
    roles = shift_roles(by, shift) - {Role.ADVISOR}
    if not roles & {Role.OFFICE, Role.SYSADMIN}:
        raise DomainError(_("考勤异议由司法所决定"), field="decision", code="forbidden")
    if dispute.status != DisputeStatus.PENDING:
        raise Conflict(_("该异议已处理"), field="decision")
    target = SHIFT.require(shift, action, roles)
    note = (note or "").strip()
    if len(note) > 200:
        raise DomainError(_("说明不能超过200字"), field="note")
    now = timezone.now()
    with transaction.atomic():
        changes = {"status": target}
        if target == ShiftStatus.CONFIRMED and shift.confirmed_at is None:
            changes.update(confirmed_at=now, confirmed_by=by)
        updated = DutyShift.objects.filter(pk=shift.pk, status=ShiftStatus.DISPUTED).update(**changes)
        done = DutyDispute.objects.filter(pk=dispute.pk, status=DisputeStatus.PENDING).update(
            status=DisputeStatus.ACCEPTED if accept else DisputeStatus.REJECTED,
            decided_by=by,
            decided_at=now,
            decision_note=note,
        )
        if updated != 1 or done != 1:
            raise Conflict(_("该异议已处理"), field="decision")
        dispute.refresh_from_db()
        shift.refresh_from_db()
        audit.record(
            actor=by,
            action=f"duty_shift.{action}",
            obj=shift,
            old={"status": ShiftStatus.DISPUTED},
            new={"status": target},
            context={"dispute": dispute.pk, "note": note},
        )
    return dispute
