"""Links between records of apps that may not import each other.

mediation and outreach share a layer (neither imports the other), yet a legal-aid referral can
come from a mediation case and the case should show it. Each app registers here, in its
``AppConfig.ready``, what it can offer under a string key, and core knows no domain:

- a *lookup*: ``register_lookup("mediation.case", fn)``, where ``fn(user, pk)`` returns the record
  with that id if ``user`` may see it (through the owning app's scope), else None;
- a *finder*: ``register_finder("mediation.case", key="outreach", fn)``, where ``fn(obj, user)``
  returns the records of the registering app linked to ``obj`` that ``user`` may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Linked:
    kind: str  # "法律援助转介"
    title: str
    url: str
    status: str = ""


_lookups: dict[str, Callable[[Any, int], Any]] = {}
_finders: dict[str, dict[str, Callable[[Any, Any], list[Linked]]]] = {}


def register_lookup(target: str, fn: Callable[[Any, int], Any]) -> None:
    _lookups[target] = fn


def lookup(target: str, user: Any, pk: int) -> Any:
    """The ``target`` record ``pk`` if ``user`` may see it; None otherwise or when no app offers it."""
    fn = _lookups.get(target)
    return fn(user, pk) if fn is not None else None


def register_finder(target: str, *, key: str, fn: Callable[[Any, Any], list[Linked]]) -> None:
    _finders.setdefault(target, {})[key] = fn


def linked(target: str, obj: Any, user: Any) -> list[Linked]:
    finders = _finders.get(target, {})
    return [record for key in sorted(finders) for record in finders[key](obj, user)]
