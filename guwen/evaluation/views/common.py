"""What evaluation pages share: the year asked for, and the roles that use each page."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from guwen.accounts.models import Role
from guwen.accounts.scope import roles_of

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
