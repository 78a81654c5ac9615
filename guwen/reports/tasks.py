"""Background work of reports: thin wrappers that call services."""

from __future__ import annotations

from django_tasks import task


@task()
def run_export(export_id: int) -> None:
    from guwen.reports.services import ledger_export_run

    ledger_export_run(export_id=export_id)
