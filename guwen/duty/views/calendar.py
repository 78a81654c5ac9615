"""The year's holidays (放假 and 调休上班) for the office and the bureau: what the packaged data, the
``holidays`` package and the entered dates say, where they disagree, and the form to enter the State
Council's dates for a year the package does not cover yet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guwen.core.formtools import form_status, form_submit
from guwen.duty import holidays
from guwen.duty.forms import HolidayYearForm
from guwen.duty.services.calendar import FIRST_YEAR, holiday_year_set, may_edit_calendar


def _year_in_range(year: int) -> None:
    if not FIRST_YEAR <= year <= timezone.localdate().year + 2:
        raise Http404


@login_required
def holidays_home(request):
    if not may_edit_calendar(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return redirect("duty:holiday_year", year=holidays.missing_year(today) or today.year)


def _initial(year: int, prefill: bool) -> dict:
    """The entered dates as the form's text, runs of days as one line; or, asked for, the second
    source's rest days (its 调休 working weekends only when it has them)."""
    if prefill:
        rest, worked, _has = holidays.second_source(year)
        rest_days = sorted(rest.items())
        workdays = [(day, _("调休上班")) for day in sorted(worked)]
    else:
        rows = holidays.entered_overrides(year)
        rest_days = [(r.date, r.name) for r in rows if not r.is_workday]
        workdays = [(r.date, r.name) for r in rows if r.is_workday]
    return {"rest_days": _lines(rest_days), "workdays": _lines(workdays)}


def _lines(days) -> str:
    lines: list[str] = []
    run: list = []
    for day, name in days:
        if run and name == run[-1][1] and (day - run[-1][0]).days == 1:
            run.append((day, name))
            continue
        if run:
            lines.append(_run_text(run))
        run = [(day, name)]
    if run:
        lines.append(_run_text(run))
    return "\n".join(lines)


def _run_text(run) -> str:
    first, last, name = run[0][0], run[-1][0], run[0][1]
    if first == last:
        return f"{first.isoformat()} {name}"
    return f"{first.isoformat()} 至 {last.isoformat()} {name}"


@login_required
@require_http_methods(["GET", "POST"])
def holiday_year(request, year: int):
    if not may_edit_calendar(request.user):
        raise PermissionDenied
    _year_in_range(year)
    prefill = request.method == "GET" and request.GET.get("prefill") == "holidays"
    form = HolidayYearForm(request.POST or None, initial=_initial(year, prefill))
    done, _rows = form_submit(
        request,
        form,
        lambda data: holiday_year_set(
            year=year, rest_days=data["rest_days"], workdays=data["workdays"], by=request.user
        ),
    )
    if done:
        messages.success(request, _("已保存 %(y)d 年节假日安排") % {"y": year})
        return redirect("duty:holiday_year", year=year)
    rows = holidays.compare_year(year)
    _rest, _worked, second_has_adjusted = holidays.second_source(year)
    today = timezone.localdate()
    return render(
        request,
        "duty/holidays.html",
        {
            "year": year,
            "form": form,
            "rows": rows,
            "disagreements": sum(row.disagree for row in rows),
            "packaged": year in holidays.packaged_years(),
            "entered": bool(holidays.entered_overrides(year)),
            "has_data": holidays.year_has_data(year),
            "second_has_adjusted": second_has_adjusted,
            "prefill": prefill,
            "years": [y for y in (today.year - 1, today.year, today.year + 1) if y >= FIRST_YEAR],
        },
        status=form_status(form),
    )
