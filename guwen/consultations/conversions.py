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
