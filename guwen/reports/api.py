"""JSON API of reports (mounted under /api/v1/ by guwen/api.py): the dashboard's figures and the
work log, through the same scope and sections as the pages."""

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from ninja import Router, Schema

from guwen.core.apischema import PlainStr, refusals
from guwen.evaluation.worklog import worklog
from guwen.outreach.selectors import parse_quarter
from guwen.regions.models import Level
from guwen.reports import sections
from guwen.reports.documents import KEY as SUMMARY_KEY
from guwen.reports.ledgers import LEDGERS, sheet_title
from guwen.reports.scope import parse_period, scope_for
from guwen.reports.views import log_request

router = Router(tags=["reports"])


class LogEntryOut(Schema):
    at: dt.datetime
    kind: str
    kind_label: str
    community: str
    place: str
    person: str
    content: str
    result: str
    url: str


@router.get("/worklog", response={200: list[LogEntryOut], **refusals(401, 404, 422)})
def worklog_read(
    request, lawyer_id: int | None = None, date_from: dt.date | None = None, date_to: dt.date | None = None
):
    """The merged work log of a lawyer (the caller's own by default), each entry with its kind and a
    link to its record; readers other than the lawyer see the entries of their own communities."""
    lawyer, start, end = log_request(request.user, lawyer_id, date_from, date_to)
    return [
        entry.__dict__ for entry in worklog(lawyer=lawyer, date_from=start, date_to=end, viewer=request.user)
    ]


class FigureOut(Schema):
    label: str
    value: float | int | None
    unit: str
    url: str


class SeriesOut(Schema):
    name: str
    data: list[float | int | None]


class ChartOut(Schema):
    key: str
    title: str
    kind: str
    labels: list[str]
    series: list[SeriesOut]
    urls: list[str]


class SectionOut(Schema):
    name: str
    title: str
    figures: list[FigureOut]
    charts: list[ChartOut]


class RegionOut(Schema):
    code: str
    name: str
    level: str


class SummaryOut(Schema):
    region: RegionOut
    date_from: dt.date
    date_to: dt.date
    sections: list[SectionOut]


@router.get("/reports/summary", response={200: SummaryOut, **refusals(401, 404, 422)})
def reports_summary(
    request, region: PlainStr | None = None, date_from: dt.date | None = None, date_to: dt.date | None = None
):
    """The dashboard's figures as JSON (the numbers its charts draw) for a region in the caller's
    scope (their broadest by default) over a period (the last twelve months by default)."""
    place = scope_for(request.user, region)
    period = parse_period(date_from, date_to)
    return sections.summary_json(place, period, sections.build_all(place, period))


class DocumentOut(Schema):
    kind: str
    title: str
    docx_url: str | None = None
    xlsx_url: str | None = None
    pdf_url: str | None = None


@router.get("/reports/documents", response={200: list[DocumentOut], **refusals(401, 404, 422)})
def reports_documents(request, region: PlainStr | None = None, quarter: PlainStr | None = None):
    """The ledgers of a region in the caller's scope for a quarter (current by default) as Excel
    downloads, and for a street or district the quarterly work summary as Word and PDF."""
    place = scope_for(request.user, region)
    period = parse_quarter(quarter)
    query = urlencode({"region": place.code, "quarter": period.key})
    rows = [
        {
            "kind": f"ledger.{kind}",
            "title": sheet_title(ledger, place, period.first_day, period.last_day),
            "xlsx_url": reverse("reports:ledger_download", args=[kind]) + f"?{query}",
        }
        for kind, ledger in LEDGERS.items()
    ]
    if place.level != Level.COMMUNITY:
        rows.append(
            {
                "kind": SUMMARY_KEY,
                "title": f"{place.name}{period.year}年第{period.number}季度社区法律顾问工作业务综述",
                "docx_url": reverse("reports:summary_document", args=["docx"]) + f"?{query}",
                "pdf_url": reverse("reports:summary_document", args=["pdf"]) + f"?{query}",
            }
        )
    return rows
