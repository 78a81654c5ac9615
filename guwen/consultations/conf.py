"""Settings of the consultations module, read from the environment with defaults that suit one
street. Override them in guwen/settings.py (``GUWEN_CONSULT_*``) or the environment."""

from __future__ import annotations

from django.conf import settings

from guwen.envconf import env_int


def _get(name: str, default: int) -> int:
    return int(getattr(settings, name, env_int(name, default)))


def intake_limit() -> tuple[int, int]:
    """(questions, seconds) one client address may submit through the public page and the API.
    Mobile networks put many residents behind one address, so the default is generous."""
    return _get("GUWEN_CONSULT_INTAKE_LIMIT", 20), _get("GUWEN_CONSULT_INTAKE_WINDOW", 600)


def api_limit() -> tuple[int, int]:
    return _get("GUWEN_CONSULT_API_LIMIT", 120), _get("GUWEN_CONSULT_API_WINDOW", 60)


def status_limit() -> tuple[int, int]:
    """Status look-ups (phone + receipt code) per address: a guard against guessing codes."""
    return _get("GUWEN_CONSULT_STATUS_LIMIT", 20), _get("GUWEN_CONSULT_STATUS_WINDOW", 600)


def webhook_max_age() -> int:
    """Seconds a signed group-robot call stays valid (the issue says 5 minutes)."""
    return _get("GUWEN_CONSULT_WEBHOOK_MAX_AGE", 300)


def rating_link_days() -> int:
    return _get("GUWEN_CONSULT_RATING_LINK_DAYS", 30)


def max_attachments() -> int:
    return _get("GUWEN_CONSULT_MAX_ATTACHMENTS", 5)
