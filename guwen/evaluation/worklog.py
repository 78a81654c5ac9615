"""The advisor's work log (工作日志 / 台账, "一次一记、一事一记"): one chronological list built from
the records every module already holds — consultations answered, duty shifts held, activities,
health checks, opinions delivered, legal-aid referrals, mediation sessions (调解) the lawyer
mediated in and callbacks (回访) they made — plus free entries for anything else. No double entry: a
record made elsewhere appears here by itself.

It reads every module below the appraisal, and the appraisal scores its completeness, so it lives in
``evaluation``; the page and the API read it from ``reports`` (/reports/worklog/). A reader who is
not the lawyer sees only the entries of communities in their own scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.urls import reverse

from guwen.accounts.scope import regions_visible_to
from guwen.consultations.models import Consultation
from guwen.core.workcalendar import CHINA_TZ
from guwen.duty.models import DutyShift, ShiftStatus
from guwen.mediation.models import Callback, Session
from guwen.outreach.models import (
    Activity,
    ActivityStatus,
    HealthCheck,
    LegalOpinion,
    OpinionStatus,
    Referral,
    WorkLogEntry,
)
from guwen.regions.models import Lawyer


@dataclass(frozen=True)
class LogEntry:
    at: datetime
    kind: str
    kind_label: str
    community: str
    place: str
    person: str
    content: str
    result: str
    url: str


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=CHINA_TZ)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=CHINA_TZ)


def worklog(*, lawyer: Lawyer, date_from: date, date_to: date, viewer=None) -> list[LogEntry]:
    """The lawyer's log from ``date_from`` to ``date_to`` (inclusive), newest first."""
    start, end = _start(date_from), _start(date_to) + timedelta(days=1)
    own = viewer is None or (lawyer.user_id is not None and lawyer.user_id == getattr(viewer, "pk", None))
    regions = None if own else regions_visible_to(viewer)

    def scoped(queryset, field="community"):
        return queryset if regions is None else queryset.filter(**{f"{field}__in": regions})

    entries: list[LogEntry] = []
    if lawyer.user_id:
        for c in scoped(
            Consultation.objects.filter(owner_id=lawyer.user_id, answered_at__gte=start, answered_at__lt=end)
        ).select_related("community"):
            entries.append(
                LogEntry(
                    c.answered_at,
                    "consultation",
                    "法律咨询",
                    c.community.name,
                    c.get_channel_display(),
                    c.resident_name or "居民",
                    c.text[:200],
                    c.get_status_display(),
                    reverse("consultations:detail", args=[c.pk]),
                )
            )
        for r in scoped(
            Referral.objects.filter(
                referred_by_id=lawyer.user_id, sent_on__gte=date_from, sent_on__lte=date_to
            )
        ).select_related("community", "centre"):
            entries.append(
                LogEntry(
                    _noon(r.sent_on),
                    "referral",
                    "法律援助转介",
                    r.community.name,
                    "",
                    r.applicant,
                    f"{r.get_category_display()}：转介{r.centre.name}",
                    r.get_status_display(),
                    reverse("outreach:referral_detail", args=[r.pk]),
                )
            )
        for m in scoped(
            Session.objects.filter(
                case__mediators__user_id=lawyer.user_id, held_on__gte=date_from, held_on__lte=date_to
            ),
            "case__community",
        ).select_related("case", "case__community"):
            entries.append(
                LogEntry(
                    _noon(m.held_on),
                    "mediation_session",
                    "人民调解",
                    m.case.community.name,
                    m.place,
                    m.attendees[:80],
                    f"{m.case.number} {m.case.title}",
                    m.case.get_status_display(),
                    reverse("mediation:case_detail", args=[m.case_id]),
                )
            )
        for b in scoped(
            Callback.objects.filter(
                caller_id=lawyer.user_id, called_on__gte=date_from, called_on__lte=date_to
            ),
            "case__community",
        ).select_related("case", "case__community"):
            entries.append(
                LogEntry(
                    _noon(b.called_on),
                    "mediation_callback",
                    "调解回访",
                    b.case.community.name,
                    b.get_method_display(),
                    b.interviewee,
                    f"{b.case.number} {b.case.title}",
                    f"{b.get_performed_display()}，{b.get_satisfaction_display()}",
                    reverse("mediation:case_detail", args=[b.case_id]),
                )
            )
    held = [ShiftStatus.COMPLETED, ShiftStatus.CONFIRMED, ShiftStatus.DISPUTED]
    for s in scoped(
        DutyShift.objects.filter(lawyer=lawyer, status__in=held, date__gte=date_from, date__lte=date_to)
    ).select_related("community"):
        entries.append(
            LogEntry(
                s.starts_at,
                "duty",
                "驻点值班",
                s.community.name,
                s.place,
                "社区居民",
                "驻点值班（现场法律咨询）",
                s.get_status_display(),
                reverse("duty:shift_detail", args=[s.pk]),
            )
        )
    done = [ActivityStatus.HELD, ActivityStatus.CONFIRMED]
    for a in scoped(
        Activity.objects.filter(advisors=lawyer, status__in=done, date__gte=date_from, date__lte=date_to)
    ).select_related("community"):
        entries.append(
            LogEntry(
                _noon(a.date),
                "activity",
                a.get_kind_display(),
                a.community.name,
                a.place,
                f"{a.audience_count or 0}人",
                a.topic,
                a.get_status_display(),
                reverse("outreach:activity_detail", args=[a.pk]),
            )
        )
    for h in scoped(
        HealthCheck.objects.filter(advisors=lawyer, date__gte=date_from, date__lte=date_to)
    ).select_related("community", "enterprise"):
        entries.append(
            LogEntry(
                _noon(h.date),
                "health_check",
                "企业法治体检",
                h.community.name,
                "",
                h.enterprise.name,
                h.scope[:200],
                h.get_status_display(),
                reverse("outreach:check_detail", args=[h.pk]),
            )
        )
    for o in scoped(
        LegalOpinion.objects.filter(
            advisor=lawyer,
            status=OpinionStatus.DELIVERED,
            delivered_on__gte=date_from,
            delivered_on__lte=date_to,
        )
    ).select_related("community"):
        entries.append(
            LogEntry(
                _noon(o.delivered_on),
                "opinion",
                o.get_kind_display(),
                o.community.name,
                "",
                f"{o.community.name}居委会",
                o.title,
                f"已出具，用时 {o.working_days_taken} 个工作日",
                reverse("outreach:opinion_detail", args=[o.pk]),
            )
        )
    for f in scoped(WorkLogEntry.objects.filter(lawyer=lawyer, at__gte=start, at__lt=end)).select_related(
        "community"
    ):
        entries.append(
            LogEntry(f.at, "other", "其他", f.community.name, f.place, f.person, f.content, f.result, "")
        )
    return sorted(entries, key=lambda e: e.at, reverse=True)


