"""Ledgers (台账) in the layouts judicial offices keep, one sheet per kind: consultations (法律咨询
台账), on-site duty sign-in (驻点值班签到台账), activities (普法宣传活动台账), mediation cases (人民
调解案件登记台账) and enterprise health checks (企业法治体检台账).

Each ledger is a title row, a header row and one row per record, read in chunks and written with
openpyxl's write-only workbook, so memory stays flat however many rows a year of a district holds.
Phones and the parties' names are masked, as in every list (DESIGN §5). The same headers are what
the import (``guwen.reports.imports``) reads back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from guwen.consultations.models import Consultation
from guwen.core.masking import mask_name
from guwen.core.workcalendar import CHINA_TZ
from guwen.duty.models import DutyShift
from guwen.mediation.models import MediationCase, PartyRole
from guwen.outreach.models import Activity, HealthCheck, RiskLevel
from guwen.regions.models import Region

CHUNK = 2000


@dataclass(frozen=True)
class Ledger:
    kind: str
    title: str
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    rows: Callable[[QuerySet[Region], date, date], Iterator[list]]
    count: Callable[[QuerySet[Region], date, date], int]


def _local(value: datetime | None) -> str:
    return timezone.localtime(value, CHINA_TZ).strftime("%Y-%m-%d %H:%M") if value else ""


def _hm(value: datetime) -> str:
    return timezone.localtime(value, CHINA_TZ).strftime("%H:%M")


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time.min, tzinfo=CHINA_TZ),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=CHINA_TZ),
    )


# --- consultations --------------------------------------------------------------------------------


def _consultations(communities, start, end) -> QuerySet[Consultation]:
    lo, hi = _bounds(start, end)
    return Consultation.objects.filter(community__in=communities, created_at__gte=lo, created_at__lt=hi)


def _handler(user) -> str:
    """The lawyer who took the question, by name (what the import matches); else the account."""
    if user is None:
        return ""
    lawyer = getattr(user, "lawyer", None)
    return lawyer.name if lawyer is not None else str(user)


def _consultation_rows(communities, start, end) -> Iterator[list]:
    rows = (
        _consultations(communities, start, end)
        .select_related("community", "owner__lawyer")
        .order_by("created_at", "pk")
    )
    for c in rows.iterator(chunk_size=CHUNK):
        yield [
            _local(c.created_at),
            c.community.name,
            c.resident_name or "",
            c.phone_masked,
            c.get_channel_display(),
            c.category or c.category_suggested,
            c.text[:500],
            _handler(c.owner),
            _local(c.first_response_at),
            c.get_status_display(),
            _local(c.closed_at),
        ]


# --- duty -----------------------------------------------------------------------------------------


def _shifts(communities, start, end) -> QuerySet[DutyShift]:
    return DutyShift.objects.filter(community__in=communities, date__gte=start, date__lte=end)


def _shift_rows(communities, start, end) -> Iterator[list]:
    rows = _shifts(communities, start, end).select_related("community", "lawyer").order_by("starts_at", "pk")
    for s in rows.iterator(chunk_size=CHUNK):
        yield [
            s.date.isoformat(),
            s.community.name,
            s.lawyer.name,
            f"{_hm(s.starts_at)}-{_hm(s.ends_at)}",
            s.place,
            _local(s.checked_in_at),
            _local(s.checked_out_at),
            round(s.held_minutes / 60, 1),
            s.get_status_display(),
        ]


# --- activities -----------------------------------------------------------------------------------


def _activities(communities, start, end) -> QuerySet[Activity]:
    return Activity.objects.filter(community__in=communities, date__gte=start, date__lte=end)


def _activity_rows(communities, start, end) -> Iterator[list]:
    rows = (
        _activities(communities, start, end)
        .select_related("community")
        .prefetch_related("advisors")
        .order_by("date", "pk")
    )
    for a in rows.iterator(chunk_size=CHUNK):
        yield [
            a.date.isoformat(),
            a.community.name,
            a.get_kind_display(),
            a.topic,
            a.place,
            "、".join(lawyer.name for lawyer in a.advisors.all()),
            a.audience_count if a.audience_count is not None else "",
            a.get_status_display(),
            a.get_channel_display() if a.channel else "",
        ]


# --- mediation ------------------------------------------------------------------------------------


def _cases(communities, start, end) -> QuerySet[MediationCase]:
    return MediationCase.objects.filter(community__in=communities, intake_on__gte=start, intake_on__lte=end)


def _case_rows(communities, start, end) -> Iterator[list]:
    rows = (
        _cases(communities, start, end)
        .select_related("community", "dispute_type", "outcome")
        .prefetch_related("parties")
        .order_by("intake_on", "pk")
    )
    for c in rows.iterator(chunk_size=CHUNK):
        parties = list(c.parties.all())
        outcome = getattr(c, "outcome", None)
        yield [
            c.number,
            c.intake_on.isoformat(),
            c.community.name,
            c.dispute_type.name,
            c.title,
            "、".join(mask_name(p.name) for p in parties if p.role == PartyRole.APPLICANT),
            "、".join(mask_name(p.name) for p in parties if p.role == PartyRole.RESPONDENT),
            float(c.amount) if c.amount is not None else "",
            c.get_status_display(),
            outcome.get_kind_display() if outcome else "",
            _local(c.closed_at),
        ]


# --- health checks --------------------------------------------------------------------------------


def _checks(communities, start, end) -> QuerySet[HealthCheck]:
    return HealthCheck.objects.filter(community__in=communities, date__gte=start, date__lte=end)


def _check_rows(communities, start, end) -> Iterator[list]:
    rows = (
        _checks(communities, start, end)
        .select_related("community", "enterprise")
        .prefetch_related("advisors")
        .annotate(
            found=Count("findings"), high=Count("findings", filter=Q(findings__risk_level=RiskLevel.HIGH))
        )
        .order_by("date", "pk")
    )
    for h in rows.iterator(chunk_size=CHUNK):
        yield [
            h.date.isoformat(),
            h.community.name,
            h.enterprise.name,
            h.enterprise.credit_code,
            "、".join(lawyer.name for lawyer in h.advisors.all()),
            h.found,
            h.high,
            h.get_status_display(),
        ]


LEDGERS: dict[str, Ledger] = {
    ledger.kind: ledger
    for ledger in (
        Ledger(
            "consultations",
            _("法律咨询台账"),
            (
                "咨询时间",
                "社区",
                "咨询人",
                "联系电话",
                "渠道",
                "类别",
                "咨询内容",
                "承办律师",
                "首次答复时间",
                "状态",
                "办结时间",
            ),
            (18, 12, 10, 14, 10, 12, 50, 10, 18, 10, 18),
            _consultation_rows,
            lambda c, s, e: _consultations(c, s, e).count(),
        ),
        Ledger(
            "duty",
            _("驻点值班签到台账"),
            ("日期", "社区", "值班律师", "时段", "地点", "签到时间", "签退时间", "在岗时长（小时）", "状态"),
            (12, 12, 10, 14, 20, 18, 18, 10, 10),
            _shift_rows,
            lambda c, s, e: _shifts(c, s, e).count(),
        ),
        Ledger(
            "activities",
            _("普法宣传活动台账"),
            ("活动日期", "社区", "活动类型", "主题", "地点", "主讲律师", "参与人数", "状态", "宣传形式"),
            (12, 12, 12, 36, 20, 16, 10, 10, 12),
            _activity_rows,
            lambda c, s, e: _activities(c, s, e).count(),
        ),
        Ledger(
            "mediation",
            _("人民调解案件登记台账"),
            (
                "案号",
                "受理日期",
                "社区",
                "纠纷类型",
                "纠纷名称",
                "申请人",
                "被申请人",
                "涉及金额（元）",
                "状态",
                "调解结果",
                "结案时间",
            ),
            (22, 12, 12, 12, 24, 12, 12, 12, 12, 10, 18),
            _case_rows,
            lambda c, s, e: _cases(c, s, e).count(),
        ),
        Ledger(
            "checks",
            _("企业法治体检台账"),
            (
                "体检日期",
                "社区",
                "企业名称",
                "统一社会信用代码",
                "体检律师",
                "发现问题",
                "高风险问题",
                "状态",
            ),
            (12, 12, 30, 22, 16, 10, 10, 12),
            _check_rows,
            lambda c, s, e: _checks(c, s, e).count(),
        ),
    )
}


def kind_choices() -> list[tuple[str, str]]:
    return [(ledger.kind, ledger.title) for ledger in LEDGERS.values()]


def sheet_title(ledger: Ledger, region: Region, start: date, end: date) -> str:
    if start.day == 1 and (end + timedelta(days=1)).day == 1 and start.month == end.month:
        when = f"{start.year}年{start.month}月"
    else:
        when = f"{start:%Y-%m-%d}至{end:%Y-%m-%d}"
    return f"{region.name}{ledger.title}（{when}）"


def write_ledger(
    target,
    *,
    ledger: Ledger,
    region: Region,
    communities: QuerySet[Region],
    start: date,
    end: date,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one ledger as an .xlsx to ``target`` (a path or a binary file); returns the rows written.
    ``progress`` is called every ``CHUNK`` rows with the count so far."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(ledger.title)[:31])
    for i, width in enumerate((6, *ledger.widths)):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    title = WriteOnlyCell(sheet, sheet_title(ledger, region, start, end))
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    header = []
    for name in ("序号", *ledger.headers):
        cell = WriteOnlyCell(sheet, name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    n = 0
    for n, row in enumerate(ledger.rows(communities, start, end), start=1):
        sheet.append([n, *row])
        if progress is not None and n % CHUNK == 0:
            progress(n)
    book.save(target)
    return n


def csv_rows(ledger: Ledger, communities, start: date, end: date) -> Iterable[list]:
    yield ["序号", *ledger.headers]
    for n, row in enumerate(ledger.rows(communities, start, end), start=1):
        yield [n, *row]
