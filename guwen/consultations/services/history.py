"""Historical consultations taken over from a community's consultation ledger (咨询台账): checked
by the caller (guwen.reports.imports), written here in one transaction, all or nothing.

A ledger row carries only the masked phone (as the exported ledger shows it), kept as the display
copy; the full number, its hash and encryption stay empty. Imported questions are history, never
routed, triaged or given a deadline again.
"""

from __future__ import annotations

from django.db import transaction

from guwen.consultations.models import Consultation
from guwen.consultations.services.intake import new_receipt_code
from guwen.core import audit

BATCH = 1000


def consultations_import(*, rows: list[dict], by, source: str) -> int:
    """Create the consultations (each a dict of Consultation fields) in batches, each with a new
    receipt code and the minutes it took stored as for live work; one audit event names the file."""
    with transaction.atomic():
        made = 0
        for start in range(0, len(rows), BATCH):
            batch = []
            for row in rows[start : start + BATCH]:
                c = Consultation(receipt_code=new_receipt_code(), source={"import": source}, **row)
                if c.first_response_at:
                    c.minutes_to_first_response = int(
                        (c.first_response_at - c.created_at).total_seconds() // 60
                    )
                if c.closed_at:
                    c.minutes_to_close = int((c.closed_at - c.created_at).total_seconds() // 60)
                batch.append(c)
            made += len(Consultation.objects.bulk_create(batch))
        audit.record(
            actor=by,
            action="consultation.import",
            object_type="consultations.consultation",
            new={"count": made, "source": source},
        )
    return made
