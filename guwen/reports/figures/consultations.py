"""Consultations in a scope: by level, category, status and channel; first-response and close
times against their deadlines; escalations; month by month. Three aggregate queries."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guwen.consultations.models import Channel, Consultation, Level, Status
from guwen.consultations.overview import ANSWERED_IN_TIME, Period, _rate
from guwen.consultations.selectors import overdue_condition
from guwen.duty.selectors import month_bounds
from guwen.regions.models import Region
from guwen.reports import links
from guwen.reports.scope import communities_of, month_spans
from guwen.reports.sections import Chart, Figure, SectionData, section


def asked_in(region: Region, period: Period):
    return Consultation.objects.filter(community__in=communities_of(region)).filter(period.q("created_at"))


def _hours(minutes) -> Decimal | None:
    return None if minutes is None else (Decimal(str(minutes)) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


@section("consultations", gettext_lazy("法律咨询"), 10)
def consultations_section(region: Region, period: Period) -> SectionData:
    rows = asked_in(region, period)
    now = timezone.now()
    counts = {
        "total": Count("pk"),
        "answered": Count("pk", filter=Q(first_response_at__isnull=False)),
        "in_time": Count("pk", filter=ANSWERED_IN_TIME),
        "overdue": Count("pk", filter=overdue_condition(now)),
        "escalated": Count("pk", filter=~Q(level=Level.COMMUNITY)),
        "closed": Count("pk", filter=Q(closed_at__isnull=False)),
        "first_minutes": Avg("minutes_to_first_response"),
        "close_minutes": Avg("minutes_to_close"),
    }
    for value, _label in Level.choices:
        counts[f"level_{value}"] = Count("pk", filter=Q(level=value))
    for value, _label in Status.choices:
        counts[f"status_{value}"] = Count("pk", filter=Q(status=value))
    for value, _label in Channel.choices:
        counts[f"channel_{value}"] = Count("pk", filter=Q(channel=value))
    spans = month_spans(period)
    for i, (_label, month) in enumerate(spans):
        counts[f"month_{i}"] = Count("pk", filter=month.q("created_at"))
        counts[f"month_{i}_in_time"] = Count("pk", filter=month.q("created_at") & ANSWERED_IN_TIME)
    totals = rows.aggregate(**counts)
    # Until an advisor confirms the category on closing, the triage's suggestion stands for it.
    categories = list(
        rows.annotate(group=Coalesce(NullIf("category", Value("")), NullIf("category_suggested", Value(""))))
        .values("group")
        .annotate(n=Count("pk"))
        .order_by("-n", "group")
    )
    month_labels = [label for label, _month in spans]

    def link(**filters) -> str:
        return links.consultations(region, period, **filters)

    figures = [
        Figure(_("咨询总数"), totals["total"], link(), _("件")),
        Figure(_("已答复"), totals["answered"], link(tab="answered")),
        Figure(_("按时首次答复率"), _rate(totals["in_time"], totals["answered"]), link(), "%"),
        Figure(_("平均首次答复用时"), _hours(totals["first_minutes"]), link(), _("小时")),
        Figure(_("平均办结用时"), _hours(totals["close_minutes"]), link(tab="closed"), _("小时")),
        Figure(_("逾期未答复"), totals["overdue"], links.consultations(region, None, tab="overdue"), _("件")),
        Figure(_("上移办理（街道/区）"), totals["escalated"], link(level="street"), _("件")),
    ]
    charts = [
        Chart(
            "consultations_level",
            _("按层级"),
            "bar",
            [str(label) for _v, label in Level.choices],
            [(_("咨询"), [totals[f"level_{v}"] for v, _label in Level.choices])],
            [link(level=v) for v, _label in Level.choices],
        ),
        Chart(
            "consultations_status",
            _("按状态"),
            "bar",
            [str(label) for _v, label in Status.choices],
            [(_("咨询"), [totals[f"status_{v}"] for v, _label in Status.choices])],
            [link(status=v) for v, _label in Status.choices],
        ),
        Chart(
            "consultations_channel",
            _("按渠道"),
            "pie",
            [str(label) for _v, label in Channel.choices],
            [(_("咨询"), [totals[f"channel_{v}"] for v, _label in Channel.choices])],
            [link(channel=v) for v, _label in Channel.choices],
        ),
        Chart(
            "consultations_category",
            _("按类别"),
            "bar",
            [line["group"] or _("未分类") for line in categories[:12]],
            [(_("咨询"), [line["n"] for line in categories[:12]])],
            [link(category=line["group"] or "") for line in categories[:12]],
        ),
        Chart(
            "consultations_month",
            _("按月趋势"),
            "line",
            month_labels,
            [
                (_("咨询"), [totals[f"month_{i}"] for i in range(len(spans))]),
                (_("按时答复"), [totals[f"month_{i}_in_time"] for i in range(len(spans))]),
            ],
            [_month_link(region, m) for m in month_labels],
        ),
    ]
    return SectionData(figures, charts)


def _month_link(region: Region, month: str) -> str:
    first, last = month_bounds(date.fromisoformat(f"{month}-01"))
    return links.consultations(region, Period(first, last))
