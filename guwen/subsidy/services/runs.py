"""Runs: a district month settled in the worker with its progress stored for the page."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.regions.models import Region
from guwen.subsidy.models import RunStatus, SettlementRun
from guwen.subsidy.services.settle import month_start, settle_district_month


def run_request(*, district: Region, month: date, by) -> SettlementRun:
    """Queue a district month; one run at a time per district month."""
    from guwen.subsidy.selectors import districts_for
    from guwen.subsidy.tasks import settle_month

    if not districts_for(by).filter(pk=district.pk).exists():
        raise DomainError(_("只有本区的司法所或区司法局可以计算结算"), code="forbidden_role")
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise DomainError(_("不能结算未来的月份"), field="month")
    busy = SettlementRun.objects.filter(
        district=district, month=month, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).first()
    if busy is not None:
        return busy
    with transaction.atomic():
        run = SettlementRun.objects.create(district=district, month=month, requested_by=by)
        audit.record(actor=by, action="subsidy.run.request", obj=run, context={"month": month})
        transaction.on_commit(lambda: settle_month.enqueue(run.pk))
    return run


def run_execute(run_id: int) -> int:
    run = SettlementRun.objects.select_related("district").get(pk=run_id)
    if SettlementRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING) != 1:
        return 0  # another worker took it

    def progress(done: int, total: int) -> None:
        SettlementRun.objects.filter(pk=run.pk).update(advisors_done=done, advisors_total=total)

    try:
        count = settle_district_month(
            district=run.district, month=run.month, by=run.requested_by, progress=progress
        )
    except Exception as exc:  # the page must say it failed rather than spin forever
        SettlementRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, message=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    SettlementRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, advisors_total=count, advisors_done=count, finished_at=timezone.now()
    )
    return count
