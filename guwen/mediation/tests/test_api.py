"""The API reads: scoped, masked, with the file completeness and the case's documents."""

from __future__ import annotations

import pytest

from guwen.mediation import services
from guwen.mediation.tests import helpers

pytestmark = pytest.mark.django_db


def test_case_list_is_scoped_and_counts_the_file(world, client_for):
    case = helpers.intake(world)
    helpers.file_required(case, world.user("staff_a"))
    helpers.intake(world, community=world.community_b, by=world.user("advisor_b"))
    body = client_for("staff_a").get("/api/v1/mediation/cases").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["number"] == case.number and item["community_code"] == world.community_a.code
    assert (item["file_present"], item["file_required"]) == (6, 6)
    assert item["status"] == "registered" and item["outcome"] is None
    assert client_for("office").get("/api/v1/mediation/cases").json()["count"] == 2
    assert client_for("firm_admin").get("/api/v1/mediation/cases").json()["count"] == 0


def test_overdue_filter(world, client_for):
    late = helpers.accepted(world, days_ago=40)
    helpers.accepted(world, days_ago=2)
    body = client_for("office").get("/api/v1/mediation/cases?overdue=true").json()
    assert [i["id"] for i in body["items"]] == [late.pk] and body["items"][0]["overdue"] is True


def test_case_detail_masks_parties(world, client_for):
    case = helpers.agreed(world)
    body = client_for("advisor_a").get(f"/api/v1/mediation/cases/{case.pk}").json()
    assert [d["kind"] for d in body["documents"]] == [
        "mediation.application",
        "mediation.registration",
        "mediation.rights_notice",
        "mediation.session",
        "mediation.agreement",
    ]
    assert body["outcome"] == "written" and body["confirmation_deadline"]
    assert len(body["sessions"]) == 1 and len(body["file_items"]) == 13
    assert all("*" in p["id_number_masked"] or not p["id_number_masked"] for p in body["parties"])
    raw = str(body)
    sealed = [p for p in case.parties.all() if p.id_number_encrypted]
    assert sealed
    for party in sealed:
        assert party.id_number_encrypted not in raw and party.id_number_masked in raw
    assert "人民调解协议书" in body["missing_items"]
    assert client_for("advisor_b").get(f"/api/v1/mediation/cases/{case.pk}").status_code == 404


def test_leads_list(world, client_for):
    services.dispute_lead_create(
        community=world.community_a,
        by=world.user("staff_a"),
        dispute_type=helpers.dispute_type("wage"),
        place="某工地",
        parties="12名工人与包工头",
        summary="拖欠工资",
        people_affected=12,
    )
    body = client_for("office").get("/api/v1/mediation/leads").json()
    assert body["count"] == 1 and body["items"][0]["warned"] is True
    assert client_for("advisor_b").get("/api/v1/mediation/leads").json()["count"] == 0
