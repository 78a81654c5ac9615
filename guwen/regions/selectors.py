"""Reads of regions, firms, lawyers and assignments. Scoped reads come from guwen.accounts.scope."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from guwen.regions.models import Assignment, AssignmentRole, Level, Region


def current_assignments(on: date | None = None) -> QuerySet[Assignment]:
    day = on or timezone.localdate()
    return Assignment.objects.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def primary_assignment(*, community: Region, on: date | None = None) -> Assignment | None:
    """The community's primary advisor on a date (None when the post is vacant)."""
    return (
        current_assignments(on)
        .filter(community=community, role=AssignmentRole.PRIMARY)
        .select_related("lawyer", "lawyer__firm")
        .first()
    )


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
