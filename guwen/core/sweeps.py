"""Periodic sweeps run by the worker's polling loop (deadline checks, reminders, retention).

An app registers a sweep in its ``sweeps.py``::

    @sweeps.register("consultations.escalate_overdue", every_seconds=60)
    def escalate_overdue() -> int: ...

Sweeps must be safe to run in several workers at once (compare-and-set updates), because every
worker process runs the loop; correctness never depends on a sweep having run (DESIGN §5).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import close_old_connections
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger("guwen.sweeps")


@dataclass
class Sweep:
    name: str
    func: Callable[[], object]
    every_seconds: float
    next_run: float = field(default=0.0)


_registry: dict[str, Sweep] = {}


def register(name: str, *, every_seconds: float) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def decorator(func: Callable[[], object]) -> Callable[[], object]:
        _registry[name] = Sweep(name=name, func=func, every_seconds=every_seconds)
        return func

    return decorator


def registered() -> list[Sweep]:
    autodiscover_modules("sweeps")
    return sorted(_registry.values(), key=lambda s: s.name)


def run_due(now: float | None = None) -> list[str]:
    """Run every sweep whose time has come; one failing sweep never stops the others."""
    now = time.monotonic() if now is None else now
    ran = []
    for sweep in registered():
        if sweep.next_run > now:
            continue
        sweep.next_run = now + sweep.every_seconds
        close_old_connections()
        try:
            sweep.func()
        except Exception:  # a broken sweep is logged and retried at its next interval
            logger.exception("sweep %s failed", sweep.name)
        ran.append(sweep.name)
    return ran


def start_loop(*, tick_seconds: float = 5.0) -> threading.Thread:
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            run_due()
            stop.wait(tick_seconds)

    thread = threading.Thread(target=loop, name="guwen-sweeps", daemon=True)
    thread.stop = stop  # type: ignore[attr-defined]
    thread.start()
    return thread


@register("core.sqlite_statistics", every_seconds=3600)
def sqlite_statistics() -> bool:
    """Keep SQLite's query planner statistics current (``PRAGMA optimize``, which analyses only the
    tables that changed enough), as SQLite advises for long-lived connections. Without them it
    cannot tell that a partial index such as the routing poll's holds a handful of rows. PostgreSQL
    keeps its own statistics (autovacuum). Returns whether it ran."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA optimize")
    return True


@register("core.documents_expire", every_seconds=6 * 3600)
def documents_expire() -> int:
    """Remove cached document versions that are no longer current and older than the setting's
    days (``guwen.core.documents.documents_expire``). Returns how many files were deleted."""
    from guwen.core.documents import documents_expire as expire

    return expire()
