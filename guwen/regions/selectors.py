"""Reads of regions, firms, lawyers and assignments. Scoped reads come from guwen.accounts.scope."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from guwen.regions.models import Assignment, AssignmentRole, Level, Region


def in_force_on(day: date, *, start_field: str = "starts_on", end_field: str = "ends_on") -> Q:
    """The one "valid on a day" predicate for dated rows: started on or before ``day`` and not yet
    ended (an empty end date means still running). Assignments and memberships use ``starts_on`` /
    ``ends_on``; duty rules name their fields ``valid_from`` / ``valid_to``."""
    start, end = start_field, end_field
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def overlapping(
    starts_on: date, ends_on: date | None, *, start_field: str = "starts_on", end_field: str = "ends_on"
) -> Q:
    """Rows whose period overlaps [starts_on, ends_on] (an empty end date on either side runs on)."""
    start, end = start_field, end_field
    condition = Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": starts_on})
    if ends_on is not None:
        condition &= Q(**{f"{start}__lte": ends_on})
    return condition


def assignments_on(day: date) -> QuerySet[Assignment]:
    """Assignments (primary and backup) in force on ``day``."""
    return Assignment.objects.filter(in_force_on(day))


def assignments_from(day: date) -> QuerySet[Assignment]:
    """Assignments not ended before ``day``: in force then or starting later (who may be scheduled)."""
    return Assignment.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def current_assignments(on: date | None = None) -> QuerySet[Assignment]:
    """Assignments in force on ``on``, today by default."""
    return assignments_on(on or timezone.localdate())


def primary_assignment(*, community: Region, on: date | None = None) -> Assignment | None:
    """The community's primary advisor on a date (None when the post is vacant)."""
    return (
        current_assignments(on)
        .filter(community=community, role=AssignmentRole.PRIMARY)
        .select_related("lawyer", "lawyer__firm")
        .first()
    )


def communities_served(lawyer, start: date, end: date | None) -> QuerySet[Region]:
    """The communities where ``lawyer`` was primary advisor at any time in [start, end] (the ones
    whose consultations count as theirs in the appraisal), by code."""
    posts = Assignment.objects.filter(overlapping(start, end), lawyer=lawyer, role=AssignmentRole.PRIMARY)
    return Region.objects.filter(pk__in=posts.values("community_id")).order_by("code")


def current_assignments_of(lawyer, on: date | None = None) -> list[Assignment]:
    """The communities a lawyer serves on a date (today by default), primary posts first."""
    return list(
        current_assignments(on)
        .filter(lawyer=lawyer)
        .select_related("community")
        .order_by("role", "community__code")
    )


def communities_with_advisors(regions: QuerySet[Region], on: date | None = None) -> QuerySet[Region]:
    """Communities with their current assignments prefetched (as ``current``), for overview lists."""
    return (
        regions.filter(level=Level.COMMUNITY)
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=current_assignments(on)
                .select_related("lawyer", "firm")
                .order_by("role", "starts_on"),
                to_attr="current",
            )
        )
        .order_by("code")
    )


def coverage(regions: QuerySet[Region], on: date | None = None) -> dict[str, int]:
    """How many communities in scope have a primary advisor today (the "全覆盖" figure)."""
    communities = regions.filter(level=Level.COMMUNITY)
    total = communities.count()
    covered = (
        current_assignments(on)
        .filter(community__in=communities, role=AssignmentRole.PRIMARY)
        .values("community_id")
        .distinct()
        .count()
    )
    return {"total": total, "covered": covered, "vacant": total - covered}


# --- the public entry: a visitor finds their community without the QR code ----------------------

PUBLIC_SEARCH_MAX = 60


def public_streets() -> QuerySet[Region]:
    """Active streets that have at least one active community: the choices of the public finder."""
    return (
        Region.objects.filter(level=Level.STREET, is_active=True, children__is_active=True)
        .filter(children__level=Level.COMMUNITY)
        .select_related("parent")
        .distinct()
        .order_by("code")
    )


def public_communities(*, query: str = "", street_code: str = "") -> QuerySet[Region]:
    """Active communities a visitor is looking for, by a part of their name (or their street's
    name) and optionally within one street. Public data: names and codes are on every notice board."""
    found = Region.objects.filter(level=Level.COMMUNITY, is_active=True, parent__is_active=True)
    if street_code:
        found = found.filter(parent__code=street_code)
    for word in query.split():
        found = found.filter(
            Q(name__icontains=word) | Q(full_name__icontains=word) | Q(parent__name__icontains=word)
        )
    return found.select_related("parent").order_by("parent__code", "code")
