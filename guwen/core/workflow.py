"""Transition tables: a record's states and actions as data (DESIGN §5, "State is explicit").

An app declares its table once::

    CONSULTATION = Workflow(
        name="consultation",
        transitions={
            ("new", "claim"): ("assigned", {Role.ADVISOR, Role.OFFICE}),
            ("assigned", "answer"): ("answered", {Role.ADVISOR}),
        },
        categories={"new": Category.OPEN, "assigned": Category.OPEN, "answered": Category.RESOLVED},
    )

Services call ``require`` before changing a record; pages call
``allowed_actions`` to decide which buttons to show; deadline logic reads
``category``. Roles are plain strings here: the caller passes the roles the
user holds *for that record*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from guwen.core.errors import DomainError


class Category(models.TextChoices):
    """What a status means for clocks and reports, whatever the app calls it."""

    OPEN = "open", _("处理中")
    WAITING = "waiting", _("等待外部")
    RESOLVED = "resolved", _("已解决")
    CLOSED = "closed", _("已关闭")


class TransitionNotAllowed(DomainError):
    """The action is not possible from the record's status, or not for the caller's roles."""

    default_message = _("当前状态不允许此操作")


def _role_set(roles: Iterable[str]) -> frozenset[str]:
    # A single role passed as a string would otherwise be read as a set of letters.
    return frozenset({roles}) if isinstance(roles, str) else frozenset(roles)


@dataclass(frozen=True, eq=False)  # compared by identity: one table per app
class Workflow:
    """A transition table ``(status, action) → (new status, roles allowed)`` with status categories."""

    name: str
    transitions: Mapping[tuple[str, str], tuple[str, frozenset[str]]]
    categories: Mapping[str, Category]
    status_field: str = "status"
    action_labels: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        table: dict[tuple[str, str], tuple[str, frozenset[str]]] = {}
        for (status, action), (target, roles) in self.transitions.items():
            table[(status, action)] = (target, _role_set(roles))
        missing = sorted(
            ({status for status, _action in table} | {target for target, _roles in table.values()})
            - set(self.categories)
        )
        if missing:
            raise ImproperlyConfigured(f"Workflow {self.name!r}: statuses without a category: {missing}")
        # Read-only copies, so a table cannot be changed after it was checked.
        object.__setattr__(self, "transitions", MappingProxyType(table))
        object.__setattr__(self, "categories", MappingProxyType(dict(self.categories)))
        object.__setattr__(self, "action_labels", MappingProxyType(dict(self.action_labels)))

    def target(self, status: str, action: str) -> str:
        """The status ``action`` leads to from ``status``; raises ``TransitionNotAllowed`` if none."""
        try:
            return self.transitions[(status, action)][0]
        except KeyError:
            raise TransitionNotAllowed(code="invalid_state") from None

    def status_of(self, record: Any) -> str:
        return getattr(record, self.status_field)

    def allowed_actions(self, record: Any, roles: Iterable[str]) -> list[str]:
        """Actions open to any of ``roles`` from the record's current status, in table order."""
        status, held = self.status_of(record), _role_set(roles)
        return [
            action
            for (from_status, action), (_target, allowed) in self.transitions.items()
            if from_status == status and allowed & held
        ]

    def require(self, record: Any, action: str, roles: Iterable[str]) -> str:
        """The new status for ``action`` on ``record``, or ``TransitionNotAllowed`` saying why not."""
        entry = self.transitions.get((self.status_of(record), action))
        if entry is None:
            raise TransitionNotAllowed(_("当前状态不允许此操作"), code="invalid_state")
        target, allowed = entry
        if not allowed & _role_set(roles):
            raise TransitionNotAllowed(_("您的角色无权执行此操作"), code="forbidden_role")
        return target

    def category(self, status: str) -> Category:
        try:
            return self.categories[status]
        except KeyError:
            raise ImproperlyConfigured(f"Workflow {self.name!r}: unknown status {status!r}") from None

    def statuses_in(self, category: Category | str) -> list[str]:
        """The statuses of ``category``, in the order the categories mapping lists them."""
        return [status for status, cat in self.categories.items() if cat == category]

    def action_label(self, action: str) -> str:
        """The label a button shows for ``action`` (falls back to the action's name)."""
        return str(self.action_labels.get(action, action))
