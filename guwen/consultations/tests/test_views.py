"""Work pages: inbox tabs and filters, the detail page and its actions, logging a walk-in, files."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guwen.consultations import services
from guwen.consultations.models import AdvisorAway, Consultation, Status
from guwen.consultations.selectors import consultations_visible_to
from guwen.consultations.tests.conftest import QUESTION
from guwen.core.models import AuditEvent
from guwen.knowledge.models import AnsweredQuestion
from guwen.testing import tiny_image, verified_client

PNG = tiny_image("PNG")


# A weekday afternoon: the question asked two days before is past its deadline (asked before a
# weekend or a holiday, it might not be yet).
@pytest.mark.time_machine("2026-03-18T15:00:00+08:00")
def test_inbox_counts_each_tab(world, ask):
    ask()
    ask(at=timezone.now() - timedelta(days=2))
    answered = ask()
    services.consultation_reply(consultation=answered, body="答复内容", by=world.user("advisor_a"))
    response = verified_client(world.user("advisor_a")).get("/consultations/")
    tabs = {key: n for key, _label, n in response.context["tabs"]}
    assert (tabs["new"], tabs["overdue"], tabs["answered"], tabs["all"]) == (2, 1, 1, 3)
    assert "剩余" in response.content.decode() and "已超时" in response.content.decode()


def test_inbox_masks_phones_and_shows_no_other_community(world, ask):
    ask()
    ask(community=world.community_b, text="上李朗社区居民关于宅基地的问题咨询")
    page = verified_client(world.user("advisor_a")).get("/consultations/?tab=all").content.decode()
    assert "139****1111" in page and "13900001111" not in page
    assert "宅基地" not in page


@pytest.mark.time_machine("2026-03-18T15:00:00+08:00")
def test_inbox_filters_by_level_and_date(world, ask):
    c = ask()
    services.consultation_escalate(consultation=c, reason="超出能力", by=world.user("advisor_a"))
    ask()
    client = verified_client(world.user("office"))
    assert client.get("/consultations/?tab=all&level=street").context["page"].paginator.count == 1
    today = timezone.localdate().isoformat()
    assert client.get(f"/consultations/?tab=all&date_from={today}").context["page"].paginator.count == 2


@pytest.mark.parametrize("query", ["date_from=yesterday", "level=city", "status=lost", "community=999"])
def test_a_bad_filter_is_a_400_with_a_message(world, ask, query):
    response = verified_client(world.user("office")).get(f"/consultations/?{query}")
    assert response.status_code == 422
    assert response.context["form"].errors


def test_inbox_is_paginated(world, ask):
    for _ in range(23):
        ask()
    response = verified_client(world.user("advisor_a")).get("/consultations/?page=2")
    assert len(response.context["page"].object_list) == 3


def test_street_queue_shows_the_pool_for_the_office(world, ask):
    c = ask()
    services.consultation_escalate(consultation=c, reason="超出能力", by=world.user("advisor_a"))
    ask()
    response = verified_client(world.user("office")).get("/consultations/street/?tab=pool")
    assert [row.pk for row in response.context["page"]] == [c.pk]


def test_detail_shows_the_thread_and_audits_the_read(world, ask):
    c = ask(files=[SimpleUploadedFile("合同.png", PNG)])
    response = verified_client(world.user("advisor_a")).get(f"/consultations/{c.pk}/")
    page = response.content.decode()
    assert QUESTION in page and "合同.png" in page and "发送答复" in page
    assert AuditEvent.objects.filter(action="consultation.read", object_id=str(c.pk)).exists()


def test_the_office_sees_no_reply_box_on_an_advisors_item(world, ask):
    c = ask()
    page = verified_client(world.user("office")).get(f"/consultations/{c.pk}/").content.decode()
    assert "发送答复" not in page and "改派" in page


def test_reply_from_the_detail_page(world, ask):
    c = ask()
    client = verified_client(world.user("advisor_a"))
    response = client.post(f"/consultations/{c.pk}/reply/", {"body": "可以向劳动监察大队投诉。"})
    assert response.status_code == 302
    assert Consultation.objects.get(pk=c.pk).status == Status.ANSWERED
    empty = client.post(f"/consultations/{c.pk}/reply/", {"body": ""})
    assert empty.status_code == 400 and "此项为必填项" in empty.content.decode()


def test_marking_reusable_from_the_detail_page_links_the_knowledge_entry(world, ask):
    c = ask()
    client = verified_client(world.user("advisor_a"))
    assert client.post(f"/consultations/{c.pk}/reusable/", {"reusable": "1"}).status_code == 400  # unanswered
    client.post(f"/consultations/{c.pk}/reply/", {"body": "可以向劳动监察大队投诉。"})
    response = client.post(f"/consultations/{c.pk}/reusable/", {"reusable": "1"}, follow=True)
    entry = AnsweredQuestion.objects.get(source_ref=f"consultation:{c.pk}")
    page = response.content.decode()
    assert "已加入知识库" in page and f"/knowledge/answered/{entry.pk}/" in page
    assert client.get(f"/knowledge/answered/{entry.pk}/").status_code == 200
    removed = client.post(f"/consultations/{c.pk}/reusable/", {"reusable": "0"}, follow=True).content.decode()
    assert "已从知识库移除" in removed and not AnsweredQuestion.objects.exists()


def test_escalate_without_a_reason_is_refused_on_the_field(world, ask):
    c = ask()
    response = verified_client(world.user("advisor_a")).post(
        f"/consultations/{c.pk}/escalate/", {"reason": ""}
    )
    assert response.status_code == 400
    assert response.context["forms"]["escalate"].errors["reason"]


def test_close_with_an_unknown_category_is_refused(world, ask, taxonomy):
    c = ask()
    services.consultation_reply(consultation=c, body="答复内容", by=world.user("advisor_a"))
    response = verified_client(world.user("advisor_a")).post(
        f"/consultations/{c.pk}/close/", {"category": "外星人"}
    )
    assert response.status_code == 400
    assert Consultation.objects.get(pk=c.pk).status == Status.ANSWERED


def test_attachments_are_served_as_downloads_to_those_in_scope_only(world, ask):
    c = ask(files=[SimpleUploadedFile("a.png", PNG)])
    attachment = c.attachments.get()
    url = f"/consultations/{c.pk}/attachments/{attachment.pk}/"
    response = verified_client(world.user("advisor_a")).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PNG
    assert verified_client(world.user("advisor_b")).get(url).status_code == 404
    assert verified_client(world.user("staff_a")).get(url).status_code == 404


def test_revealing_the_phone_is_audited(world, ask):
    c = ask()
    response = verified_client(world.user("advisor_a")).post(f"/consultations/{c.pk}/phone/")
    assert "13900001111" in response.content.decode()
    assert AuditEvent.objects.filter(action="consultation.phone.read").count() == 1


def test_logging_a_walk_in_answered_on_the_spot(world, taxonomy):
    client = verified_client(world.user("advisor_a"))
    response = client.post(
        "/consultations/new/",
        {
            "channel": "walk_in",
            "community": world.community_a.code,
            "phone": "13900002222",
            "text": QUESTION,
            "answer": "当场解答：可先向劳动监察投诉。",
        },
    )
    assert response.status_code == 302
    c = Consultation.objects.get()
    assert (c.channel, c.owner, c.status) == ("walk_in", world.user("advisor_a"), Status.ANSWERED)


def test_logging_with_a_bad_phone_saves_nothing(world):
    response = verified_client(world.user("advisor_a")).post(
        "/consultations/new/",
        {
            "channel": "phone",
            "community": world.community_a.code,
            "phone": "110",
            "text": QUESTION,
            "answer": "x",
        },
    )
    assert response.status_code == 422 and "手机号" in response.content.decode()
    assert Consultation.objects.count() == 0


def test_logging_into_a_community_one_does_not_serve_is_refused(world):
    response = verified_client(world.user("advisor_a")).post(
        "/consultations/new/",
        {"channel": "phone", "community": world.community_b.code, "phone": "13900002222", "text": QUESTION},
    )
    assert response.status_code == 422
    assert Consultation.objects.count() == 0


def test_advisor_marks_themself_away(world):
    client = verified_client(world.user("advisor_a"))
    bad = client.post(
        "/consultations/away/", {"starts_at": "2030-01-02T10:00", "ends_at": "2030-01-01T10:00"}
    )
    assert bad.status_code == 422 and "晚于" in bad.content.decode()
    ok = client.post(
        "/consultations/away/",
        {"starts_at": "2030-01-01T10:00", "ends_at": "2030-01-02T10:00", "reason": "开庭"},
    )
    assert ok.status_code == 302 and AdvisorAway.objects.get().lawyer == world.lawyer_a


def test_community_staff_firm_admin_and_association_see_no_questions(world, ask):
    ask()
    for role in ("staff_a", "firm_admin", "association", "outsider"):
        assert not consultations_visible_to(world.user(role)).exists()
        assert verified_client(world.user(role)).get("/consultations/").status_code == 404


def test_advisor_b_sees_the_street_pool_but_not_a_claimed_item(world, ask):
    c = ask()
    services.consultation_escalate(consultation=c, reason="超出能力", by=world.user("advisor_a"))
    assert consultations_visible_to(world.user("advisor_b")).filter(pk=c.pk).exists()
    services.consultation_claim(consultation=c, by=world.user("office"))
    assert not consultations_visible_to(world.user("advisor_b")).filter(pk=c.pk).exists()
    assert consultations_visible_to(world.user("advisor_a")).filter(pk=c.pk).exists()
