"""Settings of the consultations module, read from the environment with defaults that suit one
street. Override them in guwen/settings.py (``GUWEN_CONSULT_*``) or the environment."""

from __future__ import annotations

from django.conf import settings

from guwen.envconf import env_int


def _get(name: str, default: int) -> int:
    return int(getattr(settings, name, env_int(name, default)))


def webhook_max_age() -> int:
    """Seconds a signed group-robot call stays valid (default 5 minutes)."""
    return _get("GUWEN_CONSULT_WEBHOOK_MAX_AGE", 300)


def rating_link_days() -> int:
    return _get("GUWEN_CONSULT_RATING_LINK_DAYS", 30)


def complaint_working_days() -> int:
    """Working days the judicial office has to deal with a low rating (default 5)."""
    return _get("GUWEN_RATING_COMPLAINT_DAYS", 5)


def max_attachments() -> int:
    return _get("GUWEN_CONSULT_MAX_ATTACHMENTS", 5)
