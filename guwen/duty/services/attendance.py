"""Attendance: check-in and check-out on the server's clock, the sweep that closes past shifts,
the community's confirmation, and substitution (替班) and swap (换班) requests."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.duty.images import read_photo
from guwen.duty.models import (
    ChangeKind,
    CheckKind,
    DutyChangeRequest,
    DutyCheck,
    DutyShift,
    RequestStatus,
    ShiftStatus,
)
from guwen.duty.selectors import settings_for
from guwen.duty.services.rules import lawyer_overlaps
from guwen.duty.workflow import CHANGE_REQUEST, SHIFT, request_roles, shift_roles
from guwen.regions.models import Lawyer
from guwen.regions.selectors import assignments_on

MINUTE = timedelta(minutes=1)


def _hm(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def _day_hm(moment: datetime) -> str:
    """「12月5日 08:30」: a time on another day than today means nothing without its date."""
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def _require_own_shift(shift: DutyShift, by) -> None:
    if Role.ADVISOR not in shift_roles(by, shift):
        raise DomainError(_("只能为本人的班次签到签退"), field="shift", code="not_own_shift")


def duty_shift_check_in(*, shift: DutyShift, by, photo=None, note: str = "") -> DutyShift:
    """Check in on the server's clock, within the tolerance window around the start; late is
    flagged when the check-in comes after the district's late threshold."""
    _require_own_shift(shift, by)
    if shift.status in (ShiftStatus.CHECKED_IN, ShiftStatus.COMPLETED, ShiftStatus.CONFIRMED):
        raise Conflict(_("本班次已签到，不能重复签到"), field="shift", code="already_checked_in")
    SHIFT.require(shift, "check_in", shift_roles(by, shift))
    now = timezone.now()
    tolerance = timedelta(minutes=shift.tolerance_minutes)
    opens, closes = shift.starts_at - tolerance, min(shift.starts_at + tolerance, shift.ends_at)
    if now < opens:
        raise DomainError(_("签到将于 %(t)s 开放") % {"t": _day_hm(opens)}, field="shift", code="too_early")
    if now > closes:
        raise DomainError(
            _("已超过签到时间（最晚 %(t)s）") % {"t": _hm(closes)}, field="shift", code="too_late"
        )
    stored = read_photo(photo) if photo else None
    late = now > shift.starts_at + timedelta(minutes=shift.late_threshold_minutes)
    with transaction.atomic():
        updated = DutyShift.objects.filter(pk=shift.pk, status=ShiftStatus.SCHEDULED).update(
            status=ShiftStatus.CHECKED_IN, checked_in_at=now, is_late=late
        )
        if updated != 1:
            raise Conflict(_("本班次已签到，不能重复签到"), field="shift", code="already_checked_in")
        _record_check(shift, CheckKind.IN, now, by, stored, note)
        shift.refresh_from_db()
        audit.record(
            actor=by,
            action="duty_shift.check_in",
            obj=shift,
            old={"status": ShiftStatus.SCHEDULED},
            new={"status": shift.status, "late": late},
            context={"photo": bool(stored)},
        )
    return shift


def _record_check(shift: DutyShift, kind: str, at: datetime, by, stored, note: str) -> None:
    check = DutyCheck(shift=shift, kind=kind, at=at, by=by, note=(note or "").strip()[:200])
    if stored is not None:
        content, photo_type = stored
        check.photo_type = photo_type
        check.photo.save(content.name, content, save=False)
    try:
        with transaction.atomic():
            check.save()
    except IntegrityError:
        raise Conflict(field="shift") from None


