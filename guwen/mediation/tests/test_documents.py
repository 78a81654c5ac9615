"""A case's documents: which of the twelve forms it has in each state, each filled from its records
and downloaded as .docx (python-docx reopens it with the case number and the parties), the PDF
page (queued: 202; cached: the file), scope (404), audit, and the API's list. One real conversion
of the 协议书 to PDF and PNG, skipped like guwen/tests/test_mediation_documents.py without
LibreOffice or pdftoppm (and failing then under GUWEN_REQUIRE_BROWSER=1)."""

from __future__ import annotations

import io
import subprocess
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from docx import Document

from guwen.core import documents as core_documents
from guwen.core.audit import AuditEvent
from guwen.mediation import doc_context, services
from guwen.mediation import documents as mediation_documents
from guwen.mediation.tests import helpers
from guwen.tests.test_mediation_documents import full_text, need_pdf_tools, non_white_fraction

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate

CLOSED_WRITTEN = [
    "cover",
    "application",
    "registration",
    "rights_notice",
    "investigation-1",
    "session-1",
    "session-2",
    "agreement",
    "callback-1",
    "closing_report",
    "back_cover",
]


def closed_written(world):
    """Like a demo case: investigated, two sessions, a written agreement, performed, called back,
    graded, its file complete and closed."""
    staff, advisor, office = world.user("staff_a"), world.user("advisor_a"), world.user("office")
    case = helpers.accepted(world, days_ago=20, requests="1. 修复防水\n2、赔偿维修费3000元")
    services.investigation_record(
        case=case,
        by=advisor,
        held_on=TODAY() - timedelta(days=18),
        place="南龙社区3栋502",
        subject="物业维修主管",
        content="物业：渗水来自602卫生间。\n现场查看吊顶霉变。",
        evidence="现场照片",
    )
    for days, record in ((15, "双方陈述意见，差距较大。"), (10, "调解员：释明民法典相邻关系规定。")):
        services.session_record(
            case=case,
            by=advisor,
            held_on=TODAY() - timedelta(days=days),
            place="社区调解室",
            mediators="甲律师",
            attendees="王小明、李大华",
            record=record,
        )
    services.outcome_agree(
        case=case,
        by=advisor,
        kind="written",
        decided_on=TODAY() - timedelta(days=9),
        facts="楼上漏水致楼下受损，楼上住户负主要责任。",
        terms="1. 李大华修复防水；\n2. 李大华赔偿王小明维修费2000元。",
        performance_method="银行转账",
        performance_place="社区调解室",
        performance_deadline=TODAY() - timedelta(days=3),
    )
    services.performance_record(
        case=case,
        by=advisor,
        checked_on=TODAY() - timedelta(days=3),
        item="支付维修费",
        due_on=None,
        done=True,
    )
    services.callback_record(
        case=case,
        by=advisor,
        called_on=TODAY() - timedelta(days=2),
        method="visit",
        interviewee="王小明",
        performed="yes",
        satisfaction="satisfied",
    )
    services.grade_confirm(case=case, by=office, grade="simple", reason="按规则确认")
    helpers.file_required(case, staff)
    services.case_close(case=case, by=office)
    case.refresh_from_db()
    return case


def names(case) -> list[str]:
    return [doc.name for doc in doc_context.documents_available(case)]


def test_chinese_dates_and_counts():
    assert doc_context.cn_date(date(2026, 12, 3)) == "2026年12月3日"
    assert doc_context.cn_date(None) == ""
    assert doc_context.cn_count(3) == "三"


def test_a_closed_case_with_a_written_agreement_has_its_documents_each_rendering(world, client_for):
    case = closed_written(world)
    assert names(case) == CLOSED_WRITTEN
    client = client_for("advisor_a")
    full_id = services.party_read_id_number(party=case.parties.get(name="王小明"), by=None)
    for doc in doc_context.documents_available(case):
        context = doc_context.case_document_context(case, doc.name)
        kind = mediation_documents.kind(doc.kind)
        assert set(context) == set(kind.variables), doc.name
        assert core_documents.schema_mismatches(kind.variables, context) == [], doc.name
        response = client.get(f"/mediation/cases/{case.pk}/documents/{doc.name}.docx")
        assert response.status_code == 200, doc.name
        assert response["Content-Type"] == core_documents.DOCX_CONTENT_TYPE
        filename = quote(f"{case.number}{doc.title}.docx")
        assert f"filename*=utf-8''{filename}" in response["Content-Disposition"]
        text = full_text(b"".join(response.streaming_content))
        assert "{{" not in text and "{%" not in text, doc.name
        assert case.number in text, doc.name
        if {"parties", "applicants", "session"} & set(kind.variables):
            assert "王小明" in text and "李大华" in text, doc.name
        assert full_id not in text  # numbers are printed masked only
    events = AuditEvent.objects.filter(action="mediation_case.document_download")
    assert events.count() == len(CLOSED_WRITTEN)


