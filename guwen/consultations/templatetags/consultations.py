from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from guwen.consultations.selectors import minutes_left

register = template.Library()


def _duration(minutes: int) -> str:
    hours, mins = divmod(abs(minutes), 60)
    if hours >= 48:
        return _("%(d)d 天") % {"d": hours // 24}
    if hours:
        return _("%(h)d 小时 %(m)d 分") % {"h": hours, "m": mins}
    return _("%(m)d 分钟") % {"m": mins}


@register.simple_tag
def time_left(consultation) -> dict:
    """{"text": "剩余 1 小时 20 分" / "已超时 35 分钟" / "", "overdue": bool, "soon": bool}"""
    left = minutes_left(consultation)
    if left is None:
        return {"text": "", "overdue": False, "soon": False}
    if left < 0:
        return {"text": _("已超时 %(t)s") % {"t": _duration(left)}, "overdue": True, "soon": False}
    return {"text": _("剩余 %(t)s") % {"t": _duration(left)}, "overdue": False, "soon": left <= 30}
