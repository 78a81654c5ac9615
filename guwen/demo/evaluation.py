"""Evaluation data for the Nanwan demo, after the other modules: the default tables, an appraisal
of the current year for each Nanwan advisor (a live preview of the evidence the other modules'
demo data gives), community evaluations of last quarter and this one, a satisfaction survey with
responses in every community, and most complaints opened by the demo's low ratings resolved (the
latest two stay open). Re-runnable: a second run adds nothing."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from guwen.consultations import selectors as consultation_selectors
from guwen.consultations import services as consultation_services
from guwen.core.errors import DomainError
from guwen.evaluation import rules, selectors, services
from guwen.evaluation.models import Appraisal, CommunityEvaluation, SurveyResponse
from guwen.outreach.selectors import quarter_of
from guwen.regions.models import Region
from guwen.regions.selectors import current_assignments

STREET = "440307012000"
OUTCOMES = [
    "司法所已约谈顾问律师，律师向居民电话致歉并补充解答，居民表示理解。",
    "经核查答复内容无误，已向居民解释相关法律规定，居民接受。",
    "已督促律师改进答复时效，列入季度评价。",
]


def _survey(communities: list[Region], today) -> int:
    quarter = quarter_of(today)
    questionnaire = selectors.questionnaire_for(communities[0], today.year)
    keys = [q["key"] for q in questionnaire.questions]
    rows = []
    for index, community in enumerate(communities):
        if SurveyResponse.objects.filter(
            community=community, year=quarter.year, quarter=quarter.number
        ).exists():
            continue
        # Most communities past the minimum sample, a few still short of it.
        count = 24 if index % 4 else 9 + index
        for n in range(count):
            answers = {
                key: 5 - ((n + i + index) % 7 == 0) - ((n * 3 + i) % 11 == 0) for i, key in enumerate(keys)
            }
            score = (Decimal(sum(answers.values())) * 20 / Decimal(len(keys))).quantize(rules.TWO)
            rows.append(
                SurveyResponse(
                    questionnaire=questionnaire,
                    community=community,
                    year=quarter.year,
                    quarter=quarter.number,
                    answers=answers,
                    score=score,
                    client_key=f"demo-survey-{community.code}-{quarter.key}-{n}",
                )
            )
    SurveyResponse.objects.bulk_create(rows)
    return len(rows)


def _evaluations(communities: list[Region], office, today) -> int:
    added = 0
    form = selectors.form_for(communities[0], today.year)
    for index, community in enumerate(communities):
        for quarter in (quarter_of(today).previous(), quarter_of(today)):
            if quarter.number == quarter_of(today).number and index % 3:
                continue  # this quarter only some communities have filled it in yet
            for lawyer in selectors.advisors_of(community, quarter)[:1]:
                if CommunityEvaluation.objects.filter(
                    community=community, lawyer=lawyer, year=quarter.year, quarter=quarter.number
                ).exists():
                    continue
                scores = {
                    item["key"]: 5 - ((index + i) % 5 == 0) - ((index + i) % 9 == 0)
                    for i, item in enumerate(form.items)
                }
                try:
                    services.community_evaluate(
                        community=community,
                        lawyer=lawyer,
                        quarter=quarter,
                        scores=scores,
                        comment="",
                        by=office,
                    )
                    added += 1
                except DomainError:
                    pass
    return added


def load(*, stdout=None) -> None:
    say = stdout.write if stdout else (lambda _msg: None)
    street = Region.objects.filter(code=STREET).first()
    office = get_user_model().objects.filter(username="office").first()
    if street is None or office is None:
        say("评价考核：未找到南湾街道，请先载入南湾演示数据")
        return
    today = timezone.localdate()
    services.default_tables_ensure()
    communities = list(Region.objects.filter(parent=street).order_by("code"))
    with transaction.atomic():
        lawyers = {
            a.lawyer for a in current_assignments().filter(community__in=communities).select_related("lawyer")
        }
        appraisals = 0
        for lawyer in sorted(lawyers, key=lambda x: x.pk):
            _obj, created = Appraisal.objects.get_or_create(lawyer=lawyer, year=today.year)
            appraisals += created
        surveys = _survey(communities, today)
        evaluations = _evaluations(communities, office, today)
        open_complaints = list(
            consultation_selectors.complaints_visible_to(office).filter(status="open").order_by("-created_at")
        )
        resolved = 0
        for n, complaint in enumerate(open_complaints[2:]):
            consultation_services.complaint_resolve(
                complaint=complaint, by=office, outcome=OUTCOMES[n % len(OUTCOMES)]
            )
            resolved += 1
    say(
        f"评价考核：新增年度考核 {appraisals} 份，问卷 {surveys} 份，社区季度评价 {evaluations} 份，"
        f"已处理差评投诉 {resolved} 件"
    )
