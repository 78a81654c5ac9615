"""Import of historical ledgers (台账) from Excel: the same layouts the ledgers export.

A file is checked first (the dry run): every row is read and every error listed in Chinese with
its sheet, row, column and reason; rows already in the system (or twice in the file) are reported
as duplicates and skipped. Nothing is imported while any error remains; the import itself checks
again and writes all rows or none, through the owning module's service.

Refused outright, with nothing read: a file that is not .xlsx (an old .xls or an encrypted
workbook is an OLE file, not a zip), larger than ``MAX_BYTES`` or with more than ``MAX_ROWS`` rows.
A formula where a value belongs is an error on its cell: the ledger must hold what was recorded.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from guwen.accounts.scope import lawyers_visible_to
from guwen.consultations.models import Channel, Consultation, Status
from guwen.consultations.services import history as consultation_history
from guwen.core.errors import DomainError
from guwen.core.validators import (
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)
from guwen.core.workcalendar import CHINA_TZ
from guwen.duty.models import DutyShift, ShiftStatus
from guwen.duty.services import history as duty_history
from guwen.mediation.models import CaseStatus, DisputeType, MediationCase, OutcomeKind, PartyKind, PartyRole
from guwen.mediation.services import history as mediation_history
from guwen.outreach.models import Activity, ActivityKind, ActivityStatus, CheckStatus, Enterprise, HealthCheck
from guwen.outreach.models import Channel as OutreachChannel
from guwen.outreach.services import history as outreach_history
from guwen.regions.models import Level
from guwen.reports import rollups
from guwen.reports.ledgers import LEDGERS
from guwen.reports.models import RolledMonth
from guwen.reports.scope import scopes_for

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_LISTED = 200  # errors listed; the count says how many more
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
IMPORTABLE = ("consultations", "duty", "activities", "mediation", "checks")
# Columns the export writes that a ledger kept before they were added may lack.
OPTIONAL = {"宣传形式"}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = _("工作表“%(sheet)s”第 %(row)d 行") % {"sheet": self.sheet, "row": self.row}
        if self.column:
            where += _("“%(column)s”列") % {"column": self.column}
        return f"{where}：{self.reason}"


@dataclass
class Checked:
    kind: str
    sheet: str = ""
    rows: int = 0
    records: list[dict] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def listed_errors(self) -> list[RowError]:
        return self.errors[:MAX_LISTED]


class CellError(Exception):
    def __init__(self, column: str, reason: str):
        self.column, self.reason = column, reason


# --- reading cells --------------------------------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y年%m月%d日 %H:%M")


def _text(row: dict, column: str, *, required: bool = True, max_length: int = 0) -> str:
    value = row.get(column)
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise CellError(column, _("不能为空"))
    if max_length and len(text) > max_length:
        raise CellError(column, _("不能超过 %(n)d 个字") % {"n": max_length})
    return text


def _date(row: dict, column: str) -> date:
    value = row.get(column)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(row, column)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(
        column, _("日期“%(value)s”无法识别，应为 2026-03-01 或 2026年3月1日") % {"value": text[:20]}
    )


def _datetime(row: dict, column: str, *, required: bool = True) -> datetime | None:
    value = row.get(column)
    if isinstance(value, datetime):
        return value.replace(tzinfo=CHINA_TZ) if value.tzinfo is None else value
    text = _text(row, column, required=required)
    if not text:
        return None
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=CHINA_TZ)
        except ValueError:
            continue
    raise CellError(column, _("时间“%(value)s”无法识别，应为 2026-03-01 09:30") % {"value": text[:20]})


_LABELS: dict[tuple, dict[str, str]] = {}


def _labels(choices) -> dict[str, str]:
    """Label → value of a choice set in the active language, translated once, not on every row (a
    100,000-row ledger spent a fifth of its check translating the same labels)."""
    key = (get_language(), tuple((value, id(label)) for value, label in choices))
    found = _LABELS.get(key)
    if found is None:
        found = _LABELS[key] = {str(label): value for value, label in choices}
    return found


def _choice(row: dict, column: str, choices, *, required: bool = True) -> str:
    text = _text(row, column, required=required)
    if not text:
        return ""
    by_label = _labels(choices)
    if text in by_label:
        return by_label[text]
    raise CellError(
        column,
        _("“%(value)s”不是可选值（%(options)s）") % {"value": text[:20], "options": "、".join(by_label)},
    )


def _count(row: dict, column: str) -> int | None:
    value = row.get(column)
    if value in (None, ""):
        return None
    if isinstance(value, bool) or (not isinstance(value, int | float) and not str(value).strip().isdigit()):
        raise CellError(column, _("应为整数"))
    number = float(value)
    if number < 0 or number != int(number) or number > 1_000_000:
        raise CellError(column, _("应为不小于 0 的整数"))
    return int(number)


@dataclass
class Context:
    """What a row's names resolve to: communities and lawyers in the importer's scope."""

    communities: dict[str, object]
    lawyers: dict[str, object]
    ambiguous_lawyers: set[str]
    dispute_types: dict[str, object] = field(default_factory=dict)
    enterprises: dict[str, object] = field(default_factory=dict)  # credit code → Enterprise | None

    def community(self, row: dict, column: str = "社区"):
        name = _text(row, column)
        found = self.communities.get(name)
        if found is None:
            raise CellError(column, _("“%(name)s”不是您范围内的社区") % {"name": name[:30]})
        return found

    def lawyer(self, name: str, column: str):
        if name in self.ambiguous_lawyers:
            raise CellError(column, _("有多位律师名叫“%(name)s”，无法确定") % {"name": name})
        found = self.lawyers.get(name)
        if found is None:
            raise CellError(column, _("找不到律师“%(name)s”") % {"name": name[:30]})
        return found


def _context(user) -> Context:
    communities = {r.name: r for r in scopes_for(user).filter(level=Level.COMMUNITY)}
    lawyers: dict[str, object] = {}
    ambiguous: set[str] = set()
    for lawyer in lawyers_visible_to(user).filter(is_active=True):
        if lawyer.name in lawyers:
            ambiguous.add(lawyer.name)
        lawyers[lawyer.name] = lawyer
    # An inactive type still names the cases recorded under it; an active one wins a shared name.
    types = {t.name: t for t in DisputeType.objects.order_by("is_active", "sort", "pk")}
    return Context(communities, lawyers, ambiguous, types)


# --- one parser per ledger: a row (column → value) to the owning model's fields and a duplicate key


# Several lawyers in one cell, as the export joins them (、) or as people type them; never on a
# space, which a name may hold (演示律师 赵一).
LAWYERS = re.compile(r"[、，,;；]+")
MASKED_PHONE = re.compile(r"^[0-9]{3}\*{4}[0-9]{4}$")


def _consultation(row: dict, ctx: Context) -> tuple[dict, tuple]:
    community = ctx.community(row)
    created = _datetime(row, "咨询时间")
    first = _datetime(row, "首次答复时间", required=False)
    closed = _datetime(row, "办结时间", required=False)
    if first and first < created:
        raise CellError("首次答复时间", _("早于咨询时间"))
    if closed and closed < created:
        raise CellError("办结时间", _("早于咨询时间"))
    lawyer_name = _text(row, "承办律师", required=False)
    owner = ctx.lawyer(lawyer_name, "承办律师").user if lawyer_name else None
    text = _text(row, "咨询内容", max_length=4000)
    phone = _text(row, "联系电话", required=False)
    if phone and not MASKED_PHONE.match(phone):
        raise CellError("联系电话", _("应为脱敏的手机号（如 139****1111）：台账不导入完整号码"))
    fields = {
        "community": community,
        "channel": _choice(row, "渠道", Channel.choices),
        "resident_name": _text(row, "咨询人", required=False, max_length=40),
        "phone_masked": phone,
        "category": _text(row, "类别", required=False, max_length=20),
        "category_confirmed": bool(_text(row, "类别", required=False)),
        "text": text,
        "owner": owner,
        "status": _choice(row, "状态", Status.choices),
        "created_at": created,
        "first_response_at": first,
        "answered_at": first,
        "closed_at": closed,
    }
    return fields, (community.pk, created, text[:200])


def _existing_consultations(communities, start: date, end: date) -> set[tuple]:
    lo = datetime.combine(start, time.min, tzinfo=CHINA_TZ)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=CHINA_TZ)
    rows = Consultation.objects.filter(community__in=communities, created_at__gte=lo, created_at__lt=hi)
    return {(c, at, text[:200]) for c, at, text in rows.values_list("community_id", "created_at", "text")}


SLOT = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–—~至]\s*(\d{1,2}):(\d{2})\s*$")


def _shift(row: dict, ctx: Context) -> tuple[dict, tuple]:
    community = ctx.community(row)
    day = _date(row, "日期")
    lawyer = ctx.lawyer(_text(row, "值班律师"), "值班律师")
    match = SLOT.match(_text(row, "时段"))
    if match is None:
        raise CellError("时段", _("应为“09:00-12:00”的形式"))
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h2, m2) <= (h1, m1):
        raise CellError("时段", _("开始时间应早于结束时间，且在一天之内"))
    starts = datetime.combine(day, time(h1, m1), tzinfo=CHINA_TZ)
    ends = datetime.combine(day, time(h2, m2), tzinfo=CHINA_TZ)
    hours = row.get("在岗时长（小时）")
    try:
        minutes = round(float(hours or 0) * 60)
    except (TypeError, ValueError):
        raise CellError("在岗时长（小时）", _("应为数字")) from None
    if minutes < 0 or minutes > 24 * 60:
        raise CellError("在岗时长（小时）", _("应在 0 到 24 小时之间"))
    fields = {
        "community": community,
        "lawyer": lawyer,
        "date": day,
        "starts_at": starts,
        "ends_at": ends,
        "place": _text(row, "地点", max_length=120),
        "checked_in_at": _datetime(row, "签到时间", required=False),
        "checked_out_at": _datetime(row, "签退时间", required=False),
        "held_minutes": minutes,
        "status": _choice(row, "状态", ShiftStatus.choices),
        "confirm_due": day + timedelta(days=6 - day.weekday()),
    }
    return fields, (community.pk, lawyer.pk, starts)


def _existing_shifts(communities, start: date, end: date) -> set[tuple]:
    rows = DutyShift.objects.filter(community__in=communities, date__gte=start, date__lte=end)
    return set(rows.values_list("community_id", "lawyer_id", "starts_at"))


def _activity(row: dict, ctx: Context) -> tuple[dict, tuple]:
    community = ctx.community(row)
    day = _date(row, "活动日期")
    names = [n.strip() for n in LAWYERS.split(_text(row, "主讲律师")) if n.strip()]
    advisors = [ctx.lawyer(name, "主讲律师") for name in names]
    status = _choice(row, "状态", ActivityStatus.choices)
    audience = _count(row, "参与人数")
    if status in (ActivityStatus.HELD, ActivityStatus.CONFIRMED) and audience is None:
        raise CellError("参与人数", _("已开展的活动应填写参与人数"))
    topic = _text(row, "主题", max_length=120)
    kind = _choice(row, "活动类型", ActivityKind.choices)
    channel = _choice(row, "宣传形式", OutreachChannel.choices, required=False)
    if kind == ActivityKind.PUBLICITY and not channel:
        raise CellError(
            "宣传形式",
            _("普法宣传应填写宣传形式（%(options)s）")
            % {"options": "、".join(str(label) for label in OutreachChannel.labels)},
        )
    fields = {
        "community": community,
        "kind": kind,
        "channel": channel,
        "date": day,
        "topic": topic,
        "place": _text(row, "地点", required=False, max_length=120),
        "audience_count": audience,
        "status": status,
        "advisors": advisors,
    }
    return fields, (community.pk, day, kind, topic)


def _existing_activities(communities, start: date, end: date) -> set[tuple]:
    rows = Activity.objects.filter(community__in=communities, date__gte=start, date__lte=end)
    return set(rows.values_list("community_id", "date", "kind", "topic"))


# --- mediation cases --------------------------------------------------------------------------

# （2026）南龙人调字第0001号, or a hand-kept register's 南龙人调〔2025〕12号: the year in brackets and
# the serial before 号.
CASE_NUMBER = re.compile(r"[（(〔\[【]\s*(\d{4})\s*[）)〕\]】].*?(\d{1,6})\s*号\s*$")
NAMES = re.compile(r"[、，,;；/]+")
ORGANISATION = re.compile(
    r"(公司|集团|企业|工厂|厂|商行|店|中心|医院|学校|幼儿园|银行|合作社|委员会|物业|协会)$"
)
AGREEMENTS = (OutcomeKind.WRITTEN, OutcomeKind.ORAL)
AFTER_AGREEMENT = (CaseStatus.AGREED, CaseStatus.PERFORMING, CaseStatus.CALLBACK_DONE)
BEFORE_OUTCOME = (
    CaseStatus.REGISTERED,
    CaseStatus.REFUSED,
    CaseStatus.ACCEPTED,
    CaseStatus.INVESTIGATING,
    CaseStatus.MEDIATING,
)
MAX_AMOUNT = Decimal("100000000000")


def _amount(row: dict, column: str) -> Decimal | None:
    value = row.get(column)
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise CellError(column, _("应为金额（元），如 3000 或 3000.50"))
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError(column, _("应为金额（元），如 3000 或 3000.50")) from None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise CellError(column, _("金额应不小于 0 且小于一千亿元"))
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(column, _("金额最多保留两位小数"))
    return amount.quantize(Decimal("0.01"))


def _sealable(row: dict, column: str, count: int, *, what: str, normalize, validate) -> list[str]:
    """An optional column of a hand-kept register (身份证号 or 联系电话), one value per party named,
    in the same order. A masked value cannot become a real one: it is refused, not guessed."""
    text = _text(row, column, required=False)
    if not text:
        return [""] * count
    values = [v.strip() for v in NAMES.split(text)]
    if len(values) != count:
        raise CellError(
            column,
            _("应与当事人一一对应：%(n)d 位当事人，%(m)d 个%(what)s")
            % {"n": count, "m": len(values), "what": what},
        )
    cleaned = []
    for value in values:
        if not value:
            cleaned.append("")
            continue
        if "*" in value or "＊" in value:
            raise CellError(
                column,
                _("“%(value)s”是脱敏的%(what)s，无法导入为真实号码：请填写完整号码或留空")
                % {"value": value[:20], "what": what},
            )
        number = normalize(value)
        try:
            validate(number)
        except ValidationError as exc:
            raise CellError(column, " ".join(str(m) for m in exc.messages)) from None
        cleaned.append(number)
    return cleaned


def _parties(row: dict, role: str, column: str) -> list[dict]:
    names = [n.strip() for n in NAMES.split(_text(row, column)) if n.strip()]
    for name in names:
        if len(name) > 80:
            raise CellError(column, _("当事人姓名或名称不能超过 80 个字"))
    prefix = column
    ids = _sealable(
        row,
        f"{prefix}身份证号",
        len(names),
        what=_("身份证号"),
        normalize=normalize_id_number,
        validate=validate_id_number,
    )
    phones = _sealable(
        row,
        f"{prefix}联系电话",
        len(names),
        what=_("手机号"),
        normalize=normalize_mobile,
        validate=validate_mobile,
    )
    parties = []
    for name, number, phone in zip(names, ids, phones, strict=True):
        organisation = bool(ORGANISATION.search(name))
        if organisation and number:
            raise CellError(
                f"{prefix}身份证号", _("“%(name)s”是单位，不应填写身份证号") % {"name": name[:30]}
            )
        parties.append(
            {
                "role": role,
                "kind": PartyKind.ORGANISATION if organisation else PartyKind.PERSON,
                "name": name,
                "id_number": number,
                "phone": phone,
            }
        )
    return parties


def _case(row: dict, ctx: Context) -> tuple[dict, tuple]:
    number = _text(row, "案号", max_length=40)
    match = CASE_NUMBER.search(number)
    if match is None:
        raise CellError("案号", _("无法识别年度和序号，应如“（2026）南龙人调字第0001号”"))
    year, serial = int(match.group(1)), int(match.group(2))
    if not 1990 <= year <= 2100 or serial < 1:
        raise CellError("案号", _("案号中的年度或序号不正确"))
    intake_on = _date(row, "受理日期")
    community = ctx.community(row)
    type_name = _text(row, "纠纷类型")
    dispute_type = ctx.dispute_types.get(type_name)
    if dispute_type is None:
        raise CellError(
            "纠纷类型",
            _("“%(value)s”不是可选值（%(options)s）")
            % {"value": type_name[:20], "options": "、".join(list(ctx.dispute_types)[:30])},
        )
    title = _text(row, "纠纷名称", max_length=100)
    parties = _parties(row, PartyRole.APPLICANT, "申请人") + _parties(row, PartyRole.RESPONDENT, "被申请人")
    amount = _amount(row, "涉及金额（元）")
    status = _choice(row, "状态", CaseStatus.choices)
    outcome_kind = _choice(row, "调解结果", OutcomeKind.choices, required=False)
    closed = _datetime(row, "结案时间", required=False)
    if closed and closed.astimezone(CHINA_TZ).date() < intake_on:
        raise CellError("结案时间", _("早于受理日期"))
    if outcome_kind and status in BEFORE_OUTCOME:
        raise CellError(
            "调解结果", _("状态为“%(status)s”的案件还没有调解结果") % {"status": CaseStatus(status).label}
        )
    if status in AFTER_AGREEMENT and outcome_kind not in AGREEMENTS:
        raise CellError("调解结果", _("已达成协议的案件应填写“书面协议”或“口头协议”"))
    if status == CaseStatus.TERMINATED and outcome_kind != OutcomeKind.TERMINATED:
        raise CellError("调解结果", _("调解终止的案件应填写“调解终止”"))
    if status == CaseStatus.CLOSED and not outcome_kind:
        raise CellError("调解结果", _("已结案归档的案件应填写调解结果"))
    outcome = None
    if outcome_kind:
        decided = closed.astimezone(CHINA_TZ).date() if closed else intake_on
        outcome = {"kind": outcome_kind, "decided_on": decided}
        if outcome_kind == OutcomeKind.TERMINATED:
            outcome["termination_reason"] = _("自历史台账导入，原台账未记录终止原因")
    fields = {
        "community": community,
        "year": year,
        "serial": serial,
        "number": number,
        "source": "application",  # the register does not say; most cases come by application
        "dispute_type": dispute_type,
        "title": title,
        "summary": _("自历史台账导入，原台账未记录纠纷简要情况。"),
        "amount": amount,
        "people_affected": max(2, len(parties)),
        "status": status,
        "intake_on": intake_on,
        "closed_at": closed,
        "parties": parties,
        "outcome": outcome,
    }
    return fields, (community.pk, year, serial)


def _existing_cases(communities, start: date, end: date) -> set[tuple]:
    # The number is the committee's and the year's, whatever the intake date: look at the years.
    rows = MediationCase.objects.filter(
        community__in=communities, year__gte=start.year - 1, year__lte=end.year + 1
    )
    return set(rows.values_list("community_id", "year", "serial"))


# --- health checks ------------------------------------------------------------------------------


def _enterprise(row: dict, ctx: Context, community) -> object:
    """The enterprise the credit code names: the registered one (its name must agree), or a new
    one registered in the row's community."""
    name = _text(row, "企业名称", max_length=120)
    code = normalize_credit_code(_text(row, "统一社会信用代码"))
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise CellError("统一社会信用代码", " ".join(str(m) for m in exc.messages)) from None
    if code not in ctx.enterprises:
        ctx.enterprises[code] = Enterprise.objects.filter(credit_code=code).first()
    found = ctx.enterprises[code]
    if found is None:  # new: registered once, as the first row naming it has it
        found = ctx.enterprises[code] = {"name": name, "credit_code": code, "community": community}
    if _enterprise_name(found) != name:
        raise CellError("企业名称", _("与该统一社会信用代码已登记（或前面的行）的企业名称不一致"))
    return found