def test_the_agreement_carries_the_records(world, client_for):
    case = closed_written(world)
    data = b"".join(
        client_for("office").get(f"/mediation/cases/{case.pk}/documents/agreement.docx").streaming_content
    )
    text = full_text(data)
    outcome = case.outcome
    assert "1．李大华修复防水；" in text and "2．李大华赔偿王小明维修费2000元。" in text
    assert "争议事项：修复防水；赔偿维修费3000元" in text
    assert f"履行期限：{doc_context.cn_date(outcome.performance_deadline)}前" in text
    assert case.parties.get(name="王小明").id_number_masked in text
    assert "一式三份" in text and doc_context.cn_date(outcome.decided_on) in text
    committee = doc_context.case_document_context(case, "agreement")["committee"]
    assert committee["name"] == "南龙社区人民调解委员会"
    assert doc_context.case_document_context(case, "cover")["case"]["title"] == "王小明与李大华楼上漏水纠纷"
    cover = doc_context.case_document_context(case, "cover")["file"]
    assert cover["retention"] == "长期" and cover["filed_on"] == doc_context.cn_date(TODAY())
    assert cover["item_count"] == "6" and "回访" in cover["notes"]
    closing = doc_context.case_document_context(case, "closing_report")["closing"]
    assert closing["outcome"].startswith("达成书面协议") and "已履行" in closing["performance"]
    session = doc_context.case_document_context(case, "session-2")["session"]
    assert session["entries"] == [{"speaker": "调解员", "text": "释明民法典相邻关系规定。"}]
    assert session["result"].startswith("达成书面协议")
    assert doc_context.case_document_context(case, "session-1")["session"]["result"] == "继续调解"
    Document(io.BytesIO(data))  # opens


def test_documents_follow_the_state(world):
    registered = helpers.intake(world)
    assert names(registered) == ["application", "registration"]
    oral = helpers.agreed(world, kind="oral")
    assert "oral_agreement" in names(oral) and "agreement" not in names(oral)
    assert "closing_report" not in names(oral)
    terminated = helpers.mediated(world)
    services.outcome_terminate(
        case=terminated,
        by=world.user("advisor_a"),
        decided_on=TODAY(),
        reason="被申请人明确表示不再接受调解",
        routes_told="已告知当事人可申请仲裁或向人民法院提起诉讼",
    )
    terminated.refresh_from_db()
    assert names(terminated) == [
        "cover",
        "application",
        "registration",
        "rights_notice",
        "session-1",
        "termination",
        "closing_report",
        "back_cover",
    ]
    termination = doc_context.case_document_context(terminated, "termination")["termination"]
    assert termination["routes"] == ["申请仲裁或向人民法院提起诉讼"] and termination["copies"] == "三"
    with pytest.raises(LookupError):
        doc_context.case_document_context(terminated, "agreement")


def test_unknown_or_unavailable_documents_are_404(world, client_for):
    case = helpers.agreed(world)
    client = client_for("advisor_a")
    for name in ("termination", "oral_agreement", "cover", "session-2", "callback-1", "nonsense"):
        for ext in ("docx", "pdf"):
            assert client.get(f"/mediation/cases/{case.pk}/documents/{name}.{ext}").status_code == 404, name
    assert client.get(f"/mediation/cases/{case.pk}/documents/agreement.docx").status_code == 200


def test_out_of_scope_users_get_404(world, client_for):
    case = helpers.agreed(world)
    for role in ("advisor_b", "firm_admin"):
        client = client_for(role)
        for ext in ("docx", "pdf"):
            assert client.get(f"/mediation/cases/{case.pk}/documents/agreement.{ext}").status_code == 404
    assert not AuditEvent.objects.filter(action="mediation_case.document_download").exists()


def test_pdf_is_queued_then_served_from_the_cache(world, client_for, settings):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # a real queue
    case = helpers.agreed(world)
    client = client_for("advisor_a")
    url = f"/mediation/cases/{case.pk}/documents/agreement.pdf"
    response = client.get(url)
    assert response.status_code == 202
    assert "正在生成 PDF，请稍后刷新" in response.content.decode()
    queued = [result.args[0] for result in task_backends["default"].results]
    assert len(queued) == 1 and queued[0].endswith(".docx")
    assert not AuditEvent.objects.filter(action="mediation_case.document_download").exists()
    default_storage.save(queued[0].removesuffix(".docx") + ".pdf", ContentFile(b"%PDF-1.4 stand-in"))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 stand-in"
    assert quote(f"{case.number}人民调解协议书.pdf") in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="mediation_case.document_download")
    assert event.context["format"] == "pdf" and event.context["document"] == "agreement"


def test_the_case_page_lists_the_documents(world, client_for):
    case = helpers.agreed(world)
    page = client_for("advisor_a").get(f"/mediation/cases/{case.pk}/").content.decode()
    assert 'id="h-docs"' in page
    assert f"/mediation/cases/{case.pk}/documents/agreement.docx" in page
    assert f"/mediation/cases/{case.pk}/documents/agreement.pdf" in page
    assert "/documents/cover.docx" not in page


def test_api_lists_the_documents(world, client_for):
    case = closed_written(world)
    body = client_for("office").get(f"/api/v1/mediation/cases/{case.pk}").json()
    assert [d["name"] for d in body["documents"]] == CLOSED_WRITTEN
    agreement = next(d for d in body["documents"] if d["name"] == "agreement")
    assert agreement == {
        "kind": "mediation.agreement",
        "name": "agreement",
        "title": "人民调解协议书",
        "docx_url": f"/mediation/cases/{case.pk}/documents/agreement.docx",
        "pdf_url": f"/mediation/cases/{case.pk}/documents/agreement.pdf",
    }
    listed = client_for("office").get("/api/v1/mediation/cases").json()["items"][0]
    assert "documents" not in listed


def test_the_agreement_converts_to_a_pdf_with_ink(world, client_for, tmp_path):
    need_pdf_tools()
    case = closed_written(world)
    # The test profile runs tasks inline: the first request converts and serves the PDF.
    response = client_for("advisor_a").get(f"/mediation/cases/{case.pk}/documents/agreement.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    assert 0.01 < non_white_fraction(tmp_path / "page.png") < 0.5
