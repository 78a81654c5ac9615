"""The JSON intake (idempotent, rate-limited), the group-robot webhook (signed, fresh, not replayed)
and the staff API."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from guwen.api import api
from guwen.consultations import services
from guwen.consultations.models import Channel, Consultation, GroupChannel, SeenSignature
from guwen.consultations.tests.conftest import QUESTION
from guwen.core.models import AuditEvent
from guwen.testing import verified_client

URL = "/api/v1/consultations"


def payload(world, **overrides) -> dict:
    return {
        "community_code": world.community_a.code,
        "phone": "13900001111",
        "text": QUESTION,
        "privacy_consent": True,
        **overrides,
    }


def post(data, key: str | None = "key-1", client=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return (client or Client()).post(URL, json.dumps(data), content_type="application/json", **headers)


def test_intake_creates_once_and_a_retry_returns_the_first_result(world):
    first = post(payload(world))
    assert first.status_code == 201
    body = first.json()
    assert len(body["receipt_code"]) == 8 and body["level"] == "community" and body["due_at"]
    retry = post(payload(world))
    assert retry.status_code == 200 and retry.json() == body
    assert Consultation.objects.count() == 1
    assert Consultation.objects.get().channel == Channel.API


def test_intake_without_idempotency_key_is_refused_naming_the_header(world):
    response = post(payload(world), key=None)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["field"]
    assert Consultation.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"text": "短"}, 422, "text"),
        ({"text": "长" * 2001}, 422, "text"),
        ({"phone": "110"}, 422, "phone"),
        ({"privacy_consent": False}, 422, "consent"),
        ({"community_code": "440307999999"}, 404, "community"),
        ({"community_code": "drop table"}, 404, "community"),
        ({"channel": "web"}, 422, "channel"),
        ({"text": 12}, 422, "text"),
    ],
)
def test_bad_intake_gets_a_json_error_naming_the_field_and_saves_nothing(world, overrides, status, field):
    response = post(payload(world, **overrides))
    assert response.status_code == status
    assert response.json()["field"] == field and response.json()["detail"]
    assert Consultation.objects.count() == 0


def test_a_key_reused_for_another_question_is_refused_and_saves_nothing(world):
    first = post(payload(world))
    for changed in (payload(world, phone="13700002222"), payload(world, text=QUESTION + "另外还想问一下。")):
        response = post(changed)
        assert response.status_code == 422 and response.json()["field"] == "idempotency_key"
        assert "另一个问题" in response.json()["detail"]
    assert list(Consultation.objects.values_list("receipt_code", flat=True)) == [first.json()["receipt_code"]]


@pytest.mark.parametrize("key", ["", " ", "two words", "tab\tkey", "k" * 65])
def test_an_empty_or_unprintable_key_is_refused_with_422(world, key):
    response = post(payload(world), key=key)
    assert response.status_code == 422 and "幂等键" in response.json()["detail"]
    assert not Consultation.objects.exists()
    # An empty key is never stored: the next resident's question goes through.
    assert post(payload(world, phone="13700002222"), key="k-next").status_code == 201


def test_intake_is_rate_limited_per_address_with_retry_after(world, settings):
    settings.GUWEN_RATE_LIMITS = {"intake": "2/9999d"}
    codes = [post(payload(world), key=f"k{i}").status_code for i in range(3)]
    assert codes == [201, 201, 429]
    refused = post(payload(world), key="k9")
    assert "频繁" in refused.json()["detail"] and int(refused["Retry-After"]) > 0
    assert Consultation.objects.count() == 2


def test_the_page_and_the_api_share_one_intake_limit(world, settings):
    settings.GUWEN_RATE_LIMITS = {"intake": "2/9999d"}
    page = Client().post(
        f"/c/{world.community_a.code}/ask",
        {"text": QUESTION, "phone": "13900001111", "consent": "on", "key": "page-1"},
    )
    assert page.status_code == 302
    assert post(payload(world), key="k1").status_code == 201
    assert post(payload(world), key="k2").status_code == 429


def test_behind_our_proxy_each_resident_has_their_own_limit_and_cannot_forge_another(world, settings):
    settings.GUWEN_RATE_LIMITS = {"intake": "1/9999d"}
    settings.GUWEN_TRUSTED_PROXIES = ["10.0.0.0/8"]

    def via_proxy(resident: str, key: str, forged: str = "") -> int:
        chain = f"{forged}, {resident}" if forged else resident
        client = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=chain)
        return post(payload(world), key=key, client=client).status_code

    assert via_proxy("198.51.100.1", "a1") == 201
    assert via_proxy("198.51.100.2", "b1") == 201  # another resident, the same proxy
    assert via_proxy("198.51.100.1", "a2", forged="203.0.113.77") == 429  # a forged hop changes nothing
    event = AuditEvent.objects.get(
        action="consultation.create", object_id=str(Consultation.objects.first().pk)
    )
    assert event.context == {} and event.ip is None  # intake records no address of the resident


def test_every_request_counts_once_refused_or_retried_and_a_429_saves_nothing(world, settings):
    settings.GUWEN_RATE_LIMITS = {"intake": "3/9999d"}
    assert post(payload(world, text="太短"), key="bad").status_code == 422
    assert post(payload(world), key="k1").status_code == 201
    assert post(payload(world), key="k1").status_code == 200  # a retry is a request as well
    assert post(payload(world), key="k2").status_code == 429
    assert list(Consultation.objects.values_list("idempotency_key", flat=True)) == ["api:k1"]


def test_intake_is_lean_on_queries(world, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The production queue: routing and notices wait for the worker, outside the request.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post(payload(world), key="warm-up")
    with CaptureQueriesContext(connection) as queries:
        assert post(payload(world), key="measured").status_code == 201
    # The question, its message and its audit event in one transaction; the shared cache (here the
    # database cache: a handful of statements; with Redis none) holds the rate-limit count and the
    # community and rules looked up.
    own = [
        q["sql"]
        for q in queries.captured_queries
        if "guwen_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
    assert len(own) == 3 and all(sql.startswith("INSERT") for sql in own), own
    measured = Consultation.objects.get(idempotency_key="api:measured")
    assert measured.owner is None and not measured.events.exists()
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.exists()  # the committed question is itself the queue entry
    from guwen.consultations.sweeps import dispatch_new

    assert dispatch_new() == 2  # what the worker's poll does next, for both questions
    measured.refresh_from_db()
    assert measured.owner == world.user("advisor_a") and measured.events.get().reason == "primary"


def test_the_operation_is_documented_in_openapi(world):
    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/v1/consultations"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])
    assert {201, 429} <= {int(code) for code in operation["responses"]}


# --- the group-chat robot ----------------------------------------------------------------------


@pytest.fixture
def robot(world):
    channel = services.group_channel_ensure(community=world.community_a, group_name="南龙社区居民群", by=None)

    def send(
        body: dict | bytes,
        *,
        secret: str | None = None,
        timestamp: int | None = None,
        signature: str | None = None,
    ):
        ts = int(time.time()) if timestamp is None else timestamp
        raw = (
            body
            if isinstance(body, bytes)
            else json.dumps({"timestamp": ts, **body}, ensure_ascii=False).encode()
        )
        sig = signature if signature is not None else services.group_signature(secret or channel.secret, raw)
        return Client().post(
            f"/api/v1/hooks/group-message/{world.community_a.code}",
            raw,
            content_type="application/json",
            HTTP_X_GUWEN_SIGNATURE=sig,
            HTTP_X_GUWEN_TIMESTAMP=str(ts),
        )

    send.channel = channel
    return send


def test_a_signed_group_message_becomes_a_consultation(world, robot):
    response = robot({"text": QUESTION, "sender_name": "李阿姨", "message_id": "m-1"})
    assert response.status_code == 201
    c = Consultation.objects.get()
    assert (c.channel, c.resident_name, c.source["group_name"], c.source["sender_name"]) == (
        Channel.GROUP,
        "李阿姨",
        "南龙社区居民群",
        "李阿姨",
    )
    assert c.phone_masked == ""


@pytest.mark.parametrize("suffix", ["abcdef", "0", "/../440307012001"])
def test_a_community_code_in_the_hook_address_is_matched_whole(world, robot, suffix):
    raw = json.dumps({"timestamp": int(time.time()), "text": QUESTION}, ensure_ascii=False).encode()
    response = Client().post(
        f"/api/v1/hooks/group-message/{world.community_a.code}{suffix}",
        raw,
        content_type="application/json",
        HTTP_X_GUWEN_SIGNATURE=services.group_signature(robot.channel.secret, raw),
        HTTP_X_GUWEN_TIMESTAMP=str(json.loads(raw)["timestamp"]),
    )
    assert response.status_code == 404
    assert not Consultation.objects.exists()


def test_a_message_id_is_matched_whole_never_cut(world, robot):
    base = "m" * 40
    assert robot({"text": QUESTION, "message_id": base}).status_code == 201
    longer = robot({"text": QUESTION + "再问一句。", "message_id": base + "-2"})
    assert longer.status_code == 422 and longer.json()["field"] == "message_id"
    assert Consultation.objects.count() == 1


def test_a_wrong_signature_is_refused(world, robot):
    response = robot({"text": QUESTION}, secret="not-the-secret")
    assert response.status_code == 401 and response.json()["field"] == "X-Guwen-Signature"
    assert robot({"text": QUESTION}, signature="").status_code == 401
    assert Consultation.objects.count() == 0


def test_a_stale_timestamp_is_refused(world, robot):
    response = robot({"text": QUESTION}, timestamp=int(time.time()) - 301)
    assert response.status_code == 401 and response.json()["field"] == "X-Guwen-Timestamp"
    assert Consultation.objects.count() == 0


def test_a_replayed_call_is_refused(world, robot):
    raw = json.dumps({"timestamp": int(time.time()), "text": QUESTION}, ensure_ascii=False).encode()
    assert robot(raw, timestamp=json.loads(raw)["timestamp"]).status_code == 201
    again = robot(raw, timestamp=json.loads(raw)["timestamp"])
    assert again.status_code == 409 and again.json()["field"] == "X-Guwen-Signature"
    assert Consultation.objects.count() == 1


def test_the_timestamp_header_must_match_the_signed_body(world, robot):
    raw = json.dumps({"timestamp": int(time.time()) - 3600, "text": QUESTION}).encode()
    response = robot(raw, timestamp=int(time.time()))
    assert response.status_code == 401 and response.json()["field"] == "timestamp"


def test_a_signed_but_bad_message_is_refused_and_its_signature_not_burnt(world, robot):
    response = robot({"text": "太短"})
    assert response.status_code == 422 and response.json()["field"] == "text"
    assert SeenSignature.objects.count() == 0
    assert robot(b"not json", timestamp=int(time.time())).status_code == 422


def test_a_community_without_a_robot_is_not_found(world):
    response = Client().post(
        f"/api/v1/hooks/group-message/{world.community_b.code}", b"{}", content_type="application/json"
    )
    assert response.status_code == 404


# --- staff API ---------------------------------------------------------------------------------


def test_staff_list_is_scoped_and_masks_phones(world, ask):
    ask()
    ask(community=world.community_e)
    rows = verified_client(world.user("advisor_a")).get(URL).json()["items"]
    assert len(rows) == 1 and rows[0]["phone_masked"] == "139****1111"
    assert "13900001111" not in json.dumps(rows)
    assert len(verified_client(world.user("sysadmin")).get(URL).json()["items"]) == 2


def test_reply_through_the_api(world, ask):
    c = ask()
    client = verified_client(world.user("advisor_a"))
    response = client.post(
        f"{URL}/{c.pk}/reply", {"body": "您好，可以申请劳动仲裁。"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "answered"
    empty = client.post(f"{URL}/{c.pk}/reply", {"body": ""}, content_type="application/json")
    assert empty.status_code == 422 and empty.json()["field"] == "body"


def test_the_admin_never_shows_a_robot_secret_and_generates_one_when_left_empty(world, client_for):
    admin_client = client_for("sysadmin")
    channel = services.group_channel_ensure(community=world.community_a, group_name="南龙社区居民群", by=None)
    page = admin_client.get(f"/admin/consultations/groupchannel/{channel.pk}/change/").content.decode()
    assert channel.secret not in page
    response = admin_client.post(
        "/admin/consultations/groupchannel/add/",
        {
            "community": world.community_b.pk,
            "group_name": "另一社区居民群",
            "is_active": "on",
            "created_at_0": "2026-11-28",
            "created_at_1": "10:00:00",
            "secret": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = GroupChannel.objects.get(community=world.community_b)
    assert len(added.secret) >= 32


def test_a_phone_typed_with_full_width_digits_is_taken_and_matches_the_plain_one(world):
    assert post(payload(world, phone="１３９－００００－１１１１"), key="fw").status_code == 201
    stored = Consultation.objects.get()
    assert stored.phone_masked == "139****1111"
    from guwen.consultations.services.common import phone_hash

    assert stored.phone_hash == phone_hash("13900001111")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": QUESTION + "\x00"}, "text"),
        ({"text": QUESTION.replace("，", "\x1b[31m，")}, "text"),
        ({"resident_name": "王\x00"}, "resident_name"),
    ],
)
def test_control_characters_are_refused_with_a_chinese_422_and_nothing_saved(world, overrides, field):
    response = post(payload(world, **overrides))
    assert response.status_code == 422 and response.json()["field"] == field
    assert "控制字符" in response.json()["detail"]
    assert not Consultation.objects.exists()


def test_bidirectional_overrides_are_removed_so_they_cannot_reorder_what_an_advisor_reads(world):
    text = "对方欠我\u202e00051\u202c元工资，老板一直拖着不给，我该怎么办？"
    assert post(payload(world, text=text, resident_name="\u2067王女士\u2069")).status_code == 201
    stored = Consultation.objects.get()
    assert stored.text == "对方欠我00051元工资，老板一直拖着不给，我该怎么办？"
    assert stored.resident_name == "王女士"
