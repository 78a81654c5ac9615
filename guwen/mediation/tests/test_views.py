"""The pages: the advisor's path from lead to closed case through the forms, the case page showing
only the allowed actions, and every form refusing bad values with 422, a Chinese message and
nothing saved."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from guwen.core.audit import AuditEvent
from guwen.mediation.models import (
    CaseStatus,
    DisputeLead,
    DisputeType,
    FileItem,
    FileItemKind,
    MediationCase,
    Party,
)
from guwen.mediation.tests import helpers
from guwen.testing import tiny_image, valid_id_number

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _png(name="scan.png"):
    data = io.BytesIO(tiny_image("PNG"))
    data.name = name
    return data


def _post(client, case, action, data):
    return client.post(f"/mediation/cases/{case.pk}/{action}/", data)


def test_advisor_path_from_lead_to_closed_case(world, client_for):
    advisor, staff, office = client_for("advisor_a"), client_for("staff_a"), client_for("office")
    neighbour = DisputeType.objects.get(code="neighbour").pk
    response = advisor.post(
        "/mediation/leads/new/",
        {
            "community": world.community_a.pk,
            "dispute_type": neighbour,
            "found_on": TODAY().isoformat(),
            "place": "南龙社区3栋",
            "parties": "王小明与李大华",
            "summary": "楼上漏水",
            "people_affected": "2",
            "risk_level": "yellow",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    lead = DisputeLead.objects.get()
    response = advisor.post(
        f"/mediation/leads/{lead.pk}/case/",
        {
            "dispute_type": neighbour,
            "title": "漏水纠纷",
            "summary": "楼上漏水",
            "people_affected": "2",
            "intake_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    case = MediationCase.objects.get()
    assert case.lead == lead and case.source == "lead"
    page = advisor.get(f"/mediation/cases/{case.pk}/").content.decode()
    assert "受理" in page and "结案归档</button>" not in page
    steps = [
        (
            "add_party",
            {"role": "applicant", "kind": "person", "name": "王小明", "id_number": valid_id_number()},
        ),
        ("add_party", {"role": "respondent", "kind": "person", "name": "李大华"}),
        ("accept", {"note": ""}),
        (
            "record_investigation",
            {"held_on": TODAY().isoformat(), "place": "现场", "subject": "王小明", "content": "查看漏水情况"},
        ),
        (
            "record_session",
            {
                "held_on": TODAY().isoformat(),
                "place": "调解室",
                "mediators": "甲律师",
                "attendees": "王小明、李大华",
                "record": "双方同意协商。",
            },
        ),
        (
            "agree",
            {
                "kind": "written",
                "decided_on": TODAY().isoformat(),
                "facts": "漏水致损",
                "terms": "赔偿2000元",
                "performance_method": "转账",
                "performance_deadline": (TODAY() + timedelta(days=7)).isoformat(),
            },
        ),
        ("record_performance", {"checked_on": TODAY().isoformat(), "item": "赔偿2000元", "done": "on"}),
        (
            "callback",
            {
                "called_on": TODAY().isoformat(),
                "method": "phone",
                "interviewee": "王小明",
                "performed": "yes",
                "satisfaction": "satisfied",
            },
        ),
    ]
    for action, data in steps:
        response = _post(advisor, case, action, data)
        assert response.status_code == 302, (action, response.content.decode()[:800])
    case.refresh_from_db()
    assert case.status == CaseStatus.CALLBACK_DONE
    response = _post(office, case, "close", {})
    assert response.status_code == 422 and "卷宗缺少必须材料" in response.content.decode()
    for kind in FileItemKind.objects.filter(required=True):
        response = staff.post(f"/mediation/cases/{case.pk}/upload/", {"kind": kind.pk, "upload": _png()})
        assert response.status_code == 302
    assert _post(office, case, "close", {}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert "已结案归档" in advisor.get(f"/mediation/cases/{case.pk}/").content.decode()


def test_case_page_shows_only_allowed_actions(world, client_for):
    case = helpers.intake(world)
    page = client_for("advisor_a").get(f"/mediation/cases/{case.pk}/").content.decode()
    assert 'id="act-accept"' in page and 'id="act-agree"' not in page and 'id="act-close"' not in page
    bureau = client_for("bureau").get(f"/mediation/cases/{case.pk}/").content.decode()
    assert "act-" not in bureau


def test_id_number_is_masked_and_full_read_audited(world, client_for):
    case = helpers.intake(world)
    number = valid_id_number()
    from guwen.mediation import services

    services.party_add(
        case=case, by=world.user("staff_a"), role="applicant", kind="person", name="王五", id_number=number
    )
    page = client_for("staff_a").get(f"/mediation/cases/{case.pk}/").content.decode()
    assert number not in page and number[:6] + "********" + number[-4:] in page
    party = Party.objects.get()
    response = client_for("staff_a").post(f"/mediation/parties/{party.pk}/id-number/")
    assert response.content.decode() == number
    assert AuditEvent.objects.filter(action="mediation_party.id_number.read").count() == 1


def test_overdue_cases_are_flagged_in_the_list(world, client_for):
    helpers.accepted(world, days_ago=45)
    page = client_for("office").get("/mediation/?tab=overdue").content.decode()
    assert "已超期" in page and "南龙人调字" in page


BAD_ACTIONS = [
    (
        "add_party",
        "intake",
        {"role": "applicant", "kind": "person", "name": "张三", "id_number": "440307199001011230"},
        "身份证号",
    ),
    (
        "add_party",
        "intake",
        {"role": "respondent", "kind": "organisation", "name": "某公司", "credit_code": "91440300MA5XXXXXX0"},
        "统一社会信用代码",
    ),
    ("accept", "accepted", {"note": "x" * 201}, "200"),
    ("refuse", "intake", {"reason": ""}, "必填"),
    (
        "record_session",
        "accepted",
        {"held_on": "2026-13-01", "place": "调解室", "mediators": "甲", "attendees": "乙", "record": "记录"},
        "日期",
    ),
    (
        "record_investigation",
        "accepted",
        {"held_on": TODAY().isoformat(), "place": "", "subject": "乙", "content": "情况"},
        "必填",
    ),
    (
        "agree",
        "mediated",
        {
            "kind": "written",
            "decided_on": TODAY().isoformat(),
            "facts": "事实",
            "terms": "",
            "performance_method": "转账",
        },
        "请填写协议内容",
    ),
    (
        "agree",
        "mediated",
        {
            "kind": "written",
            "decided_on": TODAY().isoformat(),
            "facts": "事实",
            "terms": "赔偿",
            "performance_method": "转账",
        },
        "请填写履行期限",
    ),
    (
        "terminate",
        "mediated",
        {"decided_on": TODAY().isoformat(), "reason": "", "routes_told": "诉讼"},
        "必填",
    ),
    ("record_performance", "agreed", {"checked_on": TODAY().isoformat(), "item": ""}, "必填"),
    (
        "callback",
        "agreed",
        {
            "called_on": TODAY().isoformat(),
            "method": "fax",
            "interviewee": "王",
            "performed": "yes",
            "satisfaction": "satisfied",
        },
        "选择",
    ),
    ("record_confirmation", "agreed", {"applied_on": (TODAY() - timedelta(days=90)).isoformat()}, "30日内"),
    ("request_extension", "accepted", {"days": "45", "reason": "补证", "consent": "同意"}, "30"),
    ("confirm_grade", "accepted", {"grade": "major", "reason": ""}, "必填"),
    ("assign", "intake", {"users": [], "primary": ""}, "必填"),
]


@pytest.mark.parametrize(
    ("action", "stage", "data", "message"),
    BAD_ACTIONS,
    ids=[f"{a}-{i}" for i, (a, *_r) in enumerate(BAD_ACTIONS)],
)
def test_bad_values_are_refused_with_422_and_nothing_saved(world, client_for, action, stage, data, message):
    case = {
        "intake": helpers.intake,
        "accepted": helpers.accepted,
        "mediated": helpers.mediated,
        "agreed": helpers.agreed,
    }[stage](world)
    before = (
        case.status,
        Party.objects.count(),
        case.sessions.count(),
        case.investigations.count(),
        case.performances.count(),
        case.callbacks.count(),
        case.extensions.count(),
        case.grade,
        case.due_on,
    )
    user = (
        "office" if action in ("confirm_grade", "assign") else "advisor_a" if stage != "intake" else "staff_a"
    )
    response = _post(client_for(user), case, action, data)
    assert response.status_code == 422, response.content.decode()[:300]
    assert message in response.content.decode()
    case = MediationCase.objects.get(pk=case.pk)
    after = (
        case.status,
        Party.objects.count(),
        case.sessions.count(),
        case.investigations.count(),
        case.performances.count(),
        case.callbacks.count(),
        case.extensions.count(),
        case.grade,
        case.due_on,
    )
    assert after == before
    assert not hasattr(case, "outcome") or stage == "agreed"


def test_bad_upload_is_refused(world, client_for):
    case = helpers.intake(world)
    fake = io.BytesIO(b"MZ\x90\x00 not a scan")
    fake.name = "scan.pdf"
    response = client_for("staff_a").post(
        f"/mediation/cases/{case.pk}/upload/", {"kind": FileItemKind.objects.get(number=1).pk, "upload": fake}
    )
    assert response.status_code == 422 and "不是可接受的类型" in response.content.decode()
    assert FileItem.objects.count() == 0


def test_bad_lead_is_refused(world, client_for):
    response = client_for("advisor_a").post(
        "/mediation/leads/new/",
        {
            "community": world.community_a.pk,
            "dispute_type": DisputeType.objects.get(code="neighbour").pk,
            "found_on": TODAY().isoformat(),
            "place": "",
            "parties": "甲乙",
            "summary": "纠纷",
            "people_affected": "0",
            "risk_level": "purple",
        },
    )
    assert response.status_code == 422
    assert "必填" in response.content.decode()
    assert DisputeLead.objects.count() == 0


def test_bad_case_is_refused(world, client_for):
    response = client_for("staff_a").post(
        "/mediation/cases/new/",
        {
            "community": world.community_a.pk,
            "source": "consultation",
            "dispute_type": DisputeType.objects.get(code="neighbour").pk,
            "title": "标题",
            "summary": "简要",
            "people_affected": "2",
            "intake_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 422 and "法律咨询" in response.content.decode()
    assert MediationCase.objects.count() == 0


def test_callback_before_agreement_is_409_on_the_page(world, client_for):
    case = helpers.mediated(world)
    response = _post(
        client_for("advisor_a"),
        case,
        "callback",
        {
            "called_on": TODAY().isoformat(),
            "method": "phone",
            "interviewee": "王",
            "performed": "yes",
            "satisfaction": "satisfied",
        },
    )
    assert response.status_code == 409 and "尚未达成调解协议" in response.content.decode()


def test_register_and_ledger_pages_list_the_committees_records(world, client_for):
    from guwen.mediation import services

    case = helpers.agreed(world)
    services.dispute_lead_create(
        community=world.community_a,
        by=world.user("staff_a"),
        dispute_type=helpers.dispute_type("wage"),
        place="某工地",
        parties="工人与包工头",
        summary="欠薪",
        people_affected=3,
    )
    office = client_for("office")
    page = office.get(
        f"/mediation/register/?community={world.community_a.code}&year={case.year}"
    ).content.decode()
    assert case.number in page and "书面协议" in page and "100%" in page
    month = TODAY().strftime("%Y-%m")
    page = office.get(f"/mediation/ledger/?community={world.community_a.code}&month={month}").content.decode()
    assert "某工地" in page and "拖欠工资" in page
    assert office.get("/mediation/ledger/?month=bad&community=nope").status_code == 200


def test_the_same_person_is_found_across_cases_by_keyed_hash(world, client_for):
    from guwen.mediation import services

    number = valid_id_number()
    first, second = helpers.intake(world), helpers.intake(world)
    for case in (first, second):
        services.party_add(
            case=case,
            by=world.user("staff_a"),
            role="applicant",
            kind="person",
            name="王五",
            id_number=number,
        )
    page = client_for("staff_a").get(f"/mediation/cases/{second.pk}/").content.decode()
    assert "同一当事人的其他案件" in page and first.number in page
    other = helpers.intake(world, community=world.community_b, by=world.user("advisor_b"))
    services.party_add(
        case=other, by=world.user("advisor_b"), role="applicant", kind="person", name="王五", id_number=number
    )
    page = client_for("staff_a").get(f"/mediation/cases/{second.pk}/").content.decode()
    assert other.number not in page  # out of staff A's scope


def test_bad_lead_edit_is_refused(world, client_for):
    from guwen.mediation import services

    lead = services.dispute_lead_create(
        community=world.community_a,
        by=world.user("staff_a"),
        dispute_type=helpers.dispute_type(),
        place="某处",
        parties="甲乙",
        summary="纠纷",
        people_affected=2,
    )
    response = client_for("advisor_a").post(
        f"/mediation/leads/{lead.pk}/edit/",
        {
            "dispute_type": lead.dispute_type.pk,
            "place": "某处",
            "parties": "甲乙",
            "summary": "纠纷",
            "people_affected": "2",
            "risk_level": "blue",
            "status": "handed_over",
            "handed_to": "",
        },
    )
    assert response.status_code == 422 and "接收单位" in response.content.decode()
    assert DisputeLead.objects.get(pk=lead.pk).status == "watching"


def test_bad_extension_decision_is_refused(world, client_for):
    from guwen.mediation import services

    case = helpers.accepted(world)
    ext = services.extension_request(
        case=case, by=world.user("advisor_a"), days=10, reason="补证", consent="同意"
    )
    response = client_for("office").post(
        f"/mediation/cases/{case.pk}/extensions/{ext.pk}/decide/", {"decision": "maybe"}
    )
    assert response.status_code == 422 and "选择" in response.content.decode()
    ext.refresh_from_db()
    case.refresh_from_db()
    assert ext.status == "pending" and case.due_on == ext.case.due_on


def test_home_panel_shows_open_and_overdue_cases(world, client_for):
    late = helpers.accepted(world, days_ago=45)
    page = client_for("staff_a").get("/").content.decode()
    assert "人民调解" in page and "已超期 1 件" in page and late.number in page
    assert 'id="home-mediation"' not in client_for("advisor_b").get("/").content.decode()
