"""The appraisal's indicators for one advisor and year, computed from the other modules' selectors
up to a day (the live preview each quarter; the whole year once it has ended). Each indicator
carries the link to the records behind it, in the module that owns them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from guwen.consultations import selectors as consultations
from guwen.duty import selectors as duty
from guwen.evaluation import rules
from guwen.evaluation import selectors as own
from guwen.evaluation.models import AppraisalScheme
from guwen.evaluation.worklog import worklog_weeks
from guwen.mediation import selectors as mediation
from guwen.outreach import selectors as outreach
from guwen.regions.models import Lawyer
from guwen.regions.selectors import communities_served


@dataclass
class Indicator:
    key: str
    name: str
    weight: int
    detail: str  # the figures behind the value, in words
    value: Decimal | None  # 0–1; None: no data, not counted
    points: Decimal | None
    link: str

    def as_json(self) -> dict:
        data = asdict(self)
        data["value"] = None if self.value is None else str(self.value)
        data["points"] = None if self.points is None else str(self.points)
        return data


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _url(name: str, **query) -> str:
    base = reverse(name)
    return f"{base}?{urlencode(query)}" if query else base


def period(year: int, today: date | None = None) -> tuple[date, date]:
    """The appraisal year up to today (or the whole year once it has ended)."""
    today = today or timezone.localdate()
    return date(year, 1, 1), min(date(year, 12, 31), today)


def compute(
    lawyer: Lawyer, year: int, scheme: AppraisalScheme | None, today: date | None = None
) -> list[Indicator]:
    start, end = period(year, today)
    weights = scheme.weights if scheme else rules.DEFAULT_WEIGHTS
    since, until = _aware(start), _aware(end + timedelta(days=1))
    communities = list(communities_served(lawyer, start, end))
    user_id = lawyer.user_id
    found: dict[str, tuple[str, Decimal | None, str]] = {}
    # Each link opens the list behind the figure narrowed to this advisor and period.
    dates = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    decided = {"tab": "all", "lawyer": lawyer.pk, "date_by": "decided", **dates}

    held = duty.attendance(start=start, end=end, lawyer=lawyer)
    found["onsite_hours"] = (
        f"{held.held_hours} / {held.required_hours} 小时",
        rules.ratio(held.held_minutes, held.required_minutes),
        _url("duty:attendance", lawyer=lawyer.pk, **dates),
    )
    lectures = outreach.lectures_held_count(lawyer_id=lawyer.pk, start=start, end=end)
    required = sum(outreach.lectures_required(community=c, start=start, end=end) for c in communities)
    found["lectures"] = (
        f"{lectures} / {required} 场",
        rules.ratio(lectures, required),
        _url("outreach:activity_list", kind="lecture", status="done", lawyer=lawyer.pk, **dates),
    )
    answered, in_time = consultations.answered_in_time_counts(user_id=user_id, start=since, end=until)
    found["answered_in_time"] = (
        f"{in_time} / {answered} 件",
        rules.ratio(in_time, answered),
        _url("consultations:inbox", tab="all", lawyer=lawyer.pk, date_by="answered", **dates),
    )
    received, escalated = consultations.escalation_counts(
        community_ids=[c.pk for c in communities], start=since, end=until
    )
    found["escalation"] = (
        f"上交 {escalated} / 受理 {received} 件",
        rules.ratio(received - escalated, received),
        _url("consultations:inbox", tab="all", served_by=lawyer.pk, **dates),
    )
    cases = mediation.mediation_figures(user_id=user_id, start=start, end=end)
    found["mediation_success"] = (
        f"成功 {cases['agreed']} / 办结 {cases['decided']} 件",
        rules.ratio(cases["agreed"], cases["decided"]),
        _url("mediation:case_list", **decided),
    )
    found["callbacks"] = (
        f"已回访 {cases['called_back']} / 达成协议 {cases['agreed']} 件",
        rules.ratio(cases["called_back"], cases["agreed"]),
        _url("mediation:case_list", outcome="agreed", **decided),
    )
    weeks = max(1, ((end - start).days + 1) // 7)
    logged = worklog_weeks(lawyer=lawyer, date_from=start, date_to=end)
    found["worklog"] = (
        f"有记录 {len(logged)} / {weeks} 周",
        rules.ratio(len(logged), weeks),
        _url("reports:worklog", lawyer_id=lawyer.pk, **dates),
    )
    n, mean = consultations.rating_figures(lawyer_id=lawyer.pk, start=since, end=until)
    found["resident_rating"] = (
        f"{n} 条，平均 {mean or '—'} 星",
        rules.ratio(mean, 5) if mean is not None else None,
        _url("evaluation:ratings", lawyer=lawyer.pk, year=year),
    )
    n, mean = own.survey_mean(community_ids=[c.pk for c in communities], year=year)
    found["survey"] = (
        f"{n} 份，平均 {mean or '—'} 分",
        rules.ratio(mean, 100) if mean is not None else None,
        _url("evaluation:surveys", year=year),
    )
    n, mean = own.community_evaluation_mean(lawyer_id=lawyer.pk, year=year)
    found["community_evaluation"] = (
        f"{n} 份，平均 {mean or '—'} 分",
        rules.ratio(mean, 100) if mean is not None else None,
        _url("evaluation:evaluations", lawyer=lawyer.pk, year=year),
    )
    rows = []
    for key, label in rules.INDICATORS.items():
        weight = int(weights.get(key, 0))
        if not weight:
            continue
        detail, value, link = found[key]
        rows.append(Indicator(key, str(label), weight, detail, value, rules.points(weight, value), link))
    return rows
