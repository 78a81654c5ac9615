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
    assert "以案定补：本季度各月尚无补贴结算。" in text and "本季度尚无居民评价" in text
    assert "2026年度考核尚未审核（待审核 0 名）。" in text
    # The charts, as pictures; no appraisal reviewed yet, so no chart of grades.
    assert len(Document(io.BytesIO(data)).inline_shapes) == 4
    if documents.soffice_path() and shutil.which("pdftoppm"):
        pages = _pages(data, tmp_path, "summary")
        assert pages and pages[0].stat().st_size > 5000


def _pages(data: bytes, tmp_path: Path, name: str) -> list[Path]:
    """The .docx as PDF pages in PNG, copied to ``GUWEN_SCREENSHOTS`` to be looked at."""
    pdf = documents.docx_to_pdf(data)
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True
    )
    pages = sorted(tmp_path.glob(f"{name}*.png"))
    folder = os.environ.get("GUWEN_SCREENSHOTS")
    if folder:
        for page in pages:
            shutil.copy(page, Path(folder) / page.name)
    return pages


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


def test_the_summary_reports_subsidy_and_evaluation_where_the_report_puts_them(
    world, records, client_for, tmp_path
):
    """以案定补 (settled, paid, cases by grade, unpaid and flagged) and evaluation (ratings,
    complaints, surveys, appraisal grades) in 工作成效, their weak points in 存在的不足."""
    from datetime import date
    from decimal import Decimal

    from guwen.consultations.rating_targets import RatingTarget
    from guwen.consultations.services import rating_submit
    from guwen.evaluation.models import Appraisal, SurveyResponse
    from guwen.evaluation.selectors import questionnaire_for
    from guwen.evaluation.services import default_tables_ensure
    from guwen.subsidy.models import Flag, FlagKind, Settlement, SettlementLine
    from guwen.subsidy.services.settle import batch_for

    def settle(lawyer, community, month, status, total):
        return Settlement.objects.create(
            lawyer=lawyer,
            month=month,
            district=world.district,
            community=community,
            batch=batch_for(world.street, month, "month"),
            status=status,
            total=Decimal(total),
        )

    paid = settle(world.lawyer_a, world.community_a, date(2026, 1, 1), "paid", "1200.00")
    SettlementLine.objects.create(
        settlement=paid, lawyer=world.lawyer_a, kind="case", grade="ordinary", amount=Decimal("600.00")
    )
    approved = settle(world.lawyer_b, world.community_b, date(2026, 2, 1), "approved", "800.00")
    Flag.objects.create(settlement=approved, kind=FlagKind.CALLBACK_SAMPLE, key="x", evidence="抽查")
    settle(world.lawyer_e, world.community_e, date(2026, 1, 1), "paid", "999.00")  # another district
    for n, (community, lawyer, score) in enumerate(
        [
            (world.community_a, world.lawyer_a, 2),
            (world.community_a, world.lawyer_a, 1),
            (world.community_b, world.lawyer_b, 5),
        ]
    ):
        rating_submit(
            target=RatingTarget("booking", 30_000 + n, "x", "驻点咨询", community, lawyer), score=score
        )
    default_tables_ensure()
    SurveyResponse.objects.create(
        questionnaire=questionnaire_for(world.community_a, 2026),
        community=world.community_a,
        year=2026,
        quarter=1,
        score=Decimal("80.00"),
        answers={"q1": 4},
    )
    Appraisal.objects.create(lawyer=world.lawyer_a, year=2026, status="reviewed", score=80, grade="合格")
    Appraisal.objects.create(lawyer=world.lawyer_b, year=2026)
    Appraisal.objects.create(lawyer=world.lawyer_e, year=2026, status="reviewed", score=50, grade="不合格")
    response = client_for("office").get("/reports/summary.docx?quarter=2026Q1")
    data = b"".join(response.streaming_content)
    text = _text(data)
    if os.environ.get("GUWEN_SCREENSHOTS") and documents.soffice_path() and shutil.which("pdftoppm"):
        _pages(data, tmp_path, "summary-evaluation")
    assert len(Document(io.BytesIO(data)).inline_shapes) == 5  # with the appraisal grades
    results, shortcomings = text.split("三、工作成效")[1].split("四、存在的不足")
    for sentence in (
        "以案定补：本季度各月结算补贴 2,000.00 元，已发放 1,200.00 元；"
        "按案件等级计补调解案件 1 件（普通 1 件），计补 600.00 元。",
        "群众评价：居民评价 3 次，平均 2.67 星；新收差评投诉 2 件，本季度处理投诉 0 件；"
        "满意度问卷回收 1 份，0 个社区达到最低样本量",
        "2026年度考核已审核 1 名：优秀 0 名、合格 1 名、基本合格 0 名、不合格 0 名；待审核 1 名。",
    ):
        assert sentence in results, sentence
    for sentence in (
        "已批准的补贴 800.00 元尚未发放。",
        "以案定补结算中有 1 条异常尚待核查。",
        "居民评价偏低（平均不足 3.5 星）的社区：南龙社区（1.50 星，2 次）。",
        "满意度问卷未达到最低样本量的社区：南龙社区（1/20）",
    ):
        assert sentence in shortcomings, sentence
    assert "不合格 1 名" not in text  # the other district's advisor is not Nanwan's
