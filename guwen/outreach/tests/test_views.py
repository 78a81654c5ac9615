"""Outreach pages: recording and confirming an activity, coverage, enterprises and a health check
through its loop with the report; bad values per form answer 422 in Chinese and save nothing."""

from __future__ import annotations

import io
import tempfile
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from docx import Document

from guwen.outreach.models import Activity, ActivityStatus, CheckStatus, Enterprise, Finding, HealthCheck
from guwen.outreach.selectors import checklist_for
from guwen.outreach.tests.helpers import enterprise, health_check, lecture, past
from guwen.testing import tiny_image, valid_credit_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_media")]


@pytest.fixture
def _media():
    with (
        tempfile.TemporaryDirectory(prefix="guwen-outreach-") as folder,
        override_settings(MEDIA_ROOT=folder),
    ):
        yield


def activity_body(world, **changes):
    body = {
        "community": world.community_a.pk,
        "kind": "lecture",
        "channel": "",
        "date": past().isoformat(),
        "topic": "防范电信网络诈骗讲座",
        "place": "南龙社区党群服务中心",
        "advisors": [world.lawyer_a.pk],
        "audience_count": "40",
        "summary": "",
    }
    body.update(changes)
    return body


def test_advisor_records_a_lecture_and_the_community_confirms(world, client_for):
    advisor = client_for("advisor_a")
    assert advisor.get("/outreach/activities/new/").status_code == 200
    response = advisor.post("/outreach/activities/new/", activity_body(world, audience_count=""))
    activity = Activity.objects.get()
    assert response.status_code == 302 and activity.status == ActivityStatus.PLANNED
    photo = io.BytesIO(tiny_image("JPEG"))
    photo.name = "现场.jpg"
    response = advisor.post(
        f"/outreach/activities/{activity.pk}/hold/",
        {"audience_count": "52", "summary": "讲解典型案例", "photos": [photo]},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.HELD and activity.photos.count() == 1
    page = client_for("staff_a").get(f"/outreach/activities/{activity.pk}/")
    assert "社区确认" in page.content.decode()
    assert client_for("staff_a").post(f"/outreach/activities/{activity.pk}/confirm/").status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CONFIRMED
    listing = advisor.get("/outreach/").content.decode()
    assert "防范电信网络诈骗讲座" in listing and "社区已确认" in listing


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"audience_count": "-5"}, "参与人数不能为负数"),
        ({"date": (timezone.localdate() + timedelta(days=3)).isoformat()}, "不能登记为已开展"),
        ({"kind": "publicity"}, "请选择宣传形式"),
        ({"topic": ""}, "此项为必填项"),
        ({"audience_count": "很多"}, "请输入整数"),
        ({"advisors": []}, "请至少选择一名顾问律师"),
    ],
)
def test_bad_activity_values_are_refused(world, client_for, changes, message):
    response = client_for("advisor_a").post("/outreach/activities/new/", activity_body(world, **changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_bad_hold_values_are_refused(world, client_for):
    activity = lecture(world, held=False)
    response = client_for("advisor_a").post(
        f"/outreach/activities/{activity.pk}/hold/", {"audience_count": "-1"}
    )
    assert response.status_code == 422 and "负数" in response.content.decode()
    fake = io.BytesIO(b"<?php echo 1; ?>")
    fake.name = "photo.jpg"
    response = client_for("advisor_a").post(
        f"/outreach/activities/{activity.pk}/hold/", {"audience_count": "3", "photos": [fake]}
    )
    assert response.status_code == 422 and "不是可接受的类型" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED and not activity.photos.exists()


def test_coverage_page_flags_the_community_behind(world, client_for):
    lecture(world)
    page = client_for("office").get("/outreach/coverage/").content.decode()
    assert "南龙社区" in page and "上李朗社区" in page and "未达标" in page
    bad = client_for("office").get("/outreach/coverage/?quarter=2026Q7")
    assert bad.status_code == 422 and "季度格式" in bad.content.decode()


def test_enterprise_bad_credit_code_is_refused(world, client_for):
    body = {
        "community": world.community_a.pk,
        "name": "某某科技有限公司",
        "credit_code": "91440300MA5F000120",
    }
    response = client_for("advisor_a").post("/outreach/enterprises/new/", body)
    assert response.status_code == 422 and "统一社会信用代码" in response.content.decode()
    assert not Enterprise.objects.exists()
    body["credit_code"] = valid_credit_code()
    assert client_for("advisor_a").post("/outreach/enterprises/new/", body).status_code == 302
    body["staff_count"] = "-2"
    body["credit_code"] = valid_credit_code()
    assert client_for("advisor_a").post("/outreach/enterprises/new/", body).status_code == 422


def test_health_check_through_its_loop_with_report(world, client_for):
    advisor = client_for("advisor_a")
    firm = enterprise(world)
    body = {
        "enterprise": firm.pk,
        "date": past(2).isoformat(),
        "advisors": [world.lawyer_a.pk],
        "scope": "劳动用工、合同管理",
        "method": "访谈、查阅资料",
    }
    bad = advisor.post(
        "/outreach/checks/new/", {**body, "date": (timezone.localdate() + timedelta(days=1)).isoformat()}
    )
    assert bad.status_code == 422 and "体检日期不能晚于今天" in bad.content.decode()
    assert advisor.post("/outreach/checks/new/", body).status_code == 302
    check = HealthCheck.objects.get()
    area = checklist_for(check.community)[3]
    finding = {
        "area": area.pk,
        "issue": "未签订书面劳动合同",
        "legal_basis": "《劳动合同法》第八十二条",
        "risk_level": "",
        "recommendation": "补签劳动合同",
    }
    refused = advisor.post(f"/outreach/checks/{check.pk}/findings/", finding)
    assert refused.status_code == 422 and "请选择风险等级" in refused.content.decode()
    assert not Finding.objects.exists()
    assert (
        advisor.post(f"/outreach/checks/{check.pk}/findings/", {**finding, "risk_level": "high"}).status_code
        == 302
    )
    page = advisor.get(f"/outreach/checks/{check.pk}/").content.decode()
    assert "未签订书面劳动合同" in page and "下载 Word" in page
    download = advisor.get(f"/outreach/checks/{check.pk}/report.docx")
    assert download.status_code == 200
    text = "\n".join(
        p.text
        for t in Document(io.BytesIO(b"".join(download.streaming_content))).tables
        for r in t.rows
        for c in r.cells
        for p in c.paragraphs
    )
    assert "未签订书面劳动合同" in text
    assert client_for("staff_a").post(f"/outreach/checks/{check.pk}/report/").status_code == 403
    for action in ("report", "start_fixing"):
        assert advisor.post(f"/outreach/checks/{check.pk}/{action}/").status_code == 302
    no_date = advisor.post(f"/outreach/checks/{check.pk}/schedule_follow_up/", {"follow_up_on": ""})
    assert no_date.status_code == 422
    today = timezone.localdate().isoformat()
    assert (
        advisor.post(f"/outreach/checks/{check.pk}/schedule_follow_up/", {"follow_up_on": today}).status_code
        == 302
    )
    empty = advisor.post(f"/outreach/checks/{check.pk}/close/", {"follow_up_result": ""})
    assert empty.status_code == 422
    done = advisor.post(f"/outreach/checks/{check.pk}/close/", {"follow_up_result": "已补签"})
    assert done.status_code == 302
    check.refresh_from_db()
    assert check.status == CheckStatus.CLOSED


def test_pdf_page_says_it_is_being_made_when_not_ready(world, client_for, monkeypatch):
    check = health_check(world, findings=1)
    from guwen.core import documents

    monkeypatch.setattr(documents, "request_pdf", lambda **kw: (documents.document_docx(**kw), False))
    page = client_for("advisor_a").get(f"/outreach/checks/{check.pk}/report.pdf")
    assert page.status_code == 200 and "正在生成" in page.content.decode()


def test_other_districts_records_are_404(world, client_for):
    check = health_check(world, findings=0)
    activity = lecture(world)
    for url in (f"/outreach/checks/{check.pk}/", f"/outreach/activities/{activity.pk}/"):
        assert client_for("outsider").get(url).status_code == 404
        assert client_for("advisor_b").get(url).status_code == 404
