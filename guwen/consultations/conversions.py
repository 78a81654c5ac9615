"""Conversion targets: what a consultation can become when it is more than a question.

Later modules register themselves here (in their ``AppConfig.ready``), so consultations never
imports them::

    from guwen.consultations import conversions

    conversions.register(
        key="mediation",
        label=_("转为调解案件"),
        handler=lambda *, consultation, by: services.case_open_from(consultation=consultation, by=by),
    )

A handler runs inside the conversion's transaction, creates its own record and returns the URL of
that record. The detail page shows a button for each registered target, and only those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ConversionTarget:
    key: str
    label: str
    handler: Callable[..., str]


_registry: dict[str, ConversionTarget] = {}


def register(*, key: str, label: str, handler: Callable[..., str]) -> None:
    _registry[key] = ConversionTarget(key=key, label=label, handler=handler)


def unregister(key: str) -> None:
    _registry.pop(key, None)


def targets() -> list[ConversionTarget]:
    return list(_registry.values())


def get(key: str) -> ConversionTarget | None:
    return _registry.get(key)


# --- what a consultation became -------------------------------------------------------------------
#
# The same pattern for the links back: a later module registers a finder that lists, for one
# consultation and one user, the records it keeps that came from the consultation (a mediation
# case, a legal-aid referral), each already filtered by that module's own scope. The detail page
# lists them under 关联记录; consultations still imports none of those modules.


@dataclass(frozen=True)
class LinkedRecord:
    kind: str  # "调解案件"
    title: str  # the record's number or name
    url: str
    status: str = ""


_linkers: dict[str, Callable[..., list[LinkedRecord]]] = {}


def register_linker(*, key: str, finder: Callable[..., list[LinkedRecord]]) -> None:
    """``finder(*, consultation, user)`` returns the records in ``user``'s scope made from it."""
    _linkers[key] = finder


def unregister_linker(key: str) -> None:
    _linkers.pop(key, None)


def linked_records(*, consultation, user) -> list[LinkedRecord]:
    return [
        record for key in sorted(_linkers) for record in _linkers[key](consultation=consultation, user=user)
    ]
