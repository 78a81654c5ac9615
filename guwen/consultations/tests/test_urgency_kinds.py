"""Urgency as a safety function: every kind of danger is caught in plain words the labelled set
never saw, the harmless senses of the same words are not, and each urgent item says why."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from guwen.consultations import rules
from guwen.consultations.models import EventCode, MatchKind, Urgency, UrgencyRule
from guwen.consultations.services.triage import consultation_triage
from guwen.consultations.tests.conftest import MORNING
from guwen.core.models import AuditEvent
from guwen.knowledge import urgency
from guwen.testing import verified_client

KINDS = import_module("guwen.consultations.migrations.0012_urgency_kinds")
OLD = import_module("guwen.consultations.migrations.0002_seed_defaults").URGENCY_RULES
SEEDED = [
    rules.compile_rule(kind, pattern, label=label, risk=KINDS.KINDS_OF_LABELS[label])
    for label, kind, pattern in OLD
] + [
    rules.compile_rule(kind, pattern, exclude, label=label, risk=risk)
    for label, risk, kind, pattern, exclude in KINDS.RULES
]
LABELLED = {row["text"] for row in urgency.load_labelled()}

# Phrasings written for these tests, none of them in the labelled set (checked below): first and
# third person, colloquial, indirect.
BY_RULES = [
    ("我老公昨晚又打我了，眼睛都肿了", "家庭暴力"),
    ("丈夫把我手机摔了，不准我出门见人", "家庭暴力"),
    ("我男人喝了酒就拿皮带抽我跟孩子", "家庭暴力"),
    ("我真的不想活了", "自伤风险"),
    ("我准备了一瓶农药，明天去他们公司门口喝", "自伤风险"),
    ("我想从十八楼跳下去", "自伤风险"),
    ("这样的日子我撑不下去了", "自伤风险"),
    ("隔壁那个人拿着菜刀说要砍我", "人身危险"),
    ("有人堵在楼下说要打断我的腿", "人身危险"),
    ("我儿子被人打伤了，头上缝了针", "人身危险"),
    ("邻居家小孩天天被他妈打，哭得很惨", "儿童老人处境危险"),
    ("我奶奶被我叔关在屋里不给饭吃", "儿童老人处境危险"),
    ("有人猥亵了我家孩子", "儿童老人处境危险"),
    ("我们一百多个工人明天一起去市政府", "群体性事件"),
    ("大家约好了周一去堵路", "群体性事件"),
    ("工人们坐在老板办公室不走", "群体性事件"),
    ("几十个业主堵了售楼处的门", "群体性事件"),
    ("公司拖欠我们五十多个工人的工资", "多人欠薪"),
    ("老板跑了，全厂工人三个月没发工资", "多人欠薪"),
    ("我在厂里被机器轧了手，老板不让报工伤", "工伤被隐瞒"),
    ("他们正在强拆我家房子", "强拆强迁"),
    ("房东把我的东西扔到街上，换了锁", "强拆强迁"),
    ("催收的人说要去我孩子学校闹", "催债威胁"),
    ("放高利贷的说不还钱就剁我手指", "催债威胁"),
]
# Indirect or unusual wording the rules miss and the classifier catches.
BY_MODEL = [
    ("活着太累了，没什么意思", "自伤风险"),
    ("工友受伤了老板叫我们别说出去", "工伤被隐瞒"),
    ("我被他们打得住进了医院", "人身危险"),
]
HARMLESS = [
    "我想打官司要回欠款",
    "我在深圳打工，公司不交社保",
    "公司要求每天打卡四次",
    "想打听一下继承的事",
    "老公爱打麻将，我想离婚",
    "商场打折买的东西能退吗",
    "我想跳槽，原公司扣我工资",
    "早上堵车迟到了，公司扣了我全勤奖",
]
# The rules' own exclusions and segmentation handle these too (the classifier may still worry).
HARMLESS_FOR_RULES = [*HARMLESS, "他老打我电话催我还钱", "我们小区门口天天堵车", "孩子打疫苗以后发烧了"]


def test_the_test_phrasings_are_not_in_the_labelled_set():
    fresh = [text for text, _ in BY_RULES + BY_MODEL] + HARMLESS_FOR_RULES
    assert not set(fresh) & LABELLED


@pytest.mark.parametrize(("text", "reason"), BY_RULES)
def test_each_kind_is_caught_by_the_seeded_rules_and_says_which(text, reason):
    assert rules.match_urgency(text, SEEDED) == (Urgency.URGENT, reason)


@pytest.mark.parametrize(("text", "reason"), BY_RULES + BY_MODEL)
def test_each_kind_is_caught_as_shipped(text, reason):
    """Rules or classifier: either raises urgency, and the reason names the kind."""
    result = urgency.assess(text, patterns=SEEDED)
    assert result.urgency == urgency.URGENT and result.reason == reason


@pytest.mark.parametrize(("text", "reason"), BY_MODEL)
def test_the_classifier_catches_what_the_rules_miss(text, reason):
    assert rules.match_urgency(text, SEEDED)[0] == Urgency.NORMAL
    [signal] = urgency.model_signals([text])
    assert signal.urgent and urgency.kind_label(signal.kind) == reason


@pytest.mark.parametrize("text", HARMLESS_FOR_RULES)
def test_harmless_senses_do_not_fire_the_rules(text):
    assert rules.match_urgency(text, SEEDED) == (Urgency.NORMAL, "")


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_look_alikes_are_normal_as_shipped(text):
    assert urgency.assess(text, patterns=SEEDED).urgency == urgency.NORMAL


def test_single_person_wage_arrears_is_not_mass_arrears():
    assert urgency.assess("公司拖欠我一个人的工资", patterns=SEEDED).urgency == urgency.NORMAL
    assert urgency.assess("公司拖欠我们三十几个人的工资", patterns=SEEDED).reason == "多人欠薪"


QUIET = st.text(alphabet="请问我家房子合同押金物业邻居装修费用公司老板工资社保离婚孩子，。？", max_size=40)


@settings(max_examples=80, deadline=None)
@given(
    before=QUIET,
    after=QUIET,
    harmless=st.sampled_from(["打官司", "打工", "打卡", "打听", "打麻将", "打折", "跳槽", "堵车"]),
)
def test_a_harmless_sense_in_any_ordinary_sentence_never_fires(before, after, harmless):
    assert rules.match_urgency(f"{before}{harmless}{after}", SEEDED)[0] == Urgency.NORMAL


@settings(max_examples=80, deadline=None)
@given(before=QUIET, after=QUIET, case=st.sampled_from(BY_RULES))
def test_an_urgent_sentence_fires_whatever_surrounds_it(before, after, case):
    text, _reason = case
    assert rules.match_urgency(f"{before}。{text}。{after}", SEEDED)[0] == Urgency.URGENT


@settings(max_examples=200, deadline=None)
@given(pattern=st.text(max_size=60), text=st.text(max_size=200))
def test_any_keyword_text_compiles_or_is_refused_and_never_crashes_matching(pattern, text):
    try:
        rule = rules.compile_rule(MatchKind.KEYWORDS, pattern, pattern[:10], label="x")
    except Exception as exc:
        assert exc.__class__.__name__ == "error"  # re.error: no words at all
        assert not urgency.words_of(pattern)
        return
    assert rules.match_urgency(text, [rule])[0] in Urgency.values


def test_a_one_character_word_matches_only_as_a_word_of_its_own():
    rule = rules.compile_rule(MatchKind.KEYWORDS, "打…我", label="x", risk="violence")
    assert rules.match_urgency("他昨天打了我", [rule])[0] == Urgency.URGENT
    assert rules.match_urgency("我打工的工资被扣了，我要打官司", [rule])[0] == Urgency.NORMAL


def test_a_co_occurrence_stays_within_one_sentence():
    rule = rules.compile_rule(MatchKind.KEYWORDS, "坐在…不走", label="x", risk="collective")
    assert rules.match_urgency("几个人坐在大厅里就是不走", [rule])[0] == Urgency.URGENT
    assert rules.match_urgency("我坐在家里想了很久。公司说我不走就解除合同", [rule])[0] == Urgency.NORMAL


# --- the table, the settings page and the reason shown --------------------------------------------


@pytest.mark.django_db
def test_the_migration_seeds_every_kind_and_keeps_old_rows(world):
    city = UrgencyRule.objects.filter(district__isnull=True)
    assert set(city.values_list("risk", flat=True)) >= set(urgency.UrgencyKind.values) - {"other"}
    assert not city.filter(risk="other").exists()  # the old rows got the kind their name says


def _post_rule(world, **overrides):
    client = verified_client(world.user("bureau"))
    body = {
        "label": "上访维权",
        "risk": "collective",
        "keywords": "去信访局…讨说法、拉条幅",
        "exclude": "写信访信",
        "effective_from": timezone.localdate().isoformat(),
        **overrides,
    }
    return client, client.post(f"/consultations/settings/{world.district.code}/urgency/", body)


@pytest.mark.django_db
def test_a_district_adds_a_term_of_a_kind_and_its_questions_say_why(world):
    client, response = _post_rule(world)
    assert response.status_code == 302
    rule = UrgencyRule.objects.get(label="上访维权")
    assert (rule.risk, rule.exclude, rule.district) == ("collective", "写信访信", world.district)
    event = AuditEvent.objects.get(action="urgency_rule.create")
    assert event.new["risk"] == "collective" and event.new["exclude"] == ["写信访信"]
    today = timezone.localdate()
    text = "明天我们去信访局讨说法"
    assert rules.urgency_of(text=text, community=world.community_a, on=today) == (
        Urgency.URGENT,
        "群体性事件",
    )
    page = client.get(f"/consultations/settings/?district={world.district.code}").content.decode()
    assert "上访维权" in page and "群体性事件" in page and "不算：" in page


@pytest.mark.django_db
def test_a_districts_exclusion_masks_its_own_words(world):
    UrgencyRule.objects.all().delete()
    _post_rule(world, keywords="拉条幅、挂横幅", exclude="横幅广告")
    today = timezone.localdate()
    assert (
        rules.urgency_of(text="店门口挂横幅广告要审批吗", community=world.community_a, on=today)[0]
        == "normal"
    )
    assert rules.urgency_of(text="他们在厂门口挂横幅", community=world.community_a, on=today)[0] == "urgent"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"risk": ""}, "请选择紧急类型"),
        ({"risk": "zombies"}, "请选择列表中的紧急类型"),
        ({"exclude": "打、打我电话"}, "不算的说法至少 2 个字"),
        ({"exclude": "很长" * 11}, "每个不算的说法最多 20 个字"),
        ({"keywords": "…、…"}, "请至少填写一个关键词"),
    ],
)
def test_a_bad_kind_or_exclusion_is_refused_and_nothing_saved(world, overrides, message):
    before = UrgencyRule.objects.count()
    _client, response = _post_rule(world, **overrides)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert UrgencyRule.objects.count() == before


@pytest.mark.django_db
def test_the_reason_is_in_the_inbox_the_detail_and_the_office_alert(
    world, ask, sent, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation = ask("我真的撑不下去了，想结束这一切", at=MORNING)
    assert consultation.urgency_reason == "自伤风险"
    inbox = client_for("advisor_a").get("/consultations/").content.decode()
    detail = client_for("advisor_a").get(f"/consultations/{consultation.pk}/").content.decode()
    assert "紧急：自伤风险" in inbox and "紧急：自伤风险" in detail
    titles = {call.kwargs["event"]: call.kwargs["title"] for call in sent.notify.call_args_list}
    assert titles["consultation.urgent"] == "紧急：自伤风险"
    assert titles["consultation.assigned"].startswith("紧急：自伤风险")


@pytest.mark.django_db
def test_the_classifier_raises_what_the_rules_missed_and_says_so(world, ask, sent, taxonomy):
    consultation = ask("活着太累了，没什么意思", at=MORNING)
    assert consultation.urgency == Urgency.NORMAL  # the district's rules do not see it
    consultation_triage(consultation_id=consultation.pk)
    consultation.refresh_from_db()
    assert consultation.urgency == Urgency.URGENT and consultation.urgency_reason == "自伤风险（模型）"
    assert consultation.due_at <= consultation.created_at + timedelta(minutes=30)
    assert consultation.events.filter(code=EventCode.URGENT_ALERT, reason="自伤风险（模型）").exists()


@pytest.mark.django_db
def test_the_classifier_leaves_an_ordinary_question_alone(world, ask, sent, taxonomy):
    consultation = ask("我想打官司要回欠款，需要准备什么材料", at=MORNING)
    with mock.patch("guwen.consultations.notices.send_urgent") as alert:
        consultation_triage(consultation_id=consultation.pk)
    consultation.refresh_from_db()
    assert consultation.urgency == Urgency.NORMAL and not alert.called
