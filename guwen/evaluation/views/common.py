"""What evaluation pages share: the year asked for, the roles that use each page, and the period and
options a dashboard figure's link narrows a list by."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.accounts.scope import roles_of
from guwen.core.errors import DomainError
from guwen.core.workcalendar import CHINA_TZ

USERS = {
    Role.ADVISOR,
    Role.COMMUNITY_STAFF,
    Role.OFFICE,
    Role.BUREAU,
    Role.FIRM_ADMIN,
    Role.ASSOCIATION,
    Role.SYSADMIN,
}
# The pages with names on them: not the association's (anonymised aggregates only).
WORKERS = USERS - {Role.ASSOCIATION}
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def year_of(request) -> int:
    """``?year=2026``; anything else (or nothing) is the current year."""
    today = timezone.localdate()
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= today.year else today.year


def require_roles(user, roles) -> set[str]:
    held = roles_of(user)
    if not held & set(roles):
        raise Http404
    return held


def _day(params, name: str) -> date | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    if DAY_RE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise DomainError(_("日期格式应为 YYYY-MM-DD，例如 2026-03-01"), field=name)


def period_of(params) -> tuple[date | None, date | None]:
    """``date_from`` and ``date_to`` (either may be left out): the days a figure's period covers;
    ``DomainError`` (422, in Chinese) for a day that is not one or an end before the start."""
    first, last = _day(params, "date_from"), _day(params, "date_to")
    if first and last and last < first:
        raise DomainError(_("截止日期不能早于起始日期"), field="date_to")
    return first, last


def within(rows, field: str, first: date | None, last: date | None):
    """Rows whose ``field`` (a moment) falls on the days ``first`` to ``last`` in China time, the
    bounds the dashboard counts by."""
    if first is not None:
        rows = rows.filter(**{f"{field}__gte": datetime.combine(first, time.min, tzinfo=CHINA_TZ)})
    if last is not None:
        end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=CHINA_TZ)
        rows = rows.filter(**{f"{field}__lt": end})
    return rows


def choice_of(params, name: str, allowed, message: str, default: str = "") -> str:
    """A list's own option (a tab, a basis): one of ``allowed``, else ``DomainError`` (422)."""
    value = params.get(name) or default
    if value not in allowed:
        raise DomainError(message, field=name)
    return value