def _health_check(row: dict, ctx: Context) -> tuple[dict, tuple]:
    community = ctx.community(row)
    day = _date(row, "体检日期")
    enterprise = _enterprise(row, ctx, community)
    names = [n.strip() for n in LAWYERS.split(_text(row, "体检律师")) if n.strip()]
    advisors = [ctx.lawyer(name, "体检律师") for name in names]
    found = _count(row, "发现问题") or 0
    high = _count(row, "高风险问题") or 0
    if high > found:
        raise CellError("高风险问题", _("不能多于发现问题的数量"))
    if found > 200:
        raise CellError("发现问题", _("一次体检最多记录 200 个问题"))
    fields = {
        "community": community,
        "date": day,
        "enterprise": enterprise,
        "advisors": advisors,
        "status": _choice(row, "状态", CheckStatus.choices),
        "findings": found,
        "high": high,
    }
    code = enterprise["credit_code"] if isinstance(enterprise, dict) else enterprise.credit_code
    return fields, (code, day)


def _existing_checks(communities, start: date, end: date) -> set[tuple]:
    # The same enterprise checked on the same day is one check, whichever community recorded it.
    rows = HealthCheck.objects.filter(date__gte=start, date__lte=end)
    return set(rows.values_list("enterprise__credit_code", "date"))


