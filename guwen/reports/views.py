"""Pages of the reports app: the dashboard of a region (统计报表) and the advisor's work log."""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.accounts.scope import lawyers_visible_to
from guwen.consultations.overview import sees_association_figures
from guwen.consultations.selectors import lawyer_of
from guwen.core import documents
from guwen.core.errors import DomainError, refusal_status
from guwen.core.formtools import add_domain_error, form_status, form_submit
from guwen.evaluation.worklog import worklog
from guwen.outreach.selectors import parse_quarter
from guwen.regions.models import Level, Region
from guwen.reports import imports, sections, services, workload
from guwen.reports.documents import KEY as SUMMARY_KEY
from guwen.reports.forms import ImportForm, LedgerForm, SubscriptionForm
from guwen.reports.ledgers import LEDGERS, sheet_title, write_ledger
from guwen.reports.models import ExportStatus, LedgerExport, ReportSubscription
from guwen.reports.scope import can_read_reports, communities_of, parse_period, scope_for, scopes_for
from guwen.reports.summary import summary_context


def _refusal(request, exc: DomainError):
    return render(request, "reports/error.html", {"message": exc.message}, status=refusal_status(exc))


@login_required
def dashboard(request):
    """A region's figures over a period, every figure linked to its records."""
    region = scope_for(request.user, request.GET.get("region"))
    try:
        period = parse_period(request.GET.get("date_from"), request.GET.get("date_to"))
    except DomainError as exc:
        return _refusal(request, exc)
    built = sections.build_all(region, period)
    return render(
        request,
        "reports/dashboard.html",
        {
            "region": region,
            "period": period,
            "scopes": scopes_for(request.user)[:200],
            "built": built,
            "charts": {"charts": [c.as_json() for b in built for c in b.data.charts]},
        },
    )


def log_request(user, lawyer_id, date_from: date | None, date_to: date | None):
    """The lawyer and the period a request names: the user's own lawyer by default, another only
    among ``lawyers_visible_to``; the last 31 days by default, at most a year."""
    if lawyer_id:
        lawyer = lawyers_visible_to(user).filter(pk=lawyer_id).first()
        if lawyer is None:
            raise Http404
    else:
        lawyer = lawyer_of(user)
        if lawyer is None:
            raise DomainError(_("请指定律师（lawyer_id）"), field="lawyer_id")
    date_to = date_to or timezone.localdate()
    date_from = date_from or date_to - timedelta(days=30)
    if date_from > date_to:
        raise DomainError(_("开始日期不能晚于结束日期"), field="date_from")
    if (date_to - date_from).days > 366:
        raise DomainError(_("一次最多查询一年的工作日志"), field="date_from")
    return lawyer, date_from, date_to


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(_("日期格式应为 2026-11-30"), field="date") from None


@login_required
def worklog_page(request):
    """An advisor's own log, or (for those who may see the lawyer) a chosen lawyer's log within
    their own communities."""
    try:
        lawyer_id = request.GET.get("lawyer_id", "")
        if lawyer_id and not lawyer_id.isdigit():
            raise Http404
        lawyer, date_from, date_to = log_request(
            request.user,
            int(lawyer_id) if lawyer_id else None,
            _date(request.GET.get("date_from")),
            _date(request.GET.get("date_to")),
        )
    except DomainError as exc:
        return _refusal(request, exc)
    entries = worklog(lawyer=lawyer, date_from=date_from, date_to=date_to, viewer=request.user)
    return render(
        request,
        "reports/worklog.html",
        {
            "lawyer": lawyer,
            "entries": entries,
            "date_from": date_from,
            "date_to": date_to,
            "own": lawyer.user_id == request.user.pk,
        },
    )


# --- ledgers (台账) -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ledgers(request):
    """Ask for a ledger; the worker writes it and its page shows the progress and the file."""
    regions = list(scopes_for(request.user)[:500])
    if not regions:
        raise Http404
    form = LedgerForm(request.POST or None, regions=regions)
    done, export = form_submit(
        request, form, lambda data: services.ledger_export_request(by=request.user, **data)
    )
    if done:
        return redirect("reports:export_detail", pk=export.pk)
    recent = LedgerExport.objects.filter(requested_by=request.user).select_related("region")[:10]
    return render(
        request,
        "reports/ledgers.html",
        {"form": form, "recent": recent, "kinds": LEDGERS},
        status=form_status(form),
    )


