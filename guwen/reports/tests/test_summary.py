"""The quarterly work summary (业务综述): a street's quarter written from the dashboard's figures in
the report's five parts, charts as pictures, as Word and (where LibreOffice is installed) PDF,
converted to PNG to be looked at; a community or a malformed quarter is refused in Chinese."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from guwen.core import documents
from guwen.reports.documents import KEY

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_the_street_summary_reads_like_the_report(world, records, client_for, tmp_path):
    office = client_for("office")
    assert office.get("/reports/summary/?quarter=2026Q1").status_code == 200
    response = office.get("/reports/summary.docx?quarter=2026Q1")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    text = _text(data)
    assert "南湾街道2026年第1季度社区法律顾问工作业务综述" in text
    for part in ("一、总体情况", "二、各项工作开展情况", "三、工作成效", "四、存在的不足", "五、意见建议"):
        assert part in text
    assert "共受理群众法律咨询 2 件" in text and "调解成功 1 件" in text
    assert "驻点缺勤 1 次" in text  # a shortcoming the data shows
    assert len(Document(io.BytesIO(data)).inline_shapes) == 3  # the charts, as pictures
    if documents.soffice_path() and shutil.which("pdftoppm"):
        pdf = documents.docx_to_pdf(data)
        (tmp_path / "summary.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", str(tmp_path / "summary.pdf"), str(tmp_path / "page")],
            check=True,
        )
        pages = sorted(tmp_path.glob("page*.png"))
        assert pages and pages[0].stat().st_size > 5000
        folder = os.environ.get("GUWEN_SCREENSHOTS")
        if folder:
            for page in pages:
                shutil.copy(page, Path(folder) / f"summary-{page.name}")


def test_communities_and_bad_quarters_are_refused(world, records, client_for):
    staff = client_for("staff_a")
    refused = staff.get("/reports/summary.docx?quarter=2026Q1")
    assert refused.status_code == 422 and "业务综述按街道或区生成" in refused.content.decode()
    bad = client_for("office").get("/reports/summary.docx?quarter=2026Q5")
    assert bad.status_code == 422 and "季度格式应为" in bad.content.decode()
    assert client_for("office").get(f"/reports/summary.docx?region={world.street3.code}").status_code == 404
    assert client_for("office").get("/reports/summary.txt").status_code == 404


def test_the_template_passes_the_check_staff_uploads_face():
    kind = documents.get_kind(KEY)
    documents.check_template(kind, documents.template_bytes(kind))


def test_the_documents_of_a_quarter_are_listed_and_download(world, records, client_for):
    office = client_for("office")
    listed = office.get("/api/v1/reports/documents?quarter=2026Q1").json()
    kinds = [row["kind"] for row in listed]
    assert kinds == [
        "ledger.consultations",
        "ledger.duty",
        "ledger.activities",
        "ledger.mediation",
        "ledger.checks",
        KEY,
    ]
    summary = listed[-1]
    assert summary["docx_url"].startswith("/reports/summary.docx?") and summary["pdf_url"]
    ledger = office.get(listed[0]["xlsx_url"])
    assert ledger.status_code == 200 and "attachment" in ledger["Content-Disposition"]
    community = client_for("staff_a").get("/api/v1/reports/documents?quarter=2026Q1").json()
    assert KEY not in [row["kind"] for row in community]  # a community has ledgers, no summary
    bad = office.get("/api/v1/reports/documents?quarter=2026-1")
    assert bad.status_code == 422 and bad.json()["field"] == "quarter"
    assert office.get(f"/api/v1/reports/documents?region={world.street3.code}").status_code == 404
    assert office.get("/reports/ledgers/payroll.xlsx").status_code == 404
