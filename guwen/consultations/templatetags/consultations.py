from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from guwen.consultations.models import Level
from guwen.consultations.selectors import minutes_left, minutes_waited

register = template.Library()


def _duration(minutes: int) -> str:
    hours, mins = divmod(abs(minutes), 60)
    if hours >= 48:
        return _("%(d)d 天") % {"d": hours // 24}
    if hours:
        return _("%(h)d 小时 %(m)d 分") % {"h": hours, "m": mins}
    return _("%(m)d 分钟") % {"m": mins}


def waited_text(minutes: int) -> str:
    """How long a resident has waited, to the hour once it is a day or more: "3天5小时"."""
    days, rest = divmod(max(minutes, 0), 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)d天%(h)d小时") % {"d": days, "h": hours} if hours else _("%(d)d天") % {"d": days}
    if hours:
        return _("%(h)d小时%(m)d分") % {"h": hours, "m": mins} if mins else _("%(h)d小时") % {"h": hours}
    return _("%(m)d分钟") % {"m": mins}


@register.simple_tag
def time_left(consultation) -> dict:
    """The current level's clock: {"text": "剩余 1 小时 20 分" / "街道级剩余 10 小时" / "已超时 35 分钟" /
    "", "overdue": bool, "soon": bool}. Above the community the level is named, since escalation
    started that level's clock afresh."""
    left = minutes_left(consultation)
    if left is None:
        return {"text": "", "overdue": False, "soon": False}
    level = "" if consultation.level == Level.COMMUNITY else consultation.get_level_display() + _("级")
    if left < 0:
        return {"text": level + _("已超时 %(t)s") % {"t": _duration(left)}, "overdue": True, "soon": False}
    return {"text": level + _("剩余 %(t)s") % {"t": _duration(left)}, "overdue": False, "soon": left <= 30}


@register.simple_tag
def waited(consultation) -> dict:
    """Since the resident asked: {"text": "已等待 3天5小时" / "", "long": bool, "past_first": bool}.
    ``past_first`` marks a question never answered whose first deadline has passed, even when a later
    level's clock still runs."""
    minutes = minutes_waited(consultation)
    if minutes is None:
        return {"text": "", "long": False, "past_first": False}
    return {
        "text": _("已等待 %(t)s") % {"t": waited_text(minutes)},
        "long": minutes >= 3 * 24 * 60,
        "past_first": consultation.is_past_first_deadline,
    }


@register.filter
def waited_for(minutes) -> str:
    """Minutes as "3天5小时" (the first answer's time on a detail page)."""
    return waited_text(int(minutes)) if minutes is not None else ""