def _enterprise_name(enterprise) -> str:
    return enterprise["name"] if isinstance(enterprise, dict) else enterprise.name


@dataclass(frozen=True)
class Importer:
    parse: Callable[[dict, Context], tuple[dict, tuple]]
    date_of: Callable[[dict], date]
    existing: Callable[..., set[tuple]]
    write: Callable[..., int]
    describe: Callable[[dict], str]


IMPORTERS = {
    "consultations": Importer(
        _consultation,
        lambda f: f["created_at"].astimezone(CHINA_TZ).date(),
        _existing_consultations,
        consultation_history.consultations_import,
        lambda f: f"{f['community'].name} {f['created_at']:%Y-%m-%d %H:%M} {f['text'][:20]}",
    ),
    "duty": Importer(
        _shift,
        lambda f: f["date"],
        _existing_shifts,
        duty_history.shifts_import,
        lambda f: f"{f['community'].name} {f['lawyer'].name} {f['starts_at']:%Y-%m-%d %H:%M}",
    ),
    "activities": Importer(
        _activity,
        lambda f: f["date"],
        _existing_activities,
        outreach_history.activities_import,
        lambda f: f"{f['community'].name} {f['date']:%Y-%m-%d} {f['topic'][:20]}",
    ),
    "mediation": Importer(
        _case,
        lambda f: f["intake_on"],
        _existing_cases,
        mediation_history.cases_import,
        lambda f: f"{f['community'].name} {f['number']}",
    ),
    "checks": Importer(
        _health_check,
        lambda f: f["date"],
        _existing_checks,
        outreach_history.health_checks_import,
        lambda f: f"{f['community'].name} {f['date']:%Y-%m-%d} {_enterprise_name(f['enterprise'])}",
    ),
}