def _own_export(request, pk: int) -> LedgerExport:
    return get_object_or_404(
        LedgerExport.objects.select_related("region").filter(requested_by=request.user), pk=pk
    )


@login_required
def export_detail(request, pk: int):
    """The export's progress (refreshed by htmx while the worker writes) and, when done, its file."""
    export = _own_export(request, pk)
    template = "reports/_export_status.html" if request.headers.get("HX-Request") else "reports/export.html"
    return render(request, template, {"export": export, "ledger": LEDGERS.get(export.kind)})


@login_required
def export_download(request, pk: int):
    export = _own_export(request, pk)
    if export.status != ExportStatus.DONE or not export.file_name:
        raise Http404
    ledger = LEDGERS[export.kind]
    name = f"{sheet_title(ledger, export.region, export.start, export.end)}.xlsx"
    return FileResponse(default_storage.open(export.file_name, "rb"), as_attachment=True, filename=name)


class _Echo:
    def write(self, value):
        return value


@login_required
def chart_csv(request, key: str):
    """One chart of the dashboard as the table a user sees under it, in CSV (UTF-8 with BOM, so
    Excel and WPS open it in Chinese)."""
    region = scope_for(request.user, request.GET.get("region"))
    try:
        period = parse_period(request.GET.get("date_from"), request.GET.get("date_to"))
    except DomainError as exc:
        return _refusal(request, exc)
    charts = {c.key: c for b in sections.build_all(region, period) for c in b.data.charts}
    chart = charts.get(key)
    if chart is None:
        raise Http404
    writer = csv.writer(_Echo())
    lines = [[_("项目"), *[name for name, _values in chart.series]]]
    lines += [[label, *["" if v is None else v for v in values]] for label, values, _url in chart.rows()]
    body = "\ufeff" + "".join(writer.writerow(line) for line in lines)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    filename = f"{region.name}-{chart.title}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- import of historical ledgers ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ledger_import(request):
    """Check a historical ledger (the dry run) and, with no error left, import it all at once."""
    if not scopes_for(request.user).exists():
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    result, imported, status = None, False, 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        action = imports.run if request.POST.get("action") == "import" else imports.check
        extra = {"source": upload.name} if action is imports.run else {}
        try:
            result = action(
                handle=upload, size=upload.size, kind=form.cleaned_data["kind"], user=request.user, **extra
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            imported = action is imports.run and result.ok
            if not result.ok:
                status = 422
            elif imported:
                messages.success(
                    request,
                    _("已导入 %(n)d 条，跳过重复 %(d)d 条")
                    % {"n": len(result.records), "d": len(result.duplicates)},
                )
    if form.errors:
        status = form_status(form)
    return render(
        request,
        "reports/import.html",
        {"form": form, "result": result, "imported": imported, "max_rows": imports.MAX_ROWS},
        status=status,
    )


# --- workload (生存现状) ----------------------------------------------------------------------------


@login_required
def workload_page(request):
    """Each advisor's work in a region over a period, its distribution and outliers; the
    association sees the same city-wide, without names."""
    association = not can_read_reports(request.user) and sees_association_figures(request.user)
    if association:
        region = (
            Region.objects.filter(level__in=["city", "district"], is_active=True).order_by("path").first()
        )
        if region is None:
            raise Http404
    else:
        region = scope_for(request.user, request.GET.get("region"))
    try:
        period = parse_period(request.GET.get("date_from"), request.GET.get("date_to"))
    except DomainError as exc:
        return _refusal(request, exc)
    loads = workload.workload(region, period)
    spread = workload.distribution(loads)
    chart = sections.Chart(
        "workload_hours",
        _("驻点时长分布（人数）"),
        "bar",
        [label for label, _n in spread.buckets],
        [(_("顾问人数"), [n for _label, n in spread.buckets])],
    )
    return render(
        request,
        "reports/workload.html",
        {
            "region": region,
            "period": period,
            "association": association,
            "scopes": [] if association else scopes_for(request.user)[:200],
            "loads": None if association else sorted(loads, key=lambda x: -x.hours),
            "anonymised": workload.anonymised(loads) if association else None,
            "firms": None if association else workload.by_firm(loads),
            "grades": workload.GRADES,
            "show_pay": not association and any(load.pay is not None for load in loads),
            "spread": spread,
            "charts": {"charts": [chart.as_json()]},
            "chart": chart,
        },
    )


# --- scheduled reports ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions(request):
    """The reports a user receives after each month or quarter, and a form to add one."""
    regions = list(scopes_for(request.user)[:500])
    if not regions:
        raise Http404
    form = SubscriptionForm(request.POST or None, regions=regions)
    done, _sub = form_submit(request, form, lambda data: services.report_subscribe(by=request.user, **data))
    if done:
        messages.success(request, _("已订阅，期间结束后发送"))
        return redirect("reports:subscriptions")
    mine = ReportSubscription.objects.filter(user=request.user).select_related("region")
    return render(
        request, "reports/subscriptions.html", {"form": form, "mine": mine}, status=form_status(form)
    )


@login_required
@require_POST
def subscription_delete(request, pk: int):
    subscription = get_object_or_404(ReportSubscription.objects.filter(user=request.user), pk=pk)
    services.report_unsubscribe(by=request.user, subscription=subscription)
    messages.success(request, _("已取消订阅"))
    return redirect("reports:subscriptions")


# --- the quarterly work summary (业务综述) ---------------------------------------------------------


def _summary_request(request):
    region = scope_for(request.user, request.GET.get("region"))
    if region.level == Level.COMMUNITY:
        raise DomainError(_("业务综述按街道或区生成：请选择街道或区"), field="region")
    return region, parse_quarter(request.GET.get("quarter"))


@login_required
def summary_page(request):
    """Pick a street or district and a quarter; the summary downloads as Word or PDF."""
    try:
        region, quarter = _summary_request(request)
    except DomainError as exc:
        return _refusal(request, exc)
    scopes = [r for r in scopes_for(request.user)[:200] if r.level != Level.COMMUNITY]
    return render(request, "reports/summary.html", {"region": region, "quarter": quarter, "scopes": scopes})


@login_required
def summary_document(request, fmt: str):
    """The summary as Word (rendered now, cached per version) or PDF (converted by the worker once
    per version; until then the page says it is on its way)."""
    if fmt not in ("docx", "pdf"):
        raise Http404
    try:
        region, quarter = _summary_request(request)
    except DomainError as exc:
        return _refusal(request, exc)
    context = summary_context(region, quarter)
    key = f"{region.code}-{quarter.key}"
    filename = context["summary"]["title"]
    if fmt == "docx":
        stored = documents.document_docx(kind=SUMMARY_KEY, object_key=key, context=context)
        return FileResponse(
            default_storage.open(stored.docx_name, "rb"),
            as_attachment=True,
            filename=f"{filename}.docx",
            content_type=documents.DOCX_CONTENT_TYPE,
        )
    stored, ready = documents.request_pdf(kind=SUMMARY_KEY, object_key=key, context=context)
    if not ready:
        return render(
            request, "reports/summary.html", {"region": region, "quarter": quarter, "pending": True}
        )
    return FileResponse(
        default_storage.open(stored.pdf_name, "rb"),
        as_attachment=True,
        filename=f"{filename}.pdf",
        content_type=documents.PDF_CONTENT_TYPE,
    )


@login_required
def ledger_download(request, kind: str):
    """One ledger of a region for a quarter (``?region=&quarter=2026Q4``), written now into a
    temporary file (streamed rows, flat memory) and sent as the download; the API's document list
    links here. Longer periods go through the worker (``ledgers``)."""
    ledger = LEDGERS.get(kind)
    if ledger is None:
        raise Http404
    region = scope_for(request.user, request.GET.get("region"))
    try:
        quarter = parse_quarter(request.GET.get("quarter"))
    except DomainError as exc:
        return _refusal(request, exc)
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it when sent)
    write_ledger(
        handle,
        ledger=ledger,
        region=region,
        communities=communities_of(region),
        start=quarter.first_day,
        end=quarter.last_day,
    )
    handle.seek(0)
    name = f"{sheet_title(ledger, region, quarter.first_day, quarter.last_day)}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name)
