"""Writes of the reports app: ledger exports (asked for, written by the worker, expired) and
scheduled reports (subscribed, sent by the worker after each month or quarter)."""

from __future__ import annotations

import tempfile
import uuid
from datetime import date, timedelta

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations.overview import Period
from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.notifications.services import notify
from guwen.regions.models import Region
from guwen.reports import links, sections
from guwen.reports.ledgers import LEDGERS, write_ledger
from guwen.reports.models import Delivery, ExportStatus, Frequency, LedgerExport, ReportSubscription
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


# --- scheduled reports ----------------------------------------------------------------------------


def report_subscribe(*, by, region: Region, frequency: str, delivery: str) -> ReportSubscription:
    """The user receives the region's figures after every month or quarter, by notice or email."""
    if not scopes_for(by).filter(pk=region.pk).exists():
        raise DomainError(_("该范围不在您的权限内"), field="region")
    if frequency not in Frequency.values:
        raise DomainError(_("频率不正确"), field="frequency")
    if delivery not in Delivery.values:
        raise DomainError(_("方式不正确"), field="delivery")
    if delivery == Delivery.EMAIL and not by.email:
        raise DomainError(_("您的账号没有电子邮箱，请先在“我的账号”中填写，或选择站内通知"), field="delivery")
    if ReportSubscription.objects.filter(user=by, region=region, frequency=frequency).exists():
        raise DomainError(_("已订阅该范围的这一频率报表"), field="frequency")
    with transaction.atomic():
        # The period that has just ended counts as sent: the first report is the next one.
        subscription = ReportSubscription.objects.create(
            user=by,
            region=region,
            frequency=frequency,
            delivery=delivery,
            last_period=last_period(frequency, timezone.localdate())[0],
        )
        audit.record(
            actor=by,
            action="reports_subscription.create",
            obj=subscription,
            new={"region": region.code, "frequency": frequency, "delivery": delivery},
        )
    return subscription


def report_unsubscribe(*, by, subscription: ReportSubscription) -> None:
    with transaction.atomic():
        audit.record(actor=by, action="reports_subscription.delete", obj=subscription)
        subscription.delete()


def last_period(frequency: str, today: date) -> tuple[str, Period]:
    """The last complete month or quarter before ``today``: its key (2026-11, 2026Q3) and dates."""
    first_of_month = today.replace(day=1)
    if frequency == Frequency.MONTHLY:
        end = first_of_month - timedelta(days=1)
        return f"{end:%Y-%m}", Period(end.replace(day=1), end)
    quarter_start = first_of_month.replace(month=3 * ((today.month - 1) // 3) + 1)
    end = quarter_start - timedelta(days=1)
    start = end.replace(day=1, month=3 * ((end.month - 1) // 3) + 1)
    return f"{end.year}Q{(end.month - 1) // 3 + 1}", Period(start, end)


def _digest(region: Region, period: Period) -> str:
    lines = []
    for built in sections.build_all(region, period):
        figures = [f"{f.label} {'—' if f.value is None else f.value}{f.unit}" for f in built.data.figures[:6]]
        if figures:
            lines.append(f"{built.section.title}：" + "；".join(figures))
    return "\n".join(lines)


def report_subscriptions_send(*, today: date | None = None) -> int:
    """Send every subscription whose period has ended and not been sent (compare-and-set on
    ``last_period``, so two workers never send one twice)."""
    today = today or timezone.localdate()
    sent = 0
    for subscription in ReportSubscription.objects.select_related("user", "region"):
        key, period = last_period(subscription.frequency, today)
        if subscription.last_period == key:
            continue
        claimed = ReportSubscription.objects.filter(
            pk=subscription.pk, last_period=subscription.last_period
        ).update(last_period=key)
        if claimed != 1:
            continue
        region, user = subscription.region, subscription.user
        title = _("%(region)s %(period)s 统计报表") % {"region": region.name, "period": key}
        body = _digest(region, period)
        url = links.dashboard(region, period)
        if subscription.delivery == Delivery.EMAIL and user.email:
            send_mail(title, f"{body}\n\n{url}", None, [user.email])
        else:
            notify(
                recipients=[user],
                event="reports.scheduled",
                title=title,
                body=body[:1000],
                url=url,
                region=region,
            )
        sent += 1
    return sent
