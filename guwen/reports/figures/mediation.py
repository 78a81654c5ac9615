"""People's mediation (人民调解) in a scope: cases taken in over the period, their status and
outcome, the success rate (agreements over cases decided), leads screened, by dispute type and
month. Aggregate queries through the mediation module's own tallies."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guwen.consultations.overview import Period, _rate
from guwen.mediation.models import CaseStatus, DisputeLead, MediationCase, OutcomeKind
from guwen.mediation.selectors import counts_by_type
from guwen.regions.models import Region
from guwen.reports import links
from guwen.reports.scope import communities_of, month_days, month_spans
from guwen.reports.sections import Chart, Figure, SectionData, section

AGREED = Q(outcome__kind__in=[OutcomeKind.WRITTEN, OutcomeKind.ORAL])


def cases_in(region: Region, period: Period):
    return MediationCase.objects.filter(
        community__in=communities_of(region), intake_on__gte=period.start, intake_on__lte=period.end
    )


@section("mediation", gettext_lazy("人民调解"), 40)
def mediation_section(region: Region, period: Period) -> SectionData:
    cases = cases_in(region, period)
    counts = {
        "total": Count("pk"),
        "agreed": Count("pk", filter=AGREED),
        "terminated": Count("pk", filter=Q(outcome__kind=OutcomeKind.TERMINATED)),
        "amount": Sum("amount", filter=AGREED, default=0),
    }
    for value, _label in CaseStatus.choices:
        counts[f"status_{value}"] = Count("pk", filter=Q(status=value))
    spans = month_spans(period)
    for label, month in spans:
        counts[f"{label}_n"] = Count("pk", filter=month_days("intake_on", month))
        counts[f"{label}_agreed"] = Count("pk", filter=month_days("intake_on", month) & AGREED)
    totals = cases.aggregate(**counts)
    leads = DisputeLead.objects.filter(
        community__in=communities_of(region), found_on__gte=period.start, found_on__lte=period.end
    ).count()
    types = counts_by_type(cases)[:10]
    monthly = {
        label: {"n": totals[f"{label}_n"], "agreed": totals[f"{label}_agreed"]} for label, _month in spans
    }
    months = [label for label, _month in spans]
    decided = totals["agreed"] + totals["terminated"]
    figures = [
        Figure(_("排查纠纷线索"), leads, "", _("条")),
        Figure(_("受理调解案件"), totals["total"], links.cases(region, period), _("件")),
        Figure(_("调解成功"), totals["agreed"], links.cases(region, period, outcome="agreed"), _("件")),
        Figure(
            _("调解终止"), totals["terminated"], links.cases(region, period, outcome="terminated"), _("件")
        ),
        Figure(_("调解成功率"), _rate(totals["agreed"], decided), links.cases(region, period), "%"),
        Figure(_("协议涉及金额"), totals["amount"], links.cases(region, period, outcome="agreed"), _("元")),
    ]
    charts = [
        Chart(
            "mediation_status",
            _("案件状态"),
            "bar",
            [str(label) for _v, label in CaseStatus.choices],
            [(_("案件"), [totals[f"status_{v}"] for v, _label in CaseStatus.choices])],
            [links.cases(region, period, status=v) for v, _label in CaseStatus.choices],
        ),
        Chart(
            "mediation_types",
            _("纠纷类型"),
            "bar",
            [t.label for t in types],
            [(_("案件"), [t.total for t in types]), (_("成功"), [t.agreed for t in types])],
            [],
        ),
        Chart(
            "mediation_month",
            _("受理与成功（按月）"),
            "line",
            months,
            [
                (_("受理"), [monthly.get(m, {}).get("n", 0) for m in months]),
                (_("成功"), [monthly.get(m, {}).get("agreed", 0) for m in months]),
            ],
            [],
        ),
    ]
    return SectionData(figures, charts)
