"""The State Council's holiday dates for a year the packaged data does not cover (放假 and 调休上班),
entered by the judicial office or the bureau. They are written as the work calendar's overrides, so
shift generation and every deadline follow them at once."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.accounts.scope import current_memberships, is_sysadmin
from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.core.models import CalendarOverride

EDITORS = {Role.OFFICE, Role.BUREAU}
FIRST_YEAR = 2004  # the packaged data's first year
NAME_MAX = 60


def _line(row: CalendarOverride) -> str:
    return f"{row.date.isoformat()} {'上班' if row.is_workday else '放假'} {row.name}"


def may_edit_calendar(user) -> bool:
    return is_sysadmin(user) or any(m.role in EDITORS for m in current_memberships(user))


def holiday_year_set(
    *, year: int, rest_days: list[tuple[date, str]], workdays: list[tuple[date, str]], by
) -> list[CalendarOverride]:
    """Replace ``year``'s calendar entries with the published list: rest days with the holiday's
    name, and the weekends worked in lieu (调休上班). Audited with the lists before and after."""
    if not may_edit_calendar(by):
        raise DomainError(_("节假日安排由司法所或司法局录入"), field="year", code="forbidden")
    if not FIRST_YEAR <= year <= 2100:
        raise DomainError(_("年份不正确"), field="year")
    seen: dict[date, str] = {}
    for field, days in (("rest_days", rest_days), ("workdays", workdays)):
        for day, name in days:
            if day.year != year:
                raise DomainError(_("%(d)s 不在 %(y)d 年内") % {"d": day.isoformat(), "y": year}, field=field)
            if day in seen:
                raise DomainError(
                    _("%(d)s 重复出现（放假和调休上班不能是同一天）") % {"d": day.isoformat()}, field=field
                )
            if not (name or "").strip():
                raise DomainError(_("%(d)s 缺少名称") % {"d": day.isoformat()}, field=field)
            if len(name.strip()) > NAME_MAX:
                raise DomainError(_("名称不能超过 %(n)d 字") % {"n": NAME_MAX}, field=field)
            seen[day] = field
    for day, _name in workdays:
        if day.weekday() < 5:
            raise DomainError(
                _("%(d)s 是工作日，调休上班日应为周六或周日") % {"d": day.isoformat()}, field="workdays"
            )
    if not rest_days:
        raise DomainError(_("请至少填写一天放假日期"), field="rest_days")
    with transaction.atomic():
        before = CalendarOverride.objects.filter(date__year=year).order_by("date")
        old = [_line(row) for row in before]
        CalendarOverride.objects.filter(date__year=year).delete()
        rows = [
            CalendarOverride(date=day, is_workday=False, name=name.strip(), note=_("国务院办公厅通知"))
            for day, name in rest_days
        ] + [
            CalendarOverride(date=day, is_workday=True, name=name.strip(), note=_("国务院办公厅通知"))
            for day, name in workdays
        ]
        for row in rows:
            row.save()  # one by one: the work calendar's cache is bumped on save
        audit.record(
            actor=by,
            action="calendar.year_set",
            object_type="core.calendaroverride",
            object_id=str(year),
            old={"entries": old},
            new={"entries": [_line(r) for r in rows]},
            context={"year": year},
        )
    return sorted(rows, key=lambda r: r.date)
