"""The API's refusals of malformed requests are Chinese JSON with the usual codes: a body that is not
JSON is invalid input (422), a missing CSRF token is 403, and nothing is saved."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from guwen.consultations.models import Consultation
from guwen.testing import verified_client

URL = "/api/v1/consultations"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{bad", "application/json"),
        ('{"text": "未闭合', "application/json"),
        ("text=1", "text/plain"),
        (b"\xff\xfe\x00", "application/json"),
    ],
)
def test_a_body_that_is_not_json_is_a_chinese_422(world, body, content_type):
    response = Client().post(URL, body, content_type=content_type, HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert CHINESE.search(detail) and "JSON" in detail and response.json()["field"] == "body"
    assert not Consultation.objects.exists()


def test_an_empty_body_names_the_body(world):
    response = Client().post(URL, "", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 422
    assert response.json()["field"] == "body" and response.json()["detail"].startswith("body：")


def test_a_session_call_without_its_csrf_token_is_refused_in_chinese(world):
    client = verified_client(world.user("advisor_a"))
    client.handler.enforce_csrf_checks = True
    response = client.post("/api/v1/notifications/read-all")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"] and CHINESE.search(response.json()["detail"])


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=101", "offset=-1", "offset=1000001", "limit=99999999999999999999999", "offset=9" * 30],
)
def test_pagination_out_of_bounds_is_a_422_never_a_500(world, query):
    client = verified_client(world.user("office"))
    response = client.get(f"/api/v1/consultations?{query}")
    assert response.status_code == 422 and CHINESE.search(response.json()["detail"])


def test_pagination_within_bounds_pages(world):
    client = verified_client(world.user("office"))
    assert client.get("/api/v1/consultations?limit=100&offset=1000000").status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v1/notifications", "/api/v1/regions", "/api/v1/lawyers", "/api/v1/duty/shifts"]
)
def test_every_list_bounds_its_pagination(world, path):
    client = verified_client(world.user("office"))
    assert client.get(f"{path}?limit=5").status_code == 200
    response = client.get(f"{path}?offset={'9' * 30}")
    assert response.status_code == 422 and CHINESE.search(response.json()["detail"])
