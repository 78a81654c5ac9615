"""What the outreach pages share: who may record, the lawyers they may name, form pages."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.accounts.narrowing import Narrowing, chips, period_chip
from guwen.accounts.scope import communities_visible_to, roles_of
from guwen.core.formtools import form_status
from guwen.regions.models import Lawyer, Region
from guwen.regions.selectors import current_assignments

RECORDERS = {Role.ADVISOR, Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}
CHECKERS = {Role.ADVISOR, Role.OFFICE, Role.SYSADMIN}


def recording_communities(user, roles: set[str] = RECORDERS) -> QuerySet[Region]:
    """Communities where the user may record (the service checks each record again); 404 when
    the user holds none of ``roles``."""
    if not roles_of(user) & roles:
        raise Http404
    communities = communities_visible_to(user).filter(is_active=True).order_by("code")
    if not communities.exists():
        raise Http404
    return communities


def serving_lawyers(communities) -> QuerySet[Lawyer]:
    ids = current_assignments().filter(community__in=communities).values("lawyer_id")
    return Lawyer.objects.filter(pk__in=ids).select_related("firm").order_by("name")


def filter_chips(request, narrowing: Narrowing) -> list[dict]:
    extra = period_chip(request.GET)
    if code := request.GET.get("community"):
        place = communities_visible_to(request.user).filter(code=code).first()
        extra.append((("community",), _("社区：%(name)s") % {"name": place.name if place else code}))
    return chips(request.GET, narrowing, extra=extra)


def form_page(request, form, title: str, *, multipart: bool = False):
    return render(
        request,
        "outreach/form.html",
        {"form": form, "title": title, "multipart": multipart},
        status=form_status(form),
    )


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def narrowed(rows, params, narrowing: Narrowing | None = None):
    """The filters the reports' and the appraisal's figures link with: a community (by code), a
    region of any level and an advisor (``narrowing``, checked against the user's scope by the
    view) and a date range; a date that is not one is ignored, as an unknown kind or status is."""
    if params.get("community"):
        rows = rows.filter(community__code=params["community"])
    if narrowing is not None:
        rows = rows.filter(narrowing.region_q())
        if narrowing.lawyer is not None:
            rows = rows.filter(advisors=narrowing.lawyer)
    if start := _day(params.get("date_from", "")):
        rows = rows.filter(date__gte=start)
    if end := _day(params.get("date_to", "")):
        rows = rows.filter(date__lte=end)
    return rows
