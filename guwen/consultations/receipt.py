"""What a resident's receipt says about the answer, in plain words: when it is due ("司法所承诺在
12月5日（周六）18:00 前答复"), that the clock waits for them, or that the promise was missed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations.models import Consultation, Status

WEEKDAYS = "一二三四五六日"


def moment_in_words(when: datetime, now: datetime) -> str:
    """``when`` as a resident reads it, in local time: "12月5日（周六）18:00", with 今天 or 明天 in
    front when it is that close and the year when it is not this one."""
    local = timezone.localtime(when)
    today = timezone.localtime(now).date()
    text = _("%(month)d月%(day)d日（周%(weekday)s）%(time)s") % {
        "month": local.month,
        "day": local.day,
        "weekday": WEEKDAYS[local.weekday()],
        "time": local.strftime("%H:%M"),
    }
    if local.year != today.year:
        text = _("%(year)d年") % {"year": local.year} + text
    if local.date() == today:
        return _("今天 %(when)s") % {"when": text}
    if local.date() == today + timedelta(days=1):
        return _("明天 %(when)s") % {"when": text}
    return text


def due_in_words(consultation: Consultation, now: datetime | None = None) -> str:
    """The answer's due time as the receipt states it; empty once the question is answered."""
    now = now or timezone.now()
    if consultation.status in (Status.ANSWERED, Status.CLOSED):
        return ""
    if consultation.status == Status.WAITING_RESIDENT:
        return _("顾问律师请您补充信息。补充后，司法所将重新计时安排答复。")
    if consultation.due_at is None:
        return _("司法所会尽快安排顾问律师答复。")
    when = moment_in_words(consultation.due_at, now)
    if consultation.due_at <= now:
        return _("已超过承诺的答复时间（%(when)s），司法所正在督促办理，请您留意答复。") % {"when": when}
    return _("司法所承诺在 %(when)s 前答复。") % {"when": when}
