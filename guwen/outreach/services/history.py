"""Historical activities taken over from a community's Excel ledger (台账): checked by the caller
(guwen.reports.imports), written here in one transaction, all or nothing."""

from __future__ import annotations

from django.db import transaction

from guwen.core import audit
from guwen.outreach.models import Activity

BATCH = 1000


def activities_import(*, rows: list[dict], by, source: str) -> int:
    """Create the activities (each a dict of Activity fields plus ``advisors``, a list of lawyers)
    and their advisors, in batches; one audit event names the file they came from."""
    with transaction.atomic():
        made = []
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            activities = Activity.objects.bulk_create(
                [
                    Activity(created_by=by, **{k: v for k, v in row.items() if k != "advisors"})
                    for row in chunk
                ]
            )
            through = Activity.advisors.through
            through.objects.bulk_create(
                [
                    through(activity_id=activity.pk, lawyer_id=lawyer.pk)
                    for activity, row in zip(activities, chunk, strict=True)
                    for lawyer in row["advisors"]
                ]
            )
            made += activities
        audit.record(
            actor=by,
            action="outreach_activity.import",
            object_type="outreach.activity",
            new={"count": len(made), "source": source},
        )
    return len(made)
