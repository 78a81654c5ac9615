"""The API refuses bad input with a 4xx JSON error naming the field, and saves nothing."""

import pytest

from guwen.regions.models import Assignment, LawFirm, Lawyer
from guwen.testing import make_lawyer, valid_credit_code, valid_licence, valid_phone

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_lists_are_scoped_and_paginated(client_for, world):
    body = client_for("office").get("/api/v1/regions?level=community").json()
    assert body["count"] == 2
    assert {item["code"] for item in body["items"]} == {world.community_a.code, world.community_b.code}


def test_lawyer_phone_and_id_are_masked(client_for, world):
    body = client_for("office").get(f"/api/v1/lawyers/{world.lawyer_a.pk}").json()
    assert "****" in body["phone_masked"]
    assert body["id_number_masked"].count("*") == 8
    assert "id_number" not in body


@pytest.mark.parametrize(
    ("overrides", "field", "status"),
    [
        ({"credit_code": "91440300708461136X"}, "credit_code", 422),
        ({"credit_code": 123}, "credit_code", 422),
        ({"name": ""}, "name", 422),
        ({"district_code": "440303000000"}, "district_code", 422),
    ],
)
def test_create_firm_rejects_bad_values(client_for, world, overrides, field, status):
    body = {"name": "接口律所", "credit_code": valid_credit_code(), **overrides}
    before = LawFirm.objects.count()
    response = post(client_for("bureau"), "/api/v1/firms", body)
    assert response.status_code == status
    assert response.json()["field"] == field
    assert response.json()["detail"]
    assert LawFirm.objects.count() == before


def test_duplicate_credit_code_is_a_conflict(client_for, world):
    response = post(
        client_for("bureau"), "/api/v1/firms", {"name": "另一", "credit_code": world.firm_a.credit_code}
    )
    assert response.status_code == 409
    assert response.json()["field"] == "credit_code"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"licence_number": "123"}, "licence_number"),
        ({"phone": "1380013"}, "phone"),
        ({"id_number": "11010519491231002X"[:-1] + "1"}, "id_number"),
        ({"firm_id": "abc"}, "firm_id"),
    ],
)
def test_create_lawyer_rejects_bad_values(client_for, world, overrides, field):
    body = {
        "name": "接口律师",
        "licence_number": valid_licence(),
        "phone": valid_phone(),
        "firm_id": world.firm_a.pk,
    }
    body.update(overrides)
    before = Lawyer.objects.count()
    response = post(client_for("firm_admin"), "/api/v1/lawyers", body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert Lawyer.objects.count() == before


def test_out_of_scope_firm_is_404(client_for, world):
    body = {
        "name": "越权",
        "licence_number": valid_licence(),
        "phone": valid_phone(),
        "firm_id": world.firm_b.pk,
    }
    response = post(client_for("firm_admin"), "/api/v1/lawyers", body)
    assert response.status_code == 404
    assert response.json()["field"] == "firm_id"


def test_overlapping_primary_is_a_conflict(client_for, world):
    other = make_lawyer(world.firm_b, "重叠")
    before = Assignment.objects.count()
    response = post(
        client_for("office"),
        "/api/v1/assignments",
        {"lawyer_id": other.pk, "community_code": world.community_a.code, "starts_on": "2026-02-01"},
    )
    assert response.status_code == 409
    assert response.json()["field"] == "starts_on"
    assert Assignment.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "field", "status"),
    [
        ({"starts_on": "2026-02-30"}, "starts_on", 422),
        ({"community_code": "not-a-code"}, "community_code", 404),
        ({"community_code": "440303001001"}, "community_code", 404),  # out of the office's street
        ({"lawyer_id": 999999}, "lawyer_id", 422),
        ({"role": "boss"}, "role", 422),
    ],
)
def test_create_assignment_rejects_bad_values(client_for, world, overrides, field, status):
    other = make_lawyer(world.firm_b, "备岗")
    body = {
        "lawyer_id": other.pk,
        "community_code": world.community_b.code,
        "role": "backup",
        "starts_on": "2026-02-01",
        **overrides,
    }
    before = Assignment.objects.count()
    response = post(client_for("office"), "/api/v1/assignments", body)
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert Assignment.objects.count() == before


def test_malformed_json_is_422(client_for, world):
    response = client_for("bureau").post("/api/v1/firms", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert Lawyer.objects.count() == 4


def test_anonymous_gets_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录"
