"""Addresses of the records behind a figure: the owning module's list page with its filters. Every
list takes ``region=<code>`` at any level (a street's figure opens that street's records only)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from guwen.consultations.overview import Period
from guwen.regions.models import Level, Region


def _url(name: str, params: dict, *, args=None) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name, args=args) + (f"?{query}" if query else "")


def consultations(region: Region, period: Period | None, tab: str = "all", **filters) -> str:
    params = {"tab": tab, "region": region.code}
    if period is not None:
        params.update(date_from=period.start.isoformat(), date_to=period.end.isoformat())
    return _url("consultations:inbox", {**params, **filters})


def activities(region: Region, period: Period, **filters) -> str:
    params = {
        "region": region.code,
        "date_from": period.start.isoformat(),
        "date_to": period.end.isoformat(),
    }
    return _url("outreach:activity_list", {**params, **filters})


def coverage(quarter: str) -> str:
    return _url("outreach:coverage", {"quarter": quarter})


def checks(region: Region, period: Period, **filters) -> str:
    params = {
        "region": region.code,
        "date_from": period.start.isoformat(),
        "date_to": period.end.isoformat(),
    }
    return _url("outreach:enterprise_list", {**params, **filters})


def cases(region: Region, period: Period, **filters) -> str:
    params = {
        "tab": "all",
        "region": region.code,
        "date_from": period.start.isoformat(),
        "date_to": period.end.isoformat(),
    }
    return _url("mediation:case_list", {**params, **filters})


def attendance(region: Region, month: str) -> str:
    if region.level == Level.COMMUNITY:
        return _url("duty:community", {"month": month}, args=[region.code])
    return _url("duty:attendance", {"month": month, "region": region.code})


def dashboard(region: Region, period: Period) -> str:
    return _url(
        "reports:dashboard",
        {"region": region.code, "date_from": period.start.isoformat(), "date_to": period.end.isoformat()},
    )


def _months(period: Period) -> dict:
    return {"month_from": f"{period.start:%Y-%m}", "month_to": f"{period.end:%Y-%m}"}


def settlements(region: Region, period: Period, tab: str = "all", month: str = "") -> str:
    """Settlements of the region's communities for the months of the period (or one ``month``)."""
    months = {"month_from": month, "month_to": month} if month else _months(period)
    return _url("subsidy:settlement_list", {"tab": tab, "region": region.code, **months})


def flags(region: Region, period: Period, tab: str = "open") -> str:
    return _url("subsidy:flag_list", {"tab": tab, "region": region.code, **_months(period)})


def _period(period: Period) -> dict:
    return {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}


def ratings(region: Region, period: Period, **filters) -> str:
    """Residents' ratings given in the period in the region (``stars="low"``: 2 stars or fewer)."""
    return _url("evaluation:ratings", {"region": region.code, **_period(period), **filters})


def complaints(region: Region, period: Period | None, status: str = "all", **filters) -> str:
    """Complaints about the region's communities: opened in the period (``date_by="resolved"``:
    resolved in it), or with no period those of ``status`` today, such as ``overdue``."""
    dates = _period(period) if period is not None else {}
    return _url("evaluation:complaints", {"status": status, "region": region.code, **dates, **filters})


def surveys(region: Region, quarter: str) -> str:
    return _url("evaluation:surveys", {"quarter": quarter, "region": region.code})


def appraisals(region: Region, year: int, **filters) -> str:
    """The year's appraisals of the advisors who served the region in it (``status="reviewed"``)."""
    return _url("evaluation:home", {"year": year, "region": region.code, **filters})