def held_minutes(shift: DutyShift, until: datetime) -> int:
    """Minutes on site inside the scheduled hours: an early arrival or a late stay adds nothing."""
    begin = max(shift.checked_in_at or shift.starts_at, shift.starts_at)
    end = min(until, shift.ends_at)
    return max(0, int((end - begin) // MINUTE))


def duty_shift_check_out(
    *, shift: DutyShift, by, photo=None, note: str = "", confirm: bool = False
) -> DutyShift:
    """Check out on the server's clock; leaving before the end (beyond the late threshold) flags
    the shift as short. Held minutes count only the scheduled hours. A check-out within the
    district's confirmation window after the check-in is most often a mis-tap: it is refused with
    ``code="confirm_check_out"`` until sent again with ``confirm=True``."""
    _require_own_shift(shift, by)
    if shift.status == ShiftStatus.SCHEDULED:
        raise DomainError(_("请先签到"), field="shift", code="not_checked_in")
    if shift.status in (ShiftStatus.COMPLETED, ShiftStatus.CONFIRMED):
        raise Conflict(_("本班次已签退"), field="shift", code="already_checked_out")
    SHIFT.require(shift, "check_out", shift_roles(by, shift))
    now = timezone.now()
    closes = shift.ends_at + timedelta(minutes=shift.tolerance_minutes)
    if now > closes:
        raise DomainError(
            _("已超过签退时间（最晚 %(t)s）") % {"t": _hm(closes)}, field="shift", code="too_late"
        )
    window = settings_for(shift.community, shift.date).check_out_confirm_minutes
    since = int((now - shift.checked_in_at) // MINUTE) if shift.checked_in_at else window
    if since < window and not confirm:
        raise Conflict(
            _("您 %(n)d 分钟前刚签到（%(t)s），确定现在签退吗？")
            % {"n": since, "t": _hm(shift.checked_in_at)},
            field="confirm",
            code="confirm_check_out",
        )
    stored = read_photo(photo) if photo else None
    short = now < shift.ends_at - timedelta(minutes=shift.late_threshold_minutes)
    minutes = held_minutes(shift, now)
    with transaction.atomic():
        updated = DutyShift.objects.filter(pk=shift.pk, status=ShiftStatus.CHECKED_IN).update(
            status=ShiftStatus.COMPLETED, checked_out_at=now, is_short=short, held_minutes=minutes
        )
        if updated != 1:
            raise Conflict(_("本班次已签退"), field="shift", code="already_checked_out")
        _record_check(shift, CheckKind.OUT, now, by, stored, note)
        shift.refresh_from_db()
        audit.record(
            actor=by,
            action="duty_shift.check_out",
            obj=shift,
            old={"status": ShiftStatus.CHECKED_IN},
            new={"status": shift.status, "short": short, "held_minutes": minutes},
            context={"photo": bool(stored), "confirmed_soon_after_check_in": since < window},
        )
    return shift


def shifts_close_past(*, now: datetime | None = None) -> int:
    """The sweep: a scheduled shift whose check-in window has passed is missed; a checked-in shift
    whose check-out window has passed is closed as "未签退" with its scheduled hours. Each change is
    a compare-and-set, so two workers never close the same shift twice."""
    moment = now or timezone.now()
    changed = 0
    for shift in DutyShift.objects.filter(status=ShiftStatus.SCHEDULED, starts_at__lt=moment).only(
        "id", "starts_at", "ends_at", "tolerance_minutes", "status"
    ):
        closes = min(shift.starts_at + timedelta(minutes=shift.tolerance_minutes), shift.ends_at)
        if moment <= closes:
            continue
        with transaction.atomic():
            if DutyShift.objects.filter(pk=shift.pk, status=ShiftStatus.SCHEDULED).update(
                status=ShiftStatus.MISSED
            ):
                audit.record(
                    actor=None,
                    action="duty_shift.mark_missed",
                    obj=shift,
                    old={"status": "scheduled"},
                    new={"status": "missed"},
                )
                changed += 1
    for shift in DutyShift.objects.filter(status=ShiftStatus.CHECKED_IN, ends_at__lt=moment):
        if moment <= shift.ends_at + timedelta(minutes=shift.tolerance_minutes):
            continue
        minutes = held_minutes(shift, shift.ends_at)
        with transaction.atomic():
            if DutyShift.objects.filter(pk=shift.pk, status=ShiftStatus.CHECKED_IN).update(
                status=ShiftStatus.COMPLETED, no_check_out=True, held_minutes=minutes
            ):
                audit.record(
                    actor=None,
                    action="duty_shift.close_unfinished",
                    obj=shift,
                    old={"status": "checked_in"},
                    new={"status": "completed", "held_minutes": minutes},
                )
                changed += 1
    return changed


def duty_shift_confirm(*, shift: DutyShift, by, note: str = "") -> DutyShift:
    """The community (or the office) confirms the advisor was there; due within the shift's week."""
    if shift.status in (ShiftStatus.SCHEDULED, ShiftStatus.CHECKED_IN):
        raise DomainError(_("班次尚未签退，不能确认"), field="shift", code="not_finished")
    if shift.status == ShiftStatus.CONFIRMED:
        raise Conflict(_("该班次已确认"), field="shift")
    SHIFT.require(shift, "confirm", shift_roles(by, shift) - {Role.ADVISOR})
    now = timezone.now()
    overdue = timezone.localdate(now) > shift.confirm_due
    with transaction.atomic():
        updated = DutyShift.objects.filter(pk=shift.pk, status=ShiftStatus.COMPLETED).update(
            status=ShiftStatus.CONFIRMED, confirmed_at=now, confirmed_by=by
        )
        if updated != 1:
            raise Conflict(_("该班次已确认"), field="shift")
        shift.refresh_from_db()
        audit.record(
            actor=by,
            action="duty_shift.confirm",
            obj=shift,
            old={"status": ShiftStatus.COMPLETED},
            new={"status": ShiftStatus.CONFIRMED},
            context={"overdue": overdue, "note": (note or "")[:200]},
        )
    return shift


# --- substitution and swap ------------------------------------------------------------------


def _changeable(shift: DutyShift, field: str) -> None:
    if shift.status != ShiftStatus.SCHEDULED:
        raise DomainError(_("只有待值班的班次可以替班或换班"), field=field)
    if shift.starts_at <= timezone.now():
        raise DomainError(_("班次已开始，不能替班或换班"), field=field)


def _assigned_to(lawyer: Lawyer, shift: DutyShift) -> bool:
    return assignments_on(shift.date).filter(lawyer=lawyer, community=shift.community).exists()


def _check_swap_fits(shift: DutyShift, other: DutyShift) -> None:
    both = [shift.pk, other.pk]
    if lawyer_overlaps(other.lawyer, shift.starts_at, shift.ends_at, exclude=both).exists():
        raise Conflict(_("%(name)s 在该时间已有其他班次") % {"name": other.lawyer.name}, field="other_shift")
    if lawyer_overlaps(shift.lawyer, other.starts_at, other.ends_at, exclude=both).exists():
        raise Conflict(
            _("%(name)s 在对方时间已有其他班次") % {"name": shift.lawyer.name}, field="other_shift"
        )


def _check_substitute_fits(shift: DutyShift, substitute: Lawyer) -> None:
    if substitute.pk == shift.lawyer_id:
        raise DomainError(_("替班律师不能是本班次律师"), field="substitute")
    if not substitute.is_active:
        raise DomainError(_("该律师已不在职"), field="substitute")
    if not _assigned_to(substitute, shift):
        raise DomainError(_("替班律师须为本社区的备岗顾问"), field="substitute")
    if lawyer_overlaps(substitute, shift.starts_at, shift.ends_at).exists():
        raise Conflict(_("替班律师在该时间已有其他班次"), field="substitute")


def duty_change_request_create(
    *,
    shift: DutyShift,
    kind: str,
    reason: str,
    by,
    substitute: Lawyer | None = None,
    other_shift: DutyShift | None = None,
) -> DutyChangeRequest:
    """Ask the community to hand a shift to the backup advisor, or to swap it with another
    advisor's shift in the same street. Asked by the advisor on duty or the community's staff."""
    roles = shift_roles(by, shift)
    if not roles & {Role.ADVISOR, Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}:
        raise DomainError(_("只有值班律师或社区可以申请替班换班"), field="shift", code="forbidden")
    if kind not in ChangeKind.values:
        raise DomainError(_("请选择替班或换班"), field="kind")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写原因"), field="reason")
    _changeable(shift, "shift")
    if kind == ChangeKind.SUBSTITUTE:
        if substitute is None:
            raise DomainError(_("请选择替班律师"), field="substitute")
        _check_substitute_fits(shift, substitute)
        other_shift = None
    else:
        if other_shift is None:
            raise DomainError(_("请选择对调的班次"), field="other_shift")
        if other_shift.pk == shift.pk or other_shift.lawyer_id == shift.lawyer_id:
            raise DomainError(_("请选择其他律师的班次"), field="other_shift")
        if other_shift.community.parent_id != shift.community.parent_id:
            raise DomainError(_("只能与本街道的班次对调"), field="other_shift")
        _changeable(other_shift, "other_shift")
        _check_swap_fits(shift, other_shift)
        substitute = None
    pending = DutyChangeRequest.objects.filter(status=RequestStatus.PENDING)
    involved = [shift.pk] + ([other_shift.pk] if other_shift else [])
    if pending.filter(Q(shift__in=involved) | Q(other_shift__in=involved)).exists():
        raise Conflict(_("该班次已有待审批的申请"), field="shift")
    with transaction.atomic():
        request = DutyChangeRequest.objects.create(
            kind=kind,
            shift=shift,
            other_shift=other_shift,
            substitute=substitute,
            reason=reason[:200],
            requested_by=by,
        )
        audit.record(
            actor=by,
            action="duty_change_request.create",
            obj=request,
            new={
                "kind": kind,
                "shift": shift.pk,
                "other_shift": other_shift.pk if other_shift else None,
                "substitute": substitute.pk if substitute else None,
            },
        )
    return request


def _decide(request: DutyChangeRequest, action: str, by, note: str) -> DutyChangeRequest:
    roles = request_roles(by, request)
    if action != "withdraw":
        roles -= {Role.ADVISOR}
    target = CHANGE_REQUEST.require(request, action, roles)
    now = timezone.now()
    with transaction.atomic():
        if action == "approve":
            shift = (
                DutyShift.objects.select_for_update()
                .select_related("lawyer", "community")
                .get(pk=request.shift_id)
            )
            _changeable(shift, "shift")
            if request.kind == ChangeKind.SUBSTITUTE:
                _check_substitute_fits(shift, request.substitute)
                DutyShift.objects.filter(pk=shift.pk).update(
                    lawyer=request.substitute, original_lawyer=shift.original_lawyer_id or shift.lawyer_id
                )
            else:
                other = (
                    DutyShift.objects.select_for_update()
                    .select_related("lawyer")
                    .get(pk=request.other_shift_id)
                )
                _changeable(other, "other_shift")
                _check_swap_fits(shift, other)
                DutyShift.objects.filter(pk=shift.pk).update(
                    lawyer=other.lawyer_id, original_lawyer=shift.original_lawyer_id or shift.lawyer_id
                )
                DutyShift.objects.filter(pk=other.pk).update(
                    lawyer=shift.lawyer_id, original_lawyer=other.original_lawyer_id or other.lawyer_id
                )
        updated = DutyChangeRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
            status=target, decided_by=by, decided_at=now, decision_note=(note or "").strip()[:200]
        )
        if updated != 1:
            raise Conflict()
        request.refresh_from_db()
        audit.record(
            actor=by,
            action=f"duty_change_request.{action}",
            obj=request,
            old={"status": RequestStatus.PENDING},
            new={"status": target},
            context={"note": (note or "")[:200]},
        )
    return request


def duty_change_request_approve(*, request: DutyChangeRequest, by, note: str = "") -> DutyChangeRequest:
    """The community approves: the shift passes to the substitute, or the two shifts swap advisors;
    the original advisor is kept on each shift."""
    return _decide(request, "approve", by, note)


def duty_change_request_reject(*, request: DutyChangeRequest, by, note: str = "") -> DutyChangeRequest:
    return _decide(request, "reject", by, note)


def duty_change_request_withdraw(*, request: DutyChangeRequest, by) -> DutyChangeRequest:
    return _decide(request, "withdraw", by, "")
