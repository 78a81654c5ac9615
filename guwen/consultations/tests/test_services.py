"""Services against the database: intake and routing, replies, pauses, escalation, claims, closing."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guwen.consultations import conversions, services
from guwen.consultations.models import (
    AdvisorAway,
    Channel,
    Consultation,
    Event,
    EventCode,
    Level,
    Message,
    Status,
    Urgency,
)
from guwen.consultations.routing import Route
from guwen.consultations.tests.conftest import MORNING, QUESTION
from guwen.core.crypto import decrypt_text
from guwen.core.errors import Conflict, DomainError
from guwen.core.models import AuditEvent
from guwen.core.workcalendar import CHINA_TZ
from guwen.core.workflow import TransitionNotAllowed
from guwen.knowledge.models import AnsweredQuestion, SearchEntry
from guwen.knowledge.selectors import similar_questions
from guwen.regions import services as regions
from guwen.testing import make_lawyer, make_user, tiny_image

PNG = tiny_image("PNG")


def test_new_question_goes_to_the_primary_advisor_with_a_stored_deadline(world, ask):
    c = ask(at=MORNING)
    assert (c.owner, c.level, c.status, c.urgency) == (
        world.user("advisor_a"),
        Level.COMMUNITY,
        Status.NEW,
        Urgency.NORMAL,
    )
    assert c.due_at == MORNING + timedelta(hours=2)
    assert len(c.receipt_code) == 8
    assert list(c.events.values_list("code", flat=True)) == [EventCode.CREATED]
    assert c.events.get().due_at == c.due_at


def test_phone_is_encrypted_hashed_and_masked_never_stored_in_clear(world, ask):
    c = ask(phone="139 0000 1111")
    row = Consultation.objects.filter(pk=c.pk).values().get()
    assert "13900001111" not in str(row)
    assert c.phone_masked == "139****1111"
    assert decrypt_text(c.phone_encrypted) == "13900001111"


def test_reading_the_full_phone_is_audited(world, ask):
    c = ask()
    assert services.consultation_read_phone(consultation=c, by=world.user("advisor_a")) == "13900001111"
    event = AuditEvent.objects.get(action="consultation.phone.read")
    assert event.actor == world.user("advisor_a") and "13900001111" not in str(event.context)


def test_audit_of_intake_holds_no_personal_data(world, ask):
    ask(resident_name="王大妈")
    event = AuditEvent.objects.get(action="consultation.create")
    dumped = str(event.new) + str(event.context)
    assert "13900001111" not in dumped and "王大妈" not in dumped and QUESTION not in dumped


def test_urgent_question_gets_thirty_minutes_and_alerts_the_office_at_once(
    world, ask, sent, django_capture_on_commit_callbacks
):
    night = datetime(2025, 6, 11, 23, 0, tzinfo=CHINA_TZ)
    with django_capture_on_commit_callbacks(execute=True):
        c = ask("我老公喝酒以后经常家暴我，我该怎么保护自己？", at=night)
    assert c.urgency == Urgency.URGENT and c.urgency_reason == "家庭暴力"
    assert c.due_at == night + timedelta(minutes=30)
    events = [call.kwargs["event"] for call in sent.notify.call_args_list]
    assert "consultation.urgent" in events
    urgent = next(
        call for call in sent.notify.call_args_list if call.kwargs["event"] == "consultation.urgent"
    )
    assert [u.username for u in urgent.kwargs["recipients"]] == ["office"]
    assert urgent.kwargs["title"] == "紧急：家庭暴力"  # the office reads why at once
    assert EventCode.URGENT_ALERT in c.events.values_list("code", flat=True)


def test_away_primary_hands_new_questions_to_the_backup(world, ask):
    backup_user = make_user("backup_a")
    backup = make_lawyer(world.firm_a, "备岗律师", backup_user)
    regions.assignment_create(
        lawyer=backup,
        community=world.community_a,
        starts_on=world.assignment_a.starts_on,
        role="backup",
        by=None,
    )
    services.advisor_away_create(
        lawyer=world.lawyer_a,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(days=1),
        by=world.user("advisor_a"),
    )
    assert ask(at=timezone.now()).owner == backup_user


def test_with_nobody_to_answer_the_question_goes_to_the_street_pool(world, ask):
    c = ask(community=world.community_c)  # lawyer C has no account
    assert (c.level, c.owner) == (Level.STREET, None)


def test_the_duty_rota_answers_at_night(world, ask):
    night = datetime(2025, 6, 11, 23, 30, tzinfo=CHINA_TZ)
    with mock.patch("guwen.consultations.routing.online_responder", return_value=world.lawyer_b) as responder:
        c = ask(at=night)
    responder.assert_called_once()
    assert c.owner == world.user("advisor_b")


def test_a_failing_duty_rota_never_loses_the_question(world, ask):
    night = datetime(2025, 6, 11, 23, 30, tzinfo=CHINA_TZ)
    with mock.patch("guwen.consultations.routing.online_responder", side_effect=RuntimeError("rota down")):
        c = ask(at=night)
    assert c.owner == world.user("advisor_a")


def test_a_retry_with_the_same_key_returns_the_first_consultation(world, ask):
    first = ask(idempotency_key="k-1")
    again = services.consultation_submit(
        community=world.community_a,
        channel=Channel.WEB,
        text=QUESTION,
        phone="13900001111",
        idempotency_key="k-1",
    )
    assert again.created is False and again.consultation.pk == first.pk
    assert Consultation.objects.count() == 1


def test_the_same_key_with_another_question_is_refused_and_saves_nothing(world, ask):
    first = ask(idempotency_key="k-2")
    for changed in ({"phone": "13700009999"}, {"text": QUESTION + "补充一句"}, {"resident_name": "王"}):
        with pytest.raises(DomainError) as exc:
            ask(idempotency_key="k-2", **changed)
        assert exc.value.field == "idempotency_key" and not isinstance(exc.value, Conflict)
        assert "另一个问题" in exc.value.message
    assert list(Consultation.objects.values_list("pk", flat=True)) == [first.pk]
    assert Message.objects.count() == 1


def test_keys_are_scoped_by_channel(world, ask):
    web = ask(idempotency_key="k-3", channel=Channel.WEB)
    api = ask(idempotency_key="k-3", channel=Channel.API)
    assert web.pk != api.pk and api.idempotency_key == "api:k-3"


@pytest.mark.parametrize("key", ["", " ", "k 1", "k\t1", "k\x00", "k\u202e1", "k" * 65])
def test_an_empty_or_unprintable_key_is_refused(world, ask, key):
    with pytest.raises(DomainError) as exc:
        ask(idempotency_key=key)
    assert exc.value.field == "idempotency_key"
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": "太短了"}, "text"),
        ({"text": "长" * 2001}, "text"),
        ({"phone": "12345"}, "phone"),
        ({"consent": False}, "consent"),
        ({"resident_name": "名" * 41}, "resident_name"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(world, kwargs, field):
    data = {
        "community": world.community_a,
        "channel": Channel.WEB,
        "text": QUESTION,
        "phone": "13900001111",
        **kwargs,
    }
    with pytest.raises(DomainError) as exc:
        services.consultation_submit(**data)
    assert exc.value.field == field
    assert Consultation.objects.count() == 0


def test_a_question_can_only_go_to_a_community(world):
    with pytest.raises(DomainError) as exc:
        services.consultation_submit(
            community=world.street, channel=Channel.WEB, text=QUESTION, phone="13900001111"
        )
    assert exc.value.field == "community"


def test_unknown_community_codes_are_not_found(world):
    for code in ["440307999999", "abc", "4403070120021", ""]:
        with pytest.raises(DomainError):
            services.community_by_code(code)


def test_community_codes_are_cached_misses_too_until_a_region_changes(world, django_assert_num_queries):
    code = world.community_a.code
    assert services.community_by_code(code) == world.community_a
    with pytest.raises(DomainError):
        services.community_by_code("440307999999")
    with django_assert_num_queries(2):  # one read of the shared cache each, hit or miss
        assert services.community_by_code(code) == world.community_a
        with pytest.raises(DomainError):
            services.community_by_code("440307999999")
    world.community_a.is_active = False
    world.community_a.save(update_fields=["is_active"])
    with pytest.raises(DomainError):
        services.community_by_code(code)


def test_attachments_are_stored_under_a_random_name_with_their_sniffed_type(world, ask, settings):
    c = ask(files=[SimpleUploadedFile("我的照片.gif", PNG, content_type="image/gif")])
    attachment = c.attachments.get()
    assert attachment.content_type == "image/png" and attachment.file.name.endswith(".png")
    assert "我的照片" not in attachment.file.name
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))


def test_a_disguised_upload_refuses_the_whole_question(world, ask):
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 60, content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        ask(files=[exe])
    assert exc.value.field == "attachments"
    assert Consultation.objects.count() == 0


def test_more_than_five_files_are_refused(world, ask):
    files = [SimpleUploadedFile(f"{i}.png", PNG) for i in range(6)]
    with pytest.raises(DomainError, match="最多上传 5 个文件"):
        ask(files=files)


def test_reply_stores_minutes_to_first_response_and_sends_the_rating_link(
    world, ask, sent, django_capture_on_commit_callbacks
):
    c = ask(at=timezone.now() - timedelta(minutes=42))
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_reply(
            consultation=c, body="可以先协商，再申请劳动仲裁。", by=world.user("advisor_a")
        )
    c.refresh_from_db()
    assert c.status == Status.ANSWERED and c.minutes_to_first_response == 42
    sms = sent.notify_phone.call_args.kwargs
    assert sms["phone"] == "13900001111" and "/c/rate/" in sms["text"] and c.receipt_code in sms["text"]


def test_only_the_owner_replies(world, ask):
    c = ask()
    for role in ("advisor_b", "office", "bureau"):
        with pytest.raises(TransitionNotAllowed):
            services.consultation_reply(consultation=c, body="答复", by=world.user(role))


def test_an_empty_reply_is_refused(world, ask):
    with pytest.raises(DomainError) as exc:
        services.consultation_reply(consultation=ask(), body="   ", by=world.user("advisor_a"))
    assert exc.value.field == "body"


def test_asking_the_resident_pauses_the_clock_and_their_answer_resumes_it(world, ask):
    created = datetime(2025, 6, 11, 10, 0, tzinfo=CHINA_TZ)
    c = ask(at=created)
    with mock.patch("django.utils.timezone.now", return_value=created + timedelta(minutes=30)):
        services.consultation_ask_info(
            consultation=c, body="请问合同是哪年签的？", by=world.user("advisor_a")
        )
    assert c.status == Status.WAITING_RESIDENT and c.clock_paused_at is not None
    assert not c.is_overdue
    back = created + timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=back):
        services.consultation_resident_message(consultation=c, text="合同是2023年签的，一年一签。")
    c.refresh_from_db()
    assert c.status == Status.FOLLOWUP and c.due_at == back + timedelta(minutes=90)


def test_a_follow_up_reopens_an_answered_thread_with_a_fresh_deadline(world, ask):
    c = ask()
    services.consultation_reply(consultation=c, body="答复内容", by=world.user("advisor_a"))
    services.consultation_resident_message(consultation=c, text="那如果老板不同意协商呢？")
    assert c.status == Status.FOLLOWUP and c.due_at > timezone.now()
    assert c.messages.last().kind == "followup"


def test_close_needs_a_category_from_the_table_and_stores_minutes_to_close(world, ask, taxonomy):
    c = ask(at=timezone.now() - timedelta(hours=3))
    services.consultation_reply(consultation=c, body="答复内容", by=world.user("advisor_a"))
    with pytest.raises(DomainError) as exc:
        services.consultation_close(consultation=c, category="不存在的类别", by=world.user("advisor_a"))
    assert exc.value.field == "category"
    services.consultation_close(consultation=c, category="劳动争议", by=world.user("advisor_a"))
    c.refresh_from_db()
    assert (c.status, c.category, c.category_confirmed) == (Status.CLOSED, "劳动争议", True)
    assert c.minutes_to_close == 180


def test_manual_escalation_needs_a_reason_and_empties_the_owner(
    world, ask, sent, django_capture_on_commit_callbacks
):
    c = ask()
    with pytest.raises(DomainError) as exc:
        services.consultation_escalate(consultation=c, reason=" ", by=world.user("advisor_a"))
    assert exc.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_escalate(
            consultation=c, reason="涉及工伤认定，超出能力", by=world.user("advisor_a")
        )
    c.refresh_from_db()
    assert (c.level, c.owner) == (Level.STREET, None)
    event = c.events.get(code=EventCode.ESCALATED)
    assert (event.from_level, event.to_level, event.due_at) == (Level.COMMUNITY, Level.STREET, c.due_at)
    notice = sent.notify.call_args.kwargs
    assert notice["event"] == "consultation.escalated"
    assert {u.username for u in notice["recipients"]} == {"advisor_a", "advisor_b", "office"}


def test_the_district_is_the_top(world, ask):
    c = ask()
    services.consultation_escalate(consultation=c, reason="超出能力", by=world.user("advisor_a"))
    services.consultation_escalate(consultation=c, reason="需要专家", by=world.user("office"))
    with pytest.raises(DomainError, match="区级"):
        services.consultation_escalate(consultation=c, reason="再升", by=world.user("bureau"))


def test_street_pool_claim_gives_one_owner(world, ask):
    c = ask()
    services.consultation_escalate(consultation=c, reason="超出能力", by=world.user("advisor_a"))
    other = Consultation.objects.get(pk=c.pk)
    services.consultation_claim(consultation=c, by=world.user("office"))
    with pytest.raises((Conflict, TransitionNotAllowed)):
        services.consultation_claim(consultation=other, by=world.user("office"))
    assert Consultation.objects.get(pk=c.pk).owner == world.user("office")


def test_advisors_of_the_street_may_claim_but_not_of_another_street(world, ask):
    c = ask()
    services.consultation_escalate(consultation=c, reason="超出能力", by=world.user("advisor_a"))
    services.consultation_claim(consultation=c, by=world.user("advisor_b"))
    assert c.owner == world.user("advisor_b")
    far = ask(community=world.community_e)
    with pytest.raises(TransitionNotAllowed):
        services.consultation_claim(consultation=far, by=world.user("advisor_a"))


def test_the_same_question_sent_twice_at_once_is_filed_once(concurrent_db):
    from django.db import connections

    from guwen.testing import build_world

    world = build_world()
    start = threading.Barrier(4)
    results, errors = [], []

    def submit(n: int) -> None:
        try:
            start.wait()
            result = services.consultation_submit(
                community=world.community_a,
                channel=Channel.API,
                text=QUESTION,
                phone="13900001111",
                idempotency_key="same-key",
            )
            results.append((result.consultation.pk, result.created))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({pk for pk, _created in results}) == 1
    assert sorted(created for _pk, created in results) == [False, False, False, True]
    assert Consultation.objects.count() == 1 and Message.objects.count() == 1


def test_two_concurrent_claims_give_one_owner(concurrent_db):
    from guwen.testing import build_world

    world = build_world()
    c = services.consultation_submit(
        community=world.community_c, channel=Channel.WEB, text=QUESTION, phone="13900001111"
    ).consultation
    results = []

    def claim(user):
        from django.db import connections

        try:
            services.consultation_claim(consultation=Consultation.objects.get(pk=c.pk), by=user)
            results.append("ok")
        except (Conflict, TransitionNotAllowed):
            results.append("lost")
        finally:
            connections.close_all()

    claimers = [make_user(f"office-{n}", "office", region=world.street2) for n in (1, 2)]
    threads = [threading.Thread(target=claim, args=(u,)) for u in claimers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["lost", "ok"]
    assert Event.objects.filter(consultation_id=c.pk, code=EventCode.CLAIMED).count() == 1


def test_the_office_reassigns_to_an_advisor_of_the_street(
    world, ask, sent, django_capture_on_commit_callbacks
):
    c = ask()
    with pytest.raises(TransitionNotAllowed):
        services.consultation_reassign(
            consultation=c, owner=world.user("advisor_b"), by=world.user("advisor_a")
        )
    with pytest.raises(DomainError) as exc:
        services.consultation_reassign(consultation=c, owner=world.user("outsider"), by=world.user("office"))
    assert exc.value.field == "owner"
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_reassign(
            consultation=c, owner=world.user("advisor_b"), by=world.user("office"), reason="甲律师出庭"
        )
    assert Consultation.objects.get(pk=c.pk).owner == world.user("advisor_b")
    assert sent.notify.call_args.kwargs["recipients"] == [world.user("advisor_b")]


def test_mark_reusable_after_an_answer(world, ask):
    c = ask()
    with pytest.raises(DomainError):
        services.consultation_mark_reusable(consultation=c, by=world.user("advisor_a"))
    assert not AnsweredQuestion.objects.exists()
    services.consultation_reply(consultation=c, body="答复内容", by=world.user("advisor_a"))
    services.consultation_mark_reusable(consultation=c, by=world.user("advisor_a"))
    c.refresh_from_db()
    assert c.reusable and c.reusable_at is not None


def test_a_reusable_consultation_joins_the_knowledge_base_without_personal_data(world, ask):
    advisor = world.user("advisor_a")
    c = ask("我叫刘明强，电话13812345678，住在吉祥路12号3栋502室，老板陈国栋拖欠我三个月工资，怎么办？")
    services.consultation_reply(
        consultation=c, body="刘明强您好：可依照劳动合同法第三十条申请支付令。", by=advisor
    )
    services.consultation_mark_reusable(consultation=c, by=advisor)
    entry = AnsweredQuestion.objects.get(source_ref=f"consultation:{c.pk}")
    for personal in ("刘明强", "13812345678", "吉祥路12号3栋502室", "陈国栋"):
        assert personal not in entry.question + entry.answer
    assert "拖欠我三个月工资" in entry.question and "劳动合同法第三十条" in entry.answer
    assert entry.category == (c.category_suggested or "劳动争议")  # triaged now if not yet
    assert similar_questions("老板拖欠工资三个月不给", 5)[0] == entry
    # A later answer and the category confirmed on closing follow it into the knowledge base.
    services.consultation_resident_message(consultation=c, text="如果老板说没钱呢？我该怎么办才好？")
    services.consultation_reply(consultation=c, body="没钱也要付，可向劳动监察投诉。", by=advisor)
    services.consultation_close(consultation=c, category="劳动争议", by=advisor)
    entry.refresh_from_db()
    assert "如果老板说没钱呢" in entry.question and "劳动监察" in entry.answer
    assert entry.category == "劳动争议"
    assert AnsweredQuestion.objects.count() == 1


def test_unmarking_takes_the_entry_out_of_the_knowledge_base_and_its_search(world, ask):
    advisor = world.user("advisor_a")
    c = ask()
    services.consultation_reply(consultation=c, body="可以申请劳动仲裁。", by=advisor)
    services.consultation_mark_reusable(consultation=c, by=advisor)
    entry = AnsweredQuestion.objects.get()
    services.consultation_mark_reusable(consultation=c, by=advisor, reusable=False)
    assert not AnsweredQuestion.objects.exists()
    assert not SearchEntry.objects.filter(kind="answered", object_id=entry.pk).exists()
    assert similar_questions(QUESTION, 5) == []
    assert AuditEvent.objects.filter(action="knowledge.answered_remove").count() == 1
    services.consultation_reply(consultation=c, body="补充一句。", by=advisor)  # unmarked: not re-added
    assert not AnsweredQuestion.objects.exists()


def test_conversion_targets_are_a_registry(world, ask):
    c = ask()
    with pytest.raises(DomainError):
        services.consultation_convert(consultation=c, target="mediation", by=world.user("advisor_a"))
    calls = []
    conversions.register(
        key="mediation",
        label="转为调解案件",
        handler=lambda *, consultation, by: calls.append(consultation.pk) or "/m/1/",
    )
    try:
        assert (
            services.consultation_convert(consultation=c, target="mediation", by=world.user("advisor_a"))
            == "/m/1/"
        )
    finally:
        conversions.unregister("mediation")
    assert calls == [c.pk]
    assert c.events.filter(code=EventCode.CONVERTED, reason="mediation").exists()
    conversions.register(key="x", label="x", handler=lambda **kw: "/")
    try:
        with pytest.raises(TransitionNotAllowed):
            services.consultation_convert(consultation=c, target="x", by=world.user("advisor_b"))
    finally:
        conversions.unregister("x")


def test_rating_is_once_after_an_answer_through_a_signed_link(world, ask):
    c = ask()
    token = services.rating_token(c)
    with pytest.raises(DomainError):
        services.consultation_rate(consultation=c, score=5)
    services.consultation_reply(consultation=c, body="答复内容", by=world.user("advisor_a"))
    assert services.consultation_from_rating_token(token).pk == c.pk
    for bad in (0, 6):
        with pytest.raises(DomainError) as exc:
            services.consultation_rate(consultation=c, score=bad)
        assert exc.value.field == "score"
    services.consultation_rate(consultation=c, score=4, comment="回复很详细")
    with pytest.raises(Conflict):
        services.consultation_rate(consultation=c, score=5)
    with pytest.raises(DomainError):
        services.consultation_from_rating_token(token[:-2] + "xx")


def test_lookup_gives_one_answer_for_any_mismatch(world, ask):
    c = ask()
    found = services.consultation_lookup(
        community=world.community_a, phone="13900001111", receipt_code=c.receipt_code.lower()
    )
    assert found.pk == c.pk
    messages = set()
    for phone, code, community in [
        ("13900002222", c.receipt_code, world.community_a),
        ("13900001111", "ZZZZZZZZ", world.community_a),
        ("13900001111", c.receipt_code, world.community_b),
        ("not-a-phone", c.receipt_code, world.community_a),
    ]:
        with pytest.raises(DomainError) as exc:
            services.consultation_lookup(community=community, phone=phone, receipt_code=code)
        messages.add(str(exc.value.message))
    assert len(messages) == 1


def test_routing_result_is_recorded_in_the_created_event(world, ask):
    c = ask()
    assert c.events.get(code=EventCode.CREATED).reason == "primary"


def test_a_taken_question_belongs_to_the_advisor_who_logged_it(world):
    c = services.consultation_submit(
        community=world.community_a,
        channel=Channel.WALK_IN,
        text=QUESTION,
        phone="13900001111",
        owner=world.user("advisor_a"),
        by=world.user("advisor_a"),
    ).consultation
    assert c.owner == world.user("advisor_a") and c.events.get().reason == "taken"
    assert isinstance(Route(Level.COMMUNITY, None, "x"), Route)


def test_away_periods_must_end_after_they_start(world):
    now = timezone.now()
    with pytest.raises(DomainError) as exc:
        services.advisor_away_create(
            lawyer=world.lawyer_a, starts_at=now, ends_at=now - timedelta(hours=1), by=None
        )
    assert exc.value.field == "ends_at"
    assert AdvisorAway.objects.count() == 0


def test_a_reply_goes_through_when_its_knowledge_entry_cannot_follow(world, ask, monkeypatch):
    from guwen.knowledge import services as knowledge

    advisor = world.user("advisor_a")
    c = ask()
    services.consultation_reply(consultation=c, body="可以申请劳动仲裁。", by=advisor)
    services.consultation_mark_reusable(consultation=c, by=advisor)
    monkeypatch.setattr(knowledge, "MAX_ANSWER", 20)  # the next answer makes the entry too long
    services.consultation_reply(consultation=c, body="补充：仲裁不收费，带上劳动合同和工资流水。", by=advisor)
    assert c.messages.filter(kind="answer").count() == 2
    assert AnsweredQuestion.objects.get().answer == "可以申请劳动仲裁。"  # kept what it had
    c.reusable = False
    c.save(update_fields=["reusable"])
    c.refresh_from_db()
    with pytest.raises(DomainError):  # marking says why it cannot go in
        services.consultation_mark_reusable(consultation=c, by=advisor)


def test_receipt_codes_use_every_allowed_character_in_every_position():
    from guwen.consultations.services.intake import RECEIPT_ALPHABET, RECEIPT_LENGTH, new_receipt_code

    codes = [new_receipt_code() for _ in range(3000)]

    assert all(len(code) == RECEIPT_LENGTH and set(code) <= set(RECEIPT_ALPHABET) for code in codes)
    for position in range(RECEIPT_LENGTH):
        assert {code[position] for code in codes} == set(RECEIPT_ALPHABET)
    assert len(set(codes)) > 2990  # 31**8 codes: repeats among 3,000 are all but impossible


def test_phone_fields_store_the_number_encrypted_hashed_and_masked():
    from guwen.consultations.services.common import phone_fields, phone_hash

    fields = phone_fields("13912345678")

    assert decrypt_text(fields["phone_encrypted"]) == "13912345678"
    assert fields["phone_hash"] == phone_hash("13912345678")
    assert fields["phone_masked"] == "139****5678"
    assert phone_fields("13912345678", number_hash="given")["phone_hash"] == "given"
    assert phone_fields("") == {"phone_encrypted": "", "phone_hash": "", "phone_masked": ""}


def test_answers_within_deadline_count_the_owner_s_timely_first_answers(world, ask, sent):
    from guwen.consultations.selectors import answers_within_deadline

    timely = ask()
    services.consultation_reply(
        consultation=timely, body="您可以向劳动监察大队投诉。", by=world.user("advisor_a")
    )
    late = ask("房东到期不退还押金，我该怎么办才好")
    late.first_due_at = timezone.now() - timedelta(hours=1)
    late.save(update_fields=["first_due_at"])
    services.consultation_reply(consultation=late, body="可以先协商，再起诉。", by=world.user("advisor_a"))
    today = timezone.localdate()
    rows = answers_within_deadline(region_path=world.district.path, start=today, end=today)
    assert [(r.pk, r.owner_id) for r in rows] == [(timely.pk, world.user("advisor_a").pk)]
