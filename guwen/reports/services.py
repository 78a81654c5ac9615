"""Writes of the reports app: ledger exports (asked for, written by the worker, expired)."""

from __future__ import annotations

import tempfile
import uuid
from datetime import date, timedelta

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.regions.models import Region
from guwen.reports.ledgers import LEDGERS, write_ledger
from guwen.reports.models import ExportStatus, LedgerExport
from guwen.reports.scope import communities_of, scopes_for

KEEP_DAYS = 7
MAX_DAYS = 366


def ledger_export_request(*, by, region: Region, kind: str, start: date, end: date) -> LedgerExport:
    """Queue a ledger of ``region`` over [start, end] for the worker; the user must see the region."""
    if not scopes_for(by).filter(pk=region.pk).exists():
        raise DomainError(_("该范围不在您的权限内"), field="region")
    if kind not in LEDGERS:
        raise DomainError(_("没有这种台账"), field="kind")
    if start > end:
        raise DomainError(_("结束日期不能早于开始日期"), field="end")
    if (end - start).days > MAX_DAYS:
        raise DomainError(_("一次最多导出一年的台账"), field="start")
    from guwen.reports import tasks

    now = timezone.now()
    with transaction.atomic():
        export = LedgerExport.objects.create(
            requested_by=by,
            region=region,
            kind=kind,
            start=start,
            end=end,
            expires_at=now + timedelta(days=KEEP_DAYS),
        )
        audit.record(
            actor=by,
            action="reports_export.request",
            obj=export,
            new={"kind": kind, "region": region.code, "start": start, "end": end},
        )
        transaction.on_commit(lambda: tasks.run_export.enqueue(export.pk))
    return export


def ledger_export_run(*, export_id: int) -> LedgerExport:
    """Write the ledger (in the worker), updating its progress every chunk of rows."""
    claimed = LedgerExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    )
    export = LedgerExport.objects.select_related("region").get(pk=export_id)
    if claimed != 1:  # another worker has it, or it is finished
        return export
    ledger = LEDGERS[export.kind]
    communities = communities_of(export.region)
    try:
        total = ledger.count(communities, export.start, export.end)
        LedgerExport.objects.filter(pk=export.pk).update(rows_total=total)

        def progress(done: int) -> None:
            LedgerExport.objects.filter(pk=export.pk).update(rows_done=done)

        with tempfile.TemporaryFile() as handle:
            written = write_ledger(
                handle,
                ledger=ledger,
                region=export.region,
                communities=communities,
                start=export.start,
                end=export.end,
                progress=progress,
            )
            handle.seek(0)
            name = default_storage.save(f"reports/exports/{uuid.uuid4().hex}.xlsx", File(handle))
    except Exception as exc:  # a failed export is shown on its page, never lost silently
        LedgerExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    LedgerExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE,
        rows_done=written,
        rows_total=written,
        file_name=name,
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export


def ledger_exports_expire(*, now=None) -> int:
    """Delete the files of exports past their expiry; the record stays, marked expired."""
    now = now or timezone.now()
    expired = 0
    for export in LedgerExport.objects.filter(expires_at__lt=now).exclude(status=ExportStatus.EXPIRED):
        if (
            LedgerExport.objects.filter(pk=export.pk, status=export.status).update(
                status=ExportStatus.EXPIRED
            )
            != 1
        ):
            continue
        if export.file_name:
            default_storage.delete(export.file_name)
        expired += 1
    return expired
