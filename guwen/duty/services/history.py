"""Historical on-site duty taken over from a community's sign-in ledger (签到台账): checked by the
caller (guwen.reports.imports), written here in one transaction, all or nothing."""

from __future__ import annotations

from django.db import transaction

from guwen.core import audit
from guwen.duty.models import DutyShift

BATCH = 1000


def shifts_import(*, rows: list[dict], by, source: str) -> int:
    """Create the shifts (each a dict of DutyShift fields) in batches; one audit event names the file."""
    with transaction.atomic():
        made = 0
        for start in range(0, len(rows), BATCH):
            made += len(
                DutyShift.objects.bulk_create([DutyShift(**row) for row in rows[start : start + BATCH]])
            )
        audit.record(
            actor=by,
            action="duty_shift.import",
            object_type="duty.dutyshift",
            new={"count": made, "source": source},
        )
    return made
