"""Ledgers: the case register (人民调解案件登记簿) per committee and year, the monthly screening
ledger per community, and the counts by type, outcome, community and advisor."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from guwen.accounts.scope import communities_visible_to
from guwen.mediation import selectors


def _community(request):
    communities = communities_visible_to(request.user).order_by("code")
    code = request.GET.get("community", "")
    chosen = communities.filter(code=code).first() if code else communities.first()
    return communities, chosen


def _int(value: str, default: int, low: int, high: int) -> int:
    return int(value) if value.isascii() and value.isdigit() and low <= int(value) <= high else default


@login_required
def register(request):
    communities, community = _community(request)
    today = timezone.localdate()
    year = _int(request.GET.get("year", ""), today.year, 2000, 2100)
    visible = selectors.cases_visible_to(request.user)
    rows = selectors.case_register(visible, community=community, year=year) if community else []
    in_year = visible.filter(year=year)
    return render(
        request,
        "mediation/register.html",
        {
            "communities": communities,
            "community": community,
            "year": year,
            "rows": rows,
            "by_type": selectors.counts_by_type(in_year),
            "by_category": selectors.counts_by_ministry_category(in_year),
            "by_community": selectors.counts_by_community(in_year),
            "by_advisor": selectors.counts_by_advisor(in_year),
            "by_outcome": selectors.counts_by_outcome(in_year),
        },
    )


@login_required
def ledger(request):
    communities, community = _community(request)
    today = timezone.localdate()
    raw = request.GET.get("month", "")
    try:
        month = date.fromisoformat(f"{raw}-01") if raw else today.replace(day=1)
    except ValueError:
        month = today.replace(day=1)
    visible = selectors.leads_visible_to(request.user)
    rows = (
        selectors.screening_ledger(visible, community=community, year=month.year, month=month.month)
        if community
        else []
    )
    return render(
        request,
        "mediation/ledger.html",
        {"communities": communities, "community": community, "month": month, "rows": rows},
    )
