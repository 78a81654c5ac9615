"""The unread count for the work layout's header badge."""

from __future__ import annotations

from guwen.notifications import selectors


def unread(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A callable: the template evaluates it once, only on pages that show the badge.
    return {"notifications_unread": lambda: selectors.unread_count(user)}
