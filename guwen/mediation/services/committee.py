"""The mediation committee's own details (address and phone on its documents), and the reminder
before an agreement's court-confirmation (司法确认) window closes."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.core.workcalendar import is_workday
from guwen.duty.workflow import region_roles
from guwen.mediation.models import CONFIRMATION_WINDOW_DAYS, Committee, Outcome, OutcomeKind
from guwen.mediation.services.common import clean_text
from guwen.regions.models import Region

# Digits only, once spaces and dashes are gone: a landline with its area code, a mobile, a 400 line.
_LANDLINE = re.compile(r"^0\d{9,11}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SERVICE = re.compile(r"^400\d{7}$")
COMMITTEE_EDITORS = {Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}


def _clean_phone(value: str) -> str:
    """``0755 2870 1234`` → ``0755-28701234``; a mobile as its 11 digits; ``400-123-4567``."""
    digits = re.sub(r"[\s\-—–－()（）]", "", value)
    if not digits:
        return ""
    if _MOBILE.match(digits):
        return digits
    if _SERVICE.match(digits):
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if _LANDLINE.match(digits):
        area = 3 if digits[1] in "12" else 4  # 010, 02x; other area codes have four digits
        return f"{digits[:area]}-{digits[area:]}"
    raise DomainError(
        _("联系电话格式不正确：请填写带区号的固定电话（如 0755-28701234）或手机号"), field="phone"
    )


def committee_may_edit(user, community: Region) -> bool:
    """Community staff of the community, its street's office and system admins keep the details."""
    return bool(region_roles(user, community) & COMMITTEE_EDITORS)


def committee_update(*, community: Region, by, address: str = "", phone: str = "") -> Committee:
    """Set the committee's address and phone (blank allowed: the documents then print none)."""
    if community.level != "community":
        raise DomainError(_("人民调解委员会设在社区"), field="community")
    if not committee_may_edit(by, community):
        raise DomainError(_("调委会信息由本社区工作人员或司法所维护"), code="forbidden")
    address = clean_text(address, field="address", label=_("地址"), limit=120, required=False)
    phone = _clean_phone(clean_text(phone, field="phone", label=_("联系电话"), limit=30, required=False))
    with transaction.atomic():
        committee, _created = Committee.objects.select_for_update().get_or_create(community=community)
        old = {"address": committee.address, "phone": committee.phone}
        committee.address, committee.phone, committee.updated_at = address, phone, timezone.now()
        committee.save()
        audit.record(
            actor=by,
            action="mediation_committee.update",
            obj=committee,
            old=old,
            new={"address": address, "phone": phone},
        )
    return committee


# --- the court-confirmation window -----------------------------------------------------------------


DEFAULT_REMIND_DAYS = 3


def remind_days() -> int:
    """Working days before the window closes when the reminder goes out: the setting
    GUWEN_MEDIATION_CONFIRMATION_REMIND_DAYS, else 3."""
    return int(getattr(settings, "GUWEN_MEDIATION_CONFIRMATION_REMIND_DAYS", DEFAULT_REMIND_DAYS))


def working_days_left(today: date, last_day: date) -> int:
    """Working days from ``today`` to ``last_day``, both counted (0 when the last day has passed)."""
    days, day = 0, today
    while day <= last_day:
        days += is_workday(day)
        day += timedelta(days=1)
    return days


def confirmation_reminder_due(outcome: Outcome, today: date) -> bool:
    """Whether the parties of a written agreement that have not applied should be reminded today:
    the window is still open and at most ``GUWEN_MEDIATION_CONFIRMATION_REMIND_DAYS`` working days
    (default 3) are left."""
    deadline = outcome.confirmation_deadline
    if deadline is None or outcome.confirmation_applied_on is not None or deadline < today:
        return False
    return working_days_left(today, deadline) <= remind_days()


def agreements_remind_confirmation(*, today: date | None = None) -> int:
    """Remind the case's mediators (or, before any is assigned, the street's office), once per
    agreement, that the 30-day window to apply for judicial confirmation (人民调解法 Art. 33) is
    about to close and the parties have not applied. Safe in several workers at once: the
    compare-and-set on ``confirmation_reminded_at`` lets only one of them send."""
    from guwen.mediation.services.leads import office_users
    from guwen.notifications.services import notify

    today = today or timezone.localdate()
    # Candidates by calendar days (a working-day window of n days spans at most n + 14 calendar days
    # around the longest holiday); the exact rule is ``confirmation_reminder_due``.
    earliest = today - timedelta(days=CONFIRMATION_WINDOW_DAYS)
    latest = today - timedelta(days=CONFIRMATION_WINDOW_DAYS - remind_days() - 14)
    candidates = Outcome.objects.filter(
        kind=OutcomeKind.WRITTEN,
        confirmation_applied_on__isnull=True,
        confirmation_reminded_at__isnull=True,
        decided_on__gte=earliest,
        decided_on__lte=latest,
    ).select_related("case", "case__community", "case__community__parent")
    sent = 0
    for outcome in candidates[:500]:
        if not confirmation_reminder_due(outcome, today):
            continue
        case = outcome.case
        with transaction.atomic():
            won = Outcome.objects.filter(
                pk=outcome.pk, confirmation_reminded_at__isnull=True, confirmation_applied_on__isnull=True
            ).update(confirmation_reminded_at=timezone.now())
            if won != 1:
                continue
            deadline = outcome.confirmation_deadline.isoformat()
            audit.record(
                actor=None,
                action="mediation_case.confirmation_reminder",
                obj=case,
                context={"deadline": deadline},
            )
            recipients = [m.user for m in case.mediators.select_related("user")] or office_users(
                case.community
            )
            body = _(
                "%(title)s 的调解协议可在 %(deadline)s 前由双方当事人共同向人民法院申请司法确认，"
                "当事人尚未申请。如需确认，请及时告知当事人；已申请的请在案件页登记。"
            )
            transaction.on_commit(
                partial(
                    notify,
                    recipients=recipients,
                    event="mediation.confirmation_window",
                    title=(_("司法确认申请期限将届满：%(n)s") % {"n": case.number})[:60],
                    body=body % {"title": case.title, "deadline": deadline},
                    url=f"/mediation/cases/{case.pk}/",
                    context={"case": case.pk},
                    region=case.community,
                ),
                robust=True,
            )
            sent += 1
    return sent