def worklog_weeks(*, lawyer: Lawyer, date_from: date, date_to: date) -> set[tuple[int, int]]:
    """The ISO weeks (year, week) in which ``worklog`` has an entry, read as bare times: the
    appraisal's worklog indicator counts weeks, and building every entry with its labels and links
    costs a second per advisor-year at city scale."""
    start, end = _start(date_from), _start(date_to) + timedelta(days=1)
    moments: list[datetime] = []
    if lawyer.user_id:
        moments += Consultation.objects.filter(
            owner_id=lawyer.user_id, answered_at__gte=start, answered_at__lt=end
        ).values_list("answered_at", flat=True)
        days = [
            *Referral.objects.filter(
                referred_by_id=lawyer.user_id, sent_on__gte=date_from, sent_on__lte=date_to
            ).values_list("sent_on", flat=True),
            *Session.objects.filter(
                case__mediators__user_id=lawyer.user_id, held_on__gte=date_from, held_on__lte=date_to
            ).values_list("held_on", flat=True),
            *Callback.objects.filter(
                caller_id=lawyer.user_id, called_on__gte=date_from, called_on__lte=date_to
            ).values_list("called_on", flat=True),
        ]
        moments += [_noon(day) for day in days]
    held = [ShiftStatus.COMPLETED, ShiftStatus.CONFIRMED, ShiftStatus.DISPUTED]
    moments += DutyShift.objects.filter(
        lawyer=lawyer, status__in=held, date__gte=date_from, date__lte=date_to
    ).values_list("starts_at", flat=True)
    done = [ActivityStatus.HELD, ActivityStatus.CONFIRMED]
    days = [
        *Activity.objects.filter(
            advisors=lawyer, status__in=done, date__gte=date_from, date__lte=date_to
        ).values_list("date", flat=True),
        *HealthCheck.objects.filter(advisors=lawyer, date__gte=date_from, date__lte=date_to).values_list(
            "date", flat=True
        ),
        *LegalOpinion.objects.filter(
            advisor=lawyer,
            status=OpinionStatus.DELIVERED,
            delivered_on__gte=date_from,
            delivered_on__lte=date_to,
        ).values_list("delivered_on", flat=True),
    ]
    moments += [_noon(day) for day in days]
    moments += WorkLogEntry.objects.filter(lawyer=lawyer, at__gte=start, at__lt=end).values_list(
        "at", flat=True
    )
    return {moment.isocalendar()[:2] for moment in moments}
