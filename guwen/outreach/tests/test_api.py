"""Outreach API reads: scoped lists, coverage by quarter (a bad quarter is 422 in Chinese), a
check-up with its findings, risk levels and documents."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from guwen.outreach.tests.helpers import health_check, lecture

pytestmark = pytest.mark.django_db


def test_activities_are_scoped(world, client_for):
    lecture(world)
    mine = client_for("advisor_a").get("/api/v1/outreach/activities").json()
    assert [a["community_code"] for a in mine["items"]] == [world.community_a.code]
    assert mine["items"][0]["status"] == "held" and mine["items"][0]["audience_count"] == 35
    assert mine["items"][0]["advisors"] == ["甲律师"]
    assert client_for("advisor_b").get("/api/v1/outreach/activities").json()["items"] == []


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_coverage_by_quarter(world, client_for):
    lecture(world, day=date(2026, 10, 20))
    rows = client_for("office").get("/api/v1/outreach/coverage?quarter=2026Q4").json()
    by_code = {row["community_code"]: row for row in rows}
    assert by_code[world.community_a.code]["held"] == 1 and not by_code[world.community_a.code]["behind"]
    assert by_code[world.community_b.code]["behind"] is True
    assert rows == client_for("office").get("/api/v1/outreach/coverage").json()  # current quarter
    bad = client_for("office").get("/api/v1/outreach/coverage?quarter=2026-4")
    assert bad.status_code == 422 and "季度格式" in bad.json()["detail"]


def test_checkup_detail_with_findings_and_documents(world, client_for):
    check = health_check(world, findings=2)
    listing = client_for("office").get("/api/v1/outreach/checkups").json()["items"]
    assert listing[0]["id"] == check.pk and listing[0]["risk_points"] == 2
    body = client_for("advisor_a").get(f"/api/v1/outreach/checkups/{check.pk}").json()
    assert [f["risk_level"] for f in body["findings"]] == ["medium", "high"]
    assert body["documents"] == [
        {
            "kind": "outreach.health_check_report",
            "title": "企业法治体检报告",
            "docx_url": f"/outreach/checks/{check.pk}/report.docx",
            "pdf_url": f"/outreach/checks/{check.pk}/report.pdf",
        }
    ]
    assert client_for("advisor_b").get(f"/api/v1/outreach/checkups/{check.pk}").status_code == 404


def test_pairings_are_scoped_with_their_joint_activities(world, client_for):
    from datetime import timedelta

    from django.utils import timezone

    from guwen.outreach import services
    from guwen.outreach.tests.helpers import past
    from guwen.outreach.tests.test_pairings import pairing

    today = timezone.localdate()
    now = pairing(world, starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=300))
    pairing(world, starts_on=today - timedelta(days=800), ends_on=today - timedelta(days=400))
    services.activity_create(
        community=world.community_a,
        kind="party_building",
        date=past(),
        topic="党员律师进社区",
        advisors=[world.lawyer_a],
        audience_count=30,
        pairing=now,
        by=world.user("advisor_a"),
    )
    office = client_for("office")
    rows = office.get("/api/v1/outreach/pairings").json()
    assert rows["count"] == 2 and rows["items"][0]["id"] == now.pk
    assert rows["items"][0]["joint_activities"] == 1 and rows["items"][1]["joint_activities"] == 0
    assert (
        rows["items"][0]["firm"] == world.firm_a.name
        and rows["items"][0]["community_code"] == world.community_a.code
    )
    current = office.get("/api/v1/outreach/pairings?current=true").json()["items"]
    assert [row["id"] for row in current] == [now.pk]
    assert (
        office.get(f"/api/v1/outreach/pairings?community_code={world.community_b.code}").json()["items"] == []
    )
    assert client_for("outsider").get("/api/v1/outreach/pairings").json()["items"] == []
    bad = office.get("/api/v1/outreach/pairings?current=maybe")
    assert bad.status_code == 422
    control = office.get("/api/v1/outreach/pairings?community_code=a%00b")
    assert control.status_code == 422


def test_referrals_are_scoped_and_the_applicant_masked(world, client_for):
    from guwen.outreach.tests.test_referrals import centre, refer

    centre(world)
    referral = refer(world, applicant="王小明")
    rows = client_for("advisor_a").get("/api/v1/outreach/referrals").json()["items"]
    assert [row["id"] for row in rows] == [referral.pk]
    assert rows[0]["applicant"] != "王小明" and rows[0]["applicant"].startswith("王")
    assert rows[0]["status"] == "sent" and rows[0]["category_label"] and rows[0]["hardship"] is True
    assert "situation" not in rows[0] and rows[0]["mediation_case_id"] is None
    assert client_for("advisor_b").get("/api/v1/outreach/referrals").json()["items"] == []
    assert client_for("office").get("/api/v1/outreach/referrals?status=closed").json()["items"] == []
    assert client_for("office").get("/api/v1/outreach/referrals?status=%07").status_code == 422
    assert client_for("resident").get("/api/v1/outreach/referrals").status_code == 401
