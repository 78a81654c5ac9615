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


def _json_operations(*, signed_in_only: bool = False):
    """(tag, url) of every operation that reads a JSON body, path parameters filled in."""
    from guwen.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if signed_in_only and not operation.get("security"):
                continue
            if method == "post" and "application/json" in operation.get("requestBody", {}).get("content", {}):
                url = re.sub(r"\{[a-z_]*id\}", "1", path)
                yield operation["tags"][0], re.sub(r"\{[a-z_]+\}", "440307012002", url)


JSON_OPERATIONS = sorted(set(_json_operations()))


def test_every_router_with_a_body_is_covered():
    assert {tag for tag, _url in JSON_OPERATIONS} >= {"consultations", "duty", "knowledge", "regions"}


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.managed}


@pytest.mark.parametrize(("tag", "url"), JSON_OPERATIONS)
@pytest.mark.parametrize(
    ("body", "content_type"),
    [("{bad", "application/json"), ("text=1", "text/plain"), (b"\xff\xfe\x00", "application/json")],
)
def test_every_operation_answers_a_body_that_is_not_json_with_a_chinese_422(
    world, tag, url, body, content_type
):
    client = verified_client(world.user("sysadmin"))
    before = _counts()
    response = client.post(url, body, content_type=content_type, HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 422, (tag, response.content)
    assert CHINESE.search(response.json()["detail"]) and response.json()["field"] == "body"
    assert _counts() == before


# One signed-in operation per router: the session's CSRF check is the router's, not the operation's.
@pytest.mark.parametrize(
    ("tag", "url"), sorted({tag: url for tag, url in _json_operations(signed_in_only=True)}.items())
)
def test_every_router_refuses_a_missing_csrf_token_in_chinese(world, tag, url):
    client = verified_client(world.user("sysadmin"))
    client.handler.enforce_csrf_checks = True
    before = _counts()
    response = client.post(url, "{}", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert response.status_code == 403, (tag, response.content)
    assert "CSRF" in response.json()["detail"] and CHINESE.search(response.json()["detail"])
    assert _counts() == before
