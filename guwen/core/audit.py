"""Writing the audit trail.

Every service that changes state, and every full read of a personal number,
calls ``record`` once. Call it *inside* the service's ``transaction.atomic()``
block so the event is committed with the change it describes, or not at all.
Never put personal data (ID numbers, phones) in ``old``/``new``/``context``:
store masked values or say which field changed.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.functional import Promise

from guwen.core.clientip import client_ip
from guwen.core.models import AuditEvent

SYSTEM_LABEL = "system"
ANONYMOUS_LABEL = "anonymous"


def json_safe(value: Any) -> Any:
    """``value`` with dates, decimals, UUIDs, enums and model instances turned into JSON types."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal | uuid.UUID | Promise):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [json_safe(item) for item in items]
    return str(value)


def build(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    request: Any = None,
) -> AuditEvent:
    """The event ``record`` writes, not yet saved.

    ``actor`` is a user, ``None`` for the system (workers, commands) or an
    anonymous user (stored as no actor, labelled "anonymous"). ``object_type``
    and ``object_id`` default to ``obj``'s ``app_label.model`` and primary key.
    """
    if actor is None:
        user, label = None, SYSTEM_LABEL
    elif not getattr(actor, "is_authenticated", False):
        user, label = None, ANONYMOUS_LABEL
    else:
        user, label = actor, actor.get_username()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or ("" if obj.pk is None else str(obj.pk))
    return AuditEvent(
        actor=user,
        actor_label=label[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        old=json_safe(old),
        new=json_safe(new),
        context=json_safe(context or {}),
        ip=client_ip(request) if request is not None else None,
    )


def record(**event: Any) -> AuditEvent:
    """Append one audit event (the arguments of ``build``) and return it."""
    built = build(**event)
    built.save(force_insert=True)
    return built


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The keys whose values differ, as ``(old, new)``; a key on one side only shows ``None`` on the other."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for key in [*before, *(key for key in after if key not in before)]:
        if before.get(key) != after.get(key) or (key in before) != (key in after):
            old[key] = before.get(key)
            new[key] = after.get(key)
    return old, new
