"""Background work of the subsidy module (thin: calls the services)."""

from __future__ import annotations

from django_tasks import task


@task()
def settle_month(run_id: int) -> int:
    """A district month in the worker: a city's month takes minutes, so pages show its progress."""
    from guwen.subsidy.services.runs import run_execute

    return run_execute(run_id)
