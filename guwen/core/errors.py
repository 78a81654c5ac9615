"""Domain errors raised by services across the project.

A service raises one of these with a message in Simplified Chinese; the view
turns it into a form error (on ``field`` when given) or a 4xx response.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request the domain refuses, with a message meant for the user."""

    default_message = _("操作无法完成")

    def __init__(self, message: str | None = None, *, field: str | None = None, code: str = "") -> None:
        self.message = message if message is not None else self.default_message
        self.field = field
        self.code = code
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    """The record does not exist or is out of the caller's scope (views answer 404)."""

    default_message = _("未找到该记录")


class Conflict(DomainError):
    """The record changed under the caller, or the request clashes with existing data (409)."""

    default_message = _("记录已被修改，请刷新后重试")


# The codes services give their refusals, by what the refusal is about: the caller's role (403), or
# the record's state or a clash with existing records (409). Any other refusal is about the input.
FORBIDDEN_CODES = frozenset({"forbidden", "forbidden_role", "not_own_shift"})
STATE_CODES = frozenset(
    {
        "invalid_state",
        "already_checked_in",
        "already_checked_out",
        "cancelled",
        "duplicate",
        "full",
        "not_checked_in",
        "not_finished",
        "past",
        "too_early",
        "too_late",
    }
)


def refusal_status(exc: DomainError) -> int:
    """The one rule for the HTTP status of a refusal, on pages and in the API alike: out of scope
    404, a role that may not 403, a state that does not allow it (or a clash with existing data)
    409, anything else is invalid input, 422."""
    if isinstance(exc, NotFound):
        return 404
    if exc.code in FORBIDDEN_CODES:
        return 403
    if isinstance(exc, Conflict) or exc.code in STATE_CODES:
        return 409
    return 422
