"""The quarterly work summary (业务综述) of a street or district, written from live data in the
structure of the report it replaces: overall situation; each kind of work with its figures;
results; shortcomings the data shows (communities behind on lectures, overdue questions, missed
shifts, overdue cases); a section left for the office's suggestions; charts as pictures.

The figures are the dashboard's sections (``guwen.reports.sections``) for the quarter, so the
summary and the dashboard never disagree.
"""

from __future__ import annotations

from django.utils import timezone

from guwen.consultations.overview import Period
from guwen.outreach.selectors import Quarter, coverage
from guwen.regions.models import Region
from guwen.regions.selectors import coverage as posting_coverage
from guwen.regions.selectors import current_assignments
from guwen.reports import sections
from guwen.reports.pictures import bar_chart
from guwen.reports.scope import communities_of


def _v(value) -> str:
    return "—" if value is None else f"{value}"


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
        ],
        "shortcomings": shortcomings,
        "images": {
            "consultations": _picture(charts["consultations_category"]),
            "outreach": _picture(charts["outreach_kinds"]),
            "mediation": _picture(charts["mediation_month"]),
        },
    }


def _picture(chart: sections.Chart) -> str:
    # At most eight bars: more labels would not fit a page's width.
    return bar_chart(chart.title, chart.labels[:8] or ["—"], chart.series[0][1][:8] or [0])
