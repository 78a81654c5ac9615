"""Surveys, community evaluations, table versions and the appraisal: each rule and each bad input
(a clear Chinese message, nothing saved)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from guwen.consultations.models import Rating
from guwen.core.errors import Conflict, DomainError
from guwen.evaluation import rules, selectors, services
from guwen.evaluation.models import (
    Adjustment,
    Appraisal,
    AppraisalScheme,
    CommunityEvaluation,
    EvaluationForm,
    SurveyResponse,
)
from guwen.outreach.selectors import quarter_of
from guwen.regions import services as regions
from guwen.testing import make_lawyer, verified_client

ALL_FIVE = {i["key"]: 5 for i in rules.DEFAULT_FORM_ITEMS}


@pytest.fixture(autouse=True)
def tables(db):
    services.default_tables_ensure()


def answers(value=5) -> dict:
    return {q["key"]: value for q in rules.DEFAULT_QUESTIONS}


def test_a_survey_counts_towards_the_communitys_quarter_with_progress(world, settings):
    settings.GUWEN_SURVEY_MIN_SAMPLE = 2
    services.survey_submit(community=world.community_a, answers=answers(5), client_key="k1")
    again = services.survey_submit(community=world.community_a, answers=answers(1), client_key="k1")
    assert SurveyResponse.objects.count() == 1 and again.score == Decimal("100.00")
    progress = selectors.survey_progress(world.community_a, quarter_of(timezone.localdate()))
    assert (progress.responses, progress.required, progress.percent, progress.reached) == (1, 2, 50, False)
    services.survey_submit(community=world.community_a, answers=answers(3))
    progress = selectors.survey_progress(world.community_a, quarter_of(timezone.localdate()))
    assert progress.reached and progress.mean == Decimal("80.00")


@pytest.mark.parametrize("bad", [0, 6, "5", None, True])
def test_survey_answers_outside_the_scale_save_nothing(world, bad):
    with pytest.raises(DomainError, match="1 到 5 分"):
        services.survey_submit(community=world.community_a, answers=answers() | {"overall": bad})
    assert not SurveyResponse.objects.exists()


def test_the_public_survey_page_refuses_a_missing_answer_and_accepts_a_full_one(world):
    url = f"/e/{world.community_a.code}/survey"
    page = Client().get(url)
    assert page.status_code == 200 and "满意度问卷" in page.content.decode()
    missing = {k: "5" for k in answers()} | {"overall": ""}
    response = Client().post(url, missing)
    assert response.status_code == 422 and "此项为必填项" in response.content.decode()
    out_of_scale = {k: "5" for k in answers()} | {"overall": "9"}
    assert Client().post(url, out_of_scale).status_code == 422
    assert not SurveyResponse.objects.exists()
    done = Client().post(url, {k: "4" for k in answers()})
    assert done.status_code == 200 and "感谢" in done.content.decode()
    assert SurveyResponse.objects.get().score == Decimal("80.00")
    assert Client().get("/e/000000000000/survey").status_code == 404
    qr = Client().get(f"/e/{world.community_a.code}/survey-qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert Client().get("/e/000000000000/survey-qr.svg").status_code == 404


def test_community_staff_evaluate_their_advisor_once_a_quarter(world):
    quarter = quarter_of(timezone.localdate())
    evaluation = services.community_evaluate(
        community=world.community_a,
        lawyer=world.lawyer_a,
        quarter=quarter,
        scores=ALL_FIVE | {"attitude": 4},
        by=world.user("staff_a"),
    )
    assert evaluation.total == Decimal("97.00")
    with pytest.raises(Conflict, match="已评价过"):
        services.community_evaluate(
            community=world.community_a,
            lawyer=world.lawyer_a,
            quarter=quarter,
            scores=ALL_FIVE,
            by=world.user("staff_a"),
        )
    assert CommunityEvaluation.objects.count() == 1


def test_an_evaluation_for_an_advisor_not_assigned_that_quarter_is_refused(world):
    quarter = quarter_of(timezone.localdate())
    with pytest.raises(DomainError, match="未担任本社区法律顾问"):
        services.community_evaluate(
            community=world.community_a,
            lawyer=world.lawyer_b,
            quarter=quarter,
            scores=ALL_FIVE,
            by=world.user("staff_a"),
        )
    before = quarter_of(date(2023, 6, 1))  # the test world's assignments start in 2024
    with pytest.raises(DomainError, match="未担任"):
        services.community_evaluate(
            community=world.community_a,
            lawyer=world.lawyer_a,
            quarter=before,
            scores=ALL_FIVE,
            by=world.user("staff_a"),
        )
    assert not CommunityEvaluation.objects.exists()


def test_evaluation_refusals_for_role_future_quarter_and_bad_scores(world):
    quarter = quarter_of(timezone.localdate())
    with pytest.raises(DomainError) as refused:
        services.community_evaluate(
            community=world.community_a,
            lawyer=world.lawyer_a,
            quarter=quarter,
            scores=ALL_FIVE,
            by=world.user("advisor_a"),
        )
    assert refused.value.code == "forbidden_role"
    with pytest.raises(DomainError, match="尚未开始"):
        services.community_evaluate(
            community=world.community_a,
            lawyer=world.lawyer_a,
            quarter=quarter.next(),
            scores=ALL_FIVE,
            by=world.user("staff_a"),
        )
    with pytest.raises(DomainError, match="请评 1 到 5 分"):
        services.community_evaluate(
            community=world.community_a,
            lawyer=world.lawyer_a,
            quarter=quarter,
            scores=ALL_FIVE | {"lectures": 7},
            by=world.user("staff_a"),
        )
    assert not CommunityEvaluation.objects.exists()


def test_the_evaluation_page_shows_the_refusal_on_the_field(world):
    client = verified_client(world.user("staff_a"))
    body = {
        "community": world.community_a.pk,
        "lawyer": world.lawyer_a.pk,
        "quarter": "2026Q9",
        **{k: "5" for k in ALL_FIVE},
    }
    response = client.post("/evaluation/evaluations/new/", body)
    assert response.status_code == 422 and "季度格式" in response.content.decode()
    body["quarter"] = quarter_of(timezone.localdate()).key
    body["notice_board"] = "0"
    assert client.post("/evaluation/evaluations/new/", body).status_code == 422
    assert not CommunityEvaluation.objects.exists()
    body["notice_board"] = "3"
    assert client.post("/evaluation/evaluations/new/", body).status_code == 302
    assert CommunityEvaluation.objects.get().total == Decimal("96.00")


def test_form_and_scheme_versions_refuse_weights_not_adding_up_to_100(world):
    bureau = world.user("bureau")
    items = [dict(i) for i in rules.DEFAULT_FORM_ITEMS]
    items[0]["weight"] = 20
    with pytest.raises(DomainError, match="合计必须为 100，现为 105"):
        services.evaluation_form_create(district=world.district, year=2026, items=items, by=bureau)
    with pytest.raises(DomainError, match="合计必须为 100"):
        services.appraisal_scheme_create(
            district=world.district,
            year=2026,
            weights=rules.DEFAULT_WEIGHTS | {"survey": 20},
            excellent_from=Decimal(90),
            qualified_from=Decimal(75),
            basic_from=Decimal(60),
            by=bureau,
        )
    with pytest.raises(DomainError) as refused:
        services.evaluation_form_create(
            district=world.district, year=2026, items=rules.DEFAULT_FORM_ITEMS, by=world.user("office")
        )
    assert refused.value.code == "forbidden_role"
    assert EvaluationForm.objects.filter(district=world.district).count() == 0
    assert AppraisalScheme.objects.filter(district=world.district).count() == 0


def test_a_districts_own_version_wins_over_the_city_default(world):
    items = [
        {"key": "attitude", "label": "服务态度", "weight": 60},
        {"key": "disputes", "label": "纠纷化解", "weight": 40},
    ]
    form = services.evaluation_form_create(
        district=world.district, year=2026, items=items, by=world.user("bureau")
    )
    assert selectors.form_for(world.community_a, max(2026, timezone.localdate().year)) == form
    assert selectors.form_for(world.community_e, max(2026, timezone.localdate().year)).district is None


def _appraisal(world) -> Appraisal:
    Rating.objects.create(
        kind="booking", target_id=1, community=world.community_a, lawyer=world.lawyer_a, score=4
    )
    return services.appraisal_open(
        lawyer=world.lawyer_a, year=timezone.localdate().year, by=world.user("office")
    )


def test_the_live_preview_scores_the_indicators_with_data_and_links_each_to_its_records(world):
    preview = services.appraisal_preview(_appraisal(world))
    rating = next(r for r in preview.indicators if r.key == "resident_rating")
    assert rating.value == Decimal("0.8000") and rating.points == Decimal("8.00")
    assert rating.link.startswith("/evaluation/ratings/?lawyer=")
    assert all(r.link.startswith("/") for r in preview.indicators)
    assert preview.score is not None and preview.grade in rules.GRADES


def test_adjustments_need_a_reason_and_a_sensible_amount(world):
    appraisal = _appraisal(world)
    office = world.user("office")
    for points, reason, message in [
        (Decimal(5), "  ", "加减分理由"),
        (Decimal(0), "理由", "不为 0"),
        (Decimal(25), "理由", "-20 到 20"),
        ("abc", "理由", "须为数字"),
        (Decimal("1.234"), "理由", "两位小数"),
    ]:
        with pytest.raises(DomainError, match=message):
            services.appraisal_adjust(appraisal=appraisal, points=points, reason=reason, by=office)
    assert not Adjustment.objects.exists()
    before = services.appraisal_preview(appraisal).score
    services.appraisal_adjust(appraisal=appraisal, points=Decimal("-3"), reason="公示牌未及时更新", by=office)
    assert services.appraisal_preview(appraisal).score == max(Decimal(0), before - 3)


def test_the_review_freezes_the_figures_and_the_advisor_responds_once(world):
    appraisal = _appraisal(world)
    with pytest.raises(DomainError, match="审核意见"):
        services.appraisal_review(appraisal=appraisal, comment="", by=world.user("office"))
    with pytest.raises(Conflict, match="审核之后"):
        services.appraisal_respond(appraisal=appraisal, text="意见", by=world.user("advisor_a"))
    reviewed = services.appraisal_review(appraisal=appraisal, comment="工作扎实", by=world.user("office"))
    assert reviewed.status == "reviewed" and reviewed.score is not None and reviewed.indicators
    Rating.objects.create(
        kind="booking", target_id=2, community=world.community_a, lawyer=world.lawyer_a, score=1
    )
    assert services.appraisal_preview(reviewed).score == reviewed.score  # frozen
    with pytest.raises(Conflict):
        services.appraisal_adjust(
            appraisal=reviewed, points=Decimal(1), reason="迟到", by=world.user("office")
        )
    with pytest.raises(DomainError) as refused:
        services.appraisal_respond(appraisal=reviewed, text="意见", by=world.user("advisor_b"))
    assert refused.value.code == "forbidden_role"
    services.appraisal_respond(appraisal=reviewed, text="感谢反馈", by=world.user("advisor_a"))
    with pytest.raises(Conflict):
        services.appraisal_respond(appraisal=reviewed, text="再次反馈", by=world.user("advisor_a"))


def test_the_api_gives_score_grade_and_indicators_with_record_links(world):
    appraisal = _appraisal(world)
    client = verified_client(world.user("firm_admin"))
    year = timezone.localdate().year
    listed = client.get(f"/api/v1/evaluation/appraisals?year={year}").json()
    assert [row["advisor"] for row in listed["items"]] == ["甲律师"]
    detail = client.get(f"/api/v1/evaluation/appraisals/{appraisal.pk}").json()
    assert detail["grade"] in rules.GRADES and Decimal(detail["score"]) > 0
    names = [i["name"] for i in detail["indicators"]]
    assert "居民评价（平均星级/5）" in names
    assert all(i["records"].startswith("http://testserver/") for i in detail["indicators"])
    other = verified_client(world.user("advisor_b"))
    assert other.get(f"/api/v1/evaluation/appraisals/{appraisal.pk}").status_code == 404


def test_a_second_lawyer_of_another_firm_is_not_in_the_firm_admins_slice(world):
    outsider = make_lawyer(world.firm_b, "外所律师")
    regions.assignment_create(
        lawyer=outsider, community=world.community_a, starts_on=date(2024, 1, 1), role="backup", by=None
    )
    services.appraisal_open(lawyer=outsider, year=timezone.localdate().year, by=world.user("office"))
    _appraisal(world)
    firm = selectors.appraisals_visible_to(world.user("firm_admin"))
    office = selectors.appraisals_visible_to(world.user("office"))
    assert [a.lawyer.name for a in firm] == ["甲律师"]
    assert {a.lawyer.name for a in office} == {"甲律师", "外所律师"}


def test_missing_evaluations_are_reminded_once_per_stage(world, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from guwen.evaluation.models import EvaluationReminder
    from guwen.evaluation.reminders import evaluation_remind
    from guwen.notifications.models import Notification

    quarter = quarter_of(timezone.localdate())
    near_end = quarter.last_day - timedelta(days=3)
    services.community_evaluate(
        community=world.community_a,
        lawyer=world.lawyer_a,
        quarter=quarter,
        scores=ALL_FIVE,
        by=world.user("staff_a"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = evaluation_remind(today=near_end)
    reminded = set(EvaluationReminder.objects.values_list("community__code", flat=True))
    assert world.community_a.code not in reminded and world.community_b.code in reminded
    assert sent == len(reminded) and evaluation_remind(today=near_end) == 0
    assert not Notification.objects.filter(recipient=world.user("staff_a")).exists()
    assert evaluation_remind(today=quarter.first_day + timedelta(days=20)) == 0  # mid-quarter: nothing due


def test_the_admin_refuses_a_version_whose_weights_do_not_add_up_to_100(world):
    import json

    from guwen.evaluation.admin import EvaluationFormForm, SchemeForm

    items = [
        {"key": "attitude", "label": "服务态度", "weight": 60},
        {"key": "disputes", "label": "纠纷", "weight": 30},
    ]
    form = EvaluationFormForm(data={"year": 2026, "version": 2, "items": json.dumps(items)})
    assert not form.is_valid() and "合计必须为 100，现为 90" in str(form.errors)
    scheme = SchemeForm(
        data={
            "year": 2026,
            "version": 2,
            "weights": json.dumps(rules.DEFAULT_WEIGHTS),
            "excellent_from": "70",
            "qualified_from": "75",
            "basic_from": "60",
        }
    )
    assert not scheme.is_valid() and "等次分数线" in str(scheme.errors)
    assert EvaluationForm.objects.count() == 1 and AppraisalScheme.objects.count() == 1
