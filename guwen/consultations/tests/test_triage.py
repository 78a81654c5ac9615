"""Every new consultation is triaged after intake commits: a suggested category with its top three
and confidence, and urgency raised when the model sees what the rules missed."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest

from guwen.consultations.models import Consultation, EventCode, Urgency
from guwen.consultations.services import consultation_close, consultation_reply
from guwen.consultations.services.triage import consultation_triage
from guwen.consultations.tests.conftest import MORNING
from guwen.core.models import AuditEvent
from guwen.knowledge.models import TriageCorrection
from guwen.knowledge.selectors import category_names
from guwen.knowledge.triage import TriageResult

pytestmark = pytest.mark.django_db


def test_new_question_arrives_categorised_with_confidence(
    world, ask, sent, taxonomy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation = ask("公司拖欠我两个月工资，老板一直不给，我该去哪里申请劳动仲裁？")
    consultation.refresh_from_db()
    assert consultation.category_suggested in category_names()
    assert len(consultation.category_top3) == 3
    assert 0 < consultation.category_confidence <= 1
    assert consultation.triage_model
    assert consultation.category_suggested == "劳动争议"
    assert AuditEvent.objects.filter(action="consultation.triage", object_id=str(consultation.pk)).exists()


def test_triage_applies_once(world, ask, sent, taxonomy):
    consultation = ask()
    consultation_triage(consultation_id=consultation.pk)
    first = Consultation.objects.get(pk=consultation.pk).triage_model
    with mock.patch("guwen.consultations.services.triage.triage") as model:
        consultation_triage(consultation_id=consultation.pk)
    model.assert_not_called()
    assert Consultation.objects.get(pk=consultation.pk).triage_model == first


def test_model_urgency_raises_a_normal_item_and_alerts_the_office(world, ask, sent, taxonomy):
    consultation = ask("邻居家的事情想咨询一下，该怎么处理比较好呢？", at=MORNING)
    assert consultation.urgency == Urgency.NORMAL
    urgent = TriageResult(
        category="刑事治安",
        category_top3=["刑事治安", "侵权损害", "邻里纠纷"],
        confidences=[0.8, 0.1, 0.05],
        urgency="urgent",
        model_version="test",
        urgency_reasons=["人身危险"],
        urgency_model_reason="人身危险",
    )
    with mock.patch("guwen.consultations.services.triage.triage", return_value=urgent):
        consultation_triage(consultation_id=consultation.pk)
    consultation.refresh_from_db()
    assert consultation.urgency == Urgency.URGENT
    assert consultation.urgency_reason == "人身危险（模型）"
    assert consultation.due_at <= consultation.created_at + timedelta(minutes=30)
    assert consultation.events.filter(code=EventCode.URGENT_ALERT, automatic=True).exists()


def test_a_corrected_category_is_kept_for_retraining(world, ask, sent, taxonomy):
    consultation = ask()
    consultation_triage(consultation_id=consultation.pk)
    consultation.refresh_from_db()
    corrected = next(name for name in category_names() if name != consultation.category_suggested)
    advisor = world.user("advisor_a")
    consultation_reply(
        consultation=consultation, body="请先收集工资条和考勤记录，再申请劳动仲裁。", by=advisor
    )
    consultation_close(
        consultation=Consultation.objects.get(pk=consultation.pk), category=corrected, by=advisor
    )
    correction = TriageCorrection.objects.get()
    assert (correction.predicted, correction.corrected) == (consultation.category_suggested, corrected)


def test_confirming_the_suggestion_records_no_correction(world, ask, sent, taxonomy):
    consultation = ask()
    consultation_triage(consultation_id=consultation.pk)
    consultation.refresh_from_db()
    advisor = world.user("advisor_a")
    consultation_reply(
        consultation=consultation, body="请先收集工资条和考勤记录，再申请劳动仲裁。", by=advisor
    )
    consultation_close(
        consultation=Consultation.objects.get(pk=consultation.pk),
        category=consultation.category_suggested,
        by=advisor,
    )
    assert not TriageCorrection.objects.exists()


def test_answer_page_shows_the_suggestion_and_the_knowledge_panel(world, ask, sent, taxonomy, client_for):
    consultation = ask()
    consultation_triage(consultation_id=consultation.pk)
    consultation.refresh_from_db()
    page = client_for("advisor_a").get(f"/consultations/{consultation.pk}/").content.decode()
    assert "分诊建议" in page and consultation.category_suggested in page
    assert "/knowledge/suggest" in page and "id_reply_body" in page


def test_resident_sees_the_cited_article_under_the_answer(world, ask, sent, taxonomy):
    from django.test import Client

    from guwen.knowledge.services import laws_import

    laws_import(files=["labor_contract_law.md"])
    consultation = ask()
    consultation_reply(
        consultation=consultation,
        body="依据劳动合同法第三十条，用人单位应当及时足额支付劳动报酬。",
        by=world.user("advisor_a"),
    )
    response = Client().post(
        f"/c/{world.community_a.code}/status",
        {"phone": "13900001111", "receipt_code": consultation.receipt_code},
        follow=True,
    )
    page = response.content.decode()
    assert 'href="/laws/' in page  # the citation links to the article page
    assert "按照劳动合同约定和国家规定" in page  # the article text itself, under the answer


def test_the_models_word_lists_do_not_override_the_urgency_table(world, ask, sent, taxonomy):
    consultation = ask("邻居家的事情想咨询一下，该怎么处理比较好呢？", at=MORNING)
    by_words = TriageResult(
        category="邻里纠纷",
        category_top3=["邻里纠纷", "侵权损害", "其他"],
        confidences=[0.8, 0.1, 0.05],
        urgency="urgent",
        model_version="test",
        urgency_reasons=["强拆强迁"],
        urgency_rule_reason="强拆强迁",
    )
    with mock.patch("guwen.consultations.services.triage.triage", return_value=by_words):
        consultation_triage(consultation_id=consultation.pk)
    consultation.refresh_from_db()
    assert consultation.urgency == Urgency.NORMAL and consultation.triage_model == "test"


def test_the_shipped_triage_keywords_are_rows_of_the_urgency_table(world, ask, sent):
    consultation = ask("开发商今天来强拆我家的房子，我们要被赶出来了，怎么办？", at=MORNING)
    assert consultation.urgency == Urgency.URGENT and consultation.urgency_reason == "强拆强迁"


def test_an_unsure_suggestion_is_shown_as_to_be_confirmed_with_the_top_three(
    world, ask, sent, taxonomy, client_for
):
    """Below the confidence threshold the page says 待确认 and lists the top three; the first choice
    is not stored as the suggestion, so it cannot pre-fill the close form as if it were known."""
    consultation = ask()
    top3 = ["侵权损害", "婚姻家庭", "刑事治安"]
    unsure = TriageResult("侵权损害", top3, [0.14, 0.13, 0.12], "normal", "m1")
    with mock.patch("guwen.consultations.services.triage.triage", return_value=unsure):
        consultation_triage(consultation_id=consultation.pk)
    consultation.refresh_from_db()
    assert consultation.category_suggested == ""
    assert consultation.category_top3 == ["侵权损害", "婚姻家庭", "刑事治安"]
    page = client_for("advisor_a").get(f"/consultations/{consultation.pk}/").content.decode()
    assert "分诊建议：待确认" in page and "侵权损害、婚姻家庭、刑事治安" in page
    assert "0.14" in page
