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
