"""The health-check report: registered, the shipped template passes the upload check, a check's
report renders and reopens with its findings, and converts to a PDF with ink on an A4 page.

The PDF test skips without soffice or pdftoppm, unless GUWEN_REQUIRE_BROWSER=1 (CI), where it
fails (the rule of guwen/tests/test_mediation_documents.py)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from guwen.core import documents
from guwen.outreach import documents as outreach_documents
from guwen.outreach.report import report_context
from guwen.outreach.tests.helpers import health_check

pytestmark = pytest.mark.django_db


def full_text(data: bytes) -> str:
    body = Document(io.BytesIO(data)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def test_the_kind_is_registered_and_its_template_passes_the_check():
    kind = documents.get_kind("outreach.health_check_report")
    assert kind.title == "企业法治体检报告"
    documents.check_template(kind, kind.template.read_bytes())


def test_a_checks_report_reopens_with_its_findings_by_area_and_counts(world):
    check = health_check(world, findings=3)
    context = report_context(check)
    assert set(context) == set(outreach_documents.VARIABLES)
    assert documents.schema_mismatches(outreach_documents.VARIABLES, context) == []
    kind = outreach_documents.kind()
    text = full_text(documents.render_docx(kind.template.read_bytes(), context, strict=True))
    assert "{{" not in text and "{%" not in text
    assert check.enterprise.name in text and check.enterprise.credit_code in text
    for finding in check.findings.all():
        assert finding.issue in text and finding.legal_basis in text
    assert "（1）合同管理" in text and "（2）劳动用工与社会保险" in text and "（3）消防安全" in text
    assert text.index("（1）合同管理") < text.index("（2）劳动用工与社会保险") < text.index("（3）消防安全")
    assert "共发现法律风险点 3 个" in text and "高风险 1 个" in text and "提出整改建议 3 条" in text
    assert "体检律师（签名）：甲律师" in text


def test_docs_list_every_variable():
    text = (Path(__file__).resolve().parents[3] / "docs" / "outreach.md").read_text()
    assert "`outreach.health_check_report`" in text
    for path, _description in documents.schema_paths(outreach_documents.VARIABLES):
        assert f"`{path}`" in text, path


def need_pdf_tools() -> None:
    missing = [
        name
        for name, found in (
            ("libreoffice-writer-nogui", documents.soffice_path()),
            ("pdftoppm", shutil.which("pdftoppm")),
        )
        if not found
    ]
    if missing:
        if os.environ.get("GUWEN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"GUWEN_REQUIRE_BROWSER=1 but missing: {', '.join(missing)} (make system-deps)")
        pytest.skip(f"missing {', '.join(missing)}: PDF conversion of documents skipped (make system-deps)")


def test_the_report_converts_to_a_pdf_with_ink_on_a4(world, tmp_path):
    need_pdf_tools()
    check = health_check(world, findings=3)
    kind = outreach_documents.kind()
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(
        documents.docx_to_pdf(documents.render_docx(kind.template.read_bytes(), report_context(check)))
    )
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "60",
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
    png = tmp_path / "page.png"
    image = Image.open(png)
    assert abs(image.width / image.height - 210 / 297) < 0.01
    histogram = image.convert("L").histogram()
    ink = 1 - sum(histogram[245:]) / (image.width * image.height)
    assert 0.01 < ink < 0.5
    if os.environ.get("GUWEN_KEEP_PNG"):
        shutil.copy(png, os.environ["GUWEN_KEEP_PNG"])


# --- the legal opinion (法律意见书) ----------------------------------------------------------------


def _delivered(world, text: str = "一、合同主体适格。\n\n二、建议补充违约责任条款。"):
    from guwen.outreach import services

    opinion = services.opinion_request(
        community=world.community_a,
        kind="contract_review",
        title="民生大盘菜项目采购合同",
        question="请审查付款和违约条款",
        related_to="民生大盘菜项目",
        by=world.user("staff_a"),
    )
    return services.opinion_deliver(opinion=opinion, opinion_text=text, by=world.user("advisor_a"))


def test_the_opinion_kind_is_registered_and_its_template_passes_the_check():
    kind = documents.get_kind(outreach_documents.OPINION_KEY)
    assert kind.title == "法律意见书"
    documents.check_template(kind, kind.template.read_bytes())


def test_a_delivered_opinion_renders_paragraph_by_paragraph(world):
    from guwen.outreach.report import opinion_context

    opinion = _delivered(world)
    context = opinion_context(opinion)
    assert documents.schema_mismatches(outreach_documents.OPINION_VARIABLES, context) == []
    kind = documents.get_kind(outreach_documents.OPINION_KEY)
    text = full_text(documents.render_docx(kind.template.read_bytes(), context, strict=True))
    assert "{{" not in text and "{%" not in text
    assert "合同审查意见书" in text and "民生大盘菜项目采购合同" in text
    assert "一、合同主体适格。\n二、建议补充违约责任条款。" in text  # blank lines dropped
    assert f"{world.community_a.parent.name}{world.community_a.name}居民委员会：" in text
    assert f"顾问律师（签名）：{opinion.advisor.name}" in text and opinion.advisor.firm.name in text


def test_docs_list_every_opinion_variable():
    text = (Path(__file__).resolve().parents[3] / "docs" / "outreach.md").read_text()
    assert "`outreach.legal_opinion`" in text
    for path, _description in documents.schema_paths(outreach_documents.OPINION_VARIABLES):
        assert f"`{path}`" in text, path


def test_the_opinion_page_offers_its_document_once_delivered(world, client_for, monkeypatch):
    from guwen.outreach import services

    pending = services.opinion_request(
        community=world.community_a,
        kind="decision",
        title="旧改表决",
        question="请出具意见",
        by=world.user("staff_a"),
    )
    staff = client_for("staff_a")
    assert staff.get(f"/outreach/opinions/{pending.pk}/document.docx").status_code == 404  # not yet
    assert "document.docx" not in staff.get(f"/outreach/opinions/{pending.pk}/").content.decode()
    opinion = _delivered(world)
    page = staff.get(f"/outreach/opinions/{opinion.pk}/").content.decode()
    assert f"/outreach/opinions/{opinion.pk}/document.docx" in page and "document.pdf" in page
    word = staff.get(f"/outreach/opinions/{opinion.pk}/document.docx")
    assert word.status_code == 200 and word["Content-Type"] == documents.DOCX_CONTENT_TYPE
    assert "二、建议补充违约责任条款。" in full_text(b"".join(word.streaming_content))
    assert staff.get(f"/outreach/opinions/{opinion.pk}/document.txt").status_code == 404
    assert client_for("outsider").get(f"/outreach/opinions/{opinion.pk}/document.docx").status_code == 404
    monkeypatch.setattr(documents, "request_pdf", lambda **kw: (documents.document_docx(**kw), False))
    listed = {row["id"]: row for row in staff.get("/api/v1/outreach/opinions").json()["items"]}
    assert listed[pending.pk]["documents"] == []
    assert listed[opinion.pk]["documents"] == [
        {
            "kind": "outreach.legal_opinion",
            "title": "合同审查意见书",
            "docx_url": f"/outreach/opinions/{opinion.pk}/document.docx",
            "pdf_url": f"/outreach/opinions/{opinion.pk}/document.pdf",
        }
    ]
    waiting = staff.get(f"/outreach/opinions/{opinion.pk}/document.pdf")
    assert waiting.status_code == 202 and "法律意见书的 PDF 正在生成" in waiting.content.decode()


def test_the_opinion_converts_to_a_pdf_with_ink_on_a4(world, tmp_path):
    from guwen.outreach.report import opinion_context

    need_pdf_tools()
    kind = documents.get_kind(outreach_documents.OPINION_KEY)
    pdf = tmp_path / "opinion.pdf"
    pdf.write_bytes(
        documents.docx_to_pdf(
            documents.render_docx(kind.template.read_bytes(), opinion_context(_delivered(world)))
        )
    )
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True
    )
    image = Image.open(tmp_path / "page.png")
    assert abs(image.width / image.height - 210 / 297) < 0.01
    histogram = image.convert("L").histogram()
    assert 0.01 < 1 - sum(histogram[245:]) / (image.width * image.height) < 0.5
    if os.environ.get("GUWEN_KEEP_PNG"):
        shutil.copy(tmp_path / "page.png", os.environ["GUWEN_KEEP_PNG"])
