"""The street's online rota and the daily warning about its gaps."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Membership, Role, User
from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.duty.models import CoverageWarning, RotaSlot
from guwen.duty.rota import coverage_gaps
from guwen.duty.selectors import manageable_streets
from guwen.notifications.services import notify
from guwen.regions.models import Lawyer, Level, Region
from guwen.regions.selectors import assignments_on, in_force_on

MAX_SLOT = timedelta(days=7)


def rota_slot_create(
    *, street: Region, lawyer: Lawyer, starts_at: datetime, ends_at: datetime, by, note: str = ""
) -> RotaSlot:
    """Put a lawyer on the street's online rota for a period. The lawyer must serve a community of
    the street then; one lawyer's slots in a street do not overlap."""
    if street.level != Level.STREET:
        raise DomainError(_("线上值班表按街道安排"), field="street")
    if by is not None and not manageable_streets(by).filter(pk=street.pk).exists():
        raise DomainError(_("您无权管理该街道的值班表"), field="street", code="forbidden")
    if ends_at <= starts_at:
        raise DomainError(_("结束时间必须晚于开始时间"), field="ends_at")
    if ends_at - starts_at > MAX_SLOT:
        raise DomainError(_("单次值班不能超过7天"), field="ends_at")
    if ends_at <= timezone.now():
        raise DomainError(_("不能安排已经过去的时间"), field="ends_at")
    if not lawyer.is_active:
        raise DomainError(_("该律师已不在职"), field="lawyer")
    day = timezone.localdate(starts_at)
    serving = assignments_on(day).filter(lawyer=lawyer, community__parent=street).exists()
    if not serving:
        raise DomainError(_("该律师未派驻本街道的社区"), field="lawyer")
    with transaction.atomic():
        Lawyer.objects.select_for_update().filter(pk=lawyer.pk).first()
        if RotaSlot.objects.filter(
            street=street, lawyer=lawyer, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).exists():
            raise Conflict(_("该律师在此期间已有线上值班"), field="starts_at")
        slot = RotaSlot.objects.create(
            street=street,
            lawyer=lawyer,
            starts_at=starts_at,
            ends_at=ends_at,
            note=(note or "").strip()[:200],
        )
        audit.record(
            actor=by,
            action="rota_slot.create",
            obj=slot,
            new={"street": street.code, "lawyer": lawyer.pk, "starts_at": starts_at, "ends_at": ends_at},
        )
    return slot


def rota_slot_delete(*, slot: RotaSlot, by) -> None:
    if by is not None and not manageable_streets(by).filter(pk=slot.street_id).exists():
        raise DomainError(_("您无权管理该街道的值班表"), field="street", code="forbidden")
    if slot.starts_at <= timezone.now():
        raise DomainError(_("已开始的值班不能删除"), field="slot")
    with transaction.atomic():
        audit.record(
            actor=by,
            action="rota_slot.delete",
            obj=slot,
            old={"lawyer": slot.lawyer_id, "starts_at": slot.starts_at, "ends_at": slot.ends_at},
        )
        slot.delete()


def office_users(street: Region) -> list[User]:
    """The street judicial office's users today (who the coverage warning goes to)."""
    today = timezone.localdate()
    ids = Membership.objects.filter(in_force_on(today), role=Role.OFFICE, region=street).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def coverage_warn(*, street: Region, now: datetime | None = None) -> CoverageWarning | None:
    """Warn the street's office, once a day, that the online rota has gaps in the coming days.
    The row is unique per street and day: of several workers only the one that creates it notifies."""
    moment = now or timezone.now()
    gaps = coverage_gaps(street=street, now=moment)
    if not gaps:
        return None
    try:
        with transaction.atomic():
            warning = CoverageWarning.objects.create(
                street=street,
                on=timezone.localdate(moment),
                gap_count=len(gaps),
                gap_minutes=sum(g.minutes for g in gaps),
                first_gap_at=gaps[0].starts_at,
            )
            audit.record(actor=None, action="duty.coverage_warning", obj=warning, context={"gaps": len(gaps)})
            recipients = office_users(street)
            first = timezone.localtime(gaps[0].starts_at)
            title = _("%(street)s线上值班有 %(n)d 处空档") % {"street": street.name, "n": len(gaps)}
            body = _("未来值班表中有无人值守的时段，最早一处从 %(at)s 开始，请尽快安排值班律师。") % {
                "at": f"{first:%m月%d日 %H:%M}"
            }
            url = f"/duty/rota/{street.code}/"
            transaction.on_commit(
                lambda: notify(
                    recipients=recipients,
                    event="duty.coverage_gap",
                    title=title,
                    body=body,
                    url=url,
                    context={"street": street.code, "gaps": len(gaps)},
                    region=street,
                ),
                robust=True,
            )
    except IntegrityError:
        return None  # already warned today (by this or another worker)
    return warning
