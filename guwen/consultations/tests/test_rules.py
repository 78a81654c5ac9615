"""Deadline and urgency rules: defaults, district versions, pausing, and properties over many inputs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from importlib import import_module

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guwen.consultations import rules
from guwen.consultations.models import (
    DeadlinePolicy,
    DeadlineRule,
    Level,
    MatchKind,
    Schedule,
    Urgency,
    UrgencyRule,
)
from guwen.consultations.tests.conftest import MORNING
from guwen.core.workcalendar import CHINA_TZ

# The shipped urgency rules are the table's seeded rows: test the lists the migrations write.
SEEDED_URGENCY_RULES = import_module("guwen.consultations.migrations.0002_seed_defaults").URGENCY_RULES
KINDS = import_module("guwen.consultations.migrations.0012_urgency_kinds")
DEFAULT_RULES = [
    rules.compile_rule(kind, pattern, label=label, risk=KINDS.KINDS_OF_LABELS[label])
    for label, kind, pattern in SEEDED_URGENCY_RULES
] + [
    rules.compile_rule(kind, pattern, exclude, label=label, risk=risk)
    for label, risk, kind, pattern, exclude in KINDS.RULES
]
SAFE_TEXT = st.text(
    alphabet="法律咨询请问房屋租赁合同押金退还物业费用邻居装修噪音婚姻财产继承，。？", min_size=0, max_size=80
)
URGENT_PHRASES = [
    "他喝醉了就家暴我",
    "我真的不想活了",
    "明天我们要集体上访",
    "老板拖欠30多个工人的工资",
    "欠了我们全体员工三个月工资",
]
INSTANTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 1)).map(
    lambda d: d.replace(tzinfo=CHINA_TZ)
)


@pytest.mark.parametrize("text", URGENT_PHRASES)
def test_default_rules_flag_violence_self_harm_crowds_and_mass_wage_arrears(text):
    assert rules.match_urgency(text, DEFAULT_RULES)[0] == Urgency.URGENT


@pytest.mark.parametrize(
    "text",
    [
        "公司拖欠我一个月工资怎么办",
        "请问离婚时房子怎么分",
        "打我电话咨询一下租房押金的问题",
        "邻居装修噪音太大",
    ],
)
def test_ordinary_questions_are_not_urgent(text):
    assert rules.match_urgency(text, DEFAULT_RULES) == (Urgency.NORMAL, "")


@given(prefix=SAFE_TEXT, suffix=SAFE_TEXT, phrase=st.sampled_from(URGENT_PHRASES))
def test_an_urgent_phrase_anywhere_makes_the_text_urgent(prefix, suffix, phrase):
    assert rules.match_urgency(prefix + phrase + suffix, DEFAULT_RULES)[0] == Urgency.URGENT


@given(text=SAFE_TEXT)
def test_text_without_any_rule_word_stays_normal(text):
    assert rules.match_urgency(text, DEFAULT_RULES)[0] == Urgency.NORMAL


@given(
    # One character alone matches only as a word of its own (see guwen.knowledge.urgency).
    words=st.lists(st.text(alphabet="甲乙丙丁戊己庚辛", min_size=2, max_size=4), min_size=1, max_size=5),
    data=st.data(),
)
def test_keyword_rules_match_each_keyword_even_with_spaces_inside(words, data):
    rule = rules.compile_rule(MatchKind.KEYWORDS, "、".join(words), label="x")
    word = data.draw(st.sampled_from(words))
    spaced = " ".join(word)
    assert rules.match_urgency(f"前文{spaced}后文", [rule]) == (Urgency.URGENT, "x")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60, deadline=None)
@given(start=INSTANTS, urgency=st.sampled_from(Urgency.values))
def test_deadline_is_after_start_and_urgent_is_never_later(db, start, urgency):
    community = _community()
    normal = rules.deadline_spec(
        community=community, level=Level.COMMUNITY, urgency=Urgency.NORMAL, on=start.date()
    )
    urgent = rules.deadline_spec(
        community=community, level=Level.COMMUNITY, urgency=Urgency.URGENT, on=start.date()
    )
    due_normal, due_urgent = (
        rules.due_from(start=start, spec=normal),
        rules.due_from(start=start, spec=urgent),
    )
    assert due_urgent == start + timedelta(minutes=30)
    assert start < due_normal and due_urgent <= due_normal
    # Two working hours on the online clock never end in the night.
    local = due_normal.astimezone(CHINA_TZ)
    assert (8, 30) <= (local.hour, local.minute) <= (21, 0)


@settings(max_examples=60, deadline=None)
@given(
    created=INSTANTS,
    paused_after=st.integers(min_value=0, max_value=119),
    pause=st.integers(min_value=1, max_value=60 * 24 * 5),
)
def test_a_pause_keeps_the_working_minutes_that_were_left(created, paused_after, pause):
    spec = rules.DeadlineSpec(minutes=120, schedule=Schedule.ONLINE, policy_id=None)
    due = rules.due_from(start=created, spec=spec)
    paused_at = (
        rules.due_from(start=created, spec=rules.DeadlineSpec(paused_after, Schedule.ONLINE, None))
        if paused_after
        else created
    )
    left = rules.remaining_working_minutes(now=paused_at, due_at=due, schedule=Schedule.ONLINE)
    resumed_at = paused_at + timedelta(minutes=pause)
    new_due = rules.resume_due(paused_at=paused_at, due_at=due, now=resumed_at, schedule=Schedule.ONLINE)
    assert new_due >= due
    assert rules.remaining_working_minutes(now=resumed_at, due_at=new_due, schedule=Schedule.ONLINE) == left


def _community():
    from guwen.regions.models import Region

    return Region(
        code="440307012002", path="440300000000/440307000000/440307012000/440307012002/", level="community"
    )


def test_a_districts_own_policy_overrides_the_default(world):
    DeadlinePolicy.objects.all().delete()
    default = DeadlinePolicy.objects.create(effective_from=date(2020, 1, 1))
    DeadlineRule.objects.create(
        policy=default, level=Level.COMMUNITY, urgency=Urgency.NORMAL, minutes=120, schedule=Schedule.ONLINE
    )
    own = DeadlinePolicy.objects.create(district=world.district, effective_from=date(2025, 1, 1))
    DeadlineRule.objects.create(
        policy=own, level=Level.COMMUNITY, urgency=Urgency.NORMAL, minutes=60, schedule=Schedule.OFFICE
    )
    spec = rules.deadline_spec(
        community=world.community_a, level=Level.COMMUNITY, urgency=Urgency.NORMAL, on=date(2025, 6, 1)
    )
    assert (spec.minutes, spec.schedule, spec.policy_id) == (60, Schedule.OFFICE, own.pk)
    before = rules.deadline_spec(
        community=world.community_a, level=Level.COMMUNITY, urgency=Urgency.NORMAL, on=date(2024, 6, 1)
    )
    assert (before.minutes, before.policy_id) == (120, default.pk)
    other = rules.deadline_spec(
        community=world.community_e, level=Level.COMMUNITY, urgency=Urgency.NORMAL, on=date(2025, 6, 1)
    )
    assert other.policy_id == default.pk


def test_missing_rules_fall_back_to_the_built_in_defaults(world):
    DeadlinePolicy.objects.all().delete()
    spec = rules.deadline_spec(
        community=world.community_a, level=Level.STREET, urgency=Urgency.URGENT, on=date(2025, 6, 1)
    )
    assert (spec.minutes, spec.schedule, spec.policy_id) == (30, Schedule.ALWAYS, None)


def test_urgency_rules_are_data_per_district(world):
    UrgencyRule.objects.all().delete()
    UrgencyRule.objects.create(
        district=world.district,
        label="燃气",
        kind=MatchKind.KEYWORDS,
        pattern="煤气泄漏",
        effective_from=date(2020, 1, 1),
    )
    UrgencyRule.objects.create(
        label="已停用",
        kind=MatchKind.KEYWORDS,
        pattern="停用词",
        effective_from=date(2020, 1, 1),
        effective_to=date(2021, 1, 1),
    )
    day = MORNING.date()
    assert rules.urgency_of(text="楼道里有煤气泄漏的味道", community=world.community_a, on=day) == (
        Urgency.URGENT,
        "燃气",
    )
    assert (
        rules.urgency_of(text="楼道里有煤气泄漏的味道", community=world.community_e, on=day)[0]
        == Urgency.NORMAL
    )
    assert rules.urgency_of(text="这里有停用词", community=world.community_a, on=day)[0] == Urgency.NORMAL


def test_the_table_is_the_only_urgency_source(world):
    """Deleting the seeded rows leaves no urgency rule: no list in code comes back in their place."""
    day, text = MORNING.date(), "我真的不想活了"
    assert rules.urgency_of(text=text, community=world.community_a, on=day)[0] == Urgency.URGENT
    UrgencyRule.objects.all().delete()
    assert rules.urgency_of(text=text, community=world.community_a, on=day) == (Urgency.NORMAL, "")


def test_a_bad_regex_in_the_table_is_skipped_not_fatal(world):
    UrgencyRule.objects.all().delete()
    UrgencyRule.objects.create(
        label="坏", kind=MatchKind.REGEX, pattern="(未闭合", effective_from=date(2020, 1, 1)
    )
    UrgencyRule.objects.create(
        label="好", kind=MatchKind.KEYWORDS, pattern="跳楼", effective_from=date(2020, 1, 1)
    )
    assert rules.urgency_of(text="他说要跳楼", community=world.community_a, on=MORNING.date()) == (
        Urgency.URGENT,
        "好",
    )


def test_admin_refuses_a_bad_pattern(world):
    from guwen.consultations.admin import UrgencyRuleForm

    form = UrgencyRuleForm(
        data={"label": "x", "kind": "regex", "pattern": "([", "effective_from": "2025-01-01"}
    )
    assert not form.is_valid()
    assert "无效" in form.errors["pattern"][0]
