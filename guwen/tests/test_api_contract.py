"""The API's contract, case by case: what the fuzzer (test_api_fuzz.py) found, each as a test. Every
operation declares the refusals it can answer, control characters in text are a 422 on the field
with nothing saved, a refusal by role is 403 and by state 409, and an empty form body is no 500."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from guwen.api import api
from guwen.consultations.models import Consultation
from guwen.core.apischema import PlainStr
from guwen.core.errors import DomainError
from guwen.core.validators import BIDI_CONTROLS, CONTROL_CHARS
from guwen.duty.models import DutyRule, ShiftStatus
from guwen.duty.tests.helpers import make_rule, make_shift
from guwen.regions.models import LawFirm
from guwen.testing import valid_credit_code, verified_client

CHINESE = re.compile(r"[\u4e00-\u9fff]")
PUBLIC = {("POST", "/api/v1/consultations"), ("POST", "/api/v1/hooks/group-message/{community_code}")}


def _operations():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


# Files an operation may answer with instead of JSON (finance's Excel sheet).
FILE_TYPES = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@pytest.mark.parametrize(("method", "path", "operation"), list(_operations()), ids=lambda v: str(v)[:60])
def test_every_operation_declares_the_refusals_it_can_answer(method, path, operation):
    declared = {int(code) for code in operation["responses"]}
    if (method, path) not in PUBLIC:
        assert 401 in declared, "no session"
        if method == "POST":
            assert 403 in declared, "CSRF or role"
    has_input = operation.get("parameters") or operation.get("requestBody")
    if has_input:  # every input is typed, and text refuses control characters
        assert 422 in declared, "invalid input"
    if "{" in path and has_input:
        assert 404 in declared, "out of scope"
    for code, response in operation["responses"].items():
        content = response["content"]
        media = "application/json" if "application/json" in content else next(iter(content))
        if media != "application/json":  # only a successful download may be something else
            assert str(code) == "200" and media in FILE_TYPES, f"{code} {media}"
        schema = content[media]["schema"]
        assert schema, f"{code} has a schema"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_characters_in_a_body_are_a_422_on_the_field_and_nothing_is_saved(world, char):
    client = verified_client(world.user("bureau"))
    body = {"name": f"坏{char}律师事务所", "credit_code": valid_credit_code()}
    response = client.post("/api/v1/firms", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "name" and CHINESE.search(response.json()["detail"])
    assert not LawFirm.objects.filter(name__startswith="坏").exists()


def test_control_characters_in_a_resident_question_are_refused(world):
    body = {
        "community_code": world.community_a.code,
        "phone": "13800138000",
        "text": "我的工资被拖欠了三个月\x00怎么办",
        "privacy_consent": True,
    }
    response = verified_client(None).post(
        "/api/v1/consultations", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-nul"
    )
    assert response.status_code == 422 and response.json()["field"] == "text"
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regions?q=%00",
        "/api/v1/assignments?community_code=4403%00",
        "/api/v1/consultations?status=new%00",
        "/api/v1/duty/shifts?community_code=%01",
        "/api/v1/duty/attendance?month=2026-11%00",
        "/api/v1/knowledge/search?q=%E5%B7%A5%E8%B5%84%00",
    ],
)
def test_control_characters_in_a_query_are_a_422(world, url):
    response = verified_client(world.user("office")).get(url)
    assert response.status_code == 422 and CHINESE.search(response.json()["detail"])


@pytest.mark.parametrize("url", ["/api/v1/regions/440307012002%00", "/api/v1/duty/rota/440307012000%00/gaps"])
def test_a_control_character_in_a_path_is_a_404_since_no_identifier_matches_it(world, url):
    response = verified_client(world.user("office")).get(url)
    assert response.status_code == 404 and CHINESE.search(response.json()["detail"])


def test_control_characters_in_a_duty_rule_are_refused(world):
    body = {
        "community_code": world.community_a.code,
        "lawyer_id": world.lawyer_a.pk,
        "weekdays": [1],
        "start_time": "09:00",
        "end_time": "12:00",
        "place": "党群服务中心\x00",
        "service_content": "法律咨询",
        "valid_from": "2026-01-01",
    }
    response = verified_client(world.user("office")).post(
        "/api/v1/duty/rules", body, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["field"] == "place"
    assert not DutyRule.objects.exists()


@given(st.text(max_size=40))
def test_plain_text_fields_refuse_control_characters_and_drop_bidi_controls(text):
    adapter = TypeAdapter(PlainStr)
    if CONTROL_CHARS.search(text):
        with pytest.raises(DomainError):
            adapter.validate_python(text)
    else:
        assert adapter.validate_python(text) == BIDI_CONTROLS.sub("", text)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("", "multipart/form-data; boundary=BoUnDaRy"),
        ("--BoUnDaRy--\r\n", "multipart/form-data; boundary=BoUnDaRy"),
        ("", "application/x-www-form-urlencoded"),
        ("", "application/json"),
    ],
)
def test_read_all_with_an_empty_body_marks_all_read(world, body, content_type):
    response = verified_client(world.user("advisor_a")).post(
        "/api/v1/notifications/read-all", body, content_type=content_type
    )
    assert response.status_code == 200 and response.json() == {"updated": 0, "unread": 0}


def test_a_role_that_may_not_confirm_a_shift_is_a_403(world):
    shift = make_shift(world, starts_in=timedelta(hours=-4), status=ShiftStatus.COMPLETED)
    response = verified_client(world.user("advisor_a")).post(
        f"/api/v1/duty/shifts/{shift.pk}/confirm", {}, content_type="application/json"
    )
    assert response.status_code == 403 and CHINESE.search(response.json()["detail"])
    shift.refresh_from_db()
    assert shift.confirmed_at is None


def test_checking_out_a_completed_shift_again_is_a_409(world):
    shift = make_shift(world, starts_in=timedelta(hours=-4), status=ShiftStatus.COMPLETED)
    response = verified_client(world.user("advisor_a")).post(
        f"/api/v1/duty/shifts/{shift.pk}/check-out", {}, content_type="application/json"
    )
    assert response.status_code == 409 and CHINESE.search(response.json()["detail"])
    shift.refresh_from_db()
    assert shift.checked_out_at is None


def test_rule_times_are_local_wall_clock_text(world):
    make_rule(world)
    rows = verified_client(world.user("office")).get("/api/v1/duty/rules").json()["items"]
    assert rows and all(re.fullmatch(r"\d{2}:\d{2}:\d{2}", row["start_time"]) for row in rows)
