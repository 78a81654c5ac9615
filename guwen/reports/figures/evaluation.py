"""Evaluation (群众评价与考核): residents' ratings and the complaints they opened in the period,
satisfaction-survey progress for the quarter the period ends in, and the appraisal grades of that
year. Read through ``evaluation.selectors.region_figures`` (five grouped queries), the same figures
the quarterly summary writes."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guwen.consultations.overview import Period
from guwen.core.workcalendar import CHINA_TZ
from guwen.evaluation import selectors as evaluation
from guwen.outreach.selectors import quarter_of
from guwen.regions.models import Region
from guwen.reports import links
from guwen.reports.scope import communities_of
from guwen.reports.sections import Chart, Figure, SectionData, Table, section


@section("evaluation", gettext_lazy("群众评价与考核"), 60)
def evaluation_section(region: Region, period: Period) -> SectionData:
    quarter = quarter_of(period.end)
    start = datetime.combine(period.start, time.min, tzinfo=CHINA_TZ)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=CHINA_TZ)
    e = evaluation.region_figures(communities_of(region), quarter, start, end)
    year = quarter.year
    ratings = links.ratings(region, period)
    surveys = links.surveys(region, quarter.key)
    appraisals = links.appraisals(region, year, status="reviewed")
    reviewed = sum(e.grades.values())
    figures = [
        Figure(_("居民评价"), e.ratings, ratings, _("次")),
        Figure(_("平均星级"), e.rating_mean, ratings, _("星")),
        Figure(_("差评（2 星及以下）"), e.low_ratings, links.ratings(region, period, stars="low"), _("次")),
        Figure(_("新收投诉"), e.complaints_opened, links.complaints(region, period), _("件")),
        Figure(
            _("已处理投诉"),
            e.complaints_resolved,
            links.complaints(region, period, date_by="resolved"),
            _("件"),
        ),
        Figure(_("逾期未处理投诉"), e.complaints_overdue, links.complaints(region, None, "overdue"), _("件")),
        Figure(
            _("满意度问卷"),
            e.survey_responses,
            surveys,
            _("份"),
            _("%(quarter)s：%(n)d / %(total)d 个社区达到样本量")
            % {"quarter": quarter.label, "n": len(e.surveys_reached), "total": len(e.surveys)},
        ),
        Figure(
            _("年度考核已审核"),
            reviewed,
            appraisals,
            _("名"),
            _("%(year)d 年度，待审核 %(n)d 名") % {"year": year, "n": e.appraisals_draft},
        ),
    ]
    charts = []
    if reviewed:
        charts.append(
            Chart(
                "evaluation_grades",
                _("%(year)d 年度考核等次（已审核，名）") % {"year": year},
                "bar",
                list(e.grades),
                [(_("人数"), list(e.grades.values()))],
                [appraisals] * len(e.grades),
            )
        )
    if e.surveys:
        charts.append(
            Chart(
                "evaluation_surveys",
                _("%(quarter)s 满意度问卷回收（份）") % {"quarter": quarter.label},
                "bar",
                [s.community.name for s in e.surveys],
                [(_("回收"), [s.responses for s in e.surveys])],
                [links.surveys(s.community, quarter.key) for s in e.surveys],
            )
        )
    tables = []
    if e.low_rated:
        tables.append(
            Table(
                [_("居民评价偏低的社区"), _("评价次数"), _("平均星级")],
                [[(name, ratings), n, mean] for name, n, mean in e.low_rated],
            )
        )
    return SectionData(figures, charts, tables)