# --- the file -----------------------------------------------------------------------------------


def _open(handle, size: int):
    if size > MAX_BYTES:
        raise DomainError(_("文件超过 20 MB，请按月份或社区拆分后再导入"), field="file")
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(OLE_MAGIC):
        raise DomainError(
            _("文件已加密，或是旧版 .xls 格式：请在 Excel 或 WPS 中另存为不加密码的 .xlsx 后再导入"),
            field="file",
        )
    if not head.startswith(ZIP_MAGIC):
        raise DomainError(_("不是 Excel 文件：请上传 .xlsx 格式的台账"), field="file")
    try:
        return load_workbook(handle, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise DomainError(_("无法读取该 Excel 文件，文件可能已损坏"), field="file") from None


def _rows(sheet) -> Iterator[tuple[int, list]]:
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        yield number, list(cells)


def check(
    *, handle, size: int, kind: str, user, progress: Callable[[int, int], None] | None = None
) -> Checked:
    """Read the file and check every row (the dry run): nothing is written."""
    if kind not in IMPORTERS:
        raise DomainError(_("这种台账暂不支持导入"), field="kind")
    ledger, importer = LEDGERS[kind], IMPORTERS[kind]
    book = _open(handle, size)
    title = str(ledger.title)[:31]
    sheet = book[title] if title in book.sheetnames else book.worksheets[0]
    result = Checked(kind, sheet.title)
    if sheet.max_row and sheet.max_row > MAX_ROWS + 10:
        raise DomainError(
            _("文件有 %(n)d 行，超过一次导入的上限 %(max)d 行，请拆分后再导入")
            % {"n": sheet.max_row, "max": MAX_ROWS},
            field="file",
        )
    ctx = _context(user)
    header: dict[int, str] | None = None
    seen: set[tuple] = set()
    keyed: list[tuple[int, dict, tuple]] = []
    for number, cells in _rows(sheet):
        values = [cell.value for cell in cells]
        if header is None:
            if values and str(values[0] or "").strip() == "序号":
                header = {i: str(v).strip() for i, v in enumerate(values) if v is not None}
                missing = [
                    name for name in ledger.headers if name not in header.values() and name not in OPTIONAL
                ]
                for name in missing:
                    result.errors.append(RowError(sheet.title, number, name, _("表头缺少该列")))
                if missing:
                    return result
            elif number >= 5:
                result.errors.append(
                    RowError(
                        sheet.title,
                        1,
                        "",
                        _("前 5 行中找不到以“序号”开头的表头行：这不是“%(title)s”的格式")
                        % {"title": ledger.title},
                    )
                )
                return result
            continue
        if all(v in (None, "") for v in values):
            continue
        result.rows += 1
        if result.rows > MAX_ROWS:
            raise DomainError(
                _("超过一次导入的上限 %(max)d 行，请拆分后再导入") % {"max": MAX_ROWS}, field="file"
            )
        row = {}
        formula = None
        for i, cell in enumerate(cells):
            name = header.get(i)
            if name is None:
                continue
            if getattr(cell, "data_type", None) == "f":
                formula = name
            row[name] = cell.value
        if formula:
            result.errors.append(RowError(sheet.title, number, formula, _("此处应为数值，不能是公式")))
            continue
        try:
            fields, key = importer.parse(row, ctx)
        except CellError as exc:
            result.errors.append(RowError(sheet.title, number, exc.column, exc.reason))
            continue
        if key in seen:
            result.duplicates.append((number, _("与文件中前面的行重复")))
            continue
        seen.add(key)
        keyed.append((number, fields, key))
        if progress is not None and result.rows % 1000 == 0:
            progress(result.rows, sheet.max_row or 0)
    if progress is not None:
        progress(result.rows, result.rows + 2)
    if header is None:
        result.errors.append(RowError(sheet.title, 1, "", _("找不到表头行（以“序号”开头）")))
        return result
    if keyed:
        days = [importer.date_of(fields) for _n, fields, _k in keyed]
        communities = {fields["community"].pk for _n, fields, _k in keyed}
        existing = importer.existing(communities, min(days), max(days))
        for number, fields, key in keyed:
            if key in existing:
                result.duplicates.append(
                    (number, _("系统中已有：%(what)s") % {"what": importer.describe(fields)})
                )
            else:
                result.records.append(fields)
    result.duplicates.sort()
    return result


def run(*, handle, size: int, kind: str, user, source: str, progress=None) -> Checked:
    """Check again and, when no error remains, write every new row (all or nothing)."""
    result = check(handle=handle, size=size, kind=kind, user=user, progress=progress)
    if result.ok and result.records:
        IMPORTERS[kind].write(rows=result.records, by=user, source=source[:200])
        if kind == "consultations":
            _recount_months({IMPORTERS[kind].date_of(fields).replace(day=1) for fields in result.records})
    return result


def _recount_months(months: set[date]) -> None:
    """Imported history lands in past months: count again those already rolled up, once the rows
    are committed, so the dashboard's rollup agrees with the records."""
    rolled = sorted(RolledMonth.objects.filter(month__in=months).values_list("month", flat=True))
    if rolled:
        transaction.on_commit(lambda: rollups.consultation_months_refresh(months=rolled))
