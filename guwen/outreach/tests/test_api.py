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
