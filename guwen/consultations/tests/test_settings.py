"""The district's consultation settings: its bureau adds urgency keywords and new versions of the
response deadlines; nobody else sees the page, and another district's bureau cannot touch them."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from guwen.consultations import rules
from guwen.consultations.models import (
    Consultation,
    DeadlinePolicy,
    GroupChannel,
    Level,
    Schedule,
    Urgency,
    UrgencyRule,
)
from guwen.core.models import AuditEvent
from guwen.testing import verified_client

# Rules and deadline versions take effect "today" or "tomorrow": one afternoon for the whole module.
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-18T15:00:00+08:00")]
URL = "/consultations/settings/"


def rule_body(**overrides) -> dict:
    return {
        "label": "燃气泄漏",
        "risk": "other",
        "keywords": "煤气泄漏、燃气泄漏，闻到煤气味",
        "effective_from": timezone.localdate().isoformat(),
        **overrides,
    }


def deadline_body(minutes: int = 90, **overrides) -> dict:
    body = {"effective_from": (timezone.localdate() + timedelta(days=1)).isoformat(), "note": "提速"}
    for level in Level.values:
        for urgency in Urgency.values:
            body[f"minutes_{level}_{urgency}"] = str(minutes if urgency == Urgency.NORMAL else 20)
            body[f"schedule_{level}_{urgency}"] = (
                Schedule.ONLINE if urgency == Urgency.NORMAL else Schedule.ALWAYS
            )
    body.update(overrides)
    return body


def test_the_bureau_sees_its_district_deadlines_and_rules(world):
    page = verified_client(world.user("bureau")).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "龙岗区 · 咨询设置" in text and "全市默认" in text and "全市通用规则" in text
    assert "罗湖区" not in text  # no other district to switch to


@pytest.mark.parametrize("role", ["advisor_a", "office", "staff_a", "firm_admin", "association"])
def test_nobody_else_sees_the_settings(world, role):
    assert verified_client(world.user(role)).get(URL).status_code == 404


def test_a_keyword_rule_makes_the_districts_questions_urgent_from_its_date(world):
    client = verified_client(world.user("bureau"))
    response = client.post(f"/consultations/settings/{world.district.code}/urgency/", rule_body())
    assert response.status_code == 302
    rule = UrgencyRule.objects.get(label="燃气泄漏")
    assert rule.district == world.district and rule.pattern == "煤气泄漏、燃气泄漏、闻到煤气味"
    today = timezone.localdate()
    text = "楼道里一直闻到煤气味，物业不管怎么办"
    assert rules.urgency_of(text=text, community=world.community_a, on=today) == (Urgency.URGENT, "燃气泄漏")
    # Another district's questions are not affected.
    assert rules.urgency_of(text=text, community=world.community_e, on=today)[0] == Urgency.NORMAL
    assert AuditEvent.objects.filter(action="urgency_rule.create", actor=world.user("bureau")).exists()
    assert "燃气泄漏" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"label": ""}, "此项为必填项"),
        ({"keywords": ""}, "此项为必填项"),
        ({"keywords": "、，"}, "请至少填写一个关键词"),
        ({"keywords": "火、燃气泄漏"}, "关键词至少 2 个字"),
        ({"keywords": "很长" * 11}, "每个关键词最多 20 个字"),
        ({"effective_from": "2020-01-01"}, "生效日期不能早于今天"),
        ({"effective_from": "明天"}, "请输入正确的日期"),
    ],
)
def test_a_bad_rule_is_refused_with_a_message_and_nothing_saved(world, overrides, field_message):
    before = UrgencyRule.objects.count()
    client = verified_client(world.user("bureau"))
    response = client.post(f"/consultations/settings/{world.district.code}/urgency/", rule_body(**overrides))
    assert response.status_code == 422
    assert field_message in response.content.decode()
    assert UrgencyRule.objects.count() == before


def test_the_bureau_stops_its_own_rule_but_not_a_city_wide_one(world):
    client = verified_client(world.user("bureau"))
    client.post(f"/consultations/settings/{world.district.code}/urgency/", rule_body())
    own = UrgencyRule.objects.get(label="燃气泄漏")
    city = UrgencyRule.objects.filter(district__isnull=True).first()
    assert (
        client.post(f"/consultations/settings/{world.district.code}/urgency/{own.pk}/end/").status_code == 302
    )
    own.refresh_from_db()
    assert own.effective_to == timezone.localdate()
    text = "闻到煤气味"
    assert (
        rules.urgency_of(text=text, community=world.community_a, on=timezone.localdate())[0] == Urgency.NORMAL
    )
    if city is not None:
        path = f"/consultations/settings/{world.district.code}/urgency/{city.pk}/end/"
        assert client.post(path).status_code == 404
        city.refresh_from_db()
        assert city.effective_to is None


def test_another_districts_bureau_cannot_post_here(world):
    from guwen.accounts.models import Role
    from guwen.testing import make_user

    other = make_user("bureau_luohu", Role.BUREAU, region=world.district2)
    client = verified_client(other)
    path = f"/consultations/settings/{world.district.code}/urgency/"
    assert client.post(path, rule_body()).status_code == 404
    assert (
        client.post(f"/consultations/settings/{world.district.code}/deadlines/", deadline_body()).status_code
        == 404
    )
    assert not UrgencyRule.objects.filter(label="燃气泄漏").exists()
    assert "罗湖区 · 咨询设置" in client.get(URL).content.decode()


def test_a_new_deadline_version_applies_from_its_date(world):
    client = verified_client(world.user("bureau"))
    today = timezone.localdate()
    before = rules.deadline_spec(
        community=world.community_a, level=Level.COMMUNITY, urgency="normal", on=today
    )
    response = client.post(f"/consultations/settings/{world.district.code}/deadlines/", deadline_body(90))
    assert response.status_code == 302
    policy = DeadlinePolicy.objects.get(district=world.district)
    assert policy.rules.count() == len(Level.values) * len(Urgency.values) and policy.note == "提速"
    tomorrow = today + timedelta(days=1)
    spec = rules.deadline_spec(community=world.community_a, level=Level.STREET, urgency="normal", on=tomorrow)
    assert (spec.minutes, spec.schedule, spec.policy_id) == (90, Schedule.ONLINE, policy.pk)
    urgent = rules.deadline_spec(
        community=world.community_a, level=Level.COMMUNITY, urgency="urgent", on=tomorrow
    )
    assert (urgent.minutes, urgent.schedule) == (20, Schedule.ALWAYS)
    assert (
        rules.deadline_spec(community=world.community_a, level=Level.COMMUNITY, urgency="normal", on=today)
        == before
    )
    # The other district keeps the default.
    other = rules.deadline_spec(
        community=world.community_e, level=Level.STREET, urgency="normal", on=tomorrow
    )
    assert other.policy_id != policy.pk
    page = client.get(URL).content.decode()
    assert "将生效" in page and "90 分钟" in page
    assert AuditEvent.objects.filter(action="deadline_policy.create").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"minutes_community_normal": "0"}, "期限至少 1 分钟"),
        ({"minutes_street_urgent": "20000"}, "期限最多 7 天"),
        ({"minutes_district_normal": "两小时"}, "请输入整数分钟数"),
        ({"minutes_district_normal": ""}, "此项为必填项"),
        ({"schedule_street_normal": "sometimes"}, "请从列表中选择计时方式"),
        ({"effective_from": "2020-01-01"}, "生效日期不能早于今天"),
    ],
)
def test_a_bad_deadline_version_is_refused_and_nothing_saved(world, overrides, message):
    client = verified_client(world.user("bureau"))
    response = client.post(
        f"/consultations/settings/{world.district.code}/deadlines/", deadline_body(**overrides)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not DeadlinePolicy.objects.filter(district=world.district).exists()


def test_a_second_version_on_the_same_date_is_refused(world):
    client = verified_client(world.user("bureau"))
    path = f"/consultations/settings/{world.district.code}/deadlines/"
    assert client.post(path, deadline_body(90)).status_code == 302
    again = client.post(path, deadline_body(60))
    assert again.status_code == 422 and "该日期已有一个版本" in again.content.decode()
    assert DeadlinePolicy.objects.filter(district=world.district).count() == 1


def test_the_system_administrator_switches_districts(world):
    client = verified_client(world.user("sysadmin"))
    page = client.get(URL, {"district": world.district2.code}).content.decode()
    assert "罗湖区 · 咨询设置" in page and "龙岗区" in page  # the other district is in the switcher
    assert client.get(URL, {"district": "440399000000"}).status_code == 404


# --- group-chat robots ----------------------------------------------------------------------------


def robot_url(world, action: str, community=None, district=None) -> str:
    district = district or world.district
    community = community or world.community_a
    return f"/consultations/settings/{district.code}/robots/{community.code}/{action}/"


def shown_secret(page) -> str:
    found = re.search(
        r'id="robot-secret" rows="2" readonly class="mono" data-select-on-focus>([^<]+)</textarea>',
        page.content.decode(),
    )
    assert found, "the secret is shown on the page"
    return found.group(1)


def send_from_robot(community, secret: str, text: str = "群里有人问：老板拖欠工资三个月了怎么办？"):
    ts = int(time.time())
    raw = json.dumps({"timestamp": ts, "text": text, "sender_name": "李阿姨"}, ensure_ascii=False).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return Client().post(
        f"/api/v1/hooks/group-message/{community.code}",
        raw,
        content_type="application/json",
        HTTP_X_GUWEN_SIGNATURE=signature,
        HTTP_X_GUWEN_TIMESTAMP=str(ts),
    )


def test_the_bureau_connects_a_communitys_robot_and_sees_the_secret_once(world):
    client = verified_client(world.user("bureau"))
    listing = client.get(URL).content.decode()
    assert "群聊机器人接入" in listing and world.community_a.name in listing and "未接入" in listing
    page = client.post(robot_url(world, "secret"), {"group_name": "南龙社区居民群"})
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    secret = shown_secret(page)
    text = page.content.decode()
    assert f"/api/v1/hooks/group-message/{world.community_a.code}" in text and "X-Guwen-Signature" in text
    channel = GroupChannel.objects.get(community=world.community_a)
    assert (channel.secret, channel.group_name, channel.is_active) == (secret, "南龙社区居民群", True)
    # What the page says to send is what the webhook takes.
    assert send_from_robot(world.community_a, secret).status_code == 201
    assert Consultation.objects.get().source["group_name"] == "南龙社区居民群"
    # The list shows the state, never the secret; the audit trail never holds it either.
    listing = client.get(URL).content.decode()
    assert "已接入" in listing and secret not in listing
    events = AuditEvent.objects.filter(action__startswith="group_channel.")
    assert [e.action for e in events] == ["group_channel.create"]
    assert all(secret not in json.dumps([e.old, e.new, e.context]) for e in events)


def test_a_new_secret_kills_the_old_one_at_once(world):
    client = verified_client(world.user("bureau"))
    old = shown_secret(client.post(robot_url(world, "secret"), {"group_name": ""}))
    new = shown_secret(client.post(robot_url(world, "secret"), {"group_name": "新群名"}))
    assert new != old
    assert send_from_robot(world.community_a, old).status_code == 401
    assert send_from_robot(world.community_a, new).status_code == 201
    assert GroupChannel.objects.get().group_name == "新群名"
    actions = list(
        AuditEvent.objects.filter(action__startswith="group_channel.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["group_channel.create", "group_channel.rename", "group_channel.rotate_secret"]


def test_a_stopped_robot_is_refused_until_it_is_resumed(world):
    client = verified_client(world.user("bureau"))
    secret = shown_secret(client.post(robot_url(world, "secret"), {}))
    assert client.post(robot_url(world, "active"), {"active": "0"}).status_code == 302
    assert "已停用" in client.get(URL).content.decode()
    assert send_from_robot(world.community_a, secret).status_code == 404
    assert Consultation.objects.count() == 0
    client.post(robot_url(world, "active"), {"active": "1"})
    assert send_from_robot(world.community_a, secret).status_code == 201


def test_a_bad_robot_request_is_refused_with_a_message_and_nothing_saved(world):
    client = verified_client(world.user("bureau"))
    page = client.post(robot_url(world, "secret"), {"group_name": "群" * 81})
    assert page.status_code == 422 and "群名称不能超过 80 个字" in page.content.decode()
    assert not GroupChannel.objects.exists()
    assert 'id="robot-secret"' not in page.content.decode()
    shown_secret(client.post(robot_url(world, "secret"), {}))
    response = client.post(robot_url(world, "active"), {"active": "maybe"}, follow=True)
    assert "请选择启用或停用" in response.content.decode()
    assert GroupChannel.objects.get().is_active
    # A robot that was never connected has nothing to stop.
    assert (
        client.post(robot_url(world, "active", community=world.community_b), {"active": "0"}).status_code
        == 404
    )


def test_robots_of_other_districts_and_other_roles_are_out_of_reach(world):
    bureau = verified_client(world.user("bureau"))
    # A community code under another district's path, or a street code in place of a community.
    assert bureau.post(robot_url(world, "secret", district=world.district2), {}).status_code == 404
    assert bureau.post(robot_url(world, "secret", community=world.street), {}).status_code == 404
    for role in ("office", "advisor_a", "staff_a"):
        assert verified_client(world.user(role)).post(robot_url(world, "secret"), {}).status_code == 404
    assert not GroupChannel.objects.exists()
