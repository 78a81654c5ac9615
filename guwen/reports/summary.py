"""The quarterly work summary (业务综述) of a street or district, written from live data in the
structure of the report it replaces: overall situation; each kind of work with its figures;
results (with the subsidy paid per case, 以案定补, and how residents, communities and the office
judged the advisors); shortcomings the data shows (communities behind on lectures, overdue
questions, missed shifts, open subsidy flags, unpaid subsidy, overdue complaints, low ratings,
surveys short of their sample, weak appraisal grades); a section left for the office's
suggestions; charts as pictures.

The figures are the dashboard's sections (``guwen.reports.sections``) for the quarter, so the
summary and the dashboard never disagree; what the dashboard does not show (subsidised cases by
grade, evaluation) is read through the subsidy and evaluation selectors.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from guwen.consultations.overview import Period
from guwen.core.workcalendar import CHINA_TZ
from guwen.evaluation import selectors as evaluation
from guwen.mediation.models import Grade
from guwen.outreach.selectors import Quarter, coverage
from guwen.regions.models import Region
from guwen.regions.selectors import coverage as posting_coverage
from guwen.regions.selectors import current_assignments
from guwen.reports import sections
from guwen.reports.pictures import bar_chart
from guwen.reports.scope import communities_of
from guwen.subsidy import selectors as subsidy

LISTED = 8  # communities named in one shortcoming before “等 N 个”


def _v(value) -> str:
    return "—" if value is None else f"{value}"


def _names(names: list[str]) -> str:
    shown = "、".join(names[:LISTED])
    return shown + (f"等 {len(names)} 个" if len(names) > LISTED else "")


def _money(value) -> str:
    return f"{Decimal(value or 0):,.2f}"


def _subsidy(region: Region, period: Period, figures: dict) -> tuple[list[str], list[str], str]:
    """以案定补: the results sentence, the shortcomings and the chart of subsidised cases by grade."""
    grades = subsidy.case_lines_by_grade(region.path, period.start, period.end)
    labels = [*(str(label) for label in Grade.labels), "未定级"]
    counts = [grades.get(value, (0, 0))[0] for value in Grade.values] + [grades.get("", (0, 0))[0]]
    cases = sum(n for n, _amount in grades.values())
    case_amount = sum((amount for _n, amount in grades.values()), Decimal(0))
    settled, approved, paid = figures["已结算"], figures["已批准待发放"], figures["已发放"]
    if not settled and not cases:
        results = ["以案定补：本季度各月尚无补贴结算。"]
    else:
        by_grade = "、".join(f"{label} {n} 件" for label, n in zip(labels, counts, strict=True) if n)
        results = [
            f"以案定补：本季度各月结算补贴 {_money(settled)} 元，已发放 {_money(paid)} 元；"
            f"按案件等级计补调解案件 {cases} 件（{by_grade or '无'}），计补 {_money(case_amount)} 元。"
        ]
    shortcomings = []
    if approved:
        shortcomings.append(f"已批准的补贴 {_money(approved)} 元尚未发放。")
    if figures["待处理异常"]:
        shortcomings.append(f"以案定补结算中有 {figures['待处理异常']} 条异常尚待核查。")
    return results, shortcomings, bar_chart("以案定补计补案件（按等级，件）", labels, counts)


def _evaluation(communities, quarter: Quarter, period: Period) -> tuple[list[str], list[str], str]:
    """Ratings, complaints, surveys and appraisal grades: results, shortcomings and the chart of grades."""
    start = datetime.combine(period.start, time.min, tzinfo=CHINA_TZ)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=CHINA_TZ)
    e = evaluation.region_figures(communities, quarter, start, end)
    required = evaluation.min_sample()
    reviewed = sum(e.grades.values())
    rated = f"居民评价 {e.ratings} 次，平均 {e.rating_mean} 星" if e.ratings else "本季度尚无居民评价"
    results = [
        f"群众评价：{rated}；新收差评投诉 {e.complaints_opened} 件，"
        f"本季度处理投诉 {e.complaints_resolved} 件；"
        f"满意度问卷回收 {e.survey_responses} 份，{len(e.surveys_reached)} 个社区达到最低样本量"
        f"（{required} 份，共 {len(e.surveys)} 个社区）。",
    ]
    grades = "、".join(f"{grade} {n} 名" for grade, n in e.grades.items())
    if reviewed:
        results.append(
            f"{quarter.year}年度考核已审核 {reviewed} 名：{grades}；待审核 {e.appraisals_draft} 名。"
        )
    else:
        results.append(f"{quarter.year}年度考核尚未审核（待审核 {e.appraisals_draft} 名）。")
    shortcomings = []
    if e.complaints_overdue:
        shortcomings.append(f"有 {e.complaints_overdue} 件投诉超过处理期限仍未处理。")
    if e.low_rated:
        named = [f"{name}（{mean} 星，{n} 次）" for name, n, mean in e.low_rated]
        low = evaluation.LOW_MEAN.normalize()
        shortcomings.append(f"居民评价偏低（平均不足 {low} 星）的社区：{_names(named)}。")
    if e.surveys_behind:
        named = [f"{s.community.name}（{s.responses}/{required}）" for s in e.surveys_behind]
        shortcomings.append(f"满意度问卷未达到最低样本量的社区：{_names(named)}。")
    weak = e.grades["基本合格"] + e.grades["不合格"]
    if weak:
        shortcomings.append(
            f"年度考核基本合格 {e.grades['基本合格']} 名、不合格 {e.grades['不合格']} 名，需跟进整改。"
        )
    # Nothing reviewed yet: no chart of zeros, the sentence says so (an empty picture is left out).
    chart = (
        bar_chart(f"{quarter.year}年度考核等次（已审核，名）", list(e.grades), list(e.grades.values()))
        if reviewed
        else ""
    )
    return results, shortcomings, chart


def summary_context(region: Region, quarter: Quarter) -> dict:
    period = Period(quarter.first_day, min(quarter.last_day, timezone.localdate()))
    built = {b.section.name: b.data for b in sections.build_all(region, period)}
    f = {name: {fig.label: fig.value for fig in data.figures} for name, data in built.items()}
    charts = {c.key: c for data in built.values() for c in data.charts}
    c, d, o, m = f["consultations"], f["duty"], f["outreach"], f["mediation"]
    communities = communities_of(region).filter(is_active=True)
    posts = posting_coverage(communities)
    advisors = current_assignments(period.end).filter(community__in=communities)
    behind = [row.community.name for row in coverage(communities, quarter) if row.behind]
    work = [
        {
            "name": "法律咨询",
            "text": f"共受理群众法律咨询 {_v(c['咨询总数'])} 件，已答复 {_v(c['已答复'])} 件，按时首次答复率 "
            f"{_v(c['按时首次答复率'])}%，平均首次答复用时 {_v(c['平均首次答复用时'])} 小时；"
            f"上移街道、区两级办理 {_v(c['上移办理（街道/区）'])} 件。",
        },
        {
            "name": "驻点值班",
            "text": f"应值班 {_v(d['应值班次'])} 次，到岗 {_v(d['到岗班次'])} 次，出勤率 {_v(d['出勤率'])}%，"
            f"累计驻点 {_v(d['驻点时长'])} 小时。",
        },
        {
            "name": "法治讲座与普法宣传",
            "text": f"开展法治讲座 {_v(o['法治讲座'])} 场，受众 {_v(o['讲座受众'])} 人次；本季度讲座达标社区 "
            f"{_v(o['本季度讲座达标社区'])} 个（共 {len(communities)} 个）。",
        },
        {
            "name": "企业法治体检",
            "text": f"走访企业开展法治体检 {_v(o['企业法治体检'])} 家次，"
            f"发现高风险问题 {_v(o['高风险问题'])} 项。",
        },
        {
            "name": "矛盾纠纷排查与人民调解",
            "text": f"排查纠纷线索 {_v(m['排查纠纷线索'])} 条，受理调解案件 {_v(m['受理调解案件'])} 件，"
            f"调解成功 {_v(m['调解成功'])} 件，成功率 {_v(m['调解成功率'])}%，"
            f"协议涉及金额 {_v(m['协议涉及金额'])} 元。",
        },
        {
            "name": "法律意见与合同审查",
            "text": f"为社区出具法律意见、审查合同 {_v(o['出具法律意见/审查合同'])} 件。",
        },
    ]
    shortcomings = []
    if behind:
        shortcomings.append(f"本季度法治讲座未达标的社区：{'、'.join(behind)}。")
    if c["逾期未答复"]:
        shortcomings.append(f"目前仍有 {c['逾期未答复']} 件咨询逾期未答复。")
    if d["缺勤班次"]:
        shortcomings.append(f"驻点缺勤 {d['缺勤班次']} 次，迟到 {d['迟到']} 次。")
    if posts.get("vacant"):
        shortcomings.append(f"尚有 {posts['vacant']} 个社区未配备主顾问。")
    subsidy_results, subsidy_short, subsidy_chart = _subsidy(region, period, f["subsidy"])
    rating_results, rating_short, grades_chart = _evaluation(communities, quarter, period)
    shortcomings += subsidy_short + rating_short
    if not shortcomings:
        shortcomings.append("本季度数据未显示明显短板。")
    return {
        "summary": {
            "title": f"{region.name}{quarter.year}年第{quarter.number}季度社区法律顾问工作业务综述",
            "region": region.name,
            "quarter": quarter.label,
            "period": f"{period.start:%Y年%m月%d日}至{period.end:%Y年%m月%d日}",
            "issued_on": f"{timezone.localdate():%Y年%m月%d日}",
        },
        "overall": (
            f"{region.name}共有社区 {len(communities)} 个，已配备主顾问 {_v(posts.get('covered'))} 个；"
            f"在岗顾问律师 {advisors.values('lawyer_id').distinct().count()} 名，"
            f"来自 {advisors.values('firm_id').distinct().count()} 家律师事务所。"
        ),
        "work": work,
        "results": [
            f"群众咨询“件件有回应”：按时首次答复率 {_v(c['按时首次答复率'])}%。",
            f"调解成功 {_v(m['调解成功'])} 件，把矛盾化解在社区。",
            f"普法覆盖受众 {_v(o['讲座受众'])} 人次。",
            *subsidy_results,
            *rating_results,
        ],
        "shortcomings": shortcomings,
        "images": {
            "consultations": _picture(charts["consultations_category"]),
            "outreach": _picture(charts["outreach_kinds"]),
            "mediation": _picture(charts["mediation_month"]),
            "subsidy": subsidy_chart,
            "evaluation": grades_chart,
        },
    }


def _picture(chart: sections.Chart) -> str:
    # At most eight bars: more labels would not fit a page's width.
    return bar_chart(chart.title, chart.labels[:8] or ["—"], chart.series[0][1][:8] or [0])
