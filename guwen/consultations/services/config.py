"""Writes to the module's own settings records: an advisor's away periods, a community's group robot."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations.models import AdvisorAway, GroupChannel, new_group_secret
from guwen.core import audit
from guwen.core.errors import DomainError

AWAY_MAX_DAYS = 366


def advisor_away_create(
    *, lawyer, starts_at: datetime, ends_at: datetime, reason: str = "", by
) -> AdvisorAway:
    """Mark an advisor away for a period: new questions for their communities go to the backup."""
    if ends_at <= starts_at:
        raise DomainError(_("结束时间必须晚于开始时间"), field="ends_at")
    if (ends_at - starts_at).days > AWAY_MAX_DAYS:
        raise DomainError(_("外出时间不能超过一年"), field="ends_at")
    if ends_at <= timezone.now():
        raise DomainError(_("结束时间已经过去"), field="ends_at")
    with transaction.atomic():
        away = AdvisorAway.objects.create(
            lawyer=lawyer,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=(reason or "").strip()[:100],
            created_by=by,
        )
        audit.record(
            actor=by,
            action="advisor.away",
            obj=away,
            new={"lawyer": lawyer.pk, "from": starts_at, "to": ends_at},
        )
    return away


def advisor_away_end(*, away: AdvisorAway, by) -> AdvisorAway:
    now = timezone.now()
    if away.ends_at <= now:
        raise DomainError(_("该外出登记已结束"), field="ends_at")
    with transaction.atomic():
        old = away.ends_at
        AdvisorAway.objects.filter(pk=away.pk).update(ends_at=max(now, away.starts_at + timedelta(minutes=1)))
        away.refresh_from_db()
        audit.record(actor=by, action="advisor.away_end", obj=away, old={"to": old}, new={"to": away.ends_at})
    return away


def group_channel_ensure(*, community, group_name: str = "", by) -> GroupChannel:
    """The community's group-robot channel, created with a fresh secret when missing."""
    channel = GroupChannel.objects.filter(community=community).first()
    if channel is not None:
        return channel
    with transaction.atomic():
        channel = GroupChannel.objects.create(community=community, group_name=group_name.strip()[:80])
        audit.record(actor=by, action="group_channel.create", obj=channel, new={"community": community.code})
    return channel


def group_channel_rotate_secret(*, channel: GroupChannel, by) -> GroupChannel:
    with transaction.atomic():
        channel.secret = new_group_secret()
        channel.save(update_fields=["secret"])
        audit.record(actor=by, action="group_channel.rotate_secret", obj=channel)
    return channel
